import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { irrdSamples, SAMPLES_DIR } from './fixtures.js';
import { parseObject } from '../../src/irr/validate.js';
import { formatObject } from '../../src/irr/format.js';
import { splitObjects } from '../../src/irr/parser.js';
import { CLASSES } from '../../src/irr/classes.js';

const samples = irrdSamples();
const VALID = [
  'SAMPLE_AS_BLOCK', 'SAMPLE_AS_SET', 'SAMPLE_AUT_NUM', 'SAMPLE_DOMAIN', 'SAMPLE_FILTER_SET', 'SAMPLE_INET_RTR',
  'SAMPLE_INET6NUM', 'SAMPLE_INETNUM', 'SAMPLE_IRT', 'SAMPLE_KEY_CERT', 'SAMPLE_MNTNER', 'SAMPLE_ORGANISATION',
  'SAMPLE_PEERING_SET', 'SAMPLE_PERSON', 'SAMPLE_ROLE', 'SAMPLE_ROUTE', 'SAMPLE_ROUTE_SET', 'SAMPLE_ROUTE6',
  'SAMPLE_RTR_SET',
];

// Each invalid fixture with the precise reason it must be rejected for.
const INVALID: Record<string, RegExp> = {
  SAMPLE_UNKNOWN_CLASS: /^unknown object class: foo-block$/,
  SAMPLE_MALFORMED_EMPTY_LINE: /^Line 4: empty line in the middle of an object/,
  SAMPLE_LEGACY_IRRD_ARTIFACT: /^Line 1: malformed attribute name: \[\*xxte\]$/,
  SAMPLE_MALFORMED_ATTRIBUTE_NAME: /^Line 3: malformed attribute name: \[\$\$\$-by\]$/,
  SAMPLE_MISSING_MANDATORY_ATTRIBUTE: /^mandatory attribute mnt-by on object route is missing$/,
  SAMPLE_UNKNOWN_ATTRIBUTE: /^Line 4: unrecognised attribute foo on object route$/,
  SAMPLE_INVALID_MULTIPLE_ATTRIBUTE: /^Line 6: attribute source on object route occurs multiple times, but is only allowed once$/,
  SAMPLE_MALFORMED_PK: /^Line 1: route: invalid IPv4 address prefix: not-a-prefix/,
  SAMPLE_MALFORMED_SOURCE: /^Line 5: source: invalid source name: \+TEST\$\$\$$/,
  SAMPLE_MISSING_SOURCE: /^mandatory attribute source on object route is missing$/,
  SAMPLE_LINE_NEITHER_CONTINUATION_NOR_ATTR: /^Line 4: line is neither a continuation line nor an attribute: \[or\]$/,
};

test('fixture file has 19 valid and 11 invalid samples', () => {
  assert.equal(samples.size, 30);
  for (const n of [...VALID, ...Object.keys(INVALID)]) assert.ok(samples.has(n), n);
});

for (const name of VALID) {
  test(`valid: ${name} parses, validates and round-trips through the formatter`, () => {
    const r = parseObject(samples.get(name)!);
    assert.deepEqual(r.errors, []);
    const again = parseObject(formatObject(r.object!));
    assert.deepEqual(again.errors, []);
    assert.equal(again.object!.pkey, r.object!.pkey);
    assert.deepEqual([...again.object!.values], [...r.object!.values]);
  });
}

for (const [name, reason] of Object.entries(INVALID)) {
  test(`invalid: ${name} is rejected with the precise reason`, () => {
    const r = parseObject(samples.get(name)!);
    assert.equal(r.object, undefined);
    assert.equal(r.errors.length, 1, JSON.stringify(r.errors));
    assert.match(r.errors[0].message, reason);
  });
}

test('normalisation: keys, continuation, comments, generated attributes', () => {
  const route = parseObject(samples.get('SAMPLE_ROUTE')!).object!;
  assert.equal(route.pkey, '192.0.2.0/24AS65537');
  assert.equal(route.origin, 65537n);
  const text = formatObject(route);
  assert.match(text, /^route:          192\.0\.2\.0\/24\n/);
  assert.match(text, /but this value should not: 192\.0\.02\.0\/24/);
  assert.doesNotMatch(text, /rpki-ov-state/);
  const aut = parseObject(samples.get('SAMPLE_AUT_NUM')!).object!;
  assert.equal(aut.pkey, 'AS65537');
  assert.deepEqual(aut.values.get('descr'), ['description foo']);
  const set = parseObject(samples.get('SAMPLE_AS_SET')!).object!;
  assert.equal(set.pkey, 'AS65537:AS-SETTEST');
  assert.deepEqual(set.members, ['AS65538', 'AS65539', 'AS65537', 'AS-OTHERSET']);
  const rs = parseObject(samples.get('SAMPLE_ROUTE_SET')!).object!;
  assert.deepEqual(rs.members, ['RS-OTHER-SET', '2001:db8::/48']);
  const mnt = parseObject(samples.get('SAMPLE_MNTNER')!).object!;
  assert.deepEqual(mnt.mntBy, ['TEST-MNT', 'OTHER1-MNT', 'OTHER2-MNT']);
  assert.equal(mnt.values.get('auth')!.length, 4);
  const block = parseObject(samples.get('SAMPLE_AS_BLOCK')!).object!;
  assert.equal(block.pkey, 'AS65536 - AS65538');
});

test('case-insensitive attribute names, tab and + continuation, errors name line and attribute', () => {
  const r = parseObject('ROUTE: 192.0.2.0/24\nOrigin: AS64496\n\t# only a comment\nmnt-by: A-MNT,\n+ B-MNT\nsource: NUMREG\n');
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.object!.mntBy, ['A-MNT', 'B-MNT']);
  const bad = parseObject('route: 192.0.2.0/24\norigin: AS64496\nmnt-by: A-MNT\nchanged: not-an-email\nsource: NUMREG\n');
  assert.equal(bad.errors[0].line, 4);
  assert.equal(bad.errors[0].attribute, 'changed');
  const hostBits = parseObject('route6: 2001:db8::1/32\norigin: AS64496\nmnt-by: A-MNT\nsource: NUMREG\n');
  assert.match(hostBits.errors[0].message, /host bits set/);
  const wrongSet = parseObject('as-set: RS-FOO\nmnt-by: A-MNT\nsource: NUMREG\n');
  assert.match(wrongSet.errors[0].message, /invalid as-set name: RS-FOO/);
  const hier = parseObject('as-set: AS64496:AS-CUSTOMERS:AS-V4\nmembers: AS64496:AS-OTHER, AS1.10\nmnt-by: A-MNT\nsource: NUMREG\n');
  assert.deepEqual(hier.errors, []);
  assert.deepEqual(hier.object!.members, ['AS64496:AS-OTHER', 'AS65546']);
});

test('every class declares a primary key, source and mnt-by', () => {
  assert.ok(CLASSES.length >= 19);
  for (const c of CLASSES) {
    assert.ok(c.primaryKey.length >= 1, c.name);
    assert.ok(c.byName.get('source')?.mandatory, c.name);
    assert.ok(c.byName.get('mnt-by'), c.name);
  }
});

test('real RIR objects (rpsl-samples.txt) split and parse; RPSL classes validate non-strictly', () => {
  const text = readFileSync(`${SAMPLES_DIR}/rpsl-samples.txt`, 'utf8');
  const objs = [...splitObjects(text)];
  assert.equal(objs.length, 23);
  let known = 0;
  for (const o of objs) {
    const r = parseObject(o.text, { strict: false });
    if (r.errors.some((e) => e.message.startsWith('unknown object class'))) continue; // organisation-style RIR classes only
    known++;
    assert.deepEqual(r.errors, [], o.text.split('\n')[0]);
  }
  assert.ok(known >= 20);
});
