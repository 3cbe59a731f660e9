// IntervalIndex against a naive linear scan, under random sequences of adds and removes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { IntervalIndex, OverlapError, type Family, type IndexEntry, type NumberRange } from '../../src/core/index.js';

// Offsets place the small universes across word boundaries of the index's Uint32 layout (and near the top
// of the IPv4/ASN spaces), where an off-by-one in the multi-word comparison would show.
const BASE: Record<Family, bigint> = { ipv4: (1n << 32n) - 64n, ipv6: (1n << 96n) - 32n, asn: 0n };
const SPAN = 64n;

interface Entry { range: NumberRange; value: number; seq: number }

const contains = (o: NumberRange, i: NumberRange) => o.start <= i.start && i.end <= o.end;
const equal = (a: NumberRange, b: NumberRange) => a.start === b.start && a.end === b.end;
const size = (r: NumberRange) => r.end - r.start;
const partial = (a: NumberRange, b: NumberRange) => a.start <= b.end && b.start <= a.end && !contains(a, b) && !contains(b, a);
/** x lies under y in the tree (equal ranges: the later one is under the earlier). */
const under = (x: Entry, y: Entry) => contains(y.range, x.range) && (!equal(x.range, y.range) || y.seq < x.seq);

class Naive {
  entries: Entry[] = [];
  of(f: Family): Entry[] {
    return this.entries.filter((e) => e.range.family === f);
  }
  longestMatch(f: Family, v: bigint): number | undefined {
    let best: Entry | undefined;
    for (const e of this.of(f)) {
      if (e.range.start <= v && v <= e.range.end && (!best || under(e, best))) best = e;
    }
    return best?.value;
  }
  less(r: NumberRange, inclusive: boolean): number[] {
    return this.of(r.family)
      .filter((e) => contains(e.range, r) && (inclusive || !equal(e.range, r)))
      .sort((a, b) => (size(a.range) !== size(b.range) ? (size(a.range) > size(b.range) ? -1 : 1) : a.seq - b.seq))
      .map((e) => e.value);
  }
  more(r: NumberRange, inclusive: boolean, firstLevel: boolean): number[] {
    const c = this.of(r.family).filter((e) => contains(r, e.range) && (inclusive || !equal(e.range, r)));
    const keep = firstLevel ? c.filter((x) => !c.some((y) => y !== x && under(x, y))) : c;
    return keep
      .sort((a, b) => (a.range.start !== b.range.start ? (a.range.start < b.range.start ? -1 : 1) : a.range.end !== b.range.end ? (a.range.end > b.range.end ? -1 : 1) : a.seq - b.seq))
      .map((e) => e.value);
  }
  exact(r: NumberRange): number[] {
    return this.of(r.family).filter((e) => equal(e.range, r)).map((e) => e.value);
  }
}

const family = fc.constantFrom<Family>('ipv4', 'ipv6', 'asn');
const range = fc.tuple(family, fc.bigInt({ min: 0n, max: SPAN - 1n }), fc.bigInt({ min: 0n, max: 20n })).map(
  ([f, a, n]): NumberRange => ({ family: f, start: BASE[f] + a, end: BASE[f] + (a + n < SPAN ? a + n : SPAN - 1n) }),
);
// Aligned blocks (CIDR-like) never overlap partially, so they build deep trees; random intervals and
// re-adding an existing range (equal ranges) add the awkward cases.
const aligned = fc.tuple(family, fc.bigInt({ min: 0n, max: SPAN - 1n }), fc.integer({ min: 0, max: 6 })).map(
  ([f, a, k]): NumberRange => {
    const s = (a >> BigInt(k)) << BigInt(k);
    return { family: f, start: BASE[f] + s, end: BASE[f] + s + (1n << BigInt(k)) - 1n };
  },
);
const anyRange = fc.oneof(range, aligned, aligned);
const op = fc.oneof(
  { weight: 6, arbitrary: fc.oneof(aligned, aligned, aligned, range).map((r) => ({ kind: 'add' as const, r })) },
  { weight: 1, arbitrary: fc.nat(60).map((i) => ({ kind: 'dup' as const, i })) },
  { weight: 3, arbitrary: fc.tuple(fc.nat(60), fc.boolean()).map(([i, byValue]) => ({ kind: 'remove' as const, i, byValue })) },
);

function check(ix: IntervalIndex<number>, naive: Naive, queries: NumberRange[]): void {
  for (const f of ['ipv4', 'ipv6', 'asn'] as Family[]) {
    for (let v = BASE[f] - 1n; v <= BASE[f] + SPAN; v++) assert.equal(ix.longestMatch(f, v)?.value, naive.longestMatch(f, v), `longestMatch ${f} ${v}`);
    assert.equal(ix.sizeOf(f), naive.of(f).length);
  }
  const vals = (es: IndexEntry<number>[]) => es.map((e) => e.value);
  for (const q of [...queries, ...naive.entries.map((e) => e.range)]) {
    for (const inclusive of [false, true]) {
      assert.deepEqual(vals(ix.lessSpecifics(q, { inclusive })), naive.less(q, inclusive), 'lessSpecifics');
      for (const firstLevel of [false, true]) {
        assert.deepEqual(vals(ix.moreSpecifics(q, { inclusive, firstLevel })), naive.more(q, inclusive, firstLevel), `moreSpecifics inclusive=${inclusive} firstLevel=${firstLevel}`);
      }
    }
    assert.deepEqual(vals(ix.exact(q)), naive.exact(q), 'exact');
  }
}

test('IntervalIndex agrees with a naive linear scan under adds and removes', () => {
  fc.assert(
    // tiny chunks (2-4 entries) so that chunk splits, merges and the directory are exercised too
    fc.property(fc.array(op, { maxLength: 60, size: 'max' }), fc.array(anyRange, { maxLength: 8 }), fc.constantFrom(2, 3, 512), (ops, queries, chunkSize) => {
      const ix = new IntervalIndex<number>({ chunkSize });
      const naive = new Naive();
      let seq = 0;
      ops.forEach((o, n) => {
        let f: Family | undefined;
        if (o.kind === 'add' || (o.kind === 'dup' && naive.entries.length > 0)) {
          const r = o.kind === 'add' ? o.r : naive.entries[o.i % naive.entries.length]!.range;
          f = r.family;
          const clash = naive.of(r.family).some((e) => partial(e.range, r));
          if (clash) {
            assert.throws(() => ix.add(r, n), OverlapError);
          } else {
            ix.add(r, n);
            naive.entries.push({ range: r, value: n, seq: seq++ });
          }
        } else if (o.kind === 'remove' && naive.entries.length > 0) {
          const target = naive.entries[o.i % naive.entries.length]!;
          f = target.range.family;
          const gone = naive.entries.filter((e) => equal(e.range, target.range) && e.range.family === target.range.family && (!o.byValue || e.value === target.value));
          assert.equal(ix.remove(target.range, o.byValue ? target.value : undefined), gone.length);
          naive.entries = naive.entries.filter((e) => !gone.includes(e));
        }
        // longest match after every step: stale internal state must not hide behind a later repair
        if (f) {
          for (let v = BASE[f]; v < BASE[f] + SPAN; v++) assert.equal(ix.longestMatch(f, v)?.value, naive.longestMatch(f, v), `step ${n}: longestMatch ${f} ${v}`);
        }
      });
      check(ix, naive, queries);
      for (const e of naive.entries) assert.ok(ix.exact(e.range).some((x) => x.value === e.value));
      // bulk construction from the surviving entries (in insertion order) answers the same
      check(IntervalIndex.from(naive.entries.map((e) => ({ range: e.range, value: e.value })), { chunkSize }), naive, queries);
    }),
    { numRuns: 400 },
  );
});
