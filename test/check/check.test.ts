import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runChecks, REGISTRY_CHECKS } from '../../src/check/checks.js';
import { createTestDb, backendName, type TestDb } from '../helpers/db.js';
import { buildFixture, type Fixture } from '../helpers/registry-fixture.js';

let t: TestDb;
let f: Fixture;
before(async () => {
  t = await createTestDb();
  f = await buildFixture(t.db);
});
after(() => t.close());

const failing = async () => (await runChecks({ db: t.db }, REGISTRY_CHECKS)).filter((r) => r.problems.length > 0);

test(`[${backendName}] numreg check: a consistent registry passes; each kind of damage is named`, async () => {
  assert.deepEqual(await failing(), []);

  // A write that bypassed the one write path: no history for the new version.
  await t.db.query('UPDATE delegation SET version = version + 1 WHERE id = $1', [f.ids.lirA4]);
  let bad = await failing();
  assert.deepEqual(bad.map((r) => r.name), ['history-complete']);
  assert.match(bad[0]!.problems[0]!, new RegExp(`delegation ${f.ids.lirA4} is at version 2 but its history ends at 1`));
  await t.db.query('UPDATE delegation SET version = version - 1 WHERE id = $1', [f.ids.lirA4]);

  // A child moved outside its parent.
  await t.db.query(`UPDATE delegation SET rng = numrange(3422552064, 3422617599, '[]') WHERE id = $1`, [f.ids.lirB4]);
  bad = await failing();
  assert.ok(bad.some((r) => r.name === 'delegation-inside-parent' && /is not inside its parent/.test(r.problems[0]!)));
  await t.db.query(`UPDATE delegation SET rng = numrange(3405840384, 3405905919, '[]') WHERE id = $1`, [f.ids.lirB4]);

  // Two siblings that overlap, written past the sibling trigger (as a restore or a manual fix could).
  await t.db.exec('ALTER TABLE delegation DISABLE TRIGGER delegation_siblings_disjoint_update');
  await t.db.query(`UPDATE delegation SET rng = numrange(lower(rng), lower(rng) + 131071, '[]') WHERE id = $1`, [f.ids.lirA4]);
  await t.db.exec('ALTER TABLE delegation ENABLE TRIGGER delegation_siblings_disjoint_update');
  bad = await failing();
  assert.ok(bad.some((r) => r.name === 'siblings-disjoint' && r.problems.some((p) => p.includes(f.ids.lirA4) && p.includes(f.ids.lirB4))),
    JSON.stringify(bad));
  await t.db.query(`UPDATE delegation SET rng = numrange(lower(rng), lower(rng) + 65535, '[]') WHERE id = $1`, [f.ids.lirA4]);
  assert.deepEqual(await failing(), []);

  // A hole in the feed.
  await t.db.query('DELETE FROM change WHERE serial = 3');
  bad = await failing();
  assert.ok(bad.some((r) => r.name === 'feed-gapless'));

  // A dangling contact reference.
  await t.db.query(`UPDATE delegation SET tech_c = '{NOBODY-JP}' WHERE id = $1`, [f.ids.lirA6]);
  bad = await failing();
  assert.ok(bad.some((r) => r.name === 'holders-and-contacts-exist' && r.problems.some((p) => /names contact NOBODY-JP/.test(p))));
});
