import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { importIana } from '../../src/stats/iana/import.js';
import { importDelegatedText } from '../../src/stats/delegated/import.js';
import { registerStatsRoutes } from '../../src/stats/http.js';

let t: TestDb;
let app: FastifyInstance;
let base: string;
const FILE = ['2|apnic|20230629|3|19830613|20230628|+1000',
  'apnic|*|asn|*|1|summary', 'apnic|*|ipv4|*|1|summary', 'apnic|*|ipv6|*|1|summary',
  'apnic|JP|asn|2497|32|20020405|allocated', 'apnic|AU|ipv4|1.0.0.0|256|20110811|assigned',
  'apnic|JP|ipv6|2001:200::|35|19990813|allocated', ''].join('\n');

before(async () => {
  t = await createTestDb();
  await importIana(t.db, join(import.meta.dirname, '../../data/iana'));
  await importDelegatedText(t.db, FILE);
  app = Fastify();
  registerStatsRoutes(app, t.db);
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
after(async () => {
  await app.close();
  await t.close();
});

test('GET /api/stats/<name> serves the report as JSON, with asOf; bad input is a 4xx', async () => {
  const res = await fetch(`${base}/api/stats/ipv4-by-rir`);
  assert.equal(res.status, 200);
  const body = await res.json() as { rows: { registry: string; blocks: number }[] };
  assert.equal(body.rows.find((r) => r.registry === 'ARIN')!.blocks, 95);
  const old = await (await fetch(`${base}/api/stats/asn-reserved?asOf=2000-01-01`)).json() as { asOf: string; rows: { reserved: number }[] };
  assert.equal(old.asOf, '2000-01-01');
  assert.equal(old.rows[0]!.reserved, 0);
  assert.equal((await fetch(`${base}/api/stats/asn-reserved?asOf=yesterday`)).status, 400);
  assert.equal((await fetch(`${base}/api/stats/asn-reserved?asOf=2024-02-30`)).status, 400);
  const missing = await fetch(`${base}/api/stats/nope`);
  assert.equal(missing.status, 404);
  assert.match((await missing.json() as { message: string }).message, /unknown report "nope"/);
  const list = await (await fetch(`${base}/api/stats`)).json() as { reports: { name: string }[] };
  assert.ok(list.reports.some((r) => r.name === 'utilisation'));
});

test('GET /stats/delegated-<registry>-latest, -extended-latest and their .md5', async () => {
  const res = await fetch(`${base}/stats/delegated-apnic-latest`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type')!, /^text\/plain/);
  const text = await res.text();
  const lines = text.trimEnd().split('\n');
  assert.match(lines[0]!, /^2\|apnic\|\d{8}\|3\|19990813\|\d{8}\|\+0000$/);
  assert.deepEqual(new Set(lines.slice(4)), new Set(FILE.split('\n').slice(4, 7)));
  const md5 = await (await fetch(`${base}/stats/delegated-apnic-latest.md5`)).text();
  assert.equal(md5, `MD5 (delegated-apnic-latest) = ${createHash('md5').update(text).digest('hex')}\n`);
  const ext = await (await fetch(`${base}/stats/delegated-apnic-extended-latest`)).text();
  assert.match(ext, /^2\.3\|apnic\|/);
  assert.match(ext, /^apnic\|AU\|ipv4\|1\.0\.0\.0\|256\|20110811\|assigned\|APNIC-CC-AU$/m);
  const extMd5 = await (await fetch(`${base}/stats/delegated-apnic-extended-latest.md5`)).text();
  assert.equal(extMd5, `MD5 (delegated-apnic-extended-latest) = ${createHash('md5').update(ext).digest('hex')}\n`);
  assert.equal((await fetch(`${base}/stats/delegated-nosuch-latest`)).status, 404);
  assert.equal((await fetch(`${base}/stats/whatever.txt`)).status, 404);
});
