/** Statistics: IANA registry files, RIR statistics exchange files, and the reports an NIR publishes. */
export { importIana, readIanaDirectory, IANA_FILES, type ImportIanaOptions, type ImportIanaResult } from './iana/import.js';
export { parseIpv4AddressSpace } from './iana/ipv4-address-space.js';
export { parseIpv6UnicastAssignments } from './iana/ipv6-unicast.js';
export { parseAsNumbers } from './iana/as-numbers.js';
export { parseIpv4SpecialRegistry, type SpecialPurposeBlock } from './iana/ipv4-special.js';
export { IanaParseError, type IanaRecord } from './iana/types.js';
export * from './delegated/index.js';
export { REPORTS, findReport, queryReport, runReport, formatTable, UnknownReportError, type Report, type ReportResult } from './reports/index.js';
export { registerStatsRoutes } from './http.js';
export { statsCommand, importIanaCommand, importDelegatedCommand, exportDelegatedCommand } from './cli.js';
