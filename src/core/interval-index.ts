import { FAMILIES, type Family, type NumberRange } from './types.js';

export interface IndexEntry<T> {
  readonly range: NumberRange;
  readonly value: T;
}

interface Node<T> extends IndexEntry<T> {
  /** Smallest entry enclosing this one (for equal ranges: the one added earlier), or null at the top. */
  parent: Node<T> | null;
  readonly seq: number;
}

export interface SpecificsOptions {
  /** Include entries whose range equals the query range (default false). */
  inclusive?: boolean;
}

export interface MoreSpecificsOptions extends SpecificsOptions {
  /** Only the first level below the query range (whois -m), not all descendants (whois -M). */
  firstLevel?: boolean;
}

export class OverlapError extends Error {
  constructor(readonly range: NumberRange, readonly existing: NumberRange) {
    super(`range ${range.start}..${range.end} partially overlaps existing ${existing.start}..${existing.end} (${range.family})`);
    this.name = 'OverlapError';
  }
}

/**
 * In-memory index of number ranges that are nested or disjoint, never partially overlapping (the shape of a
 * delegation tree). Equal ranges may repeat (an assignment covering its whole allocation): the later one
 * counts as nested inside the earlier.
 *
 * Layout per family: entries sorted by (start asc, end desc, insertion asc) plus each entry's parent
 * (smallest enclosing entry). Because the ranges form a tree, the entry that sorts last with start <= v is
 * either the deepest entry containing v or a descendant of it, so a longest match is one binary search plus
 * a short walk up the parent chain (bounded by nesting depth).
 *
 * Costs (n entries of the family, k results, d nesting depth):
 *   longestMatch O(log n + d) · lessSpecifics O(log n + d) · exact O(log n + k)
 *   moreSpecifics O(log n + k + d); firstLevel O((k + 1) log n)
 *   add O(log n + d + c) plus an O(n) array insert (memmove: about a millisecond at 1M entries), where c is
 *   the number of entries the new range encloses (they are re-parented); remove likewise.
 *   bulk construction via IntervalIndex.from: O(n log n).
 */
export class IntervalIndex<T> {
  private readonly cols: Record<Family, Column<T>> = { ipv4: new Column(), ipv6: new Column(), asn: new Column() };
  private seq = 0;

  /** Builds an index from many entries at once (sort once instead of inserting one by one). */
  static from<T>(entries: Iterable<IndexEntry<T>>): IntervalIndex<T> {
    const index = new IntervalIndex<T>();
    const by: Record<Family, Node<T>[]> = { ipv4: [], ipv6: [], asn: [] };
    for (const e of entries) by[e.range.family].push({ range: e.range, value: e.value, parent: null, seq: index.seq++ });
    for (const f of FAMILIES) index.cols[f].build(by[f]);
    return index;
  }

  get size(): number {
    return this.cols.ipv4.nodes.length + this.cols.ipv6.nodes.length + this.cols.asn.nodes.length;
  }

  sizeOf(family: Family): number {
    return this.cols[family].nodes.length;
  }

  /** Adds an entry; throws OverlapError (and changes nothing) if it partially overlaps an existing one. */
  add(range: NumberRange, value: T): void {
    if (range.start > range.end) throw new RangeError(`range start ${range.start} is above end ${range.end}`);
    this.cols[range.family].insert({ range, value, parent: null, seq: this.seq++ });
  }

  /**
   * Removes entries with exactly this range (and, if given, this value by ===, or matching the predicate).
   * Returns how many were removed.
   */
  remove(range: NumberRange, value?: T | ((v: T) => boolean)): number {
    const match = value === undefined ? () => true : typeof value === 'function' ? (value as (v: T) => boolean) : (v: T) => v === value;
    return this.cols[range.family].removeExact(range, match);
  }

  /** The most specific entry containing the value (among equal ranges, the last added), if any. */
  longestMatch(family: Family, value: bigint): IndexEntry<T> | undefined {
    return this.cols[family].deepestContaining(value, value) ?? undefined;
  }

  /** Entries whose range contains `range`, least specific first; equal ranges only if `inclusive`. */
  lessSpecifics(range: NumberRange, options: SpecificsOptions = {}): IndexEntry<T>[] {
    const out: IndexEntry<T>[] = [];
    for (let n = this.cols[range.family].deepestContaining(range.start, range.end); n; n = n.parent) {
      if (options.inclusive || n.range.start !== range.start || n.range.end !== range.end) out.push(n);
    }
    return out.reverse();
  }

  /** Entries whose range lies within `range`, in sort order (start asc, enclosing first). */
  moreSpecifics(range: NumberRange, options: MoreSpecificsOptions = {}): IndexEntry<T>[] {
    return this.cols[range.family].within(range.start, range.end, options.inclusive ?? false, options.firstLevel ?? false);
  }

  /** Entries with exactly this range, in insertion order. */
  exact(range: NumberRange): IndexEntry<T>[] {
    const col = this.cols[range.family];
    const out: IndexEntry<T>[] = [];
    for (let i = col.lowerBound(range.start, range.end); i < col.nodes.length; i++) {
      const n = col.nodes[i]!;
      if (n.range.start !== range.start || n.range.end !== range.end) break;
      out.push(n);
    }
    return out;
  }

  /** All entries of a family (or all families) in sort order. */
  *entries(family?: Family): IterableIterator<IndexEntry<T>> {
    for (const f of family ? [family] : FAMILIES) yield* this.cols[f].nodes;
  }

  clear(): void {
    for (const f of FAMILIES) this.cols[f].nodes.length = 0;
  }
}

function compareNodes<T>(a: Node<T>, b: Node<T>): number {
  if (a.range.start !== b.range.start) return a.range.start < b.range.start ? -1 : 1;
  if (a.range.end !== b.range.end) return a.range.end > b.range.end ? -1 : 1;
  return a.seq - b.seq;
}

class Column<T> {
  nodes: Node<T>[] = [];

  build(list: Node<T>[]): void {
    list.sort(compareNodes);
    const stack: Node<T>[] = [];
    for (let i = 0; i < list.length; i++) {
      const n = list[i]!;
      while (stack.length > 0 && stack[stack.length - 1]!.range.end < n.range.start) stack.pop();
      const top = stack[stack.length - 1];
      if (top && top.range.end < n.range.end) throw new OverlapError(n.range, top.range);
      n.parent = top ?? null;
      stack.push(n);
    }
    this.nodes = list;
  }

  /** First index whose key is >= (start, end) with end descending, i.e. the first entry equal to or after it. */
  lowerBound(start: bigint, end: bigint): number {
    const a = this.nodes;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const r = a[mid]!.range;
      if (r.start < start || (r.start === start && r.end > end)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First index whose key sorts after every entry equal to (start, end). */
  upperBound(start: bigint, end: bigint): number {
    const a = this.nodes;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const r = a[mid]!.range;
      if (r.start < start || (r.start === start && r.end >= end)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Number of entries with start <= v. */
  private countStartAtMost(v: bigint): number {
    const a = this.nodes;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid]!.range.start <= v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Deepest entry containing [start, end] (for equal ranges, the last added). */
  deepestContaining(start: bigint, end: bigint): Node<T> | null {
    const i = start === end ? this.countStartAtMost(start) - 1 : this.upperBound(start, end) - 1;
    let n: Node<T> | null = i >= 0 ? this.nodes[i]! : null;
    while (n && n.range.end < end) n = n.parent;
    return n;
  }

  within(start: bigint, end: bigint, inclusive: boolean, firstLevel: boolean): Node<T>[] {
    const out: Node<T>[] = [];
    const a = this.nodes;
    let i = this.lowerBound(start, end);
    while (i < a.length) {
      const n = a[i]!;
      if (n.range.start > end) break;
      if (n.range.end > end || (!inclusive && n.range.start === start && n.range.end === end)) {
        i++;
        continue;
      }
      out.push(n);
      if (firstLevel) {
        // skip n's descendants: everything after it that starts inside it
        i = this.countStartAtMost(n.range.end);
        continue;
      }
      i++;
    }
    return out;
  }

  insert(node: Node<T>): void {
    const { start, end } = node.range;
    const p = this.upperBound(start, end);
    // parent: walk up from the entry before p to the first one reaching start; it must also reach end
    let anc: Node<T> | null = p > 0 ? this.nodes[p - 1]! : null;
    while (anc && anc.range.end < start) anc = anc.parent;
    if (anc && anc.range.end < end) throw new OverlapError(node.range, anc.range);
    // entries after p starting inside the new range must end inside it too
    let q = p;
    for (; q < this.nodes.length; q++) {
      const n = this.nodes[q]!;
      if (n.range.start > end) break;
      if (n.range.end > end) throw new OverlapError(node.range, n.range);
    }
    node.parent = anc;
    for (let i = p; i < q; i++) {
      const n = this.nodes[i]!;
      if (n.parent === anc) n.parent = node;
    }
    this.nodes.splice(p, 0, node);
  }

  removeExact(range: NumberRange, match: (v: T) => boolean): number {
    let removed = 0;
    let i = this.lowerBound(range.start, range.end);
    while (i < this.nodes.length) {
      const n = this.nodes[i]!;
      if (n.range.start !== range.start || n.range.end !== range.end) break;
      if (!match(n.value)) {
        i++;
        continue;
      }
      for (let j = i + 1; j < this.nodes.length; j++) {
        const c = this.nodes[j]!;
        if (c.range.start > n.range.end) break;
        if (c.parent === n) c.parent = n.parent;
      }
      this.nodes.splice(i, 1);
      removed++;
    }
    return removed;
  }
}
