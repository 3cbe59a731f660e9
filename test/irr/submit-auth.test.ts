/**
 * Submissions and authorisation: mnt-by with BCRYPT-PW passwords and API keys, the covering delegation's
 * maintainer for route objects (only the holder of the space decides its origins), staff override (logged in
 * the change feed), RPKI-invalid routes refused, dry-run, delete, read-only mirrors, and the REST endpoint.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { IrrService } from '../../src/irr/service.js';
import { registerIrrRoutes } from '../../src/irr/http.js';
import { parseSubmissionText } from '../../src/irr/submission.js';
import { createApiKey } from '../../src/registry/api-keys.js';
import { testRov } from './helpers.js';

const H = {
  irrA: '$2b$04$GdAM/22IRcf7ue7o7tSlDu1RZpq9oVPFDc1pk2BRvy4D9XAduOrtS', // irr-a-password
  lirA: '$2b$04$ml1ld0Zc.P34nSj0IQkB/ueTC.UD05gZbH4I3cknm7OpBPyHufdF2', // lir-a-password-1
  lirB: '$2b$04$JpKKFsb3R88qmLhsP.j.nemKw6p5Vp4W0p4jN1EqKmLond22fED4.', // lir-b-password-1
  irrB: '$2b$04$JwfcM5if7ZVxx5413PJIguUrIa.VYzmd0g0mniI1ePEaaNHRE.tey', // irr-b-password
};

let t: TestDb;
let service: IrrService;
let staffKey: string;
let lirAKey: string;
const logged: Record<string, unknown>[] = [];

async function orgId(handle: string): Promise<string> {
  const { rows } = await t.db.query<{ id: string }>('SELECT id::text AS id FROM organisation WHERE handle = $1', [handle]);
  return rows[0].id;
}

before(async () => {
  t = await createTestDb();
  const db = t.db;
  await db.exec(`
    INSERT INTO organisation (handle, name, role) VALUES ('NIR-JP', 'Example NIR', 'nir'), ('LIR-A', 'Example Net K.K.', 'lir'), ('LIR-B', 'Sample Telecom', 'lir');
    INSERT INTO maintainer (handle, org_id, password_hash) SELECT 'MNT-LIR-A', id, '${H.lirA}' FROM organisation WHERE handle = 'LIR-A';
    INSERT INTO maintainer (handle, org_id, password_hash) SELECT 'MNT-LIR-B', id, '${H.lirB}' FROM organisation WHERE handle = 'LIR-B';
    INSERT INTO delegation (family, rng, holder_id, status, registry, mnt_by)
      SELECT 'ipv4', numrange(3221225984, 3221226239, '[]'), id, 'allocated', 'jpnic', '{MNT-LIR-A}' FROM organisation WHERE handle = 'LIR-A';
    INSERT INTO delegation (family, rng, holder_id, status, registry, mnt_by, mnt_routes)
      SELECT 'ipv4', numrange(3325256704, 3325256959, '[]'), id, 'allocated', 'jpnic', '{MNT-LIR-B}', '{MNT-LIR-B}' FROM organisation WHERE handle = 'LIR-B';
    INSERT INTO delegation (family, rng, holder_id, status, registry, mnt_by)
      SELECT 'asn', numrange(64496, 64496, '[]'), id, 'assigned', 'jpnic', '{MNT-LIR-A}' FROM organisation WHERE handle = 'LIR-A';
  `);
  staffKey = (await createApiKey(db, { orgId: await orgId('NIR-JP'), scopes: ['staff'], label: 'alice' }, { kind: 'system' })).key;
  lirAKey = (await createApiKey(db, { orgId: await orgId('LIR-A'), scopes: ['irr:write'] }, { kind: 'system' })).key;
  service = await IrrService.create(db, { source: 'NUMREG', rovCheck: testRov, log: (e) => logged.push(e) });
});
after(async () => {
  await t?.close();
});

const mntner = (name: string, hash: string) => `mntner: ${name}\nadmin-c: PERSON-TEST\nupd-to: noc@example.net\nauth: BCRYPT-PW ${hash}\nmnt-by: ${name}\nsource: NUMREG\n`;
const route = (prefix: string, origin: string, mnt: string) => `route: ${prefix}\norigin: ${origin}\nmnt-by: ${mnt}\nsource: NUMREG\n`;
const submitText = (text: string, extra: { apiKey?: string; dryRun?: boolean } = {}) => service.submit({ ...parseSubmissionText(text), ...extra });

test('a new mntner authorises itself; wrong password is refused with the reason', async () => {
  const bad = await submitText(`${mntner('LIR-A-MNT', H.irrA)}password: not-the-password\n`);
  assert.equal(bad.status, 'failed');
  assert.match(bad.objects[0].errors[0], /^authorisation failed: none of the credentials is accepted by mnt-by LIR-A-MNT$/);
  const ok = await submitText(`${mntner('LIR-A-MNT', H.irrA)}password: irr-a-password\n\n${mntner('LIR-B-MNT', H.irrB)}password: irr-b-password\n`);
  assert.equal(ok.status, 'success', JSON.stringify(ok));
  assert.deepEqual(ok.objects.map((o) => o.action), ['create', 'create']);
  const { rows } = await t.db.query<{ object_type: string; action: string }>(`SELECT object_type, action FROM change WHERE object_type LIKE 'rpsl:%' ORDER BY serial`);
  assert.deepEqual(rows, [{ object_type: 'rpsl:mntner', action: 'create' }, { object_type: 'rpsl:mntner', action: 'create' }]);
});

test('route in own space needs mnt-by AND the delegation maintainer; both passwords -> created', async () => {
  const onlyMnt = await submitText(`${route('192.0.2.0/24', 'AS64496', 'LIR-A-MNT')}password: irr-a-password\n`);
  assert.equal(onlyMnt.status, 'failed');
  assert.match(onlyMnt.objects[0].errors.join(), /192\.0\.2\.0\/24 is registered to another holder; its mnt-by \(MNT-LIR-A\) must authorise route objects/);
  const ok = await submitText(`${route('192.0.2.0/24', 'AS64496', 'LIR-A-MNT')}password: irr-a-password\npassword: lir-a-password-1\n`);
  assert.equal(ok.status, 'success', JSON.stringify(ok));
  assert.ok(ok.objects[0].info.some((i) => /holder authorisation by MNT-LIR-A \(mnt-by of delegation/.test(i)));
  assert.ok(ok.objects[0].info.includes('RPKI: valid'));
  assert.match(await (await import('../../src/irr/irrd.js')).handleIrrdCommand(service, (await import('../../src/irr/irrd.js')).newIrrdSession(), '!gAS64496'), /^A13\n192\.0\.2\.0\/24\nC\n$/);
});

test("another LIR cannot declare origins in LIR-A's space, even with its own valid maintainers", async () => {
  const r = await submitText(`${route('192.0.2.0/25', 'AS64496', 'LIR-B-MNT')}password: irr-b-password\npassword: lir-b-password-1\n`);
  assert.equal(r.status, 'failed');
  assert.match(r.objects[0].errors[0], /192\.0\.2\.0\/25 is registered to another holder; its mnt-by \(MNT-LIR-A\) must authorise/);
  // in its own space the delegation names mnt-routes, which takes precedence
  const own = await submitText(`${route('198.51.100.0/24', 'AS64500', 'LIR-B-MNT')}password: irr-b-password\npassword: lir-b-password-1\n`);
  assert.equal(own.status, 'success', JSON.stringify(own));
  assert.ok(own.objects[0].info.some((i) => i.includes('mnt-routes')));
  const outside = await submitText(`${route('203.0.113.0/24', 'AS64500', 'LIR-B-MNT')}password: irr-b-password\n`);
  assert.match(outside.objects[0].errors[0], /no delegation in this registry covers 203\.0\.113\.0\/24/);
});

test('an API key of the holder organisation (scope irr:write) authorises its registry maintainer', async () => {
  const r = await submitText(route('192.0.2.0/25', 'AS64496', 'MNT-LIR-A'), { apiKey: lirAKey });
  assert.equal(r.status, 'success', JSON.stringify(r));
  assert.ok(r.objects[0].info.some((i) => i.includes('(key:nrk_')));
});

test('staff override creates in any space, is reported, and is logged with the staff actor', async () => {
  const r = await submitText(route('192.0.2.0/26', 'AS64496', 'LIR-B-MNT'), { apiKey: staffKey });
  assert.equal(r.status, 'success', JSON.stringify(r));
  assert.equal(r.override, true);
  assert.ok(r.objects[0].info.some((i) => i.includes('bypassed by staff override')));
  const { rows } = await t.db.query<{ actor: string; reason: string }>(`SELECT actor, reason FROM change WHERE object_type = 'rpsl:route' AND object_key = '192.0.2.0/26AS64496'`);
  assert.deepEqual(rows, [{ actor: 'staff:alice', reason: 'override' }]);
  assert.equal(logged.at(-1)?.event, 'irr-override');
});

test('RPKI-invalid routes are refused on create, even with all credentials', async () => {
  const r = await submitText(`${route('192.0.2.128/25', 'AS64499', 'LIR-A-MNT')}password: irr-a-password\npassword: lir-a-password-1\n`);
  assert.equal(r.status, 'failed');
  assert.match(r.objects[0].errors[0], /^RPKI invalid: 192\.0\.2\.128\/25 originated by AS64499/);
});

test('dry run reports what would happen and saves nothing; a failing object rolls back the whole submission', async () => {
  const text = `${route('192.0.2.64/26', 'AS64496', 'LIR-A-MNT')}password: irr-a-password\npassword: lir-a-password-1\n`;
  const dry = await submitText(text, { dryRun: true });
  assert.equal(dry.status, 'success');
  assert.equal(dry.dryRun, true);
  assert.equal(dry.objects[0].action, 'create');
  assert.equal(await service.getObject('NUMREG', 'route', '192.0.2.64/26AS64496'), undefined);
  const mixed = await submitText(`${text}\n${route('192.0.2.32/27', 'AS64496', 'NOPE-MNT')}`);
  assert.equal(mixed.status, 'failed');
  assert.equal(mixed.objects[0].status, 'success');
  assert.match(mixed.objects[1].errors[0], /mnt-by references mntner NOPE-MNT, which does not exist/);
  assert.equal(await service.getObject('NUMREG', 'route', '192.0.2.64/26AS64496'), undefined);
});

test('modify (no-op detection) and delete: authorised by the existing object\'s mnt-by', async () => {
  const same = await submitText(`${route('192.0.2.0/24', 'AS64496', 'LIR-A-MNT')}password: irr-a-password\n`);
  assert.equal(same.objects[0].action, 'no-op');
  const mod = await submitText(`${route('192.0.2.0/24', 'AS64496', 'LIR-A-MNT')}descr: modified\npassword: irr-a-password\n`);
  assert.equal(mod.objects[0].action, 'modify');
  const wrong = await submitText(`${route('192.0.2.0/24', 'AS64496', 'LIR-A-MNT')}delete: gone\npassword: irr-b-password\n`);
  assert.match(wrong.objects[0].errors[0], /authorisation failed/);
  const del = await submitText(`${route('192.0.2.0/24', 'AS64496', 'LIR-A-MNT')}delete: gone\npassword: irr-a-password\n`);
  assert.equal(del.status, 'success', JSON.stringify(del));
  assert.equal(del.objects[0].action, 'delete');
  assert.equal(await service.getObject('NUMREG', 'route', '192.0.2.0/24AS64496'), undefined);
  const inUse = await submitText(`${mntner('LIR-B-MNT', H.irrB)}delete: cleanup\npassword: irr-b-password\n`);
  assert.match(inUse.objects[0].errors[0], /mntner LIR-B-MNT is still named in mnt-by of 2 object\(s\)/);
});

test('objects of other sources are read-only mirrors', async () => {
  const r = await submitText(route('192.0.2.0/24', 'AS64496', 'LIR-A-MNT').replace('NUMREG', 'RIPE'));
  assert.match(r.objects[0].errors[0], /source RIPE is not authoritative here/);
});

test('POST /api/irr/submit: RPSL text and JSON, dry_run, per-object report', async () => {
  const app = Fastify();
  registerIrrRoutes(app, service);
  await app.ready();
  try {
    const text = await app.inject({
      method: 'POST', url: '/api/irr/submit?dry_run=1', headers: { 'content-type': 'text/plain' },
      payload: `${route('192.0.2.64/26', 'AS64496', 'LIR-A-MNT')}password: irr-a-password\npassword: lir-a-password-1\n`,
    });
    assert.equal(text.statusCode, 200, text.body);
    assert.equal(text.json().dryRun, true);
    const json = await app.inject({
      method: 'POST', url: '/api/irr/submit', headers: { authorization: `Bearer ${lirAKey}` },
      payload: { objects: [{ attributes: [{ name: 'route', value: '192.0.2.64/26' }, { name: 'origin', value: 'AS64496' }, { name: 'mnt-by', value: 'MNT-LIR-A' }, { name: 'source', value: 'NUMREG' }] }] },
    });
    assert.equal(json.statusCode, 200, json.body);
    assert.deepEqual(json.json().objects.map((o: { action: string; pkey: string }) => [o.action, o.pkey]), [['create', '192.0.2.64/26AS64496']]);
    const bad = await app.inject({ method: 'POST', url: '/api/irr/submit', headers: { 'content-type': 'text/plain' }, payload: 'route: 1.2.3.4/33\n' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().objects[0].errors.join(), /invalid IPv4 address prefix: 1\.2\.3\.4\/33/);
    const q = await app.inject({ method: 'GET', url: '/api/irr/whois?q=!gAS64496' });
    assert.equal(q.statusCode, 200);
    assert.equal(q.body, '192.0.2.0/25 192.0.2.0/26 192.0.2.64/26\n');
  } finally {
    await app.close();
  }
});

test('a modified mntner cannot authorise itself with the new auth lines it brings', async () => {
  const hijack = await submitText(`${mntner('LIR-A-MNT', H.irrB)}password: irr-b-password\n`);
  assert.equal(hijack.status, 'failed');
  assert.match(hijack.objects[0].errors[0], /authorisation failed: none of the credentials is accepted by mnt-by LIR-A-MNT/);
  const owner = await submitText(`${mntner('LIR-A-MNT', H.irrB)}password: irr-a-password\n`);
  assert.equal(owner.status, 'success');
  assert.equal(owner.objects[0].action, 'modify');
  const back = await submitText(`${mntner('LIR-A-MNT', H.irrA)}password: irr-b-password\n`);
  assert.equal(back.status, 'success', 'the new password is in force');
});
