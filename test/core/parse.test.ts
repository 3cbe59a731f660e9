import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRange, parseAsn, parsePrefix, parseResource, ResourceParseError, formatAsn, formatAsdot, formatPrefix, prefixToRange } from '../../src/core/index.js';

const V4 = (s: string) => {
  const [a, b, c, d] = s.split('.').map(BigInt);
  return (a! << 24n) | (b! << 16n) | (c! << 8n) | d!;
};
const DB8 = 0x20010db8n << 96n;

const ok: [string, 'ipv4' | 'ipv6' | 'asn', bigint, bigint, string][] = [
  // prefixes
  ['192.0.2.0/24', 'ipv4', V4('192.0.2.0'), V4('192.0.2.255'), '192.0.2.0/24'],
  [' 192.0.2.0 / 24 ', 'ipv4', V4('192.0.2.0'), V4('192.0.2.255'), '192.0.2.0/24'],
  ['0.0.0.0/0', 'ipv4', 0n, V4('255.255.255.255'), '0.0.0.0/0'],
  ['192.0.2.7/32', 'ipv4', V4('192.0.2.7'), V4('192.0.2.7'), '192.0.2.7/32'],
  ['2001:db8::/32', 'ipv6', DB8, DB8 + (1n << 96n) - 1n, '2001:db8::/32'],
  ['2001:DB8:0::/48', 'ipv6', DB8, DB8 + (1n << 80n) - 1n, '2001:db8::/48'],
  ['::/0', 'ipv6', 0n, (1n << 128n) - 1n, '::/0'],
  // abbreviated IPv4 prefixes (APNIC style)
  ['10/8', 'ipv4', V4('10.0.0.0'), V4('10.255.255.255'), '10.0.0.0/8'],
  ['192.168/16', 'ipv4', V4('192.168.0.0'), V4('192.168.255.255'), '192.168.0.0/16'],
  ['202.12.29/24', 'ipv4', V4('202.12.29.0'), V4('202.12.29.255'), '202.12.29.0/24'],
  ['172.16/12', 'ipv4', V4('172.16.0.0'), V4('172.31.255.255'), '172.16.0.0/12'],
  // ranges
  ['192.0.2.0 - 192.0.3.127', 'ipv4', V4('192.0.2.0'), V4('192.0.3.127'), '192.0.2.0 - 192.0.3.127'],
  ['192.0.2.0-192.0.3.127', 'ipv4', V4('192.0.2.0'), V4('192.0.3.127'), '192.0.2.0 - 192.0.3.127'],
  ['192.0.2.0 -192.0.2.255', 'ipv4', V4('192.0.2.0'), V4('192.0.2.255'), '192.0.2.0/24'],
  ['192.0.2.5 - 192.0.2.5', 'ipv4', V4('192.0.2.5'), V4('192.0.2.5'), '192.0.2.5/32'],
  ['2001:db8::1 - 2001:db8::ff', 'ipv6', DB8 + 1n, DB8 + 255n, '2001:db8::1 - 2001:db8::ff'],
  // single addresses
  ['192.0.2.1', 'ipv4', V4('192.0.2.1'), V4('192.0.2.1'), '192.0.2.1/32'],
  ['2001:db8::1', 'ipv6', DB8 + 1n, DB8 + 1n, '2001:db8::1/128'],
  ['::ffff:192.0.2.1', 'ipv6', 0xffffc0000201n, 0xffffc0000201n, '::ffff:192.0.2.1/128'],
  // AS numbers
  ['AS64496', 'asn', 64496n, 64496n, 'AS64496'],
  ['as64496', 'asn', 64496n, 64496n, 'AS64496'],
  ['As64496', 'asn', 64496n, 64496n, 'AS64496'],
  ['64496', 'asn', 64496n, 64496n, 'AS64496'],
  ['0', 'asn', 0n, 0n, 'AS0'],
  ['4294967295', 'asn', 4294967295n, 4294967295n, 'AS4294967295'],
  ['1.10', 'asn', 65546n, 65546n, 'AS65546'],
  ['AS1.10', 'asn', 65546n, 65546n, 'AS65546'],
  ['0.64496', 'asn', 64496n, 64496n, 'AS64496'],
  ['65535.65535', 'asn', 4294967295n, 4294967295n, 'AS4294967295'],
  // AS ranges
  ['AS1 - AS5', 'asn', 1n, 5n, 'AS1 - AS5'],
  ['AS64496-AS64511', 'asn', 64496n, 64511n, 'AS64496 - AS64511'],
  ['64496 - 64511', 'asn', 64496n, 64511n, 'AS64496 - AS64511'],
  ['AS1 - 5', 'asn', 1n, 5n, 'AS1 - AS5'],
  ['AS1.0 - AS1.10', 'asn', 65536n, 65546n, 'AS65536 - AS65546'],
  ['AS7 - AS7', 'asn', 7n, 7n, 'AS7'],
];

for (const [text, family, start, end, formatted] of ok) {
  test(`parseResource ${JSON.stringify(text)} → ${formatted}`, () => {
    const r = parseResource(text);
    assert.deepEqual(r, { family, start, end });
    assert.equal(formatRange(r), formatted);
    assert.deepEqual(parseResource(formatted), r);
  });
}

const bad: [string, string][] = [
  ['', 'empty input'],
  ['   ', 'empty input'],
  ['AS-FOO', 'this is an AS-set name, not an AS number'],
  ['as-foo', 'this is an AS-set name, not an AS number'],
  ['AS64496:AS-CUSTOMERS', 'this is an AS-set name, not an AS number'],
  ['fish', 'not a prefix, address, range or AS number'],
  ['AS', 'AS number is missing after "AS"'],
  ['AS 64496', 'no blank allowed between "AS" and the number'],
  ['ASfoo', 'not an AS number (expected AS64496, 64496 or asdot 1.10)'],
  ['AS4294967296', 'AS number 4294967296 is above 4294967295'],
  ['4294967296', 'AS number 4294967296 is above 4294967295'],
  ['AS064496', 'AS number "064496" has a leading zero'],
  ['1.65536', 'asdot low part 65536 is above 65535'],
  ['65536.0', 'asdot high part 65536 is above 65535'],
  ['1.010', 'asdot low part "010" has a leading zero'],
  ['192.0.2.256', 'octet 4 is 256, above 255'],
  ['192.0.2', 'an IPv4 address has 4 dot-separated octets, found 3'],
  ['192.0.2.01', 'octet 4 "01" has a leading zero (ambiguous: octal or decimal)'],
  ['192.0.2.1/24', 'host bits set beyond /24 (the prefix is 192.0.2.0/24)'],
  ['192.0.2.0/33', 'prefix length /33 is above /32 for IPv4'],
  ['2001:db8::/129', 'prefix length /129 is above /128 for IPv6'],
  ['192.0.2.0/', 'prefix length is missing after "/"'],
  ['192.0.2.0/024', 'prefix length "024" is not a decimal number without leading zeros'],
  ['192.0.2.0/x', 'prefix length "x" is not a decimal number without leading zeros'],
  ['192.0.2.0/24/25', 'more than one "/"'],
  ['/24', 'empty address'],
  ['2001:db8::1/32', 'host bits set beyond /32 (the prefix is 2001:db8::/32)'],
  ['10/16', 'abbreviated prefix gives 1 octet, too few for /16; write the full address'],
  ['192.168/24', 'abbreviated prefix gives 2 octets, too few for /24; write the full address'],
  ['10.01/16', 'octet 2 "01" has a leading zero (ambiguous: octal or decimal)'],
  ['192.0.3.0 - 192.0.2.0', 'range start 192.0.3.0 is above end 192.0.2.0'],
  ['AS5 - AS1', 'range start AS5 is above end AS1'],
  ['192.0.2.0 - 2001:db8::', 'range start is IPv4 but end is IPv6'],
  ['192.0.2.0 - AS5', 'range start is IPv4 but end is an AS number'],
  ['192.0.2.0 - 192.0.2.256', 'range end "192.0.2.256": octet 4 is 256, above 255'],
  ['192.0.2.0 - ', 'range end is missing after "-"'],
  ['- 192.0.2.0', 'range start is missing before "-"'],
  ['1.2.3.4 - 1.2.3.5 - 1.2.3.6', 'a range has exactly one "-"'],
  ['192.0.2.0/24 - 192.0.3.0/24', 'range ends are single values, not prefixes'],
  ['2001:db8::g', 'group "g" is not hexadecimal'],
  ['AS1 - fish', 'range end "fish": not a prefix, address, range or AS number'],
  ['-5', 'range start is missing before "-"'],
];

for (const [text, reason] of bad) {
  test(`parseResource rejects ${JSON.stringify(text)}: ${reason}`, () => {
    assert.throws(() => parseResource(text), (e: unknown) => {
      assert.ok(e instanceof ResourceParseError, String(e));
      assert.equal(e.reason, reason);
      assert.equal(e.input, text);
      assert.equal(e.message, `${JSON.stringify(text)}: ${reason}`);
      return true;
    });
  });
}

test('the brief\'s example message', () => {
  assert.throws(() => parseResource('192.0.2.256'), { message: '"192.0.2.256": octet 4 is 256, above 255' });
});

test('parsePrefix is strict by default and masks host bits only when asked', () => {
  assert.throws(() => parsePrefix('10/8'), { message: '"10/8": an IPv4 address has 4 dot-separated octets, found 1' });
  assert.deepEqual(parsePrefix('10/8', { abbreviated: true }), { family: 'ipv4', start: 10n << 24n, length: 8 });
  assert.throws(() => parsePrefix('192.0.2.1'), { message: '"192.0.2.1": a prefix needs "/length"' });
  const p = parsePrefix('192.0.2.77/24', { allowHostBits: true });
  assert.equal(formatPrefix(p), '192.0.2.0/24');
  assert.deepEqual(prefixToRange(p), { family: 'ipv4', start: V4('192.0.2.0'), end: V4('192.0.2.255') });
});

test('parseAsn and formatAsn / formatAsdot', () => {
  assert.equal(parseAsn('AS64496'), 64496n);
  assert.equal(parseAsn(' 1.10 '), 65546n);
  assert.throws(() => parseAsn('AS-FOO'), { message: '"AS-FOO": this is an AS-set name, not an AS number' });
  assert.throws(() => parseAsn('-1'), { message: '"-1": AS numbers are not negative' });
  assert.throws(() => parseAsn('1.2.3'), { message: '"1.2.3": asdot notation has exactly one "." (high.low)' });
  assert.throws(() => parseAsn(''), { message: '"": empty AS number' });
  assert.equal(formatAsn(64496n), 'AS64496');
  assert.equal(formatAsdot(64496n), 'AS64496');
  assert.equal(formatAsdot(65546n), 'AS1.10');
  assert.throws(() => formatAsn(1n << 32n), RangeError);
});
