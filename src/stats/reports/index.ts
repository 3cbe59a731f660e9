import type { Queryable } from '../../db/database.js';
import { asnReserved } from './asn-reserved.js';
import { ipv4ByRir, ipv6ByRir } from './by-rir.js';
import { delegationsPerMonth } from './delegations-per-month.js';
import { irrObjectsByClass } from './irr-objects-by-class.js';
import { lirsOverTime } from './lirs-over-time.js';
import { checkDate } from './sources.js';
import { utilisation } from './utilisation.js';
import { formatTable } from './table.js';
import type { Report, ReportOptions, Row } from './types.js';

export type { Report, ReportOptions, Row, Column } from './types.js';
export { formatTable } from './table.js';

/** Every report numreg publishes (`numreg stats <name>`, `/api/stats/<name>`). */
export const REPORTS: readonly Report[] = [
  ipv4ByRir, ipv6ByRir, asnReserved, lirsOverTime, delegationsPerMonth, irrObjectsByClass, utilisation,
];

export function findReport(name: string): Report | undefined {
  return REPORTS.find((r) => r.name === name);
}

export class UnknownReportError extends Error {
  constructor(readonly reportName: string) {
    super(`unknown report "${reportName}"; reports: ${REPORTS.map((r) => r.name).join(', ')}`);
    this.name = 'UnknownReportError';
  }
}

export interface ReportResult {
  report: string;
  title: string;
  asOf: string | null;
  note: string;
  columns: { key: string; title: string }[];
  rows: Row[];
}

export interface RunReportOptions extends ReportOptions {
  /** true: return the JSON document as text; false/unset: the printed table. */
  json?: boolean;
}

/** Runs a report and returns its structured result. Throws UnknownReportError / RangeError (bad date). */
export async function queryReport(db: Queryable, name: string, options: ReportOptions = {}): Promise<ReportResult> {
  const report = findReport(name);
  if (!report) throw new UnknownReportError(name);
  const asOf = checkDate(options.asOf);
  const rows = await report.query(db, { ...options, asOf });
  return {
    report: report.name, title: report.title, asOf: asOf ?? null, note: report.note,
    columns: report.columns.map((c) => ({ key: c.key, title: c.title })), rows,
  };
}

/** The report as the CLI prints it: a titled table (default) or the JSON document (`json: true`). */
export async function runReport(db: Queryable, name: string, options: RunReportOptions = {}): Promise<string> {
  const result = await queryReport(db, name, options);
  if (options.json) return `${JSON.stringify(result, null, 2)}\n`;
  const report = findReport(name)!;
  const heading = `${result.title}${result.asOf ? ` as of ${result.asOf}` : ''}`;
  return `${heading}\n\n${formatTable(report.columns, result.rows)}\n${result.note}\n`;
}
