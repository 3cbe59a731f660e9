import { FAMILIES, type Family, type NumberRange } from './types.js';
import { cmpAt, countBefore, countStartAtMost, toWords } from './range-words.js';

export interface IndexEntry<T> {
  readonly range: NumberRange;
  readonly value: T;
}

interface Node<T> extends IndexEntry<T> {
  readonly seq: number;
  /** Smallest entry enclosing this one (for equal ranges: the one added earlier), or null at the top. */
  parent: Node<T> | null;
  /** range.end as a number: exact for IPv4 and ASN, where the parent walk compares numbers, not BigInts. */
  readonly endNum: number;
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
 * a short walk up the parent chain (bounded by nesting depth). The sorted sequence is cut into chunks of
 * 2048–4096 entries under a directory of first keys (see Column), so an add or remove moves one chunk, not
 * the whole family.
 *
 * Costs (n entries of the family, k results, d nesting depth):
 *   longestMatch O(log n + d) · lessSpecifics O(log n + d) · exact O(log n + k)
 *   moreSpecifics O(log n + k + d); firstLevel O((k + 1) log n)
 *   add O(log n + d + c + B), where c is the number of entries the new range encloses (they are checked and
 *   re-parented) and B = 4096 the chunk capacity; a chunk split adds O(n / B) for the directory.
 *   remove O(log n + c + B) (+ O(n / B) when a chunk empties or merges), c = the removed entry's descendants.
 *   bulk construction via IntervalIndex.from: O(n log n).
 */
export class IntervalIndex<T> {
  private readonly cols: Record<Family, Column<T>>;
  private seq = 0;

  /** `chunkSize` (entries per chunk, default 512) is there for tests that want to exercise chunk splits. */
  constructor(options: { chunkSize?: number } = {}) {
    const chunk = Math.max(2, options.chunkSize ?? CHUNK);
    this.cols = { ipv4: new Column(1, chunk), ipv6: new Column(4, chunk), asn: new Column(1, chunk) };
  }

  /** Builds an index from many entries at once (sort once instead of inserting one by one). */
  static from<T>(entries: Iterable<IndexEntry<T>>, options: { chunkSize?: number } = {}): IntervalIndex<T> {
    const index = new IntervalIndex<T>(options);
    const by: Record<Family, Node<T>[]> = { ipv4: [], ipv6: [], asn: [] };
    for (const e of entries) by[e.range.family].push({ range: e.range, value: e.value, seq: index.seq++, parent: null, endNum: Number(e.range.end) });
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
    this.cols[range.family].insert({ range, value, seq: this.seq++, parent: null, endNum: Number(range.end) });
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
    for (const f of family ? [family] : FAMILIES) yield* this.cols[f].all();
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

/** Entries per chunk after a bulk build or a split; a chunk splits when it reaches twice that. */
const CHUNK = 2048;

/** A run of consecutive entries (in sort order) with their start/end words in flat Uint32Arrays. */
class Chunk<T> {
  n = 0;
  readonly s: Uint32Array;
  readonly e: Uint32Array;
  /** Slot of each entry's parent when the parent is in this chunk, else -1: walks up stay in typed arrays. */
  readonly up: Int32Array;
  nodes: Node<T>[] = [];

  constructor(readonly W: number, readonly cap: number) {
    this.s = new Uint32Array(cap * W);
    this.e = new Uint32Array(cap * W);
    this.up = new Int32Array(cap);
  }

  /** Recomputes `up` from the nodes' parents: the in-chunk enclosing entries form a stack, as in a build. */
  recomputeUp(): void {
    const stack: number[] = [];
    for (let j = 0; j < this.n; j++) {
      // pop entries ending before j starts (e[top] < s[j])
      while (stack.length > 0 && this.endBeforeStart(stack[stack.length - 1]!, j)) stack.pop();
      const top = stack.length > 0 ? stack[stack.length - 1]! : -1;
      this.up[j] = top >= 0 && this.nodes[top] === this.nodes[j]!.parent ? top : -1;
      stack.push(j);
    }
  }

  private endBeforeStart(a: number, b: number): boolean {
    const W = this.W;
    for (let k = 0; k < W; k++) {
      const d = this.e[a * W + k]! - this.s[b * W + k]!;
      if (d !== 0) return d < 0;
    }
    return false;
  }

  /** Number of entries with start <= q. */
  countStartAtMost(q: number[]): number {
    return countStartAtMost(this.s, this.W, this.n, q);
  }

  /** Number of entries sorting before key (qs, qe) (strict) or not after it (!strict). */
  countBefore(qs: number[], qe: number[], strict: boolean): number {
    return countBefore(this.s, this.e, this.W, this.n, qs, qe, strict);
  }

  /** Opens slot i for node; its `up` is left -1 for the caller to set. */
  insertAt(i: number, node: Node<T>, sw: number[], ew: number[]): void {
    const W = this.W;
    this.s.copyWithin((i + 1) * W, i * W, this.n * W);
    this.e.copyWithin((i + 1) * W, i * W, this.n * W);
    this.up.copyWithin(i + 1, i, this.n);
    for (let k = 0; k < W; k++) {
      this.s[i * W + k] = sw[k]!;
      this.e[i * W + k] = ew[k]!;
    }
    this.nodes.splice(i, 0, node);
    this.n++;
    for (let j = i + 1; j < this.n; j++) if (this.up[j]! >= i) this.up[j]!++;
    this.up[i] = -1;
  }

  /** Removes slot i; entries whose in-chunk parent it was move up to its own in-chunk parent. */
  removeAt(i: number): void {
    const W = this.W;
    const ui = this.up[i]!;
    for (let j = i + 1; j < this.n; j++) if (this.up[j] === i) this.up[j] = ui;
    this.s.copyWithin(i * W, (i + 1) * W, this.n * W);
    this.e.copyWithin(i * W, (i + 1) * W, this.n * W);
    this.up.copyWithin(i, i + 1, this.n);
    this.nodes.splice(i, 1);
    this.n--;
    for (let j = i; j < this.n; j++) if (this.up[j]! > i) this.up[j]!--;
  }

  /** Moves entries from..n-1 to the end of `to`. */
  moveTail(from: number, to: Chunk<T>): void {
    const W = this.W;
    to.s.set(this.s.subarray(from * W, this.n * W), to.n * W);
    to.e.set(this.e.subarray(from * W, this.n * W), to.n * W);
    to.nodes.push(...this.nodes.slice(from));
    to.n += this.n - from;
    this.nodes.length = from;
    this.n = from;
  }
}

/**
 * One family's entries in sort order, cut into chunks of at most CHUNK_MAX (a two-level B+-tree: a
 * directory of each chunk's first key, then the chunk). Keys are 1 word per value for IPv4/ASN and 4 for
 * IPv6, so binary searches compare plain numbers in contiguous memory rather than BigInts; inserting or
 * removing moves at most one chunk's worth of entries plus, on a split or an emptied chunk, the directory.
 */
class Column<T> {
  n = 0;
  private chunks: Chunk<T>[] = [];
  private dirS = new Uint32Array(0);
  private dirE = new Uint32Array(0);
  // scratch word buffers (everything is synchronous, so sharing them is safe)
  private readonly qa: number[];
  private readonly qb: number[];
  private readonly qc: number[];
  // position results of the locate functions
  private pc = 0;
  private pi = 0;

  constructor(readonly W: number, private readonly chunk: number) {
    this.qa = new Array<number>(W).fill(0);
    this.qb = new Array<number>(W).fill(0);
    this.qc = new Array<number>(W).fill(0);
  }

  private words(v: bigint, out: number[]): number[] {
    return toWords(v, this.W, out);
  }

  private newChunk(): Chunk<T> {
    return new Chunk<T>(this.W, 2 * this.chunk);
  }

  private rebuildDirectory(): void {
    const W = this.W;
    this.dirS = new Uint32Array(this.chunks.length * W);
    this.dirE = new Uint32Array(this.chunks.length * W);
    this.chunks.forEach((_, c) => this.refreshDirectory(c));
  }

  private refreshDirectory(c: number): void {
    const W = this.W;
    const ch = this.chunks[c]!;
    for (let k = 0; k < W; k++) {
      this.dirS[c * W + k] = ch.s[k]!;
      this.dirE[c * W + k] = ch.e[k]!;
    }
  }

  *all(): IterableIterator<Node<T>> {
    for (const ch of this.chunks) yield* ch.nodes;
  }

  clear(): void {
    this.chunks = [];
    this.n = 0;
    this.rebuildDirectory();
  }

  build(list: Node<T>[]): void {
    list.sort(compareNodes);
    const stack: Node<T>[] = [];
    for (const node of list) {
      const r = node.range;
      while (stack.length > 0 && stack[stack.length - 1]!.range.end < r.start) stack.pop();
      const top = stack.length > 0 ? stack[stack.length - 1]! : null;
      if (top && top.range.end < r.end) throw new OverlapError(r, top.range);
      node.parent = top;
      stack.push(node);
    }
    this.chunks = [];
    for (let i = 0; i < list.length; i += this.chunk) {
      const ch = this.newChunk();
      for (const node of list.slice(i, i + this.chunk)) {
        ch.insertAt(ch.n, node, this.words(node.range.start, this.qa), this.words(node.range.end, this.qb));
      }
      ch.recomputeUp();
      this.chunks.push(ch);
    }
    this.n = list.length;
    this.rebuildDirectory();
  }

  /** Sets (pc, pi) to the last entry with start <= q; pc = -1 if there is none. */
  private locateStartAtMost(q: number[]): void {
    const lo = countStartAtMost(this.dirS, this.W, this.chunks.length, q);
    this.pc = lo - 1;
    if (lo > 0) this.pi = this.chunks[lo - 1]!.countStartAtMost(q) - 1;
  }

  /**
   * Sets (pc, pi) to the last entry sorting before (qs, qe) when strict, else to the last entry not sorting
   * after it (equal keys included); pc = -1 if there is none.
   */
  private locateBefore(qs: number[], qe: number[], strict: boolean): void {
    const lo = countBefore(this.dirS, this.dirE, this.W, this.chunks.length, qs, qe, strict);
    this.pc = lo - 1;
    if (lo > 0) this.pi = this.chunks[lo - 1]!.countBefore(qs, qe, strict) - 1;
  }

  /** Sets (pc, pi) to the first entry not sorting before (qs, qe); pc = chunks.length past the end. */
  private locateFirstFrom(qs: number[], qe: number[]): void {
    this.locateBefore(qs, qe, true);
    if (this.pc < 0) {
      this.pc = 0;
      this.pi = 0;
    } else {
      this.pi++;
    }
    this.normalize();
  }

  /** Moves (pc, pi) off the end of a chunk to the start of the next one. */
  private normalize(): void {
    while (this.pc < this.chunks.length && this.pi >= this.chunks[this.pc]!.n) {
      this.pc++;
      this.pi = 0;
    }
  }

  private nodeAtPosition(): Node<T> | undefined {
    return this.pc >= 0 && this.pc < this.chunks.length ? this.chunks[this.pc]!.nodes[this.pi] : undefined;
  }

  longestMatch(v: bigint): Node<T> | undefined {
    const q = this.words(v, this.qa);
    this.locateStartAtMost(q);
    if (this.pc < 0) return undefined;
    const ch = this.chunks[this.pc]!;
    let i = this.pi;
    const e = ch.e;
    const up = ch.up;
    // walk up inside the chunk with typed arrays, then (rarely) through parent links of other chunks
    if (this.W === 1) {
      const q0 = q[0]!;
      while (e[i]! < q0) {
        const j = up[i]!;
        if (j < 0) {
          let n = ch.nodes[i]!.parent;
          while (n && n.endNum < q0) n = n.parent;
          return n ?? undefined;
        }
        i = j;
      }
      return ch.nodes[i];
    }
    while (cmpAt(e, 4, i, q) < 0) {
      const j = up[i]!;
      if (j < 0) {
        let n = ch.nodes[i]!.parent;
        while (n && n.range.end < v) n = n.parent;
        return n ?? undefined;
      }
      i = j;
    }
    return ch.nodes[i];
  }

  /** Deepest entry containing r (for equal ranges, the last added). */
  private deepest(r: NumberRange): Node<T> | null {
    this.locateBefore(this.words(r.start, this.qa), this.words(r.end, this.qb), false);
    let n = this.nodeAtPosition() ?? null;
    while (n && n.range.end < r.end) n = n.parent;
    return n;
  }

  containing(r: NumberRange): Node<T>[] {
    const out: Node<T>[] = [];
    for (let n = this.deepest(r); n; n = n.parent) out.push(n);
    return out;
  }

  exact(r: NumberRange): Node<T>[] {
    const out: Node<T>[] = [];
    this.locateFirstFrom(this.words(r.start, this.qa), this.words(r.end, this.qb));
    for (let c = this.pc, i = this.pi; c < this.chunks.length; c++, i = 0) {
      const ch = this.chunks[c]!;
      for (; i < ch.n; i++) {
        const n = ch.nodes[i]!;
        if (n.range.start !== r.start || n.range.end !== r.end) return out;
        out.push(n);
      }
    }
    return out;
  }

  within(r: NumberRange, inclusive: boolean, firstLevel: boolean): Node<T>[] {
    const out: Node<T>[] = [];
    this.locateFirstFrom(this.words(r.start, this.qa), this.words(r.end, this.qb));
    while (this.pc < this.chunks.length) {
      const n = this.chunks[this.pc]!.nodes[this.pi]!;
      if (n.range.start > r.end) break;
      // entries starting inside r but ending beyond it partially overlap the query (never an entry): at
      // most one per nesting level
      const skip = n.range.end > r.end || (!inclusive && n.range.end === r.end && n.range.start === r.start);
      if (!skip) out.push(n);
      if (!skip && firstLevel) {
        // jump over n's descendants: everything after it that starts inside it
        this.locateStartAtMost(this.words(n.range.end, this.qc));
      }
      this.pi++;
      this.normalize();
    }
    return out;
  }

  insert(node: Node<T>): void {
    const { start, end } = node.range;
    const qs = this.words(start, this.qa);
    const qe = this.words(end, this.qb);
    this.locateBefore(qs, qe, false);
    let c = this.pc;
    let i = this.pi + 1; // insertion slot: after every entry not sorting after the new one
    // parent: walk up from the predecessor to the first entry reaching start; it must also reach end
    let anc = this.nodeAtPosition() ?? null;
    while (anc && anc.range.end < start) anc = anc.parent;
    if (anc && anc.range.end < end) throw new OverlapError(node.range, anc.range);
    // entries after the slot that start inside the new range must end inside it; those hanging directly
    // under anc will hang under the new entry
    const adopt: Node<T>[] = [];
    if (c < 0) {
      this.pc = 0;
      this.pi = 0;
    } else {
      this.pi = i;
    }
    this.normalize();
    for (let cc = this.pc, ii = this.pi; cc < this.chunks.length; cc++, ii = 0) {
      const ch = this.chunks[cc]!;
      for (; ii < ch.n; ii++) {
        const n = ch.nodes[ii]!;
        if (n.range.start > end) break;
        if (n.range.end > end) throw new OverlapError(node.range, n.range);
        if (n.parent === anc) adopt.push(n);
      }
      if (ii < ch.n) break;
    }
    node.parent = anc;
    for (const n of adopt) n.parent = node;
    if (this.chunks.length === 0) {
      this.chunks.push(this.newChunk());
      this.dirS = new Uint32Array(this.W);
      this.dirE = new Uint32Array(this.W);
    }
    if (c < 0) {
      c = 0;
      i = 0;
    }
    const ch = this.chunks[c]!;
    ch.insertAt(i, node, qs, qe);
    this.n++;
    // in-chunk links: anc is on the predecessor's in-chunk ancestor chain if it is in this chunk at all;
    // adopted entries in other chunks keep -1 (their parent lies before their chunk either way)
    let a = i - 1;
    while (a >= 0 && ch.nodes[a] !== anc) a = ch.up[a]!;
    ch.up[i] = a;
    for (let j = i + 1; j < ch.n && ch.nodes[j]!.range.start <= end; j++) if (ch.nodes[j]!.parent === node) ch.up[j] = i;
    if (i === 0) this.refreshDirectory(c);
    if (ch.n >= ch.cap) {
      const next = this.newChunk();
      ch.moveTail(this.chunk, next);
      this.chunks.splice(c + 1, 0, next);
      this.rebuildDirectory();
      ch.recomputeUp();
      next.recomputeUp();
    }
  }

  removeExact(r: NumberRange, match: (v: T) => boolean): number {
    let removed = 0;
    const qs = this.words(r.start, this.qa);
    const qe = this.words(r.end, this.qb);
    this.locateFirstFrom(qs, qe);
    while (this.pc < this.chunks.length) {
      const n = this.chunks[this.pc]!.nodes[this.pi]!;
      if (n.range.start !== r.start || n.range.end !== r.end) break;
      if (match(n.value)) {
        this.removeAt(this.pc, this.pi);
        removed++;
        this.locateFirstFrom(qs, qe); // kept (non-matching) equal entries are passed over again
      } else {
        this.pi++;
        this.normalize();
      }
    }
    return removed;
  }

  private removeAt(c: number, i: number): void {
    const ch = this.chunks[c]!;
    const node = ch.nodes[i]!;
    // its children move up to its parent
    // children in other chunks keep up = -1: their new parent lies before their chunk too
    scan: for (let cc = c, ii = i + 1; cc < this.chunks.length; cc++, ii = 0) {
      const x = this.chunks[cc]!;
      for (; ii < x.n; ii++) {
        const n = x.nodes[ii]!;
        if (n.range.start > node.range.end) break scan;
        if (n.parent === node) n.parent = node.parent;
      }
    }
    ch.removeAt(i);
    this.n--;
    const next = this.chunks[c + 1];
    if (ch.n === 0) {
      this.chunks.splice(c, 1);
      this.rebuildDirectory();
    } else if (ch.n <= this.chunk / 4 && next && ch.n + next.n < ch.cap) {
      next.moveTail(0, ch);
      this.chunks.splice(c + 1, 1);
      this.rebuildDirectory();
      ch.recomputeUp();
    } else if (i === 0) {
      this.refreshDirectory(c);
    }
  }
}
