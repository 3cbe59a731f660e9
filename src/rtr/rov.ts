// Route Origin Validation (RFC 6811) over a VRP set. It searches the set's own sorted canonical keys
// (type, network bytes, prefix length, ...): all VRPs of one exact prefix are adjacent, so finding every
// covering VRP takes one binary search per prefix length present in the set (at most 33 for IPv4, 129
// for IPv6). Nothing is built or copied per serial.
import { PDU } from './pdu-types.js';
import { formatBytePrefix, parseBytePrefix, PrefixError } from './prefix.js';
import { decodeVrpKey, parseAsnValue, RecordError, type Vrp } from './records.js';

export type RovState = 'valid' | 'invalid' | 'not-found';

export interface RovResult {
  prefix: string;
  /** null = no usable origin (e.g. an AS_SET): never matches (RFC 6811 section 2) */
  origin: number | null;
  state: RovState;
  /** covering VRPs that authorise this origin and length */
  matched: Vrp[];
  /** covering VRPs that do not (wrong origin or too long) */
  unmatched: Vrp[];
}

export class RovInputError extends Error {}

export class RovIndex {
  private readonly lengths4: number[];
  private readonly lengths6: number[];

  /** `keys` must be sorted and unique (RecordSet.keys). */
  constructor(private readonly keys: readonly string[]) {
    const l4 = new Set<number>();
    const l6 = new Set<number>();
    for (const k of keys) {
      const t = k.charCodeAt(0);
      if (t === PDU.ipv4Prefix) l4.add(k.charCodeAt(5));
      else if (t === PDU.ipv6Prefix) l6.add(k.charCodeAt(17));
    }
    this.lengths4 = [...l4].sort((a, b) => a - b);
    this.lengths6 = [...l6].sort((a, b) => a - b);
  }

  private lowerBound(s: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < s) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Validates a route. `origin` may be a number, "AS64496", "64496", or null for "no single origin". */
  validateOrigin(prefix: string, origin: number | string | null): RovResult {
    let p;
    try {
      p = parseBytePrefix(prefix);
    } catch (e) {
      throw new RovInputError((e as PrefixError).message);
    }
    if (p.hadHostBits) throw new RovInputError(`prefix "${prefix}" has host bits set`);
    let asn: number | null = null;
    if (origin !== null) {
      try {
        asn = parseAsnValue(origin);
      } catch (e) {
        throw new RovInputError((e as RecordError).message);
      }
    }
    const type: number = p.family === 4 ? PDU.ipv4Prefix : PDU.ipv6Prefix;
    const n = p.family === 4 ? 4 : 16;
    const matched: Vrp[] = [];
    const unmatched: Vrp[] = [];
    for (const len of p.family === 4 ? this.lengths4 : this.lengths6) {
      if (len > p.length) break;
      const codes = [type];
      for (let i = 0; i < n; i++) {
        const keep = Math.max(0, Math.min(8, len - i * 8));
        codes.push(p.bytes[i]! & ((0xff << (8 - keep)) & 0xff));
      }
      codes.push(len);
      const head = String.fromCharCode(...codes);
      for (let i = this.lowerBound(head); i < this.keys.length && this.keys[i]!.startsWith(head); i++) {
        const v = decodeVrpKey(this.keys[i]!);
        // AS 0 VRPs never match (RFC 6483 section 4)
        if (asn !== null && v.asn === asn && v.asn !== 0 && p.length <= v.maxLength) matched.push(v);
        else unmatched.push(v);
      }
    }
    const state: RovState = matched.length > 0 ? 'valid' : unmatched.length > 0 ? 'invalid' : 'not-found';
    return { prefix: formatBytePrefix(p.family, p.bytes, p.length), origin: asn, state, matched, unmatched };
  }
}
