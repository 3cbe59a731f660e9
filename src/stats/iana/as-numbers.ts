import type { IanaRecord } from './types.js';
import { IanaParseError } from './types.js';

const FILE = 'as-numbers.txt';
// "   1-1876    Assigned by ARIN     whois.arin.net    https://rdap.arin.net/registry    [RFC…] 2002-03"
const ROW =
  /^\s+(\d+)(?:-(\d+))?\s+(.+?)(?:\s{2,}(whois\.\S+))?(?:\s+(https?:\/\/\S+))?(?:\s+((?:\[[^\]]+\]\s*)+))?(?:\s+(\d{4}-\d{2}(?:-\d{2})?))?\s*$/;
const URL_ONLY = /^\s+(https?:\/\/\S+)\s*$/;
const ASSIGNED = /^Assigned by (.+)$/;

function deriveStatus(description: string): { status: string; designation: string } {
  const assigned = ASSIGNED.exec(description);
  if (assigned) return { status: 'ASSIGNED', designation: assigned[1]! };
  if (/^Unallocated$/i.test(description)) return { status: 'UNALLOCATED', designation: 'Unallocated' };
  if (/^Reserved\b/i.test(description) || description === 'AS_TRANS') return { status: 'RESERVED', designation: description };
  return { status: 'OTHER', designation: description };
}

/**
 * Parses IANA's plain-text "Autonomous System (AS) Numbers": the 16-bit and the 32-bit table, in file order.
 * The 32-bit table's cross-reference row "0-65535 See Sub-registry 16-bit AS numbers" is not a block and is
 * left out. Status comes from the description: "Assigned by X" → ASSIGNED (designation X), "Reserved…" and
 * AS_TRANS → RESERVED, "Unallocated" → UNALLOCATED.
 */
export function parseAsNumbers(text: string): IanaRecord[] {
  const lines = text.split(/\r?\n/);
  const out: IanaRecord[] = [];
  let tables = 0;
  let inTable = false;
  let current: (IanaRecord & { description: string }) | undefined;
  const flush = () => {
    if (!current) return;
    const { description, ...record } = current;
    current = undefined;
    if (/^See Sub-registry/i.test(description)) return;
    const { status, designation } = deriveStatus(description);
    out.push({ ...record, status, designation });
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!inTable) {
      if (/^\s+Number\s+Description\s+WHOIS/.test(line)) { inTable = true; tables++; }
      continue;
    }
    if (/^\s*$/.test(line)) { flush(); inTable = false; continue; }
    const m = ROW.exec(line);
    if (m) {
      flush();
      const start = BigInt(m[1]!);
      const end = m[2] ? BigInt(m[2]) : start;
      if (end < start || end > 0xffffffffn) throw new IanaParseError(FILE, i + 1, `bad AS range ${m[1]}-${m[2]}`);
      const previous = out[out.length - 1];
      if (previous && previous.end >= start && !(tables === 2 && previous.end <= 65535n && start <= 65535n)) {
        throw new IanaParseError(FILE, i + 1, `AS range ${m[1]}${m[2] ? `-${m[2]}` : ''} overlaps or is out of order`);
      }
      current = {
        family: 'asn', start, end, label: m[2] ? `${m[1]}-${m[2]}` : m[1]!, designation: '', status: '',
        description: m[3]!.trim(), date: m[7] ?? null, whois: m[4] ?? null, rdap: m[5] ? [m[5]] : [],
        note: m[6] ? m[6].replace(/\s+/g, '') : null, line: i + 1,
      };
      continue;
    }
    if (!current) throw new IanaParseError(FILE, i + 1, `unrecognised line: ${JSON.stringify(line.trim())}`);
    const url = URL_ONLY.exec(line);
    if (url) current.rdap.push(url[1]!);
    else current.description += ` ${line.trim()}`; // wrapped description ("… sample" / "code")
  }
  flush();
  if (tables !== 2) throw new IanaParseError(FILE, lines.length, `expected the 16-bit and 32-bit tables, found ${tables}`);
  return out;
}
