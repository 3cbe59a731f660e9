import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResourceSet, parseResource } from '../../src/core/index.js';

const S = ResourceSet.parse;

test('fromRanges merges overlapping and adjacent ranges and sorts by family', () => {
  const s = S('AS6, 192.0.3.0/25, 2001:db8::/33, 192.0.2.0/24, AS1 - AS5, 2001:db8:8000::/33, 10/8');
  assert.equal(s.toString(), '10.0.0.0/8, 192.0.2.0 - 192.0.3.127, 2001:db8::/32, AS1 - AS6');
  assert.equal(s.ranges('ipv4').length, 2);
  assert.equal(s.size('ipv4'), (1n << 24n) + 384n);
  assert.equal(s.size('asn'), 6n);
  assert.deepEqual(s.toJSON(), ['10.0.0.0/8', '192.0.2.0 - 192.0.3.127', '2001:db8::/32', 'AS1 - AS6']);
});

test('union, intersect, subtract', () => {
  const a = S('192.0.2.0/24, AS1 - AS10');
  const b = S('192.0.2.128/25, 198.51.100.0/24, AS5 - AS20');
  assert.equal(a.union(b).toString(), '192.0.2.0/24, 198.51.100.0/24, AS1 - AS20');
  assert.equal(a.intersect(b).toString(), '192.0.2.128/25, AS5 - AS10');
  assert.equal(a.subtract(b).toString(), '192.0.2.0/25, AS1 - AS4');
  assert.equal(b.subtract(a).toString(), '198.51.100.0/24, AS11 - AS20');
  assert.equal(S('192.0.2.0/24').subtract(S('192.0.2.10 - 192.0.2.20')).toString(), '192.0.2.0 - 192.0.2.9, 192.0.2.21 - 192.0.2.255');
});

test('contains, overlaps, equals, isEmpty', () => {
  const a = S('192.0.2.0/23, AS1 - AS10');
  assert.ok(a.contains(parseResource('192.0.3.0/24')));
  assert.ok(!a.contains(parseResource('192.0.3.0 - 192.0.4.0')));
  assert.ok(a.contains(S('192.0.2.7, AS3')));
  assert.ok(!a.contains(S('192.0.2.7, AS11')));
  assert.ok(a.contains(ResourceSet.EMPTY));
  assert.ok(a.overlaps(parseResource('192.0.3.255 - 192.0.4.0')));
  assert.ok(!a.overlaps(parseResource('AS11')));
  assert.ok(a.containsValue('asn', 10n));
  assert.ok(!a.containsValue('asn', 11n));
  assert.ok(S('192.0.2.0/24, 192.0.3.0/24').equals(S('192.0.2.0/23')));
  assert.ok(!S('192.0.2.0/24').equals(S('192.0.2.0/23')));
  assert.ok(ResourceSet.EMPTY.isEmpty());
  assert.ok(a.subtract(a).isEmpty());
  assert.ok(a.isEmpty('ipv6'));
  assert.equal(ResourceSet.EMPTY.toString(), '');
  assert.deepEqual(S('192.0.2.0 - 192.0.3.127').prefixes('ipv4').length, 2);
});

test('fromRanges rejects invalid ranges', () => {
  assert.throws(() => ResourceSet.fromRanges([{ family: 'ipv4', start: 5n, end: 4n }]), RangeError);
});
