// Property-based tests (fast-check): round trips, CIDR splitting, set algebra against a naive model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  FAMILY_BITS, FAMILY_MAX, ResourceSet, formatAsn, formatIp, formatPrefix, formatRange, parseAsn, parseIp, parsePrefix,
  parseResource, prefixToRange, rangeToPrefixes, type Family, type IpFamily, type NumberRange, type Prefix,
} from '../../src/core/index.js';

const RUNS = { numRuns: 1000 };

const u32 = fc.bigInt({ min: 0n, max: FAMILY_MAX.ipv4 });
// IPv6 words biased towards zero so that "::" compression, ties and single zero groups all occur.
const word = fc.oneof(fc.constant(0n), fc.constant(0n), fc.constant(0xffffn), fc.bigInt({ min: 0n, max: 0xffffn }));
const u128 = fc.array(word, { minLength: 8, maxLength: 8 }).map((ws) => ws.reduce((v, w) => (v << 16n) | w, 0n));
const valueOf = (f: Family) => (f === 'ipv6' ? u128 : u32);
const family = fc.constantFrom<Family>('ipv4', 'ipv6', 'asn');
const range = family.chain((f) =>
  fc.tuple(valueOf(f), valueOf(f)).map(([a, b]): NumberRange => ({ family: f, start: a < b ? a : b, end: a < b ? b : a })),
);
const prefix = fc.constantFrom<IpFamily>('ipv4', 'ipv6').chain((f) =>
  fc.tuple(valueOf(f), fc.integer({ min: 0, max: FAMILY_BITS[f] })).map(([v, length]): Prefix => {
    const host = BigInt(FAMILY_BITS[f] - length);
    return { family: f, start: (v >> host) << host, length };
  }),
);

test('IPv4 format/parse round trip', () => {
  fc.assert(fc.property(u32, (v) => {
    const text = formatIp('ipv4', v);
    assert.deepEqual(parseIp(text), { family: 'ipv4', value: v });
  }), RUNS);
});

test('IPv6 format/parse round trip, and formatting agrees with the WHATWG URL serializer (RFC 5952)', () => {
  fc.assert(fc.property(u128, (v) => {
    const text = formatIp('ipv6', v);
    assert.deepEqual(parseIp(text), { family: 'ipv6', value: v });
    if (v >> 32n !== 0xffffn) {
      // node's URL parser canonicalises IPv6 hosts: lower case, no leading zeros, longest zero run (first on ties)
      assert.equal(text, new URL(`http://[${text}]/`).hostname.slice(1, -1));
    }
    // the uncompressed, zero-padded upper-case spelling parses to the same value
    const full = Array.from({ length: 8 }, (_, i) => ((v >> BigInt((7 - i) * 16)) & 0xffffn).toString(16).padStart(4, '0').toUpperCase()).join(':');
    assert.equal(parseIp(full).value, v);
  }), RUNS);
});

test('ASN format/parse round trip (plain, AS prefix, asdot)', () => {
  fc.assert(fc.property(u32, (v) => {
    assert.equal(parseAsn(formatAsn(v)), v);
    assert.equal(parseAsn(String(v)), v);
    assert.equal(parseAsn(`as${v}`), v);
    assert.equal(parseAsn(`${v >> 16n}.${v & 0xffffn}`), v);
  }), RUNS);
});

test('prefix format/parse round trip', () => {
  fc.assert(fc.property(prefix, (p) => {
    assert.deepEqual(parsePrefix(formatPrefix(p)), p);
    assert.deepEqual(parseResource(formatPrefix(p)), prefixToRange(p));
  }), RUNS);
});

test('parseResource ∘ formatRange is the identity on every range', () => {
  fc.assert(fc.property(range, (r) => {
    assert.deepEqual(parseResource(formatRange(r)), r);
  }), RUNS);
});

/** Reference CIDR cover: descend the binary prefix tree, keeping maximal prefixes inside the range. */
function treeCover(r: NumberRange & { family: IpFamily }, start = 0n, length = 0, out: Prefix[] = []): Prefix[] {
  const bits = FAMILY_BITS[r.family];
  const end = start + (1n << BigInt(bits - length)) - 1n;
  if (end < r.start || start > r.end) return out;
  if (r.start <= start && end <= r.end) {
    out.push({ family: r.family, start, length });
    return out;
  }
  treeCover(r, start, length + 1, out);
  treeCover(r, start + (1n << BigInt(bits - length - 1)), length + 1, out);
  return out;
}

test('rangeToPrefixes covers exactly the range and is minimal', () => {
  const ipRange = range.filter((r) => r.family !== 'asn') as fc.Arbitrary<NumberRange & { family: IpFamily }>;
  // short ranges around random points as well, where the splitting is busiest
  const short = fc.tuple(fc.constantFrom<IpFamily>('ipv4', 'ipv6'), u32, fc.bigInt({ min: 0n, max: 5000n })).map(
    ([f, a, n]) => ({ family: f, start: a, end: a + n > FAMILY_MAX[f] ? FAMILY_MAX[f] : a + n }) as NumberRange & { family: IpFamily },
  );
  fc.assert(fc.property(fc.oneof(ipRange, short), (r) => {
    const ps = rangeToPrefixes(r);
    // exact cover: contiguous aligned blocks from start to end
    let next = r.start;
    for (const p of ps) {
      const pr = prefixToRange(p);
      assert.equal(pr.start, next);
      assert.equal(p.start & ((1n << BigInt(FAMILY_BITS[p.family] - p.length)) - 1n), 0n, 'aligned');
      next = pr.end + 1n;
    }
    assert.equal(next, r.end + 1n);
    // minimal: equal to the tree cover, and no two neighbours are buddies that could merge
    assert.deepEqual(ps, treeCover(r));
    for (let i = 1; i < ps.length; i++) {
      const a = ps[i - 1]!;
      const b = ps[i]!;
      const mergeable = a.length === b.length && a.length > 0 && ((a.start >> BigInt(FAMILY_BITS[a.family] - a.length)) & 1n) === 0n;
      assert.ok(!mergeable, `${formatPrefix(a)} and ${formatPrefix(b)} should have been one prefix`);
    }
  }), RUNS);
});

// ---- set algebra against a naive model: small universes so every value can be enumerated ----

const SMALL = 40n;
const smallRange = fc.tuple(fc.constantFrom<Family>('ipv4', 'ipv6', 'asn'), fc.bigInt({ min: 0n, max: SMALL }), fc.bigInt({ min: 0n, max: 6n }))
  .map(([f, a, n]): NumberRange => ({ family: f, start: a, end: a + n }));
const smallSet = fc.array(smallRange, { maxLength: 6 });

type Model = Set<string>;
function model(ranges: NumberRange[]): Model {
  const m = new Set<string>();
  for (const r of ranges) for (let v = r.start; v <= r.end; v++) m.add(`${r.family}:${v}`);
  return m;
}
const toModel = (s: ResourceSet) => model(s.ranges());
const sorted = (m: Model) => [...m].sort();

function assertNormalized(s: ResourceSet): void {
  for (const f of ['ipv4', 'ipv6', 'asn'] as Family[]) {
    const rs = s.ranges(f);
    for (let i = 0; i < rs.length; i++) {
      assert.ok(rs[i]!.start <= rs[i]!.end);
      assert.equal(rs[i]!.family, f);
      if (i > 0) assert.ok(rs[i - 1]!.end + 1n < rs[i]!.start, 'sorted, disjoint and not adjacent');
    }
  }
}

test('ResourceSet union/intersect/subtract agree with a naive model', () => {
  fc.assert(fc.property(smallSet, smallSet, (ra, rb) => {
    const a = ResourceSet.fromRanges(ra);
    const b = ResourceSet.fromRanges(rb);
    const ma = model(ra);
    const mb = model(rb);
    for (const s of [a, b, a.union(b), a.intersect(b), a.subtract(b)]) assertNormalized(s);
    assert.deepEqual(sorted(toModel(a)), sorted(ma));
    assert.deepEqual(sorted(toModel(a.union(b))), sorted(new Set([...ma, ...mb])));
    assert.deepEqual(sorted(toModel(a.intersect(b))), sorted(new Set([...ma].filter((x) => mb.has(x)))));
    assert.deepEqual(sorted(toModel(a.subtract(b))), sorted(new Set([...ma].filter((x) => !mb.has(x)))));
    assert.equal(a.contains(b), [...mb].every((x) => ma.has(x)));
    assert.equal(a.overlaps(b), [...mb].some((x) => ma.has(x)));
    assert.equal(a.equals(b), ma.size === mb.size && [...ma].every((x) => mb.has(x)));
    assert.equal(a.isEmpty(), ma.size === 0);
    for (const f of ['ipv4', 'ipv6', 'asn'] as Family[]) {
      assert.equal(a.size(f), BigInt([...ma].filter((x) => x.startsWith(`${f}:`)).length));
    }
    for (const r of rb) assert.equal(a.contains(r), model([r]).size > 0 && [...model([r])].every((x) => ma.has(x)));
    for (let v = 0n; v <= SMALL + 6n; v++) assert.equal(a.containsValue('asn', v), ma.has(`asn:${v}`));
  }), RUNS);
});

test('ResourceSet algebra laws', () => {
  fc.assert(fc.property(smallSet, smallSet, smallSet, (ra, rb, rc) => {
    const [a, b, c] = [ra, rb, rc].map((r) => ResourceSet.fromRanges(r)) as [ResourceSet, ResourceSet, ResourceSet];
    assert.ok(a.union(b).equals(b.union(a)));
    assert.ok(a.intersect(b).equals(b.intersect(a)));
    assert.ok(a.union(b.union(c)).equals(a.union(b).union(c)));
    assert.ok(a.intersect(b.union(c)).equals(a.intersect(b).union(a.intersect(c))));
    assert.ok(a.subtract(b.union(c)).equals(a.subtract(b).subtract(c)));
    assert.ok(a.subtract(b).union(a.intersect(b)).equals(a));
    assert.ok(a.subtract(b).intersect(b).isEmpty());
    assert.ok(a.union(b).contains(a) && a.contains(a.intersect(b)));
    assert.ok(ResourceSet.parse(a.toString()).equals(a), 'toString parses back');
  }), RUNS);
});
