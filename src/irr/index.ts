/**
 * The IRR's public entry points, for the lead's wiring (serve, CLI, WHOIS server) and the other areas.
 */
export { IrrService, type IrrServiceOptions, type SubmissionReport, type ObjectResult } from './service.js';
export { handleIrrdCommand, newIrrdSession, type IrrdSession, IRR_VERSION } from './irrd.js';
export { handleIrrWhoisLine, startIrrWhoisServer, parseRipeQuery, type IrrWhoisServer } from './server.js';
export { findRpslObjects, filterAuth, type RpslQuery, type FoundObject } from './lookup.js';
export { registerIrrRoutes } from './http.js';
export { importRpsl, exportRpsl, type ImportOptions, type ImportResult, type ImportProgress } from './import.js';
export { startNrtmMirror, type NrtmMirrorOptions } from './nrtm-client.js';
export { answerNrtm, parseNrtmQuery } from './nrtm.js';
export { parseObject } from './validate.js';
export { formatObject } from './format.js';
export { CLASSES, CLASS_BY_NAME } from './classes.js';
export type { RovCheck, RovStatus } from './memory-index.js';
