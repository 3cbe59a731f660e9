import { parsePrefix, prefixToRange } from '../../core/index.js';
import { parseCsv } from './csv.js';
import type { IanaRecord } from './types.js';
import { IanaParseError } from './types.js';

const FILE = 'ipv6-unicast-address-assignments.csv';
const HEADER = ['Prefix', 'Designation', 'Date', 'WHOIS', 'RDAP', 'Status', 'Note'];

/** Parses IANA's "IPv6 Global Unicast Address Assignments" CSV (CRLF rows, multi-line quoted notes and RDAP cells). */
export function parseIpv6UnicastAssignments(text: string): IanaRecord[] {
  let rows;
  try {
    rows = parseCsv(text);
  } catch (error) {
    throw new IanaParseError(FILE, 0, (error as Error).message);
  }
  const header = rows.shift();
  if (!header || header.fields.join(',') !== HEADER.join(',')) {
    throw new IanaParseError(FILE, 1, `expected header ${HEADER.join(',')}`);
  }
  return rows.map(({ line, fields }) => {
    if (fields.length !== HEADER.length) {
      throw new IanaParseError(FILE, line, `expected ${HEADER.length} fields, found ${fields.length}`);
    }
    const [prefixText, designation, date, whois, rdap, status, note] = fields.map((f) => f.trim()) as [
      string, string, string, string, string, string, string,
    ];
    let range;
    try {
      range = prefixToRange(parsePrefix(prefixText));
    } catch (error) {
      throw new IanaParseError(FILE, line, `bad prefix ${JSON.stringify(prefixText)}: ${(error as Error).message}`);
    }
    if (range.family !== 'ipv6') throw new IanaParseError(FILE, line, `${prefixText} is not an IPv6 prefix`);
    if (!/^\d{4}-\d{2}(-\d{2})?$/.test(date)) throw new IanaParseError(FILE, line, `bad date ${JSON.stringify(date)}`);
    if (!designation) throw new IanaParseError(FILE, line, 'empty designation');
    return {
      family: 'ipv6' as const,
      start: range.start,
      end: range.end,
      label: prefixText,
      designation,
      date,
      whois: whois || null,
      rdap: rdap.split(/\s+/).filter(Boolean),
      status: status.toUpperCase(),
      note: note ? note.replace(/\s*\n\s*/g, ' ') : null,
      line,
    };
  });
}
