import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { exportRpsl, importRpsl } from '../../src/irr/import.js';
import { IrrService } from '../../src/irr/service.js';
import { handleIrrdCommand, newIrrdSession } from '../../src/irr/irrd.js';
import { irrdSamples, SAMPLES_DIR } from './fixtures.js';
import { TEST_IRR } from './helpers.js';

let a: TestDb;
before(async () => {
  a = await createTestDb();
});
after(async () => {
  await a?.close();
});

test('import of real RIR objects keeps their sources (read-only mirrors) and reports unknown classes', async () => {
  const progress: number[] = [];
  const r = await importRpsl(a.db, `${SAMPLES_DIR}/rpsl-samples.txt`, { onProgress: (p) => progress.push(p.objects) });
  assert.equal(r.objects + r.errors, 23);
  assert.deepEqual(r.sources, ['AFRINIC', 'APNIC', 'JPNIC', 'KRNIC', 'RIPE']);
  assert.ok(progress.length >= 1 && progress.at(-1) === r.objects);
  const { rows } = await a.db.query<{ name: string; authoritative: boolean }>('SELECT name, authoritative FROM irr_source ORDER BY name');
  assert.ok(rows.every((x) => !x.authoritative));
});

test('--source overrides source:, the IRRd fixtures load, and export -> import round-trips', async () => {
  const samples = [...irrdSamples().entries()].filter(([n]) => !/UNKNOWN|MALFORMED|LEGACY|MISSING|INVALID|NEITHER/.test(n)).map(([, t]) => t);
  const r = await importRpsl(a.db, Readable.from([samples.join('\n') + '\n' + TEST_IRR]), { source: 'TEST' });
  assert.equal(r.errors, 0, r.errorSamples.join('\n'));
  assert.deepEqual(r.sources, ['TEST']);
  let dump = '';
  const n = await exportRpsl(a.db, (c) => { dump += c; }, { source: 'TEST' });
  assert.ok(n >= 30);
  assert.match(dump, /^key-cert: +PGPKEY-80F238C6$/m);
  // re-import the dump under another source name: the same objects, text identical apart from source:
  const again = await importRpsl(a.db, Readable.from([dump]), { source: 'COPY' });
  assert.equal(again.objects, n);
  assert.equal(again.errors, 0);
  const { rows: x } = await a.db.query<{ text: string }>("SELECT text FROM rpsl_object WHERE source = 'TEST' ORDER BY class, pkey");
  const { rows: y } = await a.db.query<{ text: string }>("SELECT text FROM rpsl_object WHERE source = 'COPY' ORDER BY class, pkey");
  assert.deepEqual(y.map((r) => r.text.replace(/^source: +COPY$/m, 'source:')), x.map((r) => r.text.replace(/^source: +TEST$/m, 'source:')));
  const service = await IrrService.create(a.db, { source: 'NUMREG' });
  const s = newIrrdSession();
  await handleIrrdCommand(service, s, '!sCOPY');
  assert.equal(await handleIrrdCommand(service, s, '!iAS65537:AS-SETTEST'), 'A36\nAS-OTHERSET AS65537 AS65538 AS65539\nC\n');
  assert.equal(await handleIrrdCommand(service, s, '!gAS65537'), 'A13\n192.0.2.0/24\nC\n');
});
