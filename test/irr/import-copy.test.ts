/**
 * The COPY import path: awkward RPSL text survives the COPY text encoding byte for byte, the dump splitter
 * copes with any chunking, repeated keys keep the last object, a re-import updates in place, and a failed
 * import (with --bulk, after the indexes were dropped) leaves the table, its indexes and the sources as they were.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { importRpsl } from '../../src/irr/import.js';
import { parseObject } from '../../src/irr/validate.js';
import { objectColumns } from '../../src/irr/store.js';

let a: TestDb;
before(async () => {
  a = await createTestDb();
});
after(async () => {
  await a?.close();
});

// Tabs, backslashes (and \N, \t as text), quotes and braces, non-ASCII, a 4-byte character,
// continuation lines with space, tab and "+", an end-of-line comment, a whitespace-only continuation line.
const AWKWARD = [
  'mntner:  AWK-MNT',
  'descr:\tTab\tseparated\tdescr',
  'descr:   back\\slash \\N \\t \\\\ "quoted" {braces} ,comma',
  'descr:   日本語の説明 Ünïcödé 😀',
  'remarks: first line',
  ' second line, space',
  '\tthird line, tab',
  '+',
  '+ fifth line after an empty "+" line',
  '  ',
  ' after a whitespace-only line',
  'admin-c: AWK1-JP # a comment',
  'upd-to:  noc@example.net',
  'auth:    BCRYPT-PW $2b$04$MGuIW8JrH.rO9.7bDgsOHOfYvXThsejz3I94pEJcBtcKkbSJ3Gvku',
  'mnt-by:  AWK-MNT',
  'source:  AWK',
].join('\n');
const AWKWARD_SET = [
  'as-set:  AS-AWK',
  'members: AS64496, as-lower # comment',
  'members: AS64497,',
  '\tAS-TAB',
  'mnt-by:  AWK-MNT',
  'source:  AWK',
].join('\n');
const AWKWARD_ROUTE = 'route: 192.0.2.0/24\norigin: AS64496\ndescr: x\\y\tz 日本\nmnt-by: AWK-MNT\nsource: AWK';

/** What the store writes for an object through the ordinary (parameterised) path. */
function expected(text: string) {
  const r = parseObject(text, { strict: false });
  assert.ok(r.object, JSON.stringify(r.errors));
  const c = objectColumns(r.object);
  return { text: c.text, attrs: JSON.parse(c.attrs) as unknown, lookup: c.lookup, members: c.members, mnt_by: c.mnt_by };
}

async function stored(source: string, pkey: string) {
  const { rows } = await a.db.query<{ text: string; attrs: unknown; lookup: string[]; members: string[] | null; mnt_by: string[] }>(
    'SELECT text, attrs, lookup, members, mnt_by FROM rpsl_object WHERE source = $1 AND pkey = $2', [source, pkey],
  );
  assert.equal(rows.length, 1, `${source} ${pkey}`);
  return rows[0];
}

for (const bulk of [false, true]) {
  test(`awkward RPSL text round-trips through COPY byte for byte (${bulk ? 'bulk' : 'upsert'})`, async () => {
    const source = bulk ? 'AWKB' : 'AWK';
    const dump = [AWKWARD, AWKWARD_SET, AWKWARD_ROUTE].join('\n\n') + '\n';
    const r = await importRpsl(a.db, Readable.from([dump]), { source, bulk });
    assert.equal(r.errors, 0, r.errorSamples.join('\n'));
    assert.equal(r.objects, 3);
    const withSource = (t: string) => t.replace(/^source:.*$/m, `source: ${source}`);
    assert.deepEqual(await stored(source, 'AWK-MNT'), expected(withSource(AWKWARD)));
    assert.deepEqual(await stored(source, 'AS-AWK'), expected(withSource(AWKWARD_SET)));
    assert.deepEqual(await stored(source, '192.0.2.0/24AS64496'), expected(withSource(AWKWARD_ROUTE)));
    const { text } = await stored(source, 'AWK-MNT');
    assert.match(text, /^descr: +Tab\tseparated\tdescr$/m);
    assert.match(text, /^descr: +back\\slash \\N \\t \\\\ "quoted" \{braces\} ,comma$/m);
    assert.match(text, /^descr: +日本語の説明 Ünïcödé 😀$/m);
    assert.match(text, /^\t +third line, tab$/m);
    assert.deepEqual((await stored(source, 'AS-AWK')).members, ['AS64496', 'AS-LOWER', 'AS64497', 'AS-TAB']);
  });
}

test('the dump splitter gives the same objects however the input is chunked (CRLF, UTF-8 split across chunks)', async () => {
  const dump = `% comment before the first object\n\n${[AWKWARD, AWKWARD_SET, AWKWARD_ROUTE].join('\n\n\n')}`.replace(/\n/g, '\r\n');
  const bytes = Buffer.from(dump, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.subarray(i, i + 7));
  const progress: number[] = [];
  const r = await importRpsl(a.db, Readable.from(chunks), { source: 'CHUNKED', onProgress: (p) => progress.push(p.bytes) });
  assert.equal(r.errors, 0, r.errorSamples.join('\n'));
  assert.equal(r.objects, 3);
  assert.equal(r.bytes, bytes.length);
  assert.equal(progress.at(-1), bytes.length);
  const withSource = (t: string) => t.replace(/^source:.*$/m, 'source: CHUNKED');
  assert.deepEqual(await stored('CHUNKED', 'AWK-MNT'), expected(withSource(AWKWARD)));
  assert.deepEqual(await stored('CHUNKED', '192.0.2.0/24AS64496'), expected(withSource(AWKWARD_ROUTE)));
});

const route = (i: number, origin = 64496, descr = 'x') =>
  `route: 10.${i >> 8 & 255}.${i & 255}.0/24\norigin: AS${origin}\ndescr: ${descr}\nmnt-by: R-MNT\nsource: ROUTES\n\n`;

for (const [bulk, batchSize] of [[false, undefined], [true, undefined], [false, 1], [true, 1]] as const) {
  test(`repeated keys keep the last object; a re-import updates in place, adds and keeps the rest (${bulk ? 'bulk' : 'upsert'}, ${batchSize ? 'one object per batch' : 'one batch'})`, async () => {
    const src = `DUP${bulk ? 'B' : 'U'}${batchSize ?? 0}`;
    // one chunk per object: with batchSize 1 every object is its own COPY batch
    const first = [route(1, 64496, 'first'), route(2), route(1, 64496, 'second'), route(1, 64496, 'last')];
    const r = await importRpsl(a.db, Readable.from(first), { source: src, bulk, batchSize });
    assert.equal(r.objects, 4);
    const list = async () => (await a.db.query<{ id: string; pkey: string; text: string; version: number }>(
      'SELECT id, pkey, text, version FROM rpsl_object WHERE source = $1 ORDER BY pkey', [src],
    )).rows;
    const before = await list();
    assert.deepEqual(before.map((x) => [x.pkey, /descr: +(\w+)/.exec(x.text)![1]]), [['10.0.1.0/24AS64496', 'last'], ['10.0.2.0/24AS64496', 'x']]);
    const again = await importRpsl(a.db, Readable.from([route(1, 64496, 'updated'), route(3)]), { source: src, bulk, batchSize });
    assert.equal(again.objects, 2);
    const after = await list();
    // versions: +1 for the updated object, unchanged for the other, 1 for the new one
    const was = new Map(before.map((x) => [x.pkey, x.version]));
    assert.deepEqual(after.map((x) => [x.pkey, x.version - (was.get(x.pkey) ?? 0), /descr: +(\w+)/.exec(x.text)![1]]), [
      ['10.0.1.0/24AS64496', 1, 'updated'], ['10.0.2.0/24AS64496', 0, 'x'], ['10.0.3.0/24AS64496', 1, 'x'],
    ]);
    // an object that existed keeps its id
    assert.equal(after[0].id, before[0].id);
    assert.equal(after[1].id, before[1].id);
    const { rows: n } = await a.db.query<{ n: string }>('SELECT count(*)::text AS n FROM rpsl_object WHERE source = $1', [src]);
    assert.equal(n[0].n, '3');
  });
}

test('an object with a NUL character is rejected and counted; the rest of the dump is imported', async () => {
  const r = await importRpsl(a.db, Readable.from([route(10) + 'route: 10.0.11.0/24\norigin: AS64496\ndescr: a\u0000b\nmnt-by: R-MNT\nsource: ROUTES\n\n' + route(12)]), { source: 'NUL' });
  assert.equal(r.objects, 2);
  assert.equal(r.errors, 1);
  assert.match(r.errorSamples[0], /NUL character/);
});

async function snapshot() {
  const { rows: objects } = await a.db.query<{ n: string; digest: string }>(
    "SELECT count(*)::text AS n, md5(coalesce(string_agg(source || class || pkey || text || version, ',' ORDER BY id), '')) AS digest FROM rpsl_object",
  );
  const { rows: indexes } = await a.db.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'rpsl_object' ORDER BY indexname");
  const { rows: sources } = await a.db.query<{ name: string }>('SELECT name FROM irr_source ORDER BY name');
  const { rows: staging } = await a.db.query<{ relname: string }>("SELECT relname FROM pg_class WHERE relname LIKE 'rpsl_import%'");
  return { objects: objects[0], indexes: indexes.map((x) => x.indexname), sources: sources.map((x) => x.name), staging: staging.map((x) => x.relname) };
}

for (const bulk of [true, false]) {
  test(`an import that fails mid-file writes nothing and keeps every index (${bulk ? 'bulk' : 'upsert'})`, async () => {
    await importRpsl(a.db, Readable.from([route(1, 64500, 'kept') + route(2, 64500, 'kept')]), { source: 'STABLE', bulk });
    const before = await snapshot();
    assert.ok(before.indexes.length >= 8, before.indexes.join(' '));
    assert.deepEqual(before.staging, []);
    // more objects than any batch, an update of an existing object, then the input fails
    async function* failing() {
      let text = route(1, 64500, 'changed').replace(/ROUTES/, 'STABLE');
      for (let i = 0; i < 12_000; i++) text += route(i, 64501).replace(/ROUTES/, i % 2 ? 'STABLE' : 'FAILED');
      yield text;
      throw new Error('input went away');
    }
    await assert.rejects(importRpsl(a.db, Readable.from(failing()), { bulk, batchSize: 5000 }), /input went away/);
    assert.deepEqual(await snapshot(), before);
    // and the table is usable: the next import works
    const r = await importRpsl(a.db, Readable.from([route(3, 64500)]), { source: 'STABLE', bulk });
    assert.equal(r.objects, 1);
  });
}

test('worker threads parse the same rows as the importing thread, in file order', async () => {
  let dump = AWKWARD + '\n\n';
  for (let i = 0; i < 4000; i++) dump += route(i, 64510 + (i % 3), i === 3999 ? 'last' : 'x');
  dump += route(5, 64510 + (5 % 3), 'repeated-late');
  const inline = await importRpsl(a.db, Readable.from([dump]), { source: 'INLINE', workers: 0, batchSize: 1000, bulk: true });
  const threaded = await importRpsl(a.db, Readable.from([dump]), { source: 'THREADS', workers: 2, batchSize: 1000, bulk: true });
  assert.deepEqual({ ...threaded, seconds: 0, perSecond: 0, timings: [], sources: [] }, { ...inline, seconds: 0, perSecond: 0, timings: [], sources: [] });
  const rows = async (source: string) => (await a.db.query<{ pkey: string; text: string }>(
    'SELECT pkey, replace(text, $1, \'\') AS text FROM rpsl_object WHERE source = $2 ORDER BY pkey', [source, source],
  )).rows;
  const t = await rows('THREADS');
  assert.equal(t.length, 4001);
  assert.deepEqual(t, await rows('INLINE'));
  assert.match(t.find((x) => x.pkey === '10.0.5.0/24AS64512')!.text, /repeated-late/);
});
