// Byte-level IP prefix parsing and formatting for the RTR hot path (600k VRPs per load).
// src/core works in bigint; here the wire format is bytes, so we parse straight into bytes.

export interface BytePrefix {
  family: 4 | 6;
  /** 4 or 16 bytes, host bits already cleared */
  bytes: number[];
  length: number;
  /** true when the text had host bits set (they are cleared in `bytes`) */
  hadHostBits: boolean;
}

export class PrefixError extends Error {}

function parseV4(text: string, out: number[]): boolean {
  let part = 0;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return false;
    } else if (c === 46) {
      if (digits === 0 || out.length === 3) return false;
      out.push(part);
      part = 0;
      digits = 0;
    } else return false;
  }
  if (digits === 0 || out.length !== 3) return false;
  out.push(part);
  return true;
}

function parseGroups(text: string, groups: number[]): boolean {
  if (text === '') return true;
  const parts = text.split(':');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (i === parts.length - 1 && p.includes('.')) {
      const v4: number[] = [];
      if (!parseV4(p, v4)) return false;
      groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      continue;
    }
    if (p.length === 0 || p.length > 4) return false;
    const v = parseInt(p, 16);
    if (!/^[0-9a-fA-F]+$/.test(p)) return false;
    groups.push(v);
  }
  return true;
}

function parseV6(text: string, out: number[]): boolean {
  const dbl = text.indexOf('::');
  const head: number[] = [];
  const tail: number[] = [];
  if (dbl >= 0) {
    if (text.indexOf('::', dbl + 1) >= 0) return false;
    if (!parseGroups(text.slice(0, dbl), head) || !parseGroups(text.slice(dbl + 2), tail)) return false;
    if (head.length + tail.length > 7) return false;
  } else {
    if (!parseGroups(text, head) || head.length !== 8) return false;
  }
  const groups = [...head, ...new Array(8 - head.length - tail.length).fill(0), ...tail];
  for (const g of groups) out.push(g >> 8, g & 0xff);
  return true;
}

/** Bytes of the last successful parseFast (host bits cleared). */
export const scratch = new Uint8Array(16);
/** Whether the last successful parseFast found host bits set. */
export let scratchHostBits = false;
const groups = new Uint16Array(8);

/**
 * Allocation-free prefix parser for bulk loads: returns (family << 8 | length) with the address in
 * `scratch`, or -1 when the text is not a prefix (parseBytePrefix then says why).
 */
export function parseFast(t: string): number {
  const n = t.length;
  let i = 0;
  let family: 4 | 6;
  if (t.indexOf(':') < 0) {
    family = 4;
    for (let k = 0; k < 4; k++) {
      let v = 0;
      let d = 0;
      for (; i < n; i++) {
        const c = t.charCodeAt(i);
        if (c < 48 || c > 57) break;
        v = v * 10 + (c - 48);
        d++;
      }
      if (d === 0 || d > 3 || v > 255) return -1;
      scratch[k] = v;
      const sep = t.charCodeAt(i++);
      if (sep !== (k === 3 ? 47 : 46)) return -1;
    }
  } else {
    family = 6;
    let count = 0;
    let gap = -1;
    if (t.charCodeAt(0) === 58) {
      if (t.charCodeAt(1) !== 58) return -1;
      gap = 0;
      i = 2;
    }
    for (;;) {
      if (t.charCodeAt(i) === 47) {
        // only "::/n" reaches a "/" here; "a::/n" is handled where the "::" is read
        if (count !== 0 || gap !== 0) return -1;
        i++;
        break;
      }
      if (count === 8) return -1;
      let v = 0;
      let d = 0;
      for (; i < n; i++) {
        const c = t.charCodeAt(i);
        const h = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
        if (h < 0) break;
        v = (v << 4) | h;
        d++;
      }
      if (d === 0 || d > 4) return -1;
      groups[count++] = v;
      const c = t.charCodeAt(i);
      if (c === 47) { i++; break; }
      if (c !== 58) return -1;
      i++;
      if (t.charCodeAt(i) === 58) {
        if (gap >= 0) return -1;
        gap = count;
        i++;
        if (t.charCodeAt(i) === 47) { i++; break; }
      }
    }
    if (gap < 0 ? count !== 8 : count > 7) return -1;
    const zeros = 8 - count;
    for (let g = 0, src = 0; g < 8; g++) {
      const v = gap >= 0 && g >= gap && g < gap + zeros ? 0 : groups[src++]!;
      scratch[g * 2] = v >> 8;
      scratch[g * 2 + 1] = v & 0xff;
    }
  }
  let len = 0;
  let d = 0;
  for (; i < n; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    len = len * 10 + (c - 48);
    if (++d > 3) return -1;
  }
  if (d === 0 || len > (family === 4 ? 32 : 128)) return -1;
  let host = false;
  const nb = family === 4 ? 4 : 16;
  for (let k = 0; k < nb; k++) {
    const keep = len - k * 8;
    const mask = keep >= 8 ? 0xff : keep <= 0 ? 0 : (0xff << (8 - keep)) & 0xff;
    if ((scratch[k]! & ~mask) !== 0) {
      host = true;
      scratch[k] = scratch[k]! & mask;
    }
  }
  scratchHostBits = host;
  return (family << 8) | len;
}

/** Parses "192.0.2.0/24" or "2001:db8::/32". Host bits are cleared and reported, never rejected here. */
export function parseBytePrefix(text: string): BytePrefix {
  if (typeof text !== 'string') throw new PrefixError(`prefix must be a string`);
  const slash = text.indexOf('/');
  if (slash < 0) throw new PrefixError(`prefix "${text}" has no "/length"`);
  const addr = text.slice(0, slash);
  const lenText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(lenText)) throw new PrefixError(`prefix "${text}" has a bad length`);
  const length = Number(lenText);
  const bytes: number[] = [];
  let family: 4 | 6;
  if (addr.includes(':')) {
    family = 6;
    if (!parseV6(addr, bytes)) throw new PrefixError(`"${addr}" is not an IPv6 address`);
  } else {
    family = 4;
    if (!parseV4(addr, bytes)) throw new PrefixError(`"${addr}" is not an IPv4 address`);
  }
  const bits = family === 4 ? 32 : 128;
  if (length > bits) throw new PrefixError(`prefix "${text}": length ${length} exceeds ${bits}`);
  const hadHostBits = clearHostBits(bytes, length);
  return { family, bytes, length, hadHostBits };
}

/** Clears bits after `length`; returns whether any were set. */
export function clearHostBits(bytes: number[], length: number): boolean {
  let had = false;
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, length - i * 8));
    const mask = keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
    if ((bytes[i]! & ~mask) !== 0) had = true;
    bytes[i] = bytes[i]! & mask;
  }
  return had;
}

export function formatAddress(family: 4 | 6, bytes: ArrayLike<number>): string {
  if (family === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((bytes[i]! << 8) | bytes[i + 1]!);
  // RFC 5952: compress the longest run (>= 2) of zero groups, the first one on a tie
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export function formatBytePrefix(family: 4 | 6, bytes: ArrayLike<number>, length: number): string {
  return `${formatAddress(family, bytes)}/${length}`;
}
