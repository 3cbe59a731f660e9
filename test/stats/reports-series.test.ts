import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createTestDb, backendName, type TestDb } from '../helpers/db.js';
import { importIana } from '../../src/stats/iana/import.js';
import { queryReport, runReport, REPORTS } from '../../src/stats/reports/index.js';
import { createOrganisation } from '../../src/registry/organisations.js';
import { delegate, returnDelegation } from '../../src/registry/delegations.js';
import { recordChange } from '../../src/registry/feed.js';
import { SYSTEM } from '../../src/registry/actor.js';
import { parseResource } from '../../src/core/index.js';

let t: TestDb;

/** Moves every change after `serial` to a given day, so one test run can lay down months of history. */
async function dated(day: string, work: () => Promise<unknown>): Promise<void> {
  const { rows } = await t.db.query<{ serial: string }>('SELECT serial::text AS serial FROM feed_state');
  await work();
  await t.db.query(`UPDATE change SET at = ($1::date + time '12:00') AT TIME ZONE 'UTC' WHERE serial > $2`, [day, rows[0]!.serial]);
}

const org = (handle: string, role: 'nir' | 'lir', parentHandle?: string) =>
  t.db.transaction((tx) => createOrganisation(tx, { handle, name: `${handle} K.K.`, role, parentHandle }, SYSTEM));
const give = (resource: string, holderHandle: string, status: 'allocated' | 'assigned' | 'sub-allocated', delegatedOn: string) =>
  t.db.transaction(async (tx) => (await delegate(tx, { range: parseResource(resource), holderHandle, status, delegatedOn }, SYSTEM)).value);

before(async () => {
  t = await createTestDb();
  await dated('2026-01-05', () => importIana(t.db, join(import.meta.dirname, '../../data/iana')));
  await dated('2026-01-10', async () => {
    await org('EXAMPLE-NIR', 'nir');
    await give('192.0.0.0/16', 'EXAMPLE-NIR', 'allocated', '2026-01-10'); // inside 192/8 (ARIN-administered in IANA's file; fine for a test)
  });
  await dated('2026-02-03', async () => {
    await org('LIR-A', 'lir', 'EXAMPLE-NIR');
    await org('LIR-B', 'lir', 'EXAMPLE-NIR');
  });
  await dated('2026-03-15', async () => {
    const a = await give('192.0.0.0/22', 'LIR-A', 'allocated', '2026-03-15');
    await give('192.0.0.0/24', 'LIR-A', 'assigned', '2026-03-15');
    await give('192.0.1.0/25', 'LIR-A', 'assigned', '2026-03-15');
    void a;
  });
  await dated('2026-04-20', async () => {
    await org('LIR-C', 'lir', 'EXAMPLE-NIR');
    await give('192.0.4.0/23', 'LIR-B', 'allocated', '2026-04-20');
  });
  await dated('2026-05-02', async () => {
    const { rows } = await t.db.query<{ id: string }>(`SELECT d.id::text AS id FROM delegation d JOIN organisation o ON o.id = d.holder_id WHERE o.handle = 'LIR-B'`);
    await t.db.transaction((tx) => returnDelegation(tx, rows[0]!.id, SYSTEM, 'closing'));
    await t.db.query(`DELETE FROM organisation WHERE handle = 'LIR-B'`);
    await t.db.transaction((tx) => recordChange(tx, { objectType: 'organisation', objectKey: 'LIR-B', action: 'delete', version: 1, actor: SYSTEM }));
    for (const key of ['NUMREG:192.0.0.0/24AS64496', 'NUMREG:192.0.1.0/24AS64496']) {
      await t.db.transaction((tx) => recordChange(tx, { objectType: 'rpsl:route', objectKey: key, action: 'create', version: 1, actor: SYSTEM, after: {} }));
    }
    await t.db.transaction((tx) => recordChange(tx, { objectType: 'rpsl:aut-num', objectKey: 'NUMREG:AS64496', action: 'create', version: 1, actor: SYSTEM, after: {} }));
  });
});
after(async () => {
  await t.close();
});

test(`lirs-over-time replays joins and departures month by month (${backendName})`, async () => {
  const r = await queryReport(t.db, 'lirs-over-time', { asOf: '2026-06-30' });
  assert.deepEqual(r.rows, [
    { month: '2026-02', lirs: 2, joined: 2, left: 0 },
    { month: '2026-03', lirs: 2, joined: 0, left: 0 },
    { month: '2026-04', lirs: 3, joined: 1, left: 0 },
    { month: '2026-05', lirs: 2, joined: 0, left: 1 },
    { month: '2026-06', lirs: 2, joined: 0, left: 0 },
  ]);
  const early = await queryReport(t.db, 'lirs-over-time', { asOf: '2026-03-31' });
  assert.equal(early.rows.at(-1)!.lirs, 2);
  assert.deepEqual((await queryReport(t.db, 'lirs-over-time', { asOf: '2026-01-31' })).rows, []);
});

test('delegations-per-month counts what each registry delegated, by month', async () => {
  const r = await queryReport(t.db, 'delegations-per-month', { asOf: '2026-06-30' });
  const byMonth = Object.fromEntries(r.rows.map((row) => [`${row.month} ${row.registry}`, [row.ipv4, row.ipv4Addresses]]));
  assert.deepEqual(byMonth['2026-03 examplenir'], [3, 1024 + 256 + 128]);
  assert.deepEqual(byMonth['2026-04 examplenir'], [1, 512]);
  assert.equal(Object.keys(byMonth).some((k) => k.endsWith(' iana')), false);
  const march = await queryReport(t.db, 'delegations-per-month', { asOf: '2026-03-31', registry: 'examplenir' });
  assert.deepEqual(march.rows.map((row) => row.month), ['2026-03']);
});

test('utilisation: the assigned share of each LIR allocation, now and as of a date', async () => {
  const now = await queryReport(t.db, 'utilisation');
  assert.deepEqual(now.rows, [
    { lir: 'LIR-A', name: 'LIR-A K.K.', allocation: '192.0.0.0/22', size: 1024, assigned: 384, unit: 'addresses', percent: 37.5 },
  ]);
  const april = await queryReport(t.db, 'utilisation', { asOf: '2026-04-30' });
  assert.deepEqual(april.rows.map((r) => [r.lir, r.allocation, r.percent]), [['LIR-A', '192.0.0.0/22', 37.5], ['LIR-B', '192.0.4.0/23', 0]]);
  assert.deepEqual((await queryReport(t.db, 'utilisation', { asOf: '2026-02-28' })).rows, []);
});

test('irr-objects-by-class counts RPSL objects per class from the change feed', async () => {
  const r = await queryReport(t.db, 'irr-objects-by-class', { asOf: '2026-06-30' });
  assert.deepEqual(r.rows, [
    { month: '2026-05', class: 'aut-num', objects: 1 }, { month: '2026-05', class: 'route', objects: 2 },
    { month: '2026-06', class: 'aut-num', objects: 1 }, { month: '2026-06', class: 'route', objects: 2 },
  ]);
  assert.deepEqual((await queryReport(t.db, 'irr-objects-by-class', { asOf: '2026-04-30' })).rows, []);
});

test('the IANA figures as of a date reflect the registry of that date', async () => {
  const jan = await queryReport(t.db, 'ipv4-by-rir', { asOf: '2026-01-05' });
  assert.equal(jan.rows.find((r) => r.registry === 'total')!.blocks, 256);
  const before = await queryReport(t.db, 'ipv4-by-rir', { asOf: '2026-01-04' });
  assert.equal(before.rows.find((r) => r.registry === 'total')!.blocks, 0);
});

test('every report prints as a table and as JSON', async () => {
  for (const report of REPORTS) {
    const table = await runReport(t.db, report.name, { asOf: '2026-06-30' });
    assert.match(table, new RegExp(`^${report.title.replace(/[()/]/g, '.')} as of 2026-06-30\n\n`));
    const json = JSON.parse(await runReport(t.db, report.name, { asOf: '2026-06-30', json: true }));
    assert.equal(json.report, report.name);
    assert.ok(Array.isArray(json.rows));
  }
});
