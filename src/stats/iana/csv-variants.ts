/**
 * IANA also publishes the IPv4 address space and the AS-number tables as CSV (ipv4-address-space.csv,
 * as-numbers-1.csv for 16-bit and as-numbers-2.csv for 32-bit). Same records as the plain-text renderings;
 * columns are found by their header names.
 */
import { parseCsv } from './csv.js';
import type { IanaRecord } from './types.js';
import { IanaParseError } from './types.js';

function columns(file: string, header: string[] | undefined, wanted: Record<string, RegExp>): Record<string, number> {
  if (!header) throw new IanaParseError(file, 1, 'empty file');
  const out: Record<string, number> = {};
  for (const [key, pattern] of Object.entries(wanted)) {
    const i = header.findIndex((h) => pattern.test(h.trim()));
    if (i < 0) throw new IanaParseError(file, 1, `no "${key}" column in header ${header.join(',')}`);
    out[key] = i;
  }
  return out;
}

const cell = (fields: string[], i: number | undefined) => (i === undefined ? '' : (fields[i] ?? '').trim());

export function parseIpv4AddressSpaceCsv(text: string, file = 'ipv4-address-space.csv'): IanaRecord[] {
  const rows = parseCsv(text);
  const col = columns(file, rows[0]?.fields, { prefix: /^Prefix$/i, designation: /^Designation$/i, date: /^Date$/i, whois: /^WHOIS$/i, status: /^Status/i });
  const rdapCol = rows[0]!.fields.findIndex((h) => /^RDAP$/i.test(h.trim()));
  const noteCol = rows[0]!.fields.findIndex((h) => /^Note$/i.test(h.trim()));
  const out = rows.slice(1).map(({ line, fields }) => {
    const m = /^(\d{1,3})\/8$/.exec(cell(fields, col.prefix));
    if (!m || Number(m[1]) > 255) throw new IanaParseError(file, line, `bad prefix ${JSON.stringify(cell(fields, col.prefix))}`);
    const start = BigInt(m[1]!) << 24n;
    return {
      family: 'ipv4' as const, start, end: start + (1n << 24n) - 1n, label: cell(fields, col.prefix),
      designation: cell(fields, col.designation), date: cell(fields, col.date) || null, whois: cell(fields, col.whois) || null,
      rdap: rdapCol < 0 ? [] : cell(fields, rdapCol).split(/\s+/).filter(Boolean), status: cell(fields, col.status).toUpperCase(),
      note: noteCol < 0 ? null : cell(fields, noteCol).replace(/\s*\n\s*/g, ' ') || null, line,
    };
  });
  if (out.length !== 256) throw new IanaParseError(file, rows.length, `expected 256 /8 rows, found ${out.length}`);
  out.forEach((r, i) => {
    if (r.start !== BigInt(i) << 24n) throw new IanaParseError(file, r.line, `expected ${String(i).padStart(3, '0')}/8, found ${r.label}`);
  });
  return out;
}

export function parseAsNumbersCsv(text: string, file = 'as-numbers.csv'): IanaRecord[] {
  const rows = parseCsv(text);
  const col = columns(file, rows[0]?.fields, { number: /^Number$/i, description: /^Description$/i });
  const header = rows[0]!.fields.map((h) => h.trim());
  const opt = (p: RegExp) => { const i = header.findIndex((h) => p.test(h)); return i < 0 ? undefined : i; };
  const whoisCol = opt(/^WHOIS$/i), rdapCol = opt(/^RDAP$/i), refCol = opt(/^Reference$/i), dateCol = opt(/^Registration Date$/i);
  const out: IanaRecord[] = [];
  for (const { line, fields } of rows.slice(1)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(cell(fields, col.number));
    if (!m) throw new IanaParseError(file, line, `bad AS number or range ${JSON.stringify(cell(fields, col.number))}`);
    const description = cell(fields, col.description).replace(/\s+/g, ' ');
    if (/^See Sub-registry/i.test(description)) continue;
    const assigned = /^Assigned by (.+)$/.exec(description);
    const status = assigned ? 'ASSIGNED' : /^Unallocated$/i.test(description) ? 'UNALLOCATED'
      : /^Reserved\b/i.test(description) || description === 'AS_TRANS' ? 'RESERVED' : 'OTHER';
    out.push({
      family: 'asn', start: BigInt(m[1]!), end: BigInt(m[2] ?? m[1]!), label: cell(fields, col.number),
      designation: assigned ? assigned[1]! : description, date: cell(fields, dateCol) || null, whois: cell(fields, whoisCol) || null,
      rdap: cell(fields, rdapCol).split(/\s+/).filter(Boolean), status, note: cell(fields, refCol).replace(/\s+/g, '') || null, line,
    });
  }
  return out;
}
