import { FAMILIES, type Family, type NumberRange } from './types.js';

export interface IndexEntry<T> {
  readonly range: NumberRange;
  readonly value: T;
}

interface Node<T> extends IndexEntry<T> {
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
  private readonly cols: Record<Family, Column<T>> = { ipv4: new Column(1), ipv6: new Column(4), asn: new Column(1) };
  private seq = 0;

  /** Builds an index from many entries at once (sort once instead of inserting one by one). */
  static from<T>(entries: Iterable<IndexEntry<T>>): IntervalIndex<T> {
    const index = new IntervalIndex<T>();
    const by: Record<Family, Node<T>[]> = { ipv4: [], ipv6: [], asn: [] };
    for (const e of entries) by[e.range.family].push({ range: e.range, value: e.value, seq: index.seq++ });
    for (const f of FAMILIES) index.cols[f].build(by[f]);
    return index;
  }

  get size(): number {
    return this.cols.ipv4.n + this.cols.ipv6.n + this.cols.asn.n;
  }

  sizeOf(family: Family): number {
    return this.cols[family].n;
  }

  /** Adds an entry; throws OverlapError (and changes nothing) if it partially overlaps an existing one. */
  add(range: NumberRange, value: T): void {
    if (range.start > range.end) throw new RangeError(`range start ${range.start} is above end ${range.end}`);
    this.cols[range.family].insert({ range, value, seq: this.seq++ });
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
    return this.cols[family].longestMatch(value);
  }

  /** Entries whose range contains `range`, least specific first; equal ranges only if `inclusive`. */
  lessSpecifics(range: NumberRange, options: SpecificsOptions = {}): IndexEntry<T>[] {
    const out: IndexEntry<T>[] = [];
    for (const n of this.cols[range.family].containing(range)) {
      if (options.inclusive || n.range.start !== range.start || n.range.end !== range.end) out.push(n);
    }
    return out.reverse();
  }

  /** Entries whose range lies within `range`, in sort order (start asc, enclosing first). */
  moreSpecifics(range: NumberRange, options: MoreSpecificsOptions = {}): IndexEntry<T>[] {
    return this.cols[range.family].within(range, options.inclusive ?? false, options.firstLevel ?? false);
  }

  /** Entries with exactly this range, in insertion order. */
  exact(range: NumberRange): IndexEntry<T>[] {
    return this.cols[range.family].exact(range);
  }

  /** All entries of a family (or all families) in sort order. */
  *entries(family?: Family): IterableIterator<IndexEntry<T>> {
    for (const f of family ? [family] : FAMILIES) yield* this.cols[f].nodes;
  }

  clear(): void {
    for (const f of FAMILIES) this.cols[f].clear();
  }
}

function compareNodes<T>(a: Node<T>, b: Node<T>): number {
  if (a.range.start !== b.range.start) return a.range.start < b.range.start ? -1 : 1;
  if (a.range.end !== b.range.end) return a.range.end > b.range.end ? -1 : 1;
  return a.seq - b.seq;
}

const WORD = 0xffffffffn;

/**
 * One family's entries in sort order. Starts and ends live in flat Uint32Arrays (1 word per value for
 * IPv4/ASN, 4 for IPv6) so binary searches touch contiguous memory and compare plain numbers, not BigInts;
 * par[i] is the index of entry i's parent (smallest enclosing entry; for equal ranges the earlier one) or -1.
 */
class Column<T> {
  readonly W: number;
  n = 0;
  nodes: Node<T>[] = [];
  private cap = 0;
  private s = new Uint32Array(0);
  private e = new Uint32Array(0);
  private par = new Int32Array(0);
  // scratch word buffers (look-ups are synchronous, so sharing them is safe)
  private readonly qa: number[];
  private readonly qb: number[];
  private readonly qc: number[];

  constructor(words: number) {
    this.W = words;
    this.qa = new Array<number>(words).fill(0);
    this.qb = new Array<number>(words).fill(0);
    this.qc = new Array<number>(words).fill(0);
  }

  private words(v: bigint, out: number[]): number[] {
    if (this.W === 1) {
      out[0] = Number(v);
    } else {
      out[0] = Number(v >> 96n);
      out[1] = Number((v >> 64n) & WORD);
      out[2] = Number((v >> 32n) & WORD);
      out[3] = Number(v & WORD);
    }
    return out;
  }

  private cmp(arr: Uint32Array, i: number, q: number[]): number {
    const W = this.W;
    if (W === 1) return arr[i]! - q[0]!;
    const base = i * W;
    for (let k = 0; k < W; k++) {
      const d = arr[base + k]! - q[k]!;
      if (d !== 0) return d;
    }
    return 0;
  }

  private readWords(arr: Uint32Array, i: number, out: number[]): number[] {
    for (let k = 0; k < this.W; k++) out[k] = arr[i * this.W + k]!;
    return out;
  }

  private ensureCapacity(need: number): void {
    if (need <= this.cap) return;
    const cap = Math.max(need, this.cap * 2, 16);
    const s = new Uint32Array(cap * this.W);
    const e = new Uint32Array(cap * this.W);
    const par = new Int32Array(cap);
    s.set(this.s.subarray(0, this.n * this.W));
    e.set(this.e.subarray(0, this.n * this.W));
    par.set(this.par.subarray(0, this.n));
    this.s = s;
    this.e = e;
    this.par = par;
    this.cap = cap;
  }

  private writeSlot(i: number, r: NumberRange): void {
    const a = this.words(r.start, this.qc);
    for (let k = 0; k < this.W; k++) this.s[i * this.W + k] = a[k]!;
    const b = this.words(r.end, this.qc);
    for (let k = 0; k < this.W; k++) this.e[i * this.W + k] = b[k]!;
  }

  build(list: Node<T>[]): void {
    list.sort(compareNodes);
    this.n = 0;
    this.ensureCapacity(list.length);
    const stack: number[] = [];
    for (let i = 0; i < list.length; i++) {
      const r = list[i]!.range;
      while (stack.length > 0 && list[stack[stack.length - 1]!]!.range.end < r.start) stack.pop();
      const top = stack.length > 0 ? stack[stack.length - 1]! : -1;
      if (top >= 0 && list[top]!.range.end < r.end) throw new OverlapError(r, list[top]!.range);
      this.par[i] = top;
      this.writeSlot(i, r);
      stack.push(i);
    }
    this.nodes = list;
    this.n = list.length;
  }

  clear(): void {
    this.nodes = [];
    this.n = 0;
  }

  /** Number of entries whose start <= q. */
  private countStartAtMost(q: number[]): number {
    let lo = 0;
    let hi = this.n;
    if (this.W === 1) {
      const s = this.s;
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
      if (this.cmp(this.s, mid, q) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First index whose (start asc, end desc) key is not before (qs, qe): the first equal-or-later entry. */
  private lowerBound(qs: number[], qe: number[]): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.cmp(this.s, mid, qs);
      if (c < 0 || (c === 0 && this.cmp(this.e, mid, qe) > 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First index after every entry equal to (qs, qe). */
  private upperBound(qs: number[], qe: number[]): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.cmp(this.s, mid, qs);
      if (c < 0 || (c === 0 && this.cmp(this.e, mid, qe) >= 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  longestMatch(v: bigint): Node<T> | undefined {
    const q = this.words(v, this.qa);
    let i = this.countStartAtMost(q) - 1;
    while (i >= 0 && this.cmp(this.e, i, q) < 0) i = this.par[i]!;
    return i >= 0 ? this.nodes[i] : undefined;
  }

  /** Index of the deepest entry containing [start, end] (for equal ranges, the last added), or -1. */
  private deepest(qs: number[], qe: number[]): number {
    let i = this.upperBound(qs, qe) - 1;
    while (i >= 0 && this.cmp(this.e, i, qe) < 0) i = this.par[i]!;
    return i;
  }

  containing(r: NumberRange): Node<T>[] {
    const out: Node<T>[] = [];
    for (let i = this.deepest(this.words(r.start, this.qa), this.words(r.end, this.qb)); i >= 0; i = this.par[i]!) out.push(this.nodes[i]!);
    return out;
  }

  exact(r: NumberRange): Node<T>[] {
    const qs = this.words(r.start, this.qa);
    const qe = this.words(r.end, this.qb);
    const out: Node<T>[] = [];
    for (let i = this.lowerBound(qs, qe); i < this.n && this.cmp(this.s, i, qs) === 0 && this.cmp(this.e, i, qe) === 0; i++) {
      out.push(this.nodes[i]!);
    }
    return out;
  }

  within(r: NumberRange, inclusive: boolean, firstLevel: boolean): Node<T>[] {
    const qs = this.words(r.start, this.qa);
    const qe = this.words(r.end, this.qb);
    const out: Node<T>[] = [];
    let i = this.lowerBound(qs, qe);
    while (i < this.n && this.cmp(this.s, i, qe) <= 0) {
      // entries starting inside r but ending beyond it partially overlap r (a query, not an entry); at
      // most one per nesting level
      const ce = this.cmp(this.e, i, qe);
      if (ce > 0 || (!inclusive && ce === 0 && this.cmp(this.s, i, qs) === 0)) {
        i++;
        continue;
      }
      out.push(this.nodes[i]!);
      // skip i's descendants: everything after it that starts inside it
      i = firstLevel ? this.countStartAtMost(this.readWords(this.e, i, this.qc)) : i + 1;
    }
    return out;
  }

  insert(node: Node<T>): void {
    const qs = this.words(node.range.start, this.qa);
    const qe = this.words(node.range.end, this.qb);
    const p = this.upperBound(qs, qe);
    // parent: walk up from the entry before p to the first that reaches start; it must also reach end
    let anc = p - 1;
    while (anc >= 0 && this.cmp(this.e, anc, qs) < 0) anc = this.par[anc]!;
    if (anc >= 0 && this.cmp(this.e, anc, qe) < 0) throw new OverlapError(node.range, this.nodes[anc]!.range);
    // entries after p that start inside the new range must end inside it
    let q = p;
    for (; q < this.n && this.cmp(this.s, q, qe) <= 0; q++) {
      if (this.cmp(this.e, q, qe) > 0) throw new OverlapError(node.range, this.nodes[q]!.range);
    }
    this.ensureCapacity(this.n + 1);
    const par = this.par;
    for (let j = 0; j < this.n; j++) if (par[j]! >= p) par[j]!++;
    const W = this.W;
    this.s.copyWithin((p + 1) * W, p * W, this.n * W);
    this.e.copyWithin((p + 1) * W, p * W, this.n * W);
    par.copyWithin(p + 1, p, this.n);
    this.nodes.splice(p, 0, node);
    this.n++;
    this.writeSlot(p, node.range);
    par[p] = anc;
    // the entries it now encloses (old p..q-1, now p+1..q) that hung directly under anc move under it
    for (let j = p + 1; j <= q; j++) if (par[j] === anc) par[j] = p;
  }

  removeExact(r: NumberRange, match: (v: T) => boolean): number {
    const qs = this.words(r.start, this.qa);
    const qe = this.words(r.end, this.qb);
    let removed = 0;
    let i = this.lowerBound(qs, qe);
    while (i < this.n && this.cmp(this.s, i, qs) === 0 && this.cmp(this.e, i, qe) === 0) {
      if (match(this.nodes[i]!.value)) {
        this.removeAt(i);
        removed++;
      } else {
        i++;
      }
    }
    return removed;
  }

  private removeAt(i: number): void {
    const par = this.par;
    const up = par[i]!;
    const end = this.readWords(this.e, i, this.qc);
    for (let j = i + 1; j < this.n && this.cmp(this.s, j, end) <= 0; j++) if (par[j] === i) par[j] = up;
    const W = this.W;
    this.s.copyWithin(i * W, (i + 1) * W, this.n * W);
    this.e.copyWithin(i * W, (i + 1) * W, this.n * W);
    par.copyWithin(i, i + 1, this.n);
    this.nodes.splice(i, 1);
    this.n--;
    for (let j = 0; j < this.n; j++) if (par[j]! > i) par[j]!--;
  }
}
