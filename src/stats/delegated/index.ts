export * from './types.js';
export { parseDelegated } from './parse.js';
export { formatHeader, formatSummary, formatRecord } from './format.js';
export { importDelegated, importDelegatedText, type ImportDelegatedOptions, type ImportDelegatedResult, type ImportProgress } from './import.js';
export { exportDelegated, type ExportDelegatedOptions, type ExportDelegatedResult } from './export.js';
