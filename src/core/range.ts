import { formatAsn } from './asn.js';
import { formatIp } from './ip.js';
import { formatPrefix, rangeToPrefix } from './prefix.js';
import { FAMILY_BITS, FAMILY_MAX, type Family, type NumberRange, type Prefix } from './types.js';

/** Builds a range, checking start <= end and both within the family's space. */
export function makeRange(family: Family, start: bigint, end: bigint = start): NumberRange {
  if (start < 0n || end > FAMILY_MAX[family] || start > end) {
    throw new RangeError(`invalid ${family} range ${start}..${end}`);
  }
  return { family, start, end };
}

export function isValidRange(r: NumberRange): boolean {
  return r.start >= 0n && r.start <= r.end && r.end <= FAMILY_MAX[r.family];
}

/** Number of values in the range (addresses or AS numbers). */
export function rangeSize(r: NumberRange): bigint {
  return r.end - r.start + 1n;
}

export function rangeContainsValue(r: NumberRange, family: Family, value: bigint): boolean {
  return r.family === family && r.start <= value && value <= r.end;
}

/** Whether `inner` lies entirely within `outer` (equal ranges count). */
export function rangeContains(outer: NumberRange, inner: NumberRange): boolean {
  return outer.family === inner.family && outer.start <= inner.start && inner.end <= outer.end;
}

export function rangesOverlap(a: NumberRange, b: NumberRange): boolean {
  return a.family === b.family && a.start <= b.end && b.start <= a.end;
}

export function rangesEqual(a: NumberRange, b: NumberRange): boolean {
  return a.family === b.family && a.start === b.start && a.end === b.end;
}

/** Ordering: family (ipv4, ipv6, asn), then start ascending, then end descending (enclosing before enclosed). */
export function compareRanges(a: NumberRange, b: NumberRange): number {
  if (a.family !== b.family) return FAMILY_ORDER[a.family] - FAMILY_ORDER[b.family];
  if (a.start !== b.start) return a.start < b.start ? -1 : 1;
  if (a.end !== b.end) return a.end > b.end ? -1 : 1;
  return 0;
}

export const FAMILY_ORDER: Readonly<Record<Family, number>> = { ipv4: 0, ipv6: 1, asn: 2 };

/** Number of trailing zero bits of v (v > 0), capped at `cap`. */
function trailingZeros(v: bigint, cap: number): number {
  if (v === 0n) return cap;
  let n = 0;
  while (n < cap && (v & (1n << BigInt(n))) === 0n) n++;
  return n;
}

/**
 * The minimal list of CIDR prefixes covering exactly the range, in address order
 * (192.0.2.0 - 192.0.3.127 → 192.0.2.0/24, 192.0.3.0/25). Greedy: at each step take the largest block that
 * is aligned at the current start and does not pass the end; that choice is forced, hence minimal.
 */
export function rangeToPrefixes(r: NumberRange): Prefix[] {
  if (r.family === 'asn') throw new TypeError('AS number ranges have no prefixes');
  if (!isValidRange(r)) throw new RangeError(`invalid ${r.family} range ${r.start}..${r.end}`);
  const bits = FAMILY_BITS[r.family];
  const out: Prefix[] = [];
  let start = r.start;
  while (start <= r.end) {
    const remaining = r.end - start + 1n;
    let host = trailingZeros(start, bits);
    // largest power of two not above `remaining`
    const fit = remaining.toString(2).length - 1;
    if (fit < host) host = fit;
    out.push({ family: r.family, start, length: bits - host });
    start += 1n << BigInt(host);
  }
  return out;
}

/** Text of a range: CIDR when it is exactly one prefix, else "a - b"; AS ranges "AS1" or "AS1 - AS5". */
export function formatRange(r: NumberRange): string {
  if (r.family === 'asn') return r.start === r.end ? formatAsn(r.start) : `${formatAsn(r.start)} - ${formatAsn(r.end)}`;
  const p = rangeToPrefix(r);
  if (p) return formatPrefix(p);
  return `${formatIp(r.family, r.start)} - ${formatIp(r.family, r.end)}`;
}

/** Always "a - b" (or the single value), never CIDR: for places that show both ends. */
export function formatRangeEnds(r: NumberRange): string {
  const f = (v: bigint) => (r.family === 'asn' ? formatAsn(v) : formatIp(r.family, v));
  return r.start === r.end ? f(r.start) : `${f(r.start)} - ${f(r.end)}`;
}

/** PostgreSQL numrange literal of the inclusive range, as stored in delegation.rng: '[start,end]'. */
export function toNumrangeLiteral(r: NumberRange): string {
  return `[${r.start},${r.end}]`;
}

/**
 * The range of a PostgreSQL numrange value as the database returns it ('[1,5]', '[1,6)', '(0,5]'), with
 * the family it belongs to. Unbounded or empty ranges are refused.
 */
export function fromNumrangeLiteral(family: Family, text: string): NumberRange {
  const m = /^([[(])\s*(\d+)\s*,\s*(\d+)\s*([\])])$/.exec(text.trim());
  if (!m) throw new RangeError(`not a bounded numrange: ${JSON.stringify(text)}`);
  const start = BigInt(m[2]!) + (m[1] === '(' ? 1n : 0n);
  const end = BigInt(m[3]!) - (m[4] === ')' ? 1n : 0n);
  return makeRange(family, start, end);
}
