import { parseResourceList } from './parse.js';
import { formatRange, isValidRange, rangeToPrefixes } from './range.js';
import { FAMILIES, type Family, type NumberRange, type Prefix } from './types.js';

type Lists = Readonly<Record<Family, readonly NumberRange[]>>;

const EMPTY_LISTS: Lists = { ipv4: [], ipv6: [], asn: [] };

/**
 * An immutable set of number resources (the RFC 3779 shape): per family a sorted list of disjoint,
 * non-adjacent ranges. Every operation is a linear merge of those lists.
 */
export class ResourceSet {
  static readonly EMPTY = new ResourceSet(EMPTY_LISTS);

  private constructor(private readonly lists: Lists) {}

  static fromRanges(ranges: Iterable<NumberRange>): ResourceSet {
    const by: Record<Family, NumberRange[]> = { ipv4: [], ipv6: [], asn: [] };
    for (const r of ranges) {
      if (!isValidRange(r)) throw new RangeError(`invalid ${r.family} range ${r.start}..${r.end}`);
      by[r.family].push({ family: r.family, start: r.start, end: r.end });
    }
    return new ResourceSet({ ipv4: normalize(by.ipv4), ipv6: normalize(by.ipv6), asn: normalize(by.asn) });
  }

  static of(...ranges: NumberRange[]): ResourceSet {
    return ResourceSet.fromRanges(ranges);
  }

  /** Parses a comma- or newline-separated list ("192.0.2.0/24, AS64496 - AS64511"). */
  static parse(text: string): ResourceSet {
    return ResourceSet.fromRanges(parseResourceList(text));
  }

  isEmpty(family?: Family): boolean {
    return family ? this.lists[family].length === 0 : FAMILIES.every((f) => this.lists[f].length === 0);
  }

  /** The merged ranges, sorted; all families (ipv4, ipv6, asn) when no family is given. */
  ranges(family?: Family): NumberRange[] {
    return family ? [...this.lists[family]] : FAMILIES.flatMap((f) => this.lists[f]);
  }

  /** Minimal CIDR prefixes of the IPv4 or IPv6 part. */
  prefixes(family: 'ipv4' | 'ipv6'): Prefix[] {
    return this.lists[family].flatMap(rangeToPrefixes);
  }

  /** Number of addresses / AS numbers of one family. */
  size(family: Family): bigint {
    let n = 0n;
    for (const r of this.lists[family]) n += r.end - r.start + 1n;
    return n;
  }

  union(other: ResourceSet): ResourceSet {
    return this.combine(other, (a, b) => normalize([...a, ...b]));
  }

  intersect(other: ResourceSet): ResourceSet {
    return this.combine(other, intersectLists);
  }

  subtract(other: ResourceSet): ResourceSet {
    return this.combine(other, subtractLists);
  }

  /** Whether every value of `x` (a range or a set) is in this set. */
  contains(x: NumberRange | ResourceSet): boolean {
    const other = x instanceof ResourceSet ? x : ResourceSet.fromRanges([x]);
    return other.subtract(this).isEmpty();
  }

  containsValue(family: Family, value: bigint): boolean {
    const list = this.lists[family];
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = list[mid]!;
      if (value < r.start) hi = mid - 1;
      else if (value > r.end) lo = mid + 1;
      else return true;
    }
    return false;
  }

  overlaps(x: NumberRange | ResourceSet): boolean {
    const other = x instanceof ResourceSet ? x : ResourceSet.fromRanges([x]);
    return !this.intersect(other).isEmpty();
  }

  equals(other: ResourceSet): boolean {
    return FAMILIES.every((f) => {
      const a = this.lists[f];
      const b = other.lists[f];
      return a.length === b.length && a.every((r, i) => r.start === b[i]!.start && r.end === b[i]!.end);
    });
  }

  /** "192.0.2.0/24, 198.51.100.0 - 198.51.100.10, 2001:db8::/32, AS64496 - AS64511"; empty set: "". */
  toString(): string {
    return this.ranges().map(formatRange).join(', ');
  }

  toJSON(): string[] {
    return this.ranges().map(formatRange);
  }

  private combine(other: ResourceSet, op: (a: readonly NumberRange[], b: readonly NumberRange[]) => readonly NumberRange[]): ResourceSet {
    return new ResourceSet({
      ipv4: op(this.lists.ipv4, other.lists.ipv4),
      ipv6: op(this.lists.ipv6, other.lists.ipv6),
      asn: op(this.lists.asn, other.lists.asn),
    });
  }
}

/** Sorts and merges overlapping or adjacent ranges (all of one family). */
function normalize(list: NumberRange[]): NumberRange[] {
  if (list.length < 2) return list;
  const sorted = [...list].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: NumberRange[] = [];
  let cur = sorted[0]!;
  for (let i = 1; i < sorted.length; i++) {
    const r = sorted[i]!;
    if (r.start <= cur.end + 1n) {
      if (r.end > cur.end) cur = { family: cur.family, start: cur.start, end: r.end };
    } else {
      out.push(cur);
      cur = r;
    }
  }
  out.push(cur);
  return out;
}

function intersectLists(a: readonly NumberRange[], b: readonly NumberRange[]): NumberRange[] {
  const out: NumberRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const start = x.start > y.start ? x.start : y.start;
    const end = x.end < y.end ? x.end : y.end;
    if (start <= end) out.push({ family: x.family, start, end });
    if (x.end < y.end) i++;
    else j++;
  }
  return out;
}

function subtractLists(a: readonly NumberRange[], b: readonly NumberRange[]): NumberRange[] {
  const out: NumberRange[] = [];
  let j = 0;
  for (const x of a) {
    let start = x.start;
    while (j < b.length && b[j]!.end < start) j++;
    let k = j;
    while (k < b.length && b[k]!.start <= x.end) {
      const y = b[k]!;
      if (y.start > start) out.push({ family: x.family, start, end: y.start - 1n });
      if (y.end >= x.end) { start = x.end + 1n; break; }
      start = y.end + 1n;
      k++;
    }
    if (start <= x.end) out.push({ family: x.family, start, end: x.end });
  }
  return out;
}
