import type { IanaRecord } from './types.js';
import { IanaParseError } from './types.js';

const FILE = 'ipv4-address-space.txt';
// "   003/8  Administered by ARIN   1994-05  whois.arin.net   https://rdap.arin.net/registry   LEGACY   [2]"
const ROW =
  /^\s+(\d{3})\/8\s+(.+?)\s+(\d{4}-\d{2})\s*(whois\.\S+)?\s*(https?:\/\/\S+)?\s*(ALLOCATED|LEGACY|RESERVED|UNALLOCATED)\s*((?:\[\d+\])*)\s*$/;
// continuation line holding a second RDAP URL
const RDAP_CONTINUATION = /^\s+(https?:\/\/\S+)\s*$/;

/** Parses IANA's plain-text "IPv4 Address Space Registry": exactly the 256 /8 rows, in order. */
export function parseIpv4AddressSpace(text: string): IanaRecord[] {
  const lines = text.split(/\r?\n/);
  const out: IanaRecord[] = [];
  let inTable = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!inTable) {
      if (/^\s+Prefix\s+Designation\s+Date\s+WHOIS/.test(line)) inTable = true;
      continue;
    }
    if (/^\s*$/.test(line)) {
      if (out.length > 0) break;
      continue;
    }
    const m = ROW.exec(line);
    if (m) {
      const octet = Number(m[1]);
      if (octet !== out.length) {
        throw new IanaParseError(FILE, i + 1, `expected ${String(out.length).padStart(3, '0')}/8, found ${m[1]}/8`);
      }
      const start = BigInt(octet) << 24n;
      out.push({
        family: 'ipv4',
        start,
        end: start + (1n << 24n) - 1n,
        label: `${m[1]}/8`,
        designation: m[2]!.trim(),
        date: m[3]!,
        whois: m[4] ?? null,
        rdap: m[5] ? [m[5]] : [],
        status: m[6]!,
        note: m[7] || null,
        line: i + 1,
      });
      continue;
    }
    const c = RDAP_CONTINUATION.exec(line);
    if (c && out.length > 0) {
      out[out.length - 1]!.rdap.push(c[1]!);
      continue;
    }
    throw new IanaParseError(FILE, i + 1, `unrecognised line in the /8 table: ${JSON.stringify(line.trim())}`);
  }
  if (out.length !== 256) throw new IanaParseError(FILE, lines.length, `expected 256 /8 rows, found ${out.length}`);
  return out;
}
