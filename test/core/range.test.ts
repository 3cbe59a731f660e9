import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatPrefix, formatRange, makeRange, parseResource, rangeContains, rangeSize, rangesOverlap, rangeToPrefix,
  rangeToPrefixes, toNumrangeLiteral, compareRanges, fromNumrangeLiteral,
} from '../../src/core/index.js';

const R = parseResource;
const cidrs = (text: string) => rangeToPrefixes(R(text)).map(formatPrefix);

test('rangeToPrefixes splits a non-CIDR IPv4 range into the minimal set', () => {
  assert.deepEqual(cidrs('192.0.2.0 - 192.0.3.127'), ['192.0.2.0/24', '192.0.3.0/25']);
  assert.deepEqual(cidrs('192.0.2.1 - 192.0.2.6'), ['192.0.2.1/32', '192.0.2.2/31', '192.0.2.4/31', '192.0.2.6/32']);
  assert.deepEqual(cidrs('0.0.0.0 - 255.255.255.255'), ['0.0.0.0/0']);
  assert.deepEqual(cidrs('0.0.0.1 - 255.255.255.255').length, 32);
  assert.deepEqual(cidrs('10.0.0.0/8'), ['10.0.0.0/8']);
  assert.deepEqual(cidrs('2001:db8:: - 2001:db8:0:2::ffff'), ['2001:db8::/63', '2001:db8:0:2::/112']);
  assert.throws(() => rangeToPrefixes(R('AS1 - AS5')), TypeError);
});

test('rangeToPrefix finds the exact prefix or nothing', () => {
  assert.equal(formatPrefix(rangeToPrefix(R('192.0.2.0 - 192.0.2.255'))!), '192.0.2.0/24');
  assert.equal(rangeToPrefix(R('192.0.2.1 - 192.0.2.2')), undefined);
  assert.equal(rangeToPrefix(R('192.0.2.0 - 192.0.2.2')), undefined);
  assert.equal(rangeToPrefix(R('AS1')), undefined);
});

test('formatRange', () => {
  assert.equal(formatRange(makeRange('ipv4', 0xc0000200n, 0xc000037fn)), '192.0.2.0 - 192.0.3.127');
  assert.equal(formatRange(makeRange('ipv4', 0xc0000200n, 0xc00002ffn)), '192.0.2.0/24');
  assert.equal(formatRange(makeRange('asn', 1n)), 'AS1');
  assert.equal(formatRange(makeRange('asn', 1n, 5n)), 'AS1 - AS5');
  assert.equal(formatRange(makeRange('ipv6', 1n, 2n)), '::1 - ::2');
});

test('size, containment, overlap, ordering', () => {
  assert.equal(rangeSize(R('192.0.2.0 - 192.0.3.127')), 384n);
  assert.equal(rangeSize(R('2001:db8::/32')), 1n << 96n);
  assert.equal(rangeSize(R('AS1 - AS5')), 5n);
  assert.ok(rangeContains(R('192.0.2.0/23'), R('192.0.3.0/24')));
  assert.ok(!rangeContains(R('192.0.3.0/24'), R('192.0.2.0/23')));
  assert.ok(!rangeContains(R('AS0 - AS4294967295'), R('0.0.0.0/32')), 'families never contain each other');
  assert.ok(rangesOverlap(R('192.0.2.0 - 192.0.2.10'), R('192.0.2.10 - 192.0.2.20')));
  assert.ok(!rangesOverlap(R('192.0.2.0 - 192.0.2.9'), R('192.0.2.10 - 192.0.2.20')));
  assert.ok(compareRanges(R('192.0.2.0/23'), R('192.0.2.0/24')) < 0);
  assert.ok(compareRanges(R('192.0.2.0/24'), R('2001:db8::/32')) < 0);
  assert.equal(toNumrangeLiteral(R('AS1 - AS5')), '[1,5]');
  assert.throws(() => makeRange('ipv4', 5n, 4n), RangeError);
  assert.throws(() => makeRange('ipv4', 0n, 1n << 32n), RangeError);
});

test('numrange literals round trip', () => {
  const r = R('192.0.2.0 - 192.0.3.127');
  assert.deepEqual(fromNumrangeLiteral('ipv4', toNumrangeLiteral(r)), r);
  assert.deepEqual(fromNumrangeLiteral('asn', '[1,6)'), R('AS1 - AS5'));
  assert.deepEqual(fromNumrangeLiteral('asn', '(0,5]'), R('AS1 - AS5'));
  assert.throws(() => fromNumrangeLiteral('asn', 'empty'), RangeError);
  assert.throws(() => fromNumrangeLiteral('asn', '[1,)'), RangeError);
  assert.throws(() => fromNumrangeLiteral('ipv4', '[0,4294967296]'), RangeError);
});
