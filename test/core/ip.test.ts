import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIp, parseIp, ResourceParseError } from '../../src/core/index.js';

const ok: [string, 'ipv4' | 'ipv6', bigint, string][] = [
  ['192.0.2.1', 'ipv4', 0xc0000201n, '192.0.2.1'],
  ['0.0.0.0', 'ipv4', 0n, '0.0.0.0'],
  ['255.255.255.255', 'ipv4', 0xffffffffn, '255.255.255.255'],
  [' 10.0.0.1 ', 'ipv4', 0x0a000001n, '10.0.0.1'],
  ['::', 'ipv6', 0n, '::'],
  ['::1', 'ipv6', 1n, '::1'],
  ['2001:db8::', 'ipv6', 0x20010db8n << 96n, '2001:db8::'],
  ['2001:0DB8:0000:0000:0000:0000:0000:0001', 'ipv6', (0x20010db8n << 96n) | 1n, '2001:db8::1'],
  ['2001:db8:0:0:1:0:0:1', 'ipv6', (0x20010db8n << 96n) | (1n << 48n) | 1n, '2001:db8::1:0:0:1'],
  ['2001:db8:0:1:1:1:1:1', 'ipv6', 0x20010db8000000010001000100010001n, '2001:db8:0:1:1:1:1:1'],
  ['2001:db8::1:0:0:0:1', 'ipv6', 0x20010db8000000010000000000000001n, '2001:db8:0:1::1'],
  ['1:0:0:2:0:0:0:3', 'ipv6', 0x00010000000000020000000000000003n, '1:0:0:2::3'],
  ['::ffff:192.0.2.1', 'ipv6', 0xffffc0000201n, '::ffff:192.0.2.1'],
  ['::FFFF:c000:0201', 'ipv6', 0xffffc0000201n, '::ffff:192.0.2.1'],
  ['64:ff9b::192.0.2.33', 'ipv6', (0x0064ff9bn << 96n) | 0xc0000221n, '64:ff9b::c000:221'],
  ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'ipv6', (1n << 128n) - 1n, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
  ['1::', 'ipv6', 1n << 112n, '1::'],
  ['0:0:0:0:0:0:0:1', 'ipv6', 1n, '::1'],
  ['1:0:2:3:4:5:6:7', 'ipv6', 0x00010000000200030004000500060007n, '1:0:2:3:4:5:6:7'],
];

for (const [text, family, value, formatted] of ok) {
  test(`parseIp ${JSON.stringify(text)}`, () => {
    assert.deepEqual(parseIp(text), { family, value });
    assert.equal(formatIp(family, value), formatted);
  });
}

const bad: [string, string][] = [
  ['', 'empty address'],
  ['192.0.2.256', 'octet 4 is 256, above 255'],
  ['300.0.0.1', 'octet 1 is 300, above 255'],
  ['01.2.3.4', 'octet 1 "01" has a leading zero (ambiguous: octal or decimal)'],
  ['1.2.3.00', 'octet 4 "00" has a leading zero (ambiguous: octal or decimal)'],
  ['192.0.2', 'an IPv4 address has 4 dot-separated octets, found 3'],
  ['1.2.3.4.5', 'an IPv4 address has 4 dot-separated octets, found 5'],
  ['1..3.4', 'octet 2 is empty'],
  ['1.2.3.x', 'octet 4 "x" is not a decimal number'],
  ['1.2.3.-1', 'octet 4 "-1" is not a decimal number'],
  ['0x1.2.3.4', 'octet 1 "0x1" is not a decimal number'],
  ['1::2::3', '"::" may appear only once'],
  [':1:2:3:4:5:6:7', 'starts with a single ":"'],
  ['1:2:3:4:5:6:7:', 'ends with a single ":"'],
  ['1:2:3:4:5:6:7', 'an IPv6 address has 8 groups (or uses "::"), found 7'],
  ['1:2:3:4:5:6:7:8:9', 'an IPv6 address has 8 groups (or uses "::"), found 9'],
  ['1:2:3:4:5:6:7:8::', '"::" stands for at least one zero group, but 8 groups are already present'],
  ['12345::', 'group "12345" has more than 4 hex digits'],
  ['2001:db8::g', 'group "g" is not hexadecimal'],
  ['fe80::1%eth0', 'zone index ("%…") is not allowed in a number resource'],
  ['::ffff:192.0.2.300', 'octet 4 is 300, above 255'],
  ['::192.0.2.1:5', 'embedded IPv4 address "192.0.2.1" must come last'],
  ['1:2:3:4:5:6:7:1.2.3.4', 'an IPv6 address has 8 groups (or uses "::"), found 9'],
  [':::', '":::" is not valid (at most two colons in a row)'],
  ['1:::2', '":::" is not valid (at most two colons in a row)'],
];

for (const [text, reason] of bad) {
  test(`parseIp rejects ${JSON.stringify(text)}: ${reason}`, () => {
    assert.throws(() => parseIp(text), (e: unknown) => {
      assert.ok(e instanceof ResourceParseError);
      assert.equal(e.input, text);
      assert.equal(e.reason, reason);
      assert.equal(e.message, `${JSON.stringify(text)}: ${reason}`);
      return true;
    });
  });
}

test('formatIp refuses values outside the family', () => {
  assert.throws(() => formatIp('ipv4', 1n << 32n), RangeError);
  assert.throws(() => formatIp('ipv6', -1n), RangeError);
});
