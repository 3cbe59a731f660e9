// DelegationIndex (off-heap base + overlay of later changes) against a naive scan over the same delegations,
// under random loads and random changes from the feed: removals, modifications (same id, new version) and
// new delegations, including blocks passed down whole (equal ranges) and IPv6 keys across word boundaries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Family, NumberRange } from '../../src/core/index.js';
import { mulberry32 } from '../../src/core/prng.js';
import { DelegationIndexBuilder, compareDelegations, type DelegationIndex } from '../../src/registry/delegation-index.js';
import type { Delegation } from '../../src/registry/delegation-model.js';

const BASE: Record<Family, bigint> = { ipv4: (1n << 32n) - 256n, ipv6: (1n << 96n) - 128n, asn: 64_000n };
const contains = (o: NumberRange, i: NumberRange) => o.start <= i.start && i.end <= o.end;
const equal = (a: NumberRange, b: NumberRange) => a.start === b.start && a.end === b.end;

/** Nested-or-disjoint ranges: each block is split at random points, some pieces kept twice (passed down whole). */
function laminar(rand: () => number, family: Family): NumberRange[] {
  const out: NumberRange[] = [];
  const split = (start: bigint, end: bigint, depth: number) => {
    out.push({ family, start, end });
    if (rand() < 0.15) out.push({ family, start, end });
    if (depth === 0 || end === start) return;
    let at = start;
    while (at <= end) {
      const len = 1n + BigInt(Math.floor(rand() * Number(end - at + 1n)));
      if (rand() < 0.7) split(at, at + len - 1n, depth - 1);
      at += len;
    }
  };
  split(BASE[family], BASE[family] + 255n, 4);
  return out;
}

let nextId = 1;
function delegation(range: NumberRange, rand: () => number, id = String(nextId++)): Delegation {
  const holderId = String(1 + Math.floor(rand() * 4));
  return {
    id, family: range.family, range, resource: '', parentId: rand() < 0.5 ? null : '7', holderId, holderHandle: `ORG-${holderId}`,
    holderName: 'Holder Ünïcode', status: 'ALLOCATED PA' as Delegation['status'], registry: 'jpnic', country: rand() < 0.3 ? null : 'JP',
    netName: rand() < 0.2 ? null : `NET-${Math.floor(rand() * 5)}`, description: rand() < 0.5 ? null : 'x'.repeat(Math.floor(rand() * 300)),
    delegatedOn: '2020-01-01', adminC: rand() < 0.5 ? [] : ['A1', `T${Math.floor(rand() * 1000)}`], techC: ['T1'], abuseC: null,
    mntBy: ['MNT-A'], mntLower: [], mntRoutes: [], decisionId: null, version: Math.floor(rand() * 1000), createdAt: 'c', updatedAt: `u${Math.floor(rand() * 1e6)}`,
  };
}

class Naive {
  readonly all = new Map<string, Delegation>();
  private of(f: Family) {
    return [...this.all.values()].filter((d) => d.family === f).sort(compareDelegations);
  }
  longestMatch(f: Family, v: bigint) {
    let best: Delegation | undefined;
    for (const d of this.of(f)) if (d.range.start <= v && v <= d.range.end && (!best || contains(best.range, d.range))) best = d;
    return best;
  }
  less(r: NumberRange, inclusive: boolean) {
    return this.of(r.family).filter((d) => contains(d.range, r) && (inclusive || !equal(d.range, r)));
  }
  more(r: NumberRange, inclusive: boolean, firstLevel: boolean) {
    const within = this.of(r.family).filter((d) => contains(r, d.range) && (inclusive || !equal(d.range, r)));
    return firstLevel ? within.filter((d) => !within.some((o) => o !== d && contains(o.range, d.range) && (!equal(o.range, d.range) || Number(o.id) < Number(d.id)))) : within;
  }
}

const ids = (ds: (Delegation | undefined)[]) => ds.map((d) => d?.id);
const strip = (d: Delegation | undefined) => d && { ...d, resource: '' };

function check(index: DelegationIndex, naive: Naive, rand: () => number, ranges: NumberRange[]) {
  assert.equal(index.size, naive.all.size);
  for (const d of naive.all.values()) assert.deepEqual(strip(index.get(d.id)), d, `get(${d.id})`);
  for (let k = 0; k < 60; k++) {
    const f = (['ipv4', 'ipv6', 'asn'] as const)[k % 3];
    const v = BASE[f] - 2n + BigInt(Math.floor(rand() * 260));
    assert.equal(index.longestMatch(f, v)?.id, naive.longestMatch(f, v)?.id, `longestMatch ${f} ${v}`);
    const r = rand() < 0.7 ? ranges[Math.floor(rand() * ranges.length)]! : { family: f, start: v, end: v + BigInt(Math.floor(rand() * 40)) };
    const inclusive = rand() < 0.5;
    assert.deepEqual(ids(index.lessSpecifics(r, inclusive)), ids(naive.less(r, inclusive)), `less ${r.start}-${r.end}`);
    assert.deepEqual(ids(index.exact(r)), ids(naive.less(r, true).filter((d) => equal(d.range, r))), `exact ${r.start}-${r.end}`);
    for (const firstLevel of [false, true]) {
      assert.deepEqual(ids(index.moreSpecifics(r, { inclusive, firstLevel })), ids(naive.more(r, inclusive, firstLevel)), `more ${r.start}-${r.end} ${inclusive} ${firstLevel}`);
    }
  }
  for (let n = 0; n < 5; n++) {
    const name = `NET-${n}`;
    assert.deepEqual(ids(index.byNetName(name).sort(compareDelegations)), ids([...naive.all.values()].filter((d) => d.netName === name).sort(compareDelegations)));
    const holder = String(n);
    const asns = [...naive.all.values()].filter((d) => d.family === 'asn' && d.holderId === holder).map((d) => d.range.start);
    assert.equal(index.lowestAsnOf(holder), asns.length ? asns.reduce((a, b) => (a < b ? a : b)) : undefined);
  }
}

test('the index answers as a scan over the same delegations, before and after feed changes', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const rand = mulberry32(seed);
    const ranges = (['ipv4', 'ipv6', 'asn'] as const).flatMap((f) => laminar(rand, f));
    const naive = new Naive();
    const builder = new DelegationIndexBuilder();
    for (const r of ranges) {
      if (rand() < 0.3) continue; // arrives later through the feed
      const d = delegation(r, rand);
      builder.add(d);
      naive.all.set(d.id, d);
    }
    const index = builder.finish();
    check(index, naive, rand, ranges);
    for (let step = 0; step < 30; step++) {
      const present = [...naive.all.values()];
      const x = rand();
      if (x < 0.3 && present.length) {
        const d = present[Math.floor(rand() * present.length)]!;
        index.remove(d.id);
        naive.all.delete(d.id);
      } else if (x < 0.65 && present.length) {
        const old = present[Math.floor(rand() * present.length)]!;
        const d = delegation(old.range, rand, old.id);
        index.remove(d.id);
        index.add(d);
        naive.all.set(d.id, d);
      } else {
        const d = delegation(ranges[Math.floor(rand() * ranges.length)]!, rand);
        index.add(d);
        naive.all.set(d.id, d);
      }
    }
    check(index, naive, rand, ranges);
  }
});

test('a build refuses delegations out of id order and partially overlapping ranges', () => {
  const rand = mulberry32(7);
  const b = new DelegationIndexBuilder();
  b.add(delegation({ family: 'ipv4', start: 0n, end: 10n }, rand, '5'));
  assert.throws(() => b.add(delegation({ family: 'ipv4', start: 0n, end: 1n }, rand, '4')), /out of id order/);
  b.add(delegation({ family: 'ipv4', start: 5n, end: 20n }, rand, '6'));
  assert.throws(() => b.finish(), /partially overlap/);
});
