import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from '../../core/index.js';
import {
  RECORD_STATUSES, RECORD_TYPES,
  type DelegatedFile, type DelegatedHeader, type DelegatedRecord, type DelegatedSummary, type LineError,
  type RecordStatus, type RecordType,
} from './types.js';

const DATE = /^\d{8}$/;
const REGISTRY = /^[a-z][a-z0-9-]*$/;
const MAX32 = 0xffffffffn;

/** A YYYYMMDD that is a real calendar date (or the "no date" forms "" and "00000000" when allowed). */
function checkDate(text: string, allowNone: boolean): string | undefined {
  if (allowNone && (text === '' || text === '00000000')) return undefined;
  if (!DATE.test(text)) return `date "${text}" is not YYYYMMDD`;
  const y = Number(text.slice(0, 4)), m = Number(text.slice(4, 6)), d = Number(text.slice(6, 8));
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return `date "${text}" is not a calendar date`;
  return undefined;
}

function parseHeader(fields: string[], line: number, errors: LineError[]): DelegatedHeader | undefined {
  if (fields.length !== 7) {
    errors.push({ line, message: `version line must have 7 fields (version|registry|serial|records|startdate|enddate|UTCoffset), found ${fields.length}` });
    return undefined;
  }
  const [version, registry, serial, records, startDate, endDate, utcOffset] = fields as [string, string, string, string, string, string, string];
  const bad = (message: string) => { errors.push({ line, message }); };
  if (!/^\d+(\.\d+)?$/.test(version)) bad(`version "${version}" is not a number`);
  if (!REGISTRY.test(registry)) bad(`registry "${registry}" is not a registry name`);
  // YYYYMMDD at most registries, a Unix timestamp at RIPE NCC.
  if (!/^\d+$/.test(serial)) bad(`serial "${serial}" is not a number`);
  if (!/^\d+$/.test(records)) bad(`record count "${records}" is not a number`);
  // AFRINIC writes 00000000 for an unknown start date.
  const startErr = checkDate(startDate, true);
  if (startErr) bad(`start ${startErr}`);
  const endErr = checkDate(endDate, true);
  if (endErr) bad(`end ${endErr}`);
  // "+1000" / "-0500"; AFRINIC writes "00000".
  if (!/^([+-]\d{4}|\d{4,5}|Z)$/.test(utcOffset)) bad(`UTC offset "${utcOffset}" is not +HHMM`);
  return { version, registry, serial, records: Number(records), startDate, endDate, utcOffset, line };
}

function parseStart(type: RecordType, text: string): bigint {
  if (type === 'asn') {
    if (!/^\d{1,10}$/.test(text)) throw new Error(`AS number "${text}" is not a number`);
    const n = BigInt(text);
    if (n > MAX32) throw new Error(`AS number ${text} is above 4294967295`);
    return n;
  }
  try {
    return type === 'ipv4' ? parseIpv4(text) : parseIpv6(text);
  } catch (error) {
    throw new Error(`start "${text}" is not an ${type === 'ipv4' ? 'IPv4' : 'IPv6'} address: ${(error as Error).message}`);
  }
}

/** The inclusive end from the value column: IPv4 address count, IPv6 prefix length, AS count. */
function rangeEnd(type: RecordType, start: bigint, value: string): bigint {
  if (!/^\d+$/.test(value)) throw new Error(`value "${value}" is not a number`);
  if (type === 'ipv6') {
    const length = Number(value);
    if (length < 0 || length > 128) throw new Error(`IPv6 prefix length ${value} is not 0-128`);
    const size = 1n << BigInt(128 - length);
    if (start % size !== 0n) throw new Error(`${formatIpv6(start)}/${value} has host bits set`);
    return start + size - 1n;
  }
  const count = BigInt(value);
  if (count === 0n) throw new Error('value 0: a record covers at least one number');
  const end = start + count - 1n;
  if (end > MAX32) {
    throw new Error(type === 'ipv4'
      ? `${formatIpv4(start)} + ${value} addresses runs past 255.255.255.255`
      : `AS${start} + ${value} runs past AS4294967295`);
  }
  return end;
}

function parseRecord(fields: string[], line: number, errors: LineError[]): DelegatedRecord | undefined {
  if (fields.length < 7) {
    errors.push({ line, message: `record must have at least 7 fields (registry|cc|type|start|value|date|status), found ${fields.length}` });
    return undefined;
  }
  const [registry, cc, type, startText, value, date, status, opaqueId, ...extensions] = fields as [
    string, string, string, string, string, string, string, string | undefined, ...string[],
  ];
  const problems: string[] = [];
  if (!REGISTRY.test(registry)) problems.push(`registry "${registry}" is not a registry name`);
  if (!/^([A-Z]{2})?$/.test(cc)) problems.push(`country code "${cc}" is not two capital letters`);
  if (!RECORD_TYPES.includes(type as RecordType)) problems.push(`type "${type}" is not asn, ipv4 or ipv6`);
  if (!RECORD_STATUSES.includes(status as RecordStatus)) {
    problems.push(`status "${status}" is not allocated, assigned, available or reserved`);
  }
  // Available and reserved space often carries no date ("" or "00000000").
  const dateErr = checkDate(date, status === 'available' || status === 'reserved' || date === '');
  if (dateErr) problems.push(dateErr);
  let start = 0n;
  let end = 0n;
  if (RECORD_TYPES.includes(type as RecordType)) {
    try {
      start = parseStart(type as RecordType, startText);
      end = rangeEnd(type as RecordType, start, value);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length) {
    for (const message of problems) errors.push({ line, message });
    return undefined;
  }
  return {
    registry, cc, type: type as RecordType, startText, start, end, value, date, status: status as RecordStatus,
    opaqueId: opaqueId === undefined ? null : opaqueId, extensions, line,
  };
}

/**
 * Strict parser of an RIR statistics exchange file (regular or extended). Comment lines ("#") and blank
 * lines are skipped; the first other line is the version line, then summary lines, then records. Every
 * problem is collected with its line number (nothing is thrown for a bad line), including: counts that do
 * not match the version line or the summaries, and records that overlap each other.
 */
export function parseDelegated(text: string): { file?: DelegatedFile; errors: LineError[] } {
  const errors: LineError[] = [];
  let header: DelegatedHeader | undefined;
  let sawHeader = false;
  const summaries: DelegatedSummary[] = [];
  const records: DelegatedRecord[] = [];
  let pos = 0;
  let lineNo = 0;
  const length = text.length;
  while (pos < length) {
    let next = text.indexOf('\n', pos);
    if (next < 0) next = length;
    let line = text.slice(pos, next);
    pos = next + 1;
    lineNo++;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '' || line[0] === '#') continue;
    const fields = line.split('|');
    if (!sawHeader) {
      sawHeader = true;
      header = parseHeader(fields, lineNo, errors);
      continue;
    }
    if (fields[5] === 'summary' && fields.length === 6) {
      const [registry, star1, type, star2, count] = fields as [string, string, string, string, string];
      if (star1 !== '*' || star2 !== '*' || !RECORD_TYPES.includes(type as RecordType) || !/^\d+$/.test(count)) {
        errors.push({ line: lineNo, message: 'summary line must be registry|*|asn/ipv4/ipv6|*|count|summary' });
      } else if (records.length > 0) {
        errors.push({ line: lineNo, message: 'summary line after the first record' });
      } else {
        summaries.push({ registry, type: type as RecordType, count: Number(count), line: lineNo });
      }
      continue;
    }
    const record = parseRecord(fields, lineNo, errors);
    if (record) records.push(record);
  }
  if (!sawHeader) errors.push({ line: lineNo || 1, message: 'no version line: the file has no records' });
  if (header && errors.length === 0) {
    if (header.records !== records.length) {
      errors.push({ line: header.line, message: `version line says ${header.records} records, the file has ${records.length}` });
    }
    for (const s of summaries) {
      const n = records.reduce((k, r) => (r.type === s.type ? k + 1 : k), 0);
      if (n !== s.count) errors.push({ line: s.line, message: `summary says ${s.count} ${s.type} records, the file has ${n}` });
    }
    findOverlaps(records, errors);
  }
  errors.sort((a, b) => a.line - b.line);
  if (errors.length || !header) return { errors };
  const extended = records.length > 0 && records.every((r) => r.opaqueId !== null);
  return { file: { header, summaries, records, extended }, errors };
}

function findOverlaps(records: DelegatedRecord[], errors: LineError[]): void {
  const sorted = [...records].sort((a, b) =>
    a.type !== b.type ? (a.type < b.type ? -1 : 1) : a.start < b.start ? -1 : a.start > b.start ? 1 : 0,
  );
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (a.type === b.type && b.start <= a.end) {
      errors.push({ line: Math.max(a.line, b.line), message: `${b.type} ${b.startText}|${b.value} overlaps line ${Math.min(a.line, b.line)} (${a.startText}|${a.value})` });
    }
  }
}
