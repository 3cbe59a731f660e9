import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createTestDb, backendName, type TestDb } from '../helpers/db.js';
import { importIana } from '../../src/stats/iana/import.js';
import { queryReport, runReport } from '../../src/stats/reports/index.js';

const IANA_DIR = join(import.meta.dirname, '../../data/iana');
let t: TestDb;
before(async () => {
  t = await createTestDb();
});
after(async () => {
  await t.close();
});

const byRegistry = (rows: Record<string, unknown>[]) => Object.fromEntries(rows.map((r) => [r.registry, r.blocks]));

test(`importIana builds the IANA level and the newsletter figures follow (${backendName})`, async () => {
  const first = await importIana(t.db, IANA_DIR, { actor: 'system' });
  assert.equal(first.organisationsCreated, 6 + 13); // IANA, five RIRs, 13 named legacy holders
  assert.equal(first.delegationsCreated, 256 + 50 + 164);

  const v4 = await queryReport(t.db, 'ipv4-by-rir');
  assert.deepEqual(byRegistry(v4.rows), {
    IANA: 35, APNIC: 51, ARIN: 95, LACNIC: 10, AFRINIC: 6, 'RIPE NCC': 42, 'other organisations': 17, total: 256,
  });
  const v6 = await queryReport(t.db, 'ipv6-by-rir');
  assert.deepEqual(byRegistry(v6.rows), {
    IANA: 1, APNIC: 2084, ARIN: 4101, AFRINIC: 2049, LACNIC: 2049, 'RIPE NCC': 4164, total: 14448,
  });
  const asn = await queryReport(t.db, 'asn-reserved');
  assert.deepEqual(
    asn.rows.map((r) => [r.kind, r.reserved]),
    [['two-byte', 1042], ['four-byte', 95032832], ['total', 1042 + 95032832]],
  );
  const printed = await runReport(t.db, 'ipv4-by-rir');
  assert.match(printed, /^other organisations\s+17\s/m);
  assert.match(await runReport(t.db, 'asn-reserved'), /95,032,832/);
});

test('every bootstrap row is on the change feed with a gapless serial', async () => {
  const { rows } = await t.db.query<{ n: string; lo: string; hi: string; serial: string; orgs: string; dels: string }>(
    `SELECT count(*)::text AS n, min(serial)::text AS lo, max(serial)::text AS hi,
            (SELECT serial::text FROM feed_state) AS serial,
            count(*) FILTER (WHERE object_type = 'organisation')::text AS orgs,
            count(*) FILTER (WHERE object_type = 'delegation')::text AS dels
       FROM change WHERE actor = 'system' AND action = 'create'`,
  );
  const r = rows[0]!;
  assert.equal(r.n, String(19 + 470));
  assert.equal(BigInt(r.hi) - BigInt(r.lo) + 1n, BigInt(r.n));
  assert.equal(r.serial, r.hi);
  assert.equal(r.orgs, '19');
  assert.equal(r.dels, '470');
  const { rows: snap } = await t.db.query<{ after: Record<string, unknown> }>(
    `SELECT c.after FROM change c JOIN delegation d ON c.object_key = d.id::text
      WHERE c.object_type = 'delegation' AND d.family = 'ipv4' AND lower(d.rng) = 3 * 16777216`,
  );
  assert.equal(snap[0]!.after.resource, '3.0.0.0/8');
  assert.equal(snap[0]!.after.holder, 'ARIN');
  assert.equal(snap[0]!.after.status, 'allocated');
});

test('the IANA level: holders, statuses and dates', async () => {
  const one = async (family: string, start: bigint) =>
    (await t.db.query<{ holder: string; role: string; status: string; on: string | null; description: string }>(
      `SELECT o.handle AS holder, o.role, d.status, d.delegated_on::text AS on, d.description
         FROM delegation d JOIN organisation o ON o.id = d.holder_id
        WHERE d.family = $1 AND lower(d.rng) = $2::numeric AND d.parent_id IS NULL`,
      [family, start.toString()],
    )).rows[0]!;
  assert.deepEqual(await one('ipv4', 17n << 24n), {
    holder: 'LEGACY-APPLE-COMPUTER-INC', role: 'end-user', status: 'legacy', on: '1992-07-01', description: 'Apple Computer Inc.',
  });
  assert.equal((await one('ipv4', 43n << 24n)).holder, 'APNIC'); // "Administered by APNIC"
  assert.equal((await one('ipv4', 224n << 24n)).status, 'reserved');
  assert.equal((await one('ipv6', 0x2002n << 112n)).status, 'reserved'); // 6to4
  assert.deepEqual(
    { ...(await one('ipv6', 0x2001n << 112n)) },
    { holder: 'IANA', role: 'iana', status: 'allocated', on: '1999-07-01', description: 'IANA' },
  );
  assert.equal((await one('asn', 153914n)).status, 'available');
  assert.equal((await one('asn', 23456n)).status, 'reserved');
  assert.equal((await one('asn', 131072n)).holder, 'APNIC');
});

test('a second import changes nothing', async () => {
  const before = (await t.db.query<{ serial: string }>('SELECT serial::text AS serial FROM feed_state')).rows[0]!.serial;
  const again = await importIana(t.db, IANA_DIR);
  assert.deepEqual(again, { organisationsCreated: 0, delegationsCreated: 0, delegationsPresent: 470 });
  const afterSerial = (await t.db.query<{ serial: string }>('SELECT serial::text AS serial FROM feed_state')).rows[0]!.serial;
  assert.equal(afterSerial, before);
});

test('reports as of a date before the bootstrap are empty, as of today complete', async () => {
  const empty = await queryReport(t.db, 'ipv4-by-rir', { asOf: '2000-01-01' });
  assert.equal(empty.rows.find((r) => r.registry === 'total')!.blocks, 0);
  const today = new Date().toISOString().slice(0, 10);
  const now = await queryReport(t.db, 'ipv6-by-rir', { asOf: today });
  assert.equal(now.rows.find((r) => r.registry === 'total')!.blocks, 14448);
  const asn = await queryReport(t.db, 'asn-reserved', { asOf: today });
  assert.equal(asn.rows[1]!.reserved, 95032832);
  await assert.rejects(queryReport(t.db, 'ipv4-by-rir', { asOf: '2024-13-01' }), /not a valid YYYY-MM-DD/);
  await assert.rejects(queryReport(t.db, 'no-such-report'), /unknown report "no-such-report"/);
});
