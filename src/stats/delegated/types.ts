/** The RIR statistics exchange format (https://www.nro.net/wp-content/uploads/nro-extended-stats-readme5.txt). */
export type RecordType = 'asn' | 'ipv4' | 'ipv6';
export type RecordStatus = 'allocated' | 'assigned' | 'available' | 'reserved';

export const RECORD_TYPES: readonly RecordType[] = ['asn', 'ipv4', 'ipv6'];
export const RECORD_STATUSES: readonly RecordStatus[] = ['allocated', 'assigned', 'available', 'reserved'];

export interface DelegatedHeader {
  version: string;
  registry: string;
  /** As written: YYYYMMDD, or a Unix timestamp at RIPE NCC. */
  serial: string;
  records: number;
  /** YYYYMMDD, or "00000000" (AFRINIC) when unknown. */
  startDate: string;
  endDate: string;
  /** "+1000", "-0500"; AFRINIC writes "00000". */
  utcOffset: string;
  line: number;
}

export interface DelegatedSummary {
  registry: string;
  type: RecordType;
  count: number;
  line: number;
}

export interface DelegatedRecord {
  registry: string;
  /** ISO 3166 code, "ZZ" or "" (unknown / not applicable). */
  cc: string;
  type: RecordType;
  /** Start as written in the file ("1.0.0.0", "2001:200::", "173"). */
  startText: string;
  start: bigint;
  /** Inclusive end. */
  end: bigint;
  /** The value column as written: address count (ipv4), prefix length (ipv6), AS count (asn). */
  value: string;
  /** YYYYMMDD as written ("" or "00000000" when none). */
  date: string;
  status: RecordStatus;
  /** Extended format: the holder's opaque id; null in the regular format. */
  opaqueId: string | null;
  /** Extended format: fields after the opaque id, kept verbatim. */
  extensions: string[];
  line: number;
}

export interface DelegatedFile {
  header: DelegatedHeader;
  summaries: DelegatedSummary[];
  records: DelegatedRecord[];
  extended: boolean;
}

export interface LineError {
  line: number;
  message: string;
}

export class DelegatedFileError extends Error {
  constructor(
    readonly errors: LineError[],
    readonly file = 'statistics file',
  ) {
    const shown = errors.slice(0, 20).map((e) => `  line ${e.line}: ${e.message}`);
    if (errors.length > 20) shown.push(`  … and ${errors.length - 20} more`);
    super(`${file}: ${errors.length} bad line${errors.length === 1 ? '' : 's'}, nothing imported\n${shown.join('\n')}`);
    this.name = 'DelegatedFileError';
  }
}
