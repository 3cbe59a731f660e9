import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { exportDelegatedCommand, importDelegatedCommand, importIanaCommand, statsCommand } from '../../src/stats/index.js';

let t: TestDb;
let dir: string;
const collect = () => {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => { text += c.toString(); });
  return { out, text: () => text };
};
before(async () => {
  t = await createTestDb();
  dir = mkdtempSync(join(tmpdir(), 'numreg-stats-cli-'));
});
after(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

test('command actions: import iana, stats, import delegated, export delegated', async () => {
  const a = collect();
  await importIanaCommand(t.db, join(import.meta.dirname, '../../data/iana'), a.out);
  assert.equal(a.text(), 'iana: 19 organisations and 470 delegations created, 0 already present\n');
  const s = collect();
  await statsCommand(t.db, 'asn-reserved', {}, s.out);
  assert.match(s.text(), /two-byte\s+0-65535\s+1,042\n/);
  const file = join(dir, 'delegated-ripencc-latest');
  writeFileSync(file, '2|ripencc|1700607599|1|19830705|20231121|+0100\nripencc|FR|ipv4|2.0.0.0|1048576|20100712|allocated\n');
  const i = collect();
  await importDelegatedCommand(t.db, file, i.out);
  assert.equal(i.text(), 'ripencc: 1 records — 1 created, 0 modified, 0 deleted, 0 unchanged; 1 holder organisations created\n');
  const e = collect();
  await exportDelegatedCommand(t.db, { registry: 'ripencc' }, e.out);
  assert.match(e.text(), /\nripencc\|FR\|ipv4\|2\.0\.0\.0\|1048576\|20100712\|allocated\n$/);
  await assert.rejects(exportDelegatedCommand(t.db, {}, collect().out), /say which registry to export with --registry \(registries with delegations: iana, ripencc\)/);
  await assert.rejects(statsCommand(t.db, 'ipv4-by-rir', { asOf: '2026-02-30' }, collect().out), /not a valid YYYY-MM-DD date/);
});
