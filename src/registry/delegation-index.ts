/**
 * Every delegation of the registry view, queryable by range and by id, in two layers:
 *  - the base, built once at load: records in DelegationRecords and per-family StaticIntervalColumns, all
 *    off the JavaScript heap;
 *  - the overlay, what the change feed brought since: an IntervalIndex of ordinary objects. A change to a
 *    base delegation marks its slot dead and puts the new version in the overlay.
 * The overlay is not folded back into the base while the process runs (a restart does that); at a registry's
 * change rate, thousands of changes a day, it stays small.
 * Queries ask both layers and merge, so callers see one set. Results are fresh Delegation objects for base
 * entries (decoded on demand) and the overlay's own objects otherwise; none of them may be modified.
 */
import { FAMILIES, IntervalIndex, type Family, type NumberRange } from '../core/index.js';
import { StaticIntervalColumn } from '../core/static-interval-index.js';
import { writeWords } from '../core/range-words.js';
import type { Delegation } from './delegation-model.js';
import { DelegationRecords } from './delegation-records.js';

const FAMILY_CODE: Record<Family, number> = { ipv4: 0, ipv6: 1, asn: 2 };

/** FNV-1a over UTF-16 code units, for the net-name table. */
function hashName(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Sort order of the index: start ascending, enclosing first, then by id (a block passed down whole nests). */
export function compareDelegations(a: Delegation, b: Delegation): number {
  if (a.range.start !== b.range.start) return a.range.start < b.range.start ? -1 : 1;
  if (a.range.end !== b.range.end) return a.range.end > b.range.end ? -1 : 1;
  return Number(a.id) - Number(b.id);
}

/** Keeps the entries not inside (or equal to) an earlier kept one; `list` is in sort order. */
function outermost(list: Delegation[]): Delegation[] {
  const out: Delegation[] = [];
  for (const d of list) {
    const top = out[out.length - 1];
    if (!top || d.range.start > top.range.end) out.push(d);
  }
  return out;
}

interface Base {
  records: DelegationRecords;
  /** Record number → delegation id (ascending: records are added in id order). */
  ids: Float64Array;
  recFamily: Uint8Array;
  recSlot: Int32Array;
  cols: Record<Family, StaticIntervalColumn>;
  slotRec: Record<Family, Int32Array>;
  /** Records with a net name, sorted by the name's hash. */
  nameHash: Uint32Array;
  nameRec: Int32Array;
  /** AS-number records sorted by holder id, then start. */
  asnHolder: Float64Array;
  asnRec: Int32Array;
}

export class DelegationIndexBuilder {
  private readonly records = new DelegationRecords();
  // Working lists, emptied by finish(): a caller that still holds the builder must not keep them alive.
  private ids: number[] = [];
  private family: number[] = [];
  private keys: Record<Family, { recs: number[]; starts: bigint[]; ends: bigint[] }> = {
    ipv4: { recs: [], starts: [], ends: [] },
    ipv6: { recs: [], starts: [], ends: [] },
    asn: { recs: [], starts: [], ends: [] },
  };
  private names = { hash: [] as number[], rec: [] as number[] };
  private asns = { holder: [] as number[], start: [] as number[], rec: [] as number[] };
  private lastId = -1;

  /** Adds a delegation; they must come in ascending id order (as a keyset-paged load reads them). */
  add(d: Delegation): void {
    const id = Number(d.id);
    if (!(id > this.lastId)) throw new RangeError(`delegation ${d.id} added out of id order`);
    this.lastId = id;
    const rec = this.records.add(d);
    this.ids.push(id);
    this.family.push(FAMILY_CODE[d.family]);
    const k = this.keys[d.family];
    k.recs.push(rec);
    k.starts.push(d.range.start);
    k.ends.push(d.range.end);
    if (d.netName) {
      this.names.hash.push(hashName(d.netName.toUpperCase()));
      this.names.rec.push(rec);
    }
    if (d.family === 'asn') {
      this.asns.holder.push(Number(d.holderId));
      this.asns.start.push(Number(d.range.start));
      this.asns.rec.push(rec);
    }
  }

  finish(): DelegationIndex {
    this.records.seal();
    const n = this.ids.length;
    const recSlot = new Int32Array(n);
    const cols = {} as Record<Family, StaticIntervalColumn>;
    const slotRec = {} as Record<Family, Int32Array>;
    for (const f of FAMILIES) {
      const { recs, starts, ends } = this.keys[f];
      const order = Array.from(recs.keys());
      order.sort((a, b) => {
        if (starts[a] !== starts[b]) return starts[a]! < starts[b]! ? -1 : 1;
        if (ends[a] !== ends[b]) return ends[a]! > ends[b]! ? -1 : 1;
        return recs[a]! - recs[b]!;
      });
      const W = f === 'ipv6' ? 4 : 1;
      const s = new Uint32Array(order.length * W);
      const e = new Uint32Array(order.length * W);
      const sr = new Int32Array(order.length);
      order.forEach((j, slot) => {
        writeWords(starts[j]!, W, s, slot * W);
        writeWords(ends[j]!, W, e, slot * W);
        sr[slot] = recs[j]!;
        recSlot[recs[j]!] = slot;
      });
      cols[f] = new StaticIntervalColumn(f, s, e);
      slotRec[f] = sr;
    }
    const names = sortedPairs(this.names.hash, this.names.rec, this.names.hash);
    const asns = sortedPairs(this.asns.holder, this.asns.rec, this.asns.start);
    const ids = Float64Array.from(this.ids);
    const recFamily = Uint8Array.from(this.family);
    this.ids = [];
    this.family = [];
    this.keys = { ipv4: { recs: [], starts: [], ends: [] }, ipv6: { recs: [], starts: [], ends: [] }, asn: { recs: [], starts: [], ends: [] } };
    this.names = { hash: [], rec: [] };
    this.asns = { holder: [], start: [], rec: [] };
    return new DelegationIndex({
      records: this.records,
      ids,
      recFamily,
      recSlot,
      cols,
      slotRec,
      nameHash: Uint32Array.from(names.keys),
      nameRec: Int32Array.from(names.recs),
      asnHolder: Float64Array.from(asns.keys),
      asnRec: Int32Array.from(asns.recs),
    });
  }
}

/** Parallel key/record lists sorted by key, then by `then` (records ascending last). */
function sortedPairs(keys: number[], recs: number[], then: number[]): { keys: number[]; recs: number[] } {
  const order = Array.from(keys.keys()).sort((a, b) => keys[a]! - keys[b]! || then[a]! - then[b]! || recs[a]! - recs[b]!);
  return { keys: order.map((i) => keys[i]!), recs: order.map((i) => recs[i]!) };
}

const FAMILY_OF_CODE: Family[] = ['ipv4', 'ipv6', 'asn'];

export class DelegationIndex {
  private readonly overlay = new IntervalIndex<Delegation>();
  private readonly overlayById = new Map<string, Delegation>();
  private readonly overlayNames = new Map<string, Set<Delegation>>();
  private readonly overlayAsns = new Map<string, Set<Delegation>>();
  private baseLive: number;

  constructor(private readonly base: Base) {
    this.baseLive = base.ids.length;
  }

  static empty(): DelegationIndex {
    return new DelegationIndexBuilder().finish();
  }

  get size(): number {
    return this.baseLive + this.overlayById.size;
  }

  /** Base delegations and how many bytes their records take off the heap. */
  get baseStats(): { records: number; bytes: number } {
    return { records: this.base.ids.length, bytes: this.base.records.bytes };
  }

  get(id: string): Delegation | undefined {
    const o = this.overlayById.get(id);
    if (o) return o;
    const rec = this.baseRecord(id);
    if (rec < 0) return undefined;
    const f = FAMILY_OF_CODE[this.base.recFamily[rec]!]!;
    const slot = this.base.recSlot[rec]!;
    return this.base.cols[f].isDead(slot) ? undefined : this.decode(f, slot);
  }

  /** Adds a delegation that is not in the index (remove the old version first). */
  add(d: Delegation): void {
    this.overlay.add(d.range, d);
    this.overlayById.set(d.id, d);
    if (d.netName) setOf(this.overlayNames, d.netName.toUpperCase()).add(d);
    if (d.family === 'asn') setOf(this.overlayAsns, d.holderId).add(d);
  }

  /** Removes the delegation with this id, wherever it is. */
  remove(id: string): void {
    const o = this.overlayById.get(id);
    if (o) {
      this.overlayById.delete(id);
      this.overlay.remove(o.range, (v) => v === o);
      if (o.netName) this.overlayNames.get(o.netName.toUpperCase())?.delete(o);
      if (o.family === 'asn') this.overlayAsns.get(o.holderId)?.delete(o);
    }
    const rec = this.baseRecord(id);
    if (rec < 0) return;
    const col = this.base.cols[FAMILY_OF_CODE[this.base.recFamily[rec]!]!];
    const slot = this.base.recSlot[rec]!;
    if (!col.isDead(slot)) {
      col.kill(slot);
      this.baseLive--;
    }
  }

  /** The most specific delegation containing the value; among equal ranges the newest. */
  longestMatch(family: Family, value: bigint): Delegation | undefined {
    const col = this.base.cols[family];
    const slot = col.longestMatch(value);
    const o = this.newestOverlay(this.overlay.longestMatch(family, value)?.value);
    if (slot < 0) return o;
    if (o) {
      const s = col.start(slot);
      const e = col.end(slot);
      const overlayDeeper = o.range.start > s || (o.range.start === s && (o.range.end < e || (o.range.end === e && Number(o.id) > this.slotId(family, slot))));
      if (overlayDeeper) return o;
    }
    return this.decode(family, slot);
  }

  /** Delegations containing `range`, least specific first; equal ranges only if `inclusive`. */
  lessSpecifics(range: NumberRange, inclusive: boolean): Delegation[] {
    const all = this.base.cols[range.family].containing(range).map((slot) => this.decode(range.family, slot));
    for (const { value } of this.overlay.lessSpecifics(range, { inclusive: true })) all.push(value);
    const out = inclusive ? all : all.filter((d) => d.range.start !== range.start || d.range.end !== range.end);
    return out.sort(compareDelegations);
  }

  /** Delegations with exactly this range, oldest first. */
  exact(range: NumberRange): Delegation[] {
    const all = this.base.cols[range.family].exact(range).map((slot) => this.decode(range.family, slot));
    for (const { value } of this.overlay.exact(range)) all.push(value);
    return all.sort(compareDelegations);
  }

  /** Delegations within `range` in sort order; with `firstLevel` only the outermost ones (whois -m). */
  moreSpecifics(range: NumberRange, options: { inclusive?: boolean; firstLevel?: boolean } = {}): Delegation[] {
    const inclusive = options.inclusive ?? false;
    const firstLevel = options.firstLevel ?? false;
    const all = this.base.cols[range.family].within(range, inclusive, firstLevel).map((slot) => this.decode(range.family, slot));
    // all of the overlay's, not its first level: it nests equal ranges by insertion, the index by id
    const over = this.overlay.moreSpecifics(range, { inclusive });
    if (over.length === 0) return all;
    for (const { value } of over) all.push(value);
    all.sort(compareDelegations);
    return firstLevel ? outermost(all) : all;
  }

  /** Delegations whose net name is this (upper-cased) name. */
  byNetName(upper: string): Delegation[] {
    const out: Delegation[] = [];
    const { nameHash, nameRec } = this.base;
    const h = hashName(upper);
    for (let i = lowerBound(nameHash, h); i < nameHash.length && nameHash[i] === h; i++) {
      const d = this.liveRecord(nameRec[i]!);
      if (d && d.netName?.toUpperCase() === upper) out.push(d);
    }
    for (const d of this.overlayNames.get(upper) ?? []) out.push(d);
    return out;
  }

  /** The lowest AS number delegated to this holder, if any. */
  lowestAsnOf(holderId: string): bigint | undefined {
    let best: bigint | undefined;
    const { asnHolder, asnRec } = this.base;
    const key = Number(holderId);
    for (let i = lowerBound(asnHolder, key); i < asnHolder.length && asnHolder[i] === key; i++) {
      const slot = this.base.recSlot[asnRec[i]!]!;
      if (!this.base.cols.asn.isDead(slot)) {
        best = this.base.cols.asn.start(slot);
        break;
      }
    }
    for (const d of this.overlayAsns.get(holderId) ?? []) if (best === undefined || d.range.start < best) best = d.range.start;
    return best;
  }

  /** Among overlay entries with d's range, the newest: the overlay nests equal ranges by insertion, not id. */
  private newestOverlay(d: Delegation | undefined): Delegation | undefined {
    if (!d) return d;
    for (const { value } of this.overlay.exact(d.range)) if (Number(value.id) > Number(d.id)) d = value;
    return d;
  }

  private liveRecord(rec: number): Delegation | undefined {
    const f = FAMILY_OF_CODE[this.base.recFamily[rec]!]!;
    const slot = this.base.recSlot[rec]!;
    return this.base.cols[f].isDead(slot) ? undefined : this.decode(f, slot);
  }

  private baseRecord(id: string): number {
    const key = Number(id);
    const ids = this.base.ids;
    const i = lowerBound(ids, key);
    return i < ids.length && ids[i] === key ? i : -1;
  }

  private slotId(family: Family, slot: number): number {
    return this.base.ids[this.base.slotRec[family][slot]!]!;
  }

  private decode(family: Family, slot: number): Delegation {
    const col = this.base.cols[family];
    const rec = this.base.slotRec[family][slot]!;
    return this.base.records.read(rec, String(this.base.ids[rec]), { family, start: col.start(slot), end: col.end(slot) });
  }
}

function setOf<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}

/** First index whose value is >= key in an ascending array. */
function lowerBound(arr: ArrayLike<number>, key: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
