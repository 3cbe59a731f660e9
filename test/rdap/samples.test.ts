/**
 * The validator is not tuned to numreg's own output: run on real RIR answers (shared/data/samples) it finds
 * exactly their known deviations from RFC 9083 — which numreg, following the RFC strictly, does not have.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { assertSchema, conformanceViolations } from './validate.js';

const DIR = new URL('../../../shared/data/samples/', import.meta.url);
const load = (name: string) => JSON.parse(readFileSync(new URL(name, DIR), 'utf8'));
const skip = existsSync(new URL('rdap-ip-arin-74.125.225.229.json', DIR)) ? false : 'shared/data/samples not present';

test('ARIN ip: zero-padded dotted quads ("074.125.000.000") are not IPv4 addresses', { skip }, () => {
  assert.throws(() => assertSchema(load('rdap-ip-arin-74.125.225.229.json'), 'arin'), /startAddress must match format "ipv4"/);
});

test('RIPE ip: nested entities without objectClassName or links, addresses with "/32"', { skip }, () => {
  const body = load('rdap-ip-ripe-62.239.237.1.json');
  assert.throws(() => assertSchema(body, 'ripe'), /entities\/0 must have required property 'objectClassName'/);
  assert.match(body.startAddress, /\/32$/);
});

test('ARIN entity: jCard version given as the number 4 instead of "4.0"', { skip }, () => {
  const body = load('rdap-entity-arin-ZG39-ARIN.json');
  assertSchema(body, 'arin entity');
  assert.ok(conformanceViolations(body, 'ARIN').includes('$: jCard must start with version 4.0'));
});

test('APNIC ip: schema-valid; entity handles carry no RFC 8521 tag and nro_rdap_profile_0 is not declared', { skip }, () => {
  const body = load('rdap-ip-apnic-210.107.73.73.json');
  assertSchema(body, 'apnic');
  const v = conformanceViolations(body, 'AP');
  assert.ok(v.includes('nro_rdap_profile_0 missing'));
  assert.ok(v.some((x) => x.includes('DB50-AP')) === false, 'DB50-AP carries the -AP tag');
  assert.ok(v.some((x) => x.includes('IRT-KRNIC-KR')));
});
