import { parsePrefix, prefixToRange } from '../../core/index.js';
import { IanaParseError } from './types.js';

const FILE = 'ipv4-special-registry.txt';

export interface SpecialPurposeBlock {
  prefixes: string[];
  start: bigint;
  end: bigint;
  name: string;
  rfc: string;
  allocated: string;
  terminated: string | null;
  source: boolean | null;
  destination: boolean | null;
  forwardable: boolean | null;
  globallyReachable: boolean | null;
  reservedByProtocol: boolean | null;
  line: number;
}

interface Cells { address: string; name: string; rfc: string; rest: string }

const FLAGS = /^(\d{4}-\d{2})\s+(N\/A|\d{4}-\d{2})\s*(.*)$/;

function cut(line: string, nameCol: number, rfcCol: number, restCol: number): Cells {
  const pad = line.padEnd(restCol + 1);
  return {
    address: pad.slice(0, nameCol).trim(),
    name: pad.slice(nameCol, rfcCol).trim(),
    rfc: pad.slice(rfcCol, restCol).trim(),
    rest: line.slice(restCol).trim(),
  };
}

function bool(word: string | undefined): boolean | null {
  if (word === 'True') return true;
  if (word === 'False') return false;
  return null;
}

/**
 * Parses IANA's plain-text "IPv4 Special-Purpose Address Registry". The rendering centres multi-line cells
 * vertically, so wrapped text sits above as well as below a row's address line: a row of height h has
 * floor((h-1)/2) lines above its address line and the rest below. Continuation lines between two address lines
 * are split accordingly (the previous row takes one more line than it had above it, the next row the rest).
 */
export function parseIpv4SpecialRegistry(text: string): SpecialPurposeBlock[] {
  const lines = text.split(/\r?\n/);
  const headerAt = lines.findIndex((l) => /^\s+Address Block\s+Name\s+RFC/.test(l));
  if (headerAt < 0) throw new IanaParseError(FILE, 1, 'table header "Address Block  Name  RFC" not found');
  // Column starts from the first data row: address at its indent, name after the address, RFC at the first "[".
  let first = headerAt + 1;
  while (first < lines.length && !/^\s+\d+\.\d+\.\d+\.\d+\/\d+/.test(lines[first]!)) first++;
  const firstLine = lines[first] ?? '';
  const nameCol = firstLine.search(/(?<=\/\d+(?: \[\d+\])?\s+)\S/);
  const rfcCol = firstLine.indexOf('[');
  const restCol = firstLine.search(/\d{4}-\d{2}/);
  if (nameCol < 0 || rfcCol < 0 || restCol < 0) throw new IanaParseError(FILE, first + 1, 'cannot find the table columns');

  // Group lines into rows: an address line starts a row unless the previous address cell ended with ",".
  type Row = { anchor: number; above: string[]; lines: string[] };
  const rows: Row[] = [];
  let pending: string[] = [];
  let end = first;
  for (let i = first; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*$/.test(line)) { end = i; break; }
    const cells = cut(line, nameCol, rfcCol, restCol);
    const last = rows[rows.length - 1];
    const startsRow = /^\d+\.\d+\.\d+\.\d+\/\d+/.test(cells.address) && !(last && last.lines[0] && cut(last.lines[last.lines.length - 1]!, nameCol, rfcCol, restCol).address.endsWith(',') && pending.length === 0);
    if (startsRow) {
      if (last) {
        const take = Math.min(pending.length, last.above.length + 1);
        last.lines.push(...pending.slice(0, take));
        pending = pending.slice(take);
      }
      rows.push({ anchor: i + 1, above: pending, lines: [line] });
      pending = [];
    } else if (rows.length === 0) {
      continue;
    } else if (/^\d/.test(cells.address) && pending.length === 0) {
      rows[rows.length - 1]!.lines.push(line); // second address of a two-prefix row ("192.0.0.170/32,")
    } else {
      pending.push(line);
    }
  }
  if (rows.length > 0) rows[rows.length - 1]!.lines.push(...pending);
  if (end === first) end = lines.length;

  return rows.map((row) => {
    const all = [...row.above, ...row.lines].map((l) => cut(l, nameCol, rfcCol, restCol));
    const join = (k: keyof Cells) => all.map((c) => c[k]).filter(Boolean).join(' ').replace(/\s+/g, ' ').trim();
    const prefixes = join('address').replace(/\[\d+\]/g, '').split(/[,\s]+/).filter(Boolean);
    const ranges = prefixes.map((p) => {
      try {
        return prefixToRange(parsePrefix(p));
      } catch (error) {
        throw new IanaParseError(FILE, row.anchor, `bad prefix ${JSON.stringify(p)}: ${(error as Error).message}`);
      }
    });
    const anchorCells = cut(row.lines[0]!, nameCol, rfcCol, restCol);
    const flags = FLAGS.exec(anchorCells.rest);
    if (!flags) throw new IanaParseError(FILE, row.anchor, `no allocation date in ${JSON.stringify(anchorCells.rest)}`);
    const words = flags[3]!.replace(/\[\d+\]/g, '').split(/\s+/).filter(Boolean);
    return {
      prefixes,
      start: ranges.reduce((m, r) => (r.start < m ? r.start : m), ranges[0]!.start),
      end: ranges.reduce((m, r) => (r.end > m ? r.end : m), ranges[0]!.end),
      name: join('name'),
      rfc: join('rfc'),
      allocated: flags[1]!,
      terminated: flags[2] === 'N/A' ? null : flags[2]!,
      source: bool(words[0]),
      destination: bool(words[1]),
      forwardable: bool(words[2]),
      globallyReachable: bool(words[3]),
      reservedByProtocol: bool(words[4]),
      line: row.anchor,
    };
  });
}
