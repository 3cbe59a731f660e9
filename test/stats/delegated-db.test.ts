import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createTestDb, backendName, type TestDb } from '../helpers/db.js';
import { importIana } from '../../src/stats/iana/import.js';
import { importDelegated, importDelegatedText, exportDelegated, DelegatedFileError } from '../../src/stats/delegated/index.js';
import type { Db } from '../../src/db/database.js';

const SAMPLE = '/work/shared/data/samples/delegated-apnic-20230629';
const IANA_DIR = join(import.meta.dirname, '../../data/iana');
// Real APNIC records that cross the boundary between two adjacent IANA AS blocks of APNIC.
const CROSSING = ['|asn|141576|100|', '|asn|143674|3072|', '|asn|147316|1478|', '|asn|150813|100|'];

/**
 * A slice of the real APNIC file small enough for PGlite (every 25th record, plus the boundary-crossing AS
 * records), with its version line and summaries recomputed. The whole file is round-tripped by the bench.
 */
function sampleSlice(): { text: string; records: string[] } {
  const lines = readFileSync(SAMPLE, 'utf8').split('\n');
  const comments = lines.filter((l) => l.startsWith('#'));
  const all = lines.filter((l) => l && !l.startsWith('#') && !l.endsWith('|summary')).slice(1);
  const records = all.filter((l, i) => i % 25 === 0 || CROSSING.some((c) => l.includes(c)));
  const count = (t: string) => records.filter((l) => l.split('|')[2] === t).length;
  const text = [...comments, `2|apnic|20230629|${records.length}|19830613|20230628|+1000`,
    ...['asn', 'ipv4', 'ipv6'].map((t) => `apnic|*|${t}|*|${count(t)}|summary`), ...records, ''].join('\n');
  return { text, records };
}

const firstIpv4 = () => sampleSlice().records.find((l) => l.split('|')[2] === 'ipv4')!;
const ipv4Value = (dotted: string) => dotted.split('.').reduce((n, o) => n * 256n + BigInt(o), 0n);

async function exportText(db: Db, registry: string, extended = false): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await exportDelegated(db, out, { registry, extended, date: new Date('2026-11-23T00:00:00Z') });
  out.end();
  return Buffer.concat(chunks).toString('utf8');
}

async function state(db: Db) {
  const { rows } = await db.query<{ serial: string; d: string; o: string; c: string }>(
    `SELECT (SELECT serial::text FROM feed_state) AS serial, (SELECT count(*)::text FROM delegation) AS d,
            (SELECT count(*)::text FROM organisation) AS o, (SELECT count(*)::text FROM change) AS c`,
  );
  return rows[0]!;
}

let t: TestDb;
let dir: string;
before(async () => {
  t = await createTestDb();
  dir = mkdtempSync(join(tmpdir(), 'numreg-stats-'));
  await importIana(t.db, IANA_DIR);
});
after(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

test(`round trip: a real APNIC file imported and exported gives the same records (${backendName})`, async () => {
  const { text, records } = sampleSlice();
  const file = join(dir, 'delegated-apnic-slice');
  writeFileSync(file, text);
  const phases = new Set<string>();
  const result = await importDelegated(t.db, file, { onProgress: (p) => phases.add(p.phase) });
  assert.equal(result.records, records.length);
  // Crossing records are stored as one piece per IANA block: 141576|100, 147316|1478 and 150813|100 span two
  // blocks, 143674|3072 spans three.
  assert.equal(result.created, records.length + 5);
  assert.deepEqual([...phases], ['parse', 'validate', 'write', 'done']);

  const out = await exportText(t.db, 'apnic');
  const lines = out.trimEnd().split('\n');
  const first = records.map((r) => r.split('|')[5]!).filter(Boolean).sort()[0];
  assert.equal(lines[0], `2|apnic|20261123|${records.length}|${first}|20261123|+0000`);
  assert.deepEqual(lines.slice(1, 4).map((l) => l.split('|')[2]), ['asn', 'ipv4', 'ipv6']);
  assert.deepEqual(new Set(lines.slice(4)), new Set(records));
  assert.equal(lines.length - 4, records.length);
});

test('imported delegations sit under their IANA block, held per country; crossing records are cut at the boundary', async () => {
  const [, cc, , start, , , status] = firstIpv4().split('|') as string[];
  const { rows } = await t.db.query<{ parent: string; holder: string; role: string; status: string }>(
    `SELECT p.description AS parent, o.handle AS holder, o.role, d.status
       FROM delegation d JOIN delegation p ON p.id = d.parent_id JOIN organisation o ON o.id = d.holder_id
      WHERE d.registry = 'apnic' AND d.family = 'ipv4' AND d.rng @> $1::numeric`,
    [ipv4Value(start!).toString()],
  );
  assert.deepEqual(rows, [{ parent: 'APNIC', holder: `APNIC-CC-${cc}`, role: 'lir', status }]);
  const pieces = await t.db.query<{ lo: string; hi: string; parent_hi: string }>(
    `SELECT lower(d.rng)::text AS lo, upper(d.rng)::text AS hi, upper(p.rng)::text AS parent_hi
       FROM delegation d JOIN delegation p ON p.id = d.parent_id
      WHERE d.registry = 'apnic' AND d.family = 'asn' AND d.rng && numrange(141576, 141675, '[]') ORDER BY 1`,
  );
  assert.deepEqual(pieces.rows, [
    { lo: '141576', hi: '141625', parent_hi: '141625' },
    { lo: '141626', hi: '141675', parent_hi: '142649' },
  ]);
});

test('a second import of the same file changes nothing', async () => {
  const before = await state(t.db);
  const again = await importDelegatedText(t.db, sampleSlice().text);
  assert.equal(again.created + again.modified + again.deleted + again.organisationsCreated, 0);
  assert.deepEqual(await state(t.db), before);
});

test('bad lines are reported by number and nothing is imported', async () => {
  const before = await state(t.db);
  const { text } = sampleSlice();
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.includes('|ipv4|') && !l.endsWith('|summary'));
  lines[at] = lines[at]!.replace('|ipv4|', '|ipv5|');
  lines[at + 3] = lines[at + 3]!.replace(/\|(\d{8})\|/, '|20231399|');
  const file = join(dir, 'bad');
  writeFileSync(file, lines.join('\n'));
  await assert.rejects(importDelegated(t.db, file), (error: unknown) => {
    assert.ok(error instanceof DelegatedFileError);
    assert.deepEqual(error.errors.map((e) => e.line), [at + 1, at + 4]);
    assert.match(error.message, /^bad: 2 bad lines, nothing imported\n {2}line \d+: type "ipv5"/);
    return true;
  });
  assert.deepEqual(await state(t.db), before);
});

test('a record overlapping a delegation already in the registry is rejected with its line, nothing imported', async () => {
  const before = await state(t.db);
  const [, , , start, value] = firstIpv4().split('|') as string[];
  const inside = ipv4Value(start!) + 1n;
  const dotted = [24n, 16n, 8n, 0n].map((s) => String((inside >> s) & 255n)).join('.');
  const text = ['2|lacnic|20231122|2|19870101|20231122|+0000', 'lacnic|BR|asn|27648|1|20021101|allocated',
    `lacnic|BR|ipv4|${dotted}|1|20110811|assigned`, ''].join('\n');
  void value;
  await assert.rejects(importDelegatedText(t.db, text, { fileName: 'delegated-lacnic' }), (error: unknown) => {
    assert.ok(error instanceof DelegatedFileError);
    assert.equal(error.errors[0]!.line, 3);
    assert.match(error.errors[0]!.message, new RegExp(`ipv4 ${dotted.replace(/\./g, '\\.')}\\|1 overlaps ${start!.replace(/\./g, '\\.')}.*, already in the registry`));
    return true;
  });
  assert.deepEqual(await state(t.db), before);
});

test('re-import synchronises: changed records modified, dropped ones deleted, all on the change feed', async () => {
  const { text, records } = sampleSlice();
  const changed = records.find((r) => r.includes('|ipv4|'))!;
  const dropped = records.find((r) => r.includes('|ipv6|'))!;
  const next = text.replace(changed, changed.replace('|assigned', '|allocated').replace('|allocated', '|assigned'))
    .replace(`${dropped}\n`, '')
    .replace(/^2\|apnic\|20230629\|(\d+)\|/m, (_m, n) => `2|apnic|20230629|${Number(n) - 1}|`)
    .replace(/^apnic\|\*\|ipv6\|\*\|(\d+)\|summary$/m, (_m, n) => `apnic|*|ipv6|*|${Number(n) - 1}|summary`);
  const serial = BigInt((await state(t.db)).serial);
  const result = await importDelegatedText(t.db, next);
  assert.deepEqual([result.created, result.modified, result.deleted], [0, 1, 1]);
  const feed = await t.db.query<{ action: string; before_status: string | null; after_status: string | null }>(
    `SELECT action, before->>'status' AS before_status, after->>'status' AS after_status FROM change WHERE serial > $1 ORDER BY serial`,
    [serial.toString()],
  );
  assert.deepEqual(feed.rows.map((r) => r.action).sort(), ['delete', 'modify']);
  const out = await exportText(t.db, 'apnic');
  assert.ok(!out.includes(dropped));
});

test('extended format keeps opaque ids as holders and writes them back', async () => {
  const text = ['2.3|afrinic|20231122|4|00000000|20231122|00000',
    'afrinic|*|asn|*|1|summary', 'afrinic|*|ipv4|*|2|summary', 'afrinic|*|ipv6|*|1|summary',
    'afrinic|ZA|asn|36864|1|20050427|allocated|F36A2B7E',
    'afrinic|ZA|ipv4|41.0.0.0|2097152|20080507|allocated|F36A2B7E',
    'afrinic|MU|ipv4|102.0.0.0|768|20170215|assigned|A1B2C3D4',
    'afrinic|ZA|ipv6|2c0f:f000::|32|20050718|allocated|F36A2B7E', ''].join('\n');
  const result = await importDelegatedText(t.db, text);
  assert.equal(result.organisationsCreated, 2);
  const org = await t.db.query<{ opaque_id: string; registry: string; country: string }>(
    `SELECT opaque_id, registry, country FROM organisation WHERE handle = 'AFRINIC-F36A2B7E'`,
  );
  assert.deepEqual(org.rows, [{ opaque_id: 'F36A2B7E', registry: 'afrinic', country: 'ZA' }]);
  const out = await exportText(t.db, 'afrinic', true);
  const lines = out.trimEnd().split('\n');
  assert.equal(lines[0], '2.3|afrinic|20261123|4|20050427|20261123|+0000');
  assert.deepEqual(new Set(lines.slice(4)), new Set(text.split('\n').slice(4, 8)));
});
