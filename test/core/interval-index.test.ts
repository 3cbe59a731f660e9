import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IntervalIndex, OverlapError, parseResource, formatRange, parseIp } from '../../src/core/index.js';

const R = parseResource;

function build(): IntervalIndex<string> {
  const ix = new IntervalIndex<string>();
  for (const t of ['192.0.0.0/8', '192.0.2.0/24', '192.0.2.0/25', '192.0.2.128/26', '198.51.100.0/24', '2001:db8::/32', '2001:db8:1::/48', 'AS64496 - AS64511', 'AS64500']) {
    ix.add(R(t), t);
  }
  return ix;
}

test('longestMatch returns the most specific containing entry', () => {
  const ix = build();
  const lm = (text: string) => {
    const { family, value } = parseIp(text);
    return ix.longestMatch(family, value)?.value;
  };
  assert.equal(lm('192.0.2.1'), '192.0.2.0/25');
  assert.equal(lm('192.0.2.130'), '192.0.2.128/26');
  assert.equal(lm('192.0.2.200'), '192.0.2.0/24');
  assert.equal(lm('192.0.3.1'), '192.0.0.0/8');
  assert.equal(lm('193.0.0.1'), undefined);
  assert.equal(lm('198.51.100.255'), '198.51.100.0/24');
  assert.equal(lm('2001:db8:1::5'), '2001:db8:1::/48');
  assert.equal(lm('2001:db8:2::5'), '2001:db8::/32');
  assert.equal(ix.longestMatch('asn', 64500n)?.value, 'AS64500');
  assert.equal(ix.longestMatch('asn', 64501n)?.value, 'AS64496 - AS64511');
  assert.equal(ix.longestMatch('asn', 1n), undefined);
});

test('less and more specifics, exact', () => {
  const ix = build();
  assert.deepEqual(ix.lessSpecifics(R('192.0.2.0/25')).map((e) => e.value), ['192.0.0.0/8', '192.0.2.0/24']);
  assert.deepEqual(ix.lessSpecifics(R('192.0.2.0/25'), { inclusive: true }).map((e) => e.value), ['192.0.0.0/8', '192.0.2.0/24', '192.0.2.0/25']);
  assert.deepEqual(ix.lessSpecifics(R('192.0.2.5 - 192.0.2.200')).map((e) => e.value), ['192.0.0.0/8', '192.0.2.0/24']);
  assert.deepEqual(ix.moreSpecifics(R('192.0.0.0/8')).map((e) => e.value), ['192.0.2.0/24', '192.0.2.0/25', '192.0.2.128/26']);
  assert.deepEqual(ix.moreSpecifics(R('192.0.0.0/8'), { firstLevel: true }).map((e) => e.value), ['192.0.2.0/24']);
  assert.deepEqual(ix.moreSpecifics(R('192.0.2.0/24'), { firstLevel: true }).map((e) => e.value), ['192.0.2.0/25', '192.0.2.128/26']);
  assert.deepEqual(ix.moreSpecifics(R('0.0.0.0/0'), { firstLevel: true }).map((e) => e.value), ['192.0.0.0/8', '198.51.100.0/24']);
  assert.deepEqual(ix.moreSpecifics(R('192.0.2.0/24'), { inclusive: true }).map((e) => e.value), ['192.0.2.0/24', '192.0.2.0/25', '192.0.2.128/26']);
  assert.deepEqual(ix.moreSpecifics(R('192.0.2.100 - 192.0.2.255')).map((e) => e.value), ['192.0.2.128/26']);
  assert.deepEqual(ix.exact(R('192.0.2.0/24')).map((e) => e.value), ['192.0.2.0/24']);
  assert.deepEqual(ix.exact(R('192.0.2.0/23')), []);
});

test('partial overlaps are refused and leave the index unchanged', () => {
  const ix = build();
  const before = [...ix.entries()].map((e) => formatRange(e.range));
  assert.throws(() => ix.add(R('192.0.2.64 - 192.0.2.191'), 'x'), OverlapError);
  assert.throws(() => ix.add(R('191.0.0.0 - 192.0.0.5'), 'x'), OverlapError);
  assert.throws(() => ix.add(R('192.0.2.200 - 192.0.3.5'), 'x'), OverlapError);
  assert.deepEqual([...ix.entries()].map((e) => formatRange(e.range)), before);
});

test('equal ranges nest in insertion order; remove re-parents children', () => {
  const ix = build();
  ix.add(R('192.0.2.0/24'), 'assignment');
  const { value } = parseIp('192.0.2.200');
  assert.equal(ix.longestMatch('ipv4', value)?.value, 'assignment');
  assert.deepEqual(ix.exact(R('192.0.2.0/24')).map((e) => e.value), ['192.0.2.0/24', 'assignment']);
  assert.equal(ix.remove(R('192.0.2.0/24'), 'assignment'), 1);
  assert.equal(ix.longestMatch('ipv4', value)?.value, '192.0.2.0/24');
  assert.equal(ix.remove(R('192.0.2.0/24')), 1);
  assert.equal(ix.longestMatch('ipv4', value)?.value, '192.0.0.0/8');
  assert.equal(ix.longestMatch('ipv4', parseIp('192.0.2.1').value)?.value, '192.0.2.0/25');
  assert.deepEqual(ix.lessSpecifics(R('192.0.2.0/25')).map((e) => e.value), ['192.0.0.0/8']);
  // adding an enclosing range later re-parents what it covers
  ix.add(R('192.0.2.0/23'), 'new /23');
  assert.deepEqual(ix.lessSpecifics(R('192.0.2.128/26')).map((e) => e.value), ['192.0.0.0/8', 'new /23']);
  assert.equal(ix.remove(R('10.0.0.0/8')), 0);
  assert.equal(ix.size, 9);
});

test('IntervalIndex.from builds the same index and refuses partial overlaps', () => {
  const a = build();
  const b = IntervalIndex.from([...a.entries()].reverse());
  assert.deepEqual([...b.entries()].map((e) => e.value), [...a.entries()].map((e) => e.value));
  assert.throws(() => IntervalIndex.from([{ range: R('10/8'), value: 1 }, { range: R('10.255.0.0 - 11.0.0.0'), value: 2 }]), OverlapError);
});
