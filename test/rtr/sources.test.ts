// VRP sources: rpki-client JSON rules (asn forms, host bits, maxLength, expiry), SLURM validation and
// application (RFC 8416), set diffs and serial bookkeeping, file reload, URL source, push source, merging.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { parseRpkiJson, parseRpkiJsonFile } from '../../src/rtr/sources/rpki-json.js';
import { RoasSplitter } from '../../src/rtr/sources/json-split.js';
import { applySlurm, parseSlurm, SlurmError } from '../../src/rtr/sources/slurm.js';
import { mergeSources } from '../../src/rtr/sources/merge.js';
import { decodeKey, decodeVrpKey, isVrpKey, vrpKey } from '../../src/rtr/records.js';
import { RecordSet, SerialState, composeDiffs, diffSets, applyDiff, sortKeys } from '../../src/rtr/vrp-set.js';
import { startRtrService, type Vrp } from '../../src/rtr/index.js';
import { makeVrps, tmpDir, vrpSetOf, waitFor, writeVrpJson } from './helpers.js';

const vrps = (keys: readonly string[]) => keys.filter(isVrpKey).map(decodeVrpKey);

test('rpki-client JSON: asn forms, host bits masked, maxLength rules, expired entries dropped', () => {
  const now = 1_700_000_000;
  const doc = {
    metadata: { buildtime: '2023-11-14T22:13:20Z' },
    roas: [
      { prefix: '192.0.2.0/24', maxLength: 24, asn: 'AS64496', ta: 'x' },
      { prefix: '198.51.100.0/22', maxLength: 24, asn: 64497 },
      { prefix: '203.0.113.0/24', maxLength: 24, asn: '64498' },
      { prefix: '192.0.2.1/24', maxLength: 24, asn: 64499 }, // host bits -> 192.0.2.0/24
      { prefix: '2001:DB8::/32', maxLength: 48, asn: 'as64496' },
      { prefix: '10.0.0.0/8', asn: 64500 }, // no maxLength
      { prefix: '10.0.0.0/16', maxLength: 8, asn: 64500 }, // maxLength < length
      { prefix: '10.0.0.0/16', maxLength: 33, asn: 64500 },
      { prefix: '10.1.0.0/16', maxLength: 16, asn: 64500, expires: now - 1 },
      { prefix: '10.2.0.0/16', maxLength: 16, asn: 64500, expires: now + 60 },
      { prefix: 'bogus', maxLength: 16, asn: 1 },
      { prefix: '10.3.0.0/16', maxLength: 16, asn: 'ASX' },
      { prefix: '::ffff:192.0.2.0/120', maxLength: 128, asn: 1 },
    ],
  };
  const p = parseRpkiJson(JSON.stringify(doc), now);
  assert.deepEqual(vrps(p.keys), [
    { prefix: '192.0.2.0/24', maxLength: 24, asn: 64496 },
    { prefix: '198.51.100.0/22', maxLength: 24, asn: 64497 },
    { prefix: '203.0.113.0/24', maxLength: 24, asn: 64498 },
    { prefix: '192.0.2.0/24', maxLength: 24, asn: 64499 },
    { prefix: '2001:db8::/32', maxLength: 48, asn: 64496 },
    { prefix: '10.2.0.0/16', maxLength: 16, asn: 64500 },
    { prefix: '::ffff:c000:200/120', maxLength: 128, asn: 1 },
  ]);
  assert.deepEqual(p.dropped, { 'bad maxLength': 3, expired: 1, 'bad prefix': 1, 'bad asn': 1 });
  assert.equal(p.buildtime, '2023-11-14T22:13:20Z');
  assert.throws(() => parseRpkiJson('{"roas": [1,2'), /JSON/);
  assert.throws(() => parseRpkiJson('{"metadata": {}}'), /"roas" must be an array/);
  // strings with escapes and nested values elsewhere do not confuse the splitter
  const tricky = '{"x":{"a":["]}\\"",{"b":[1,2]}]},"roas":[{"prefix":"192.0.2.0/24","maxLength":24,"asn":1,"ta":"a\\"},{"}],"y":"roas"}';
  assert.deepEqual(vrps(parseRpkiJson(tricky).keys), [{ prefix: '192.0.2.0/24', maxLength: 24, asn: 1 }]);
});

test('streaming splitter: any chunking and batch size gives back the same document', () => {
  const doc = {
    metadata: { buildtime: 'x', note: 'has "roas": [ and } and \\ inside' },
    before: [{ a: '}', b: ['[', '{'] }, '\\"'],
    roas: [
      { prefix: '192.0.2.0/24', maxLength: 24, asn: 1, ta: 'a"}],{' },
      { prefix: '198.51.100.0/24', maxLength: 24, asn: 'AS2', ta: '\\' },
      { prefix: '2001:db8::/32', maxLength: 32, asn: 3, ta: 'ü', nested: { x: [1, { y: 2 }] } },
      { prefix: '203.0.113.0/24', maxLength: 24, asn: 4 },
      { prefix: '203.0.113.0/25', maxLength: 25, asn: 5 },
    ],
    after: { roas: [{ no: 'not the top-level roas' }] },
  };
  const text = Buffer.from(JSON.stringify(doc, null, 1));
  for (const chunk of [1, 2, 3, 5, 7, 13, 64, text.length]) {
    for (const batch of [1, 2, 3, 100]) {
      const got: unknown[] = [];
      const sp = new RoasSplitter((t) => got.push(...(JSON.parse(t) as unknown[])), batch);
      for (let i = 0; i < text.length; i += chunk) sp.feed(Buffer.from(text.subarray(i, i + chunk)));
      const rest = JSON.parse(sp.end()) as typeof doc;
      assert.deepEqual(rest.roas, []);
      assert.deepEqual({ ...rest, roas: got }, doc, `chunk ${chunk} batch ${batch}`);
    }
  }
  assert.throws(() => { const sp = new RoasSplitter(() => {}); sp.feed(Buffer.from('{"roas": [{"a": 1}')); sp.end(); }, /unexpected end/);
});

test('parseRpkiJsonFile reads in chunks and agrees with parseRpkiJson', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'v.json');
  writeVrpJson(file, makeVrps(20000, 5));
  const a = await parseRpkiJsonFile(file);
  const b = parseRpkiJson(fs.readFileSync(file));
  assert.equal(a.keys.length, 20000);
  assert.deepEqual(a.keys, b.keys);
  fs.rmSync(dir, { recursive: true });
});

test('rpki-client JSON: BGPsec router keys and ASPAs (both layouts)', () => {
  const ski = 'AB'.repeat(20);
  const p = parseRpkiJson(JSON.stringify({
    roas: [],
    bgpsec_keys: [{ asn: 64496, ski, pubkey: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE' }, { asn: 1, ski: 'zz', pubkey: 'x' }],
    provider_authorizations: { ipv4: [{ customer_asid: 64496, providers: [2, 1] }], ipv6: [{ customer_asid: 64496, providers: [3] }] },
    aspas: [{ customer_asid: 64497, providers: ['AS5'] }],
  }));
  assert.equal(p.routerKeys, 1);
  assert.equal(p.dropped['bad router key'], 1);
  const recs = p.keys.map(decodeKey);
  assert.deepEqual(recs.find((r) => r.kind === 'routerKey'), { kind: 'routerKey', key: { asn: 64496, ski: ski.toLowerCase(), spki: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE' } });
  assert.deepEqual(recs.filter((r) => r.kind === 'aspa').map((r) => (r.kind === 'aspa' ? r.aspa : null)), [
    { customer: 64497, providers: [5] },
    { customer: 64496, providers: [1, 2, 3] },
  ]);
});

test('diffs: sorted merge, composition over several serials, sortKeys equals a plain sort', () => {
  const a = RecordSet.fromKeys(makeVrps(500, 1).map((v) => vrpKey(v.prefix, v.maxLength, v.asn)));
  const b = RecordSet.fromKeys(makeVrps(700, 1).slice(100).map((v) => vrpKey(v.prefix, v.maxLength, v.asn)));
  const c = RecordSet.fromKeys(makeVrps(300, 1).map((v) => vrpKey(v.prefix, v.maxLength, v.asn)));
  const ab = diffSets(a, b);
  assert.equal(ab.withdrawn.length, 100);
  assert.equal(ab.announced.length, 200);
  assert.deepEqual(applyDiff(a, ab).keys, b.keys);
  const ac = composeDiffs([ab, diffSets(b, c)]);
  assert.deepEqual(ac, diffSets(a, c));
  const keys = makeVrps(5000, 3).map((v) => vrpKey(v.prefix, v.maxLength, v.asn));
  assert.deepEqual(sortKeys(keys), keys.slice().sort());
});

test('serial bookkeeping: only a changed set bumps the serial; history of N diffs', () => {
  const st = new SerialState({ historySize: 2, initialSerial: 0xffffffff });
  const set = (n: number) => RecordSet.fromKeys(makeVrps(n, 2).map((v) => vrpKey(v.prefix, v.maxLength, v.asn)));
  st.update(set(10));
  assert.equal(st.serial, 0xffffffff);
  assert.equal(st.update(set(10)), undefined);
  assert.equal(st.serial, 0xffffffff);
  st.update(set(11));
  assert.equal(st.serial, 0, 'serial wraps (RFC 1982)');
  st.update(set(12));
  st.update(set(13));
  assert.equal(st.historyLength(), 2);
  const d = st.deltaFrom(0);
  assert.equal(d.kind === 'delta' && d.diff.announced.length, 2);
  assert.equal(st.deltaFrom(0xffffffff).kind, 'reset');

  // whole-set replacements: history is also bounded by records, not only by count
  const big = (asn: number) => RecordSet.fromKeys(Array.from({ length: 60_000 }, (_, i) => vrpKey(`10.${i >> 8}.${i & 255}.0/24`, 24, asn)));
  const st2 = new SerialState();
  st2.update(big(1));
  st2.update(big(2));
  st2.update(big(3));
  assert.equal(st2.historyLength(), 1);
  assert.equal(st2.deltaFrom(st2.serial - 2).kind, 'reset');
  assert.equal(st2.deltaFrom(st2.serial - 1).kind, 'delta');
});

const slurmBase = () => ({
  slurmVersion: 1,
  validationOutputFilters: { prefixFilters: [] as unknown[], bgpsecFilters: [] as unknown[] },
  locallyAddedAssertions: { prefixAssertions: [] as unknown[], bgpsecAssertions: [] as unknown[] },
});

test('SLURM: filters (prefix covers, asn, both) and assertions, RFC 8416 section 4', () => {
  const s = slurmBase();
  s.validationOutputFilters.prefixFilters.push({ prefix: '192.0.2.0/24', comment: 'all of 192.0.2.0/24' }, { asn: 64497 }, { prefix: '2001:db8::/32', asn: 64496 });
  s.validationOutputFilters.bgpsecFilters.push({ asn: 64496 });
  s.locallyAddedAssertions.prefixAssertions.push({ asn: 64510, prefix: '198.51.100.0/24', maxPrefixLength: 26 }, { asn: 64511, prefix: '2001:db8:1::/48' });
  const slurm = parseSlurm(JSON.stringify(s));
  const input: Vrp[] = [
    { prefix: '192.0.2.0/24', maxLength: 24, asn: 1 },
    { prefix: '192.0.2.128/25', maxLength: 25, asn: 2 },
    { prefix: '192.0.0.0/16', maxLength: 24, asn: 3 }, // covers the filter, not covered by it: kept
    { prefix: '203.0.113.0/24', maxLength: 24, asn: 64497 },
    { prefix: '2001:db8:5::/48', maxLength: 48, asn: 64496 },
    { prefix: '2001:db8:5::/48', maxLength: 48, asn: 64499 },
  ];
  const out = applySlurm(input.map((v) => vrpKey(v.prefix, v.maxLength, v.asn)), slurm);
  assert.deepEqual(vrpSetOf(vrps(out)), vrpSetOf([
    { prefix: '192.0.0.0/16', maxLength: 24, asn: 3 },
    { prefix: '2001:db8:5::/48', maxLength: 48, asn: 64499 },
    { prefix: '198.51.100.0/24', maxLength: 26, asn: 64510 },
    { prefix: '2001:db8:1::/48', maxLength: 48, asn: 64511 },
  ]));
});

test('SLURM: strict validation with the JSON path in the message', () => {
  type S = ReturnType<typeof slurmBase>;
  const bad: [(s: S) => unknown, RegExp][] = [
    [(s) => ({ ...s, slurmVersion: 2 }), /slurmVersion: must be 1/],
    [(s) => ({ ...s, extra: 1 }), /unknown member "extra"/],
    [(s) => ({ slurmVersion: 1, validationOutputFilters: s.validationOutputFilters }), /missing member "locallyAddedAssertions"/],
    [(s) => (s.validationOutputFilters.prefixFilters.push({ comment: 'nothing' }), s), /prefixFilters\[0\]: needs "prefix", "asn" or both/],
    [(s) => (s.validationOutputFilters.prefixFilters.push({ prefix: '192.0.2.1/24' }), s), /prefixFilters\[0\]\.prefix: "192\.0\.2\.1\/24" has host bits set/],
    [(s) => (s.validationOutputFilters.prefixFilters.push({ asn: 'AS1' }), s), /prefixFilters\[0\]\.asn: "AS1" is not an AS number/],
    [(s) => (s.locallyAddedAssertions.prefixAssertions.push({ asn: 1, prefix: '192.0.2.0/24', maxPrefixLength: 33 }), s), /prefixAssertions\[0\]\.maxPrefixLength: 33 must be an integer in 24\.\.32/],
    [(s) => (s.locallyAddedAssertions.prefixAssertions.push({ asn: 1, prefix: '192.0.2.0/24', maxPrefixLength: 23 }), s), /maxPrefixLength: 23/],
    [(s) => (s.locallyAddedAssertions.prefixAssertions.push({ prefix: '192.0.2.0/24' }), s), /prefixAssertions\[0\]: missing member "asn"/],
    [(s) => (s.locallyAddedAssertions.bgpsecAssertions.push({ asn: 1, SKI: 'abc', routerPublicKey: 'MFkw' }), s), /bgpsecAssertions\[0\]\.SKI: SKI must decode to 20 octets/],
    [(s) => (s.validationOutputFilters.bgpsecFilters.push({ asn: 1, ski: 'x' }), s), /bgpsecFilters\[0\]: unknown member "ski"/],
  ];
  for (const [f, re] of bad) assert.throws(() => parseSlurm(JSON.stringify(f(slurmBase()))), (e: unknown) => e instanceof SlurmError && re.test(e.message));
  assert.throws(() => parseSlurm('{'), /not JSON/);
});

test('merge: sources union, dedupe, SLURM, one ASPA per customer', () => {
  const a = [vrpKey('192.0.2.0/24', 24, 1), vrpKey('192.0.2.0/24', 24, 2)];
  const b = [vrpKey('192.0.2.0/24', 24, 1), vrpKey('2001:db8::/32', 32, 3)];
  assert.equal(mergeSources([a, b]).size, 3);
  const s = slurmBase();
  s.validationOutputFilters.prefixFilters.push({ asn: 2 });
  assert.equal(mergeSources([a, b], parseSlurm(JSON.stringify(s))).size, 2);
});

test('service: file reload (atomic rename and in-place rewrite), SLURM file, push source, URL source', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'vrps.json');
  const slurmFile = path.join(dir, 'slurm.json');
  writeVrpJson(file, [{ prefix: '192.0.2.0/24', maxLength: 24, asn: 64496 }, { prefix: '198.51.100.0/24', maxLength: 24, asn: 64497 }]);
  const s = slurmBase();
  s.validationOutputFilters.prefixFilters.push({ asn: 64497 });
  fs.writeFileSync(slurmFile, JSON.stringify(s));
  let own: Vrp[] = [{ prefix: '203.0.113.0/24', maxLength: 24, asn: 64498 }];
  let notify = () => {};
  const served = JSON.stringify({ roas: [{ prefix: '2001:db8::/32', maxLength: 48, asn: 'AS64499' }] });
  const httpServer = http.createServer((req, res) => {
    res.setHeader('etag', '"v1"');
    if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
    res.end(served);
  });
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(httpServer.address() as { port: number }).port}/vrps.json`;
  const svc = await startRtrService({
    vrpJsonPath: file,
    vrpJsonUrl: url,
    slurmPath: slurmFile,
    pollMs: 100,
    extraSources: [{ name: 'numreg-ca', current: () => own, onChange: (cb) => void (notify = cb) }],
  });
  try {
    const now = () => vrpSetOf(svc.vrps());
    assert.deepEqual(now(), vrpSetOf([
      { prefix: '192.0.2.0/24', maxLength: 24, asn: 64496 },
      { prefix: '203.0.113.0/24', maxLength: 24, asn: 64498 },
      { prefix: '2001:db8::/32', maxLength: 48, asn: 64499 },
    ]));
    assert.deepEqual(svc.sources().map((x) => [x.name, x.vrps]), [['json:vrps.json', 2], [`url:${url}`, 1], ['numreg-ca', 1]]);
    const s0 = svc.serial();
    own = [];
    notify();
    await waitFor(() => svc.serial() === s0 + 1, 5000, 'push source change');
    fs.writeFileSync(file, JSON.stringify({ roas: [{ prefix: '192.0.2.0/25', maxLength: 25, asn: 64496 }] })); // in place
    await waitFor(() => now().has('192.0.2.0/25 25 64496'), 5000, 'in-place rewrite picked up');
    // a broken file keeps the last good data
    fs.writeFileSync(file, '{"roas": [');
    await waitFor(() => svc.sources()[0]!.lastError !== undefined, 5000, 'error recorded');
    assert.ok(now().has('192.0.2.0/25 25 64496'));
    // SLURM change: drop the filter, add an assertion
    const s2 = slurmBase();
    s2.locallyAddedAssertions.prefixAssertions.push({ asn: 64501, prefix: '198.18.0.0/15' });
    fs.writeFileSync(slurmFile, JSON.stringify(s2));
    await waitFor(() => now().has('198.18.0.0/15 15 64501'), 5000, 'SLURM reload');
  } finally {
    await svc.close();
    httpServer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
