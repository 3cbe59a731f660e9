/**
 * Range bounds as 32-bit words (1 per IPv4 address or AS number, 4 per IPv6 address, most significant first)
 * in flat Uint32Arrays, and the binary searches over them that both interval indexes use: comparing plain
 * numbers in contiguous memory is much faster than comparing BigInts held in objects.
 * Keys sort by start ascending, then end descending (the enclosing range first).
 */
const WORD = 0xffffffffn;

/** Splits v into W words in `out`. */
export function toWords(v: bigint, W: number, out: number[]): number[] {
  if (W === 1) out[0] = Number(v);
  else {
    out[0] = Number(v >> 96n);
    out[1] = Number((v >> 64n) & WORD);
    out[2] = Number((v >> 32n) & WORD);
    out[3] = Number(v & WORD);
  }
  return out;
}

/** Splits v into W words stored at `arr[at..]`. */
export function writeWords(v: bigint, W: number, arr: Uint32Array, at: number): void {
  if (W === 1) arr[at] = Number(v);
  else {
    arr[at] = Number(v >> 96n);
    arr[at + 1] = Number((v >> 64n) & WORD);
    arr[at + 2] = Number((v >> 32n) & WORD);
    arr[at + 3] = Number(v & WORD);
  }
}

/** The value held at slot i. */
export function readWords(arr: Uint32Array, W: number, i: number): bigint {
  if (W === 1) return BigInt(arr[i]!);
  const b = i * 4;
  return (BigInt(arr[b]!) << 96n) | (BigInt(arr[b + 1]!) << 64n) | (BigInt(arr[b + 2]!) << 32n) | BigInt(arr[b + 3]!);
}

/** Sign of the comparison of the key at slot i of arr with q. */
export function cmpAt(arr: Uint32Array, W: number, i: number, q: number[]): number {
  if (W === 1) return arr[i]! - q[0]!;
  const base = i * W;
  for (let k = 0; k < W; k++) {
    const d = arr[base + k]! - q[k]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** Number of the first n slots whose start is <= q. */
export function countStartAtMost(s: Uint32Array, W: number, n: number, q: number[]): number {
  let lo = 0;
  let hi = n;
  if (W === 1) {
    const q0 = q[0]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s[mid]! <= q0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmpAt(s, W, mid, q) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of the first n slots sorting before the key (qs, qe) (strict) or not after it (!strict). */
export function countBefore(s: Uint32Array, e: Uint32Array, W: number, n: number, qs: number[], qe: number[], strict: boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = cmpAt(s, W, mid, qs);
    const ce = c === 0 ? cmpAt(e, W, mid, qe) : 0;
    if (c < 0 || (c === 0 && (strict ? ce > 0 : ce >= 0))) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
