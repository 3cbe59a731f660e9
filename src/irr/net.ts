/**
 * Prefix and AS-number arithmetic for the IRR. Kept local (instead of src/core) because RPSL needs the
 * lenient IRRd reading of legacy data: IPv4 octets with leading zeros ("192.0.02.0/24"), asplain with
 * leading zeros ("AS065537"). Values are bigint, prefixes are { family, start, length } like src/core.
 */
export type IpFamily = 'ipv4' | 'ipv6';
export interface IrrPrefix {
  family: IpFamily;
  start: bigint;
  length: number;
}

export class NetParseError extends Error {}

const BITS: Record<IpFamily, number> = { ipv4: 32, ipv6: 128 };
export const familyBits = (f: IpFamily): number => BITS[f];

function parseIpv4(text: string): bigint {
  // four groups of 1-3 decimal digits, each <= 255 (leading zeros allowed, as IRRd reads legacy data)
  let v = 0;
  let groups = 0;
  let digits = 0;
  let n = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || n > 255 || ++groups > 4) throw new NetParseError(`invalid IPv4 address: ${text}`);
      v = v * 256 + n;
      digits = 0;
      n = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      n = n * 10 + (c - 48);
      digits++;
    } else throw new NetParseError(`invalid IPv4 address: ${text}`);
  }
  if (groups !== 4) throw new NetParseError(`invalid IPv4 address: ${text}`);
  return BigInt(v);
}

function parseIpv6(text: string): bigint {
  let s = text;
  let tailV4: bigint | undefined;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.') && lastColon >= 0) {
    tailV4 = parseIpv4(s.slice(lastColon + 1));
    s = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = s.split('::');
  if (halves.length > 2) throw new NetParseError(`invalid IPv6 address: ${text}`);
  const head = halves[0] === '' ? [] : halves[0].split(':');
  const tail = halves.length === 2 ? (halves[1] === '' ? [] : halves[1].split(':')) : [];
  const groups = halves.length === 2 ? [...head, ...Array(8 - head.length - tail.length).fill('0'), ...tail] : head;
  if (groups.length !== 8 || (halves.length === 2 && head.length + tail.length > 7)) {
    throw new NetParseError(`invalid IPv6 address: ${text}`);
  }
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw new NetParseError(`invalid IPv6 address: ${text}`);
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  if (tailV4 !== undefined) v = (v & ~0xffffffffn) | tailV4;
  return v;
}

export function parseAddress(text: string): { family: IpFamily; value: bigint } {
  if (text.includes(':')) return { family: 'ipv6', value: parseIpv6(text) };
  return { family: 'ipv4', value: parseIpv4(text) };
}

export function formatAddress(family: IpFamily, value: bigint): string {
  if (family === 'ipv4') {
    const n = Number(value);
    return `${Math.floor(n / 16777216) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  // RFC 5952: compress the longest run (>= 2) of zero groups, the first one on a tie.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Parses "a.b.c.d/n" or "x::/n"; host bits must be zero. */
export function parsePrefixText(text: string, family?: IpFamily): IrrPrefix {
  const m = /^([^/\s]+)\/([0-9]{1,3})$/.exec(text.trim());
  if (!m) throw new NetParseError(`invalid prefix: ${text}`);
  const addr = parseAddress(m[1]);
  if (family && addr.family !== family) throw new NetParseError(`not an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} prefix: ${text}`);
  const length = Number(m[2]);
  const bits = BITS[addr.family];
  if (length > bits) throw new NetParseError(`invalid prefix length in ${text}`);
  const hostMask = (1n << BigInt(bits - length)) - 1n;
  if ((addr.value & hostMask) !== 0n) throw new NetParseError(`host bits set in prefix ${text}`);
  return { family: addr.family, start: addr.value, length };
}

export function formatPrefixText(p: IrrPrefix): string {
  return `${formatAddress(p.family, p.start)}/${p.length}`;
}

export function prefixEnd(p: IrrPrefix): bigint {
  return p.start + (1n << BigInt(BITS[p.family] - p.length)) - 1n;
}

export const AS_MAX = 4294967295n;

/** AS numbers as RPSL writes them: AS64496, as065537, AS1.10 (asdot). */
export function parseAsNumber(text: string): bigint {
  const m = /^AS([0-9]+)(?:\.([0-9]+))?$/i.exec(text.trim());
  if (!m) throw new NetParseError(`invalid AS number: ${text}`);
  let v: bigint;
  if (m[2] !== undefined) {
    const hi = BigInt(m[1]);
    const lo = BigInt(m[2]);
    if (hi > 65535n || lo > 65535n) throw new NetParseError(`invalid AS number: ${text}`);
    v = hi * 65536n + lo;
  } else {
    if (m[1].length > 12) throw new NetParseError(`invalid AS number: ${text}`);
    v = BigInt(m[1]);
  }
  if (v > AS_MAX) throw new NetParseError(`AS number out of range: ${text}`);
  return v;
}

export const formatAsNumber = (n: bigint | number): string => `AS${n}`;

/**
 * Minimal CIDR cover of a set of prefixes (IRRd's !a aggregation): removes prefixes covered by another and
 * merges sibling pairs into their parent until nothing changes. Input of one family.
 */
export function aggregatePrefixes(prefixes: IrrPrefix[]): IrrPrefix[] {
  if (prefixes.length === 0) return [];
  const family = prefixes[0].family;
  const bits = BigInt(BITS[family]);
  // Work on [start, end] intervals: sort, merge overlapping/adjacent, then cut back into CIDR blocks.
  const ivs = prefixes
    .map((p) => [p.start, prefixEnd(p)] as [bigint, bigint])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const merged: [bigint, bigint][] = [];
  for (const iv of ivs) {
    const last = merged[merged.length - 1];
    if (last && iv[0] <= last[1] + 1n) {
      if (iv[1] > last[1]) last[1] = iv[1];
    } else merged.push([iv[0], iv[1]]);
  }
  const out: IrrPrefix[] = [];
  for (const [s, e] of merged) {
    let cur = s;
    while (cur <= e) {
      let len = bits;
      // grow the block while aligned and inside the interval
      while (len > 0n) {
        const size = 1n << (bits - len + 1n);
        if (cur % size !== 0n || cur + size - 1n > e) break;
        len--;
      }
      out.push({ family, start: cur, length: Number(len) });
      cur += 1n << (bits - len);
    }
  }
  return out;
}
