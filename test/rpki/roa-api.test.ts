/**
 * REST for ROAs over a real fastify instance and a migrated database (PGlite or PostgreSQL), with the CA
 * service behind it: create/list/delete, max-length checks and looseness warnings, ownership, and the
 * registry → CA input (holders from delegations, ROAs from migration 020).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import { createTestDb } from '../helpers/db.js';
import { checkRpki, registerCaAdminRoutes, registerRoaRoutes, startRpkiService, type RpkiService } from '../../src/rpki/index.js';
import { loadRegistryInput } from '../../src/rpki/registry-source.js';
import type { RoaCaller } from '../../src/rpki/roa-routes.js';
import { generateRsaKey } from '../../src/rpki/crypto.js';
import { apiKeyRoaAuth } from '../../src/rpki/roa-auth.js';
import { createApiKey } from '../../src/registry/api-keys.js';
import { SYSTEM } from '../../src/registry/actor.js';
import { expectedVrps, publicTempDir } from './peers.js';

test('ROA REST API: create, list, delete, checks and warnings', { timeout: 85_000 }, async (t) => {
  const tdb = await createTestDb();
  const db = tdb.db;
  const base = publicTempDir('numreg-rpki-api-');
  let service: RpkiService | undefined;
  const app = Fastify();
  t.after(async () => {
    await app.close();
    await service?.close();
    await tdb.close();
    rmSync(base, { recursive: true, force: true });
  });

  const org = async (handle: string, role: string) =>
    (await db.query<{ id: string }>(`INSERT INTO organisation (handle, name, role) VALUES ($1, $1, $2) RETURNING id::text AS id`, [handle, role])).rows[0]!.id;
  const nir = await org('NIR-JP', 'nir');
  const lirA = await org('LIR-A', 'lir');
  const lirB = await org('LIR-B', 'lir');
  const delegate = async (holder: string, family: string, lo: bigint, hi: bigint, status = 'allocated', parent: string | null = null) =>
    (
      await db.query<{ id: string }>(
        `INSERT INTO delegation (family, rng, holder_id, status, registry, parent_id) VALUES ($1, numrange($2::numeric, $3::numeric, '[]'), $4, $5, 'jpnic', $6) RETURNING id::text AS id`,
        [family, lo.toString(), hi.toString(), holder, status, parent],
      )
    ).rows[0]!.id;
  const v4 = (a: number, b: number, c: number) => BigInt(((a << 24) >>> 0) + (b << 16) + (c << 8));
  const nir4 = await delegate(nir, 'ipv4', v4(192, 0, 0), v4(192, 0, 3) + 255n); // 192.0.0.0/22
  const nirAs = await delegate(nir, 'asn', 64496n, 64511n);
  await delegate(lirA, 'ipv4', v4(192, 0, 2), v4(192, 0, 2) + 255n, 'allocated', nir4); // 192.0.2.0/24
  await delegate(lirA, 'asn', 64496n, 64496n, 'assigned', nirAs);
  await delegate(lirB, 'ipv4', v4(192, 0, 1), v4(192, 0, 1) + 255n, 'allocated', nir4); // 192.0.1.0/24
  // a registered route object of AS64496 for 192.0.2.0/25 (the IRR's table; drives the looseness warning)
  await db.query(
    `INSERT INTO rpsl_object (source, class, pkey, text, attrs, family, prefix, prefix_len, origin)
     VALUES ('NUMREG', 'route', '192.0.2.0/25AS64496', 'route: 192.0.2.0/25', '{}'::jsonb, 'ipv4', '192.0.2.0/25', 25, 64496)`,
  );

  const initial = await loadRegistryInput(db);
  assert.equal(initial.taResources?.toString(), '192.0.0.0/22, AS64496 - AS64511', 'TA resources = the NIR’s');
  assert.deepEqual(initial.holders.map((h) => `${h.handle}: ${h.resources}`).sort(), ['LIR-A: 192.0.2.0/24, AS64496', 'LIR-B: 192.0.1.0/24']);
  // this test is about the API, not key hygiene: ROA EE keys come from a small pool to keep it fast
  const pool = await Promise.all([generateRsaKey(), generateRsaKey()]);
  let n = 0;
  service = await startRpkiService({ dataDir: join(base, 'data'), rsync: false, taResources: initial.taResources, eeKey: async () => pool[n++ % 2]! });
  await service.sync(initial);
  const seen: string[][] = [];
  service.onVrpsChanged((vrps) => seen.push(expectedVrps(vrps)));

  // pluggable auth: the test maps a header to a caller
  const auth = async (req: { headers: Record<string, unknown> }): Promise<RoaCaller> => {
    const who = req.headers['x-test-caller'];
    if (who === 'staff') return { orgId: null, staff: true, actor: 'staff:test' };
    if (who === 'A') return { orgId: lirA, staff: false, actor: 'org:LIR-A' };
    if (who === 'B') return { orgId: lirB, staff: false, actor: 'org:LIR-B' };
    throw Object.assign(new Error('an API key is needed'), { statusCode: 401, code: 'unauthenticated' });
  };
  registerRoaRoutes(app, { db, service }, auth);
  await app.ready();
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, who?: string, payload?: unknown) =>
    app.inject({ method, url, headers: who ? { 'x-test-caller': who } : {}, ...(payload ? { payload: payload as object } : {}) });

  assert.equal((await call('GET', '/api/roas')).statusCode, 401);

  const exact = await call('POST', '/api/roas', 'A', { prefix: '192.0.2.0/24', asn: 'AS64496' });
  assert.equal(exact.statusCode, 201, exact.body);
  assert.deepEqual(exact.json().warnings, []);
  assert.equal(exact.json().roa.published, true);
  assert.equal(exact.json().roa.maxLength, 24);

  const loose = await call('POST', '/api/roas', 'A', { prefix: '192.0.2.0/24', maxLength: 28, asn: 64496 });
  assert.equal(loose.statusCode, 201);
  assert.match(loose.json().warnings[0], /looser than the announced prefixes need: .*go down to \/25 only.*use max-length 25/);

  const looseNoRoutes = await call('POST', '/api/roas', 'A', { prefix: '192.0.2.0/24', maxLength: 26, asn: 64497 });
  assert.equal(looseNoRoutes.statusCode, 201);
  assert.match(looseNoRoutes.json().warnings[0], /announce 6 more-specific prefixes down to \/26/);

  const notHeld = await call('POST', '/api/roas', 'A', { prefix: '192.0.1.0/24', asn: 64496 });
  assert.equal(notHeld.statusCode, 422);
  assert.equal(notHeld.json().error, 'prefix-not-held');
  assert.equal((await call('POST', '/api/roas', 'A', { prefix: '192.0.2.0/24', maxLength: 23, asn: 1 })).statusCode, 400);
  assert.equal((await call('POST', '/api/roas', 'A', { prefix: '192.0.2.0/24', maxLength: 33, asn: 1 })).statusCode, 400);
  assert.equal((await call('POST', '/api/roas', 'A', { prefix: '192.0.2.1/24', asn: 1 })).statusCode, 400, 'host bits');
  assert.equal((await call('POST', '/api/roas', 'A', { prefix: '192.0.2.0/24', asn: 'AS-FOO' })).statusCode, 400);
  assert.equal((await call('POST', '/api/roas', 'A', { prefix: '192.0.2.0/24', asn: 64496 })).statusCode, 409, 'duplicate');
  assert.equal((await call('POST', '/api/roas', 'A', { prefix: '192.0.1.0/24', asn: 1, org: 'LIR-B' })).statusCode, 403);
  const byStaff = await call('POST', '/api/roas', 'staff', { prefix: '192.0.1.0/24', asn: 64500, org: 'LIR-B' });
  assert.equal(byStaff.statusCode, 201);

  const listA = (await call('GET', '/api/roas', 'A')).json().roas;
  assert.deepEqual(listA.map((r: { prefix: string; maxLength: number; asn: string }) => `${r.asn} ${r.prefix}-${r.maxLength}`), [
    'AS64496 192.0.2.0/24-24',
    'AS64496 192.0.2.0/24-28',
    'AS64497 192.0.2.0/24-26',
  ]);
  assert.equal((await call('GET', '/api/roas', 'staff')).json().roas.length, 4);
  assert.deepEqual(expectedVrps(service.vrps()), ['AS64496 192.0.2.0/24 24', 'AS64496 192.0.2.0/24 28', 'AS64497 192.0.2.0/24 26', 'AS64500 192.0.1.0/24 24']);

  assert.equal(seen.length, 4, 'onVrpsChanged fired once per ROA created');
  assert.deepEqual(seen.at(-1), expectedVrps(service.vrps()));
  assert.equal((await call('DELETE', `/api/roas/${byStaff.json().roa.id}`, 'A')).statusCode, 404, 'not A’s ROA');
  assert.equal((await call('DELETE', `/api/roas/${loose.json().roa.id}`, 'A')).statusCode, 204);
  assert.deepEqual(expectedVrps(service.vrps()), ['AS64496 192.0.2.0/24 24', 'AS64497 192.0.2.0/24 26', 'AS64500 192.0.1.0/24 24']);

  // the registry's own API keys through apiKeyRoaAuth: scope rpki:write needed, own organisation only
  const keyApp = Fastify();
  registerRoaRoutes(keyApp, { db, service: () => service }, apiKeyRoaAuth(db));
  await keyApp.ready();
  t.after(() => keyApp.close());
  const keyA = (await createApiKey(db, { orgId: lirA, scopes: ['rpki:write'] }, SYSTEM)).key;
  const keyIrr = (await createApiKey(db, { orgId: lirA, scopes: ['irr:write'] }, SYSTEM)).key;
  const withKey = (key: string | undefined, method: 'GET' | 'POST', payload?: object) =>
    keyApp.inject({ method, url: '/api/roas', headers: key ? { authorization: `Bearer ${key}` } : {}, ...(payload ? { payload } : {}) });
  assert.equal((await withKey(undefined, 'GET')).statusCode, 401);
  assert.equal((await withKey(keyIrr, 'GET')).statusCode, 403, 'irr:write is not rpki:write');
  assert.equal((await withKey(keyA, 'GET')).json().roas.length, 2);
  assert.equal((await withKey(keyA, 'POST', { prefix: '192.0.2.0/25', asn: 64496 })).statusCode, 201);
  assert.equal((await withKey(keyA, 'POST', { prefix: '192.0.1.0/24', asn: 64496, org: 'LIR-B' })).statusCode, 403);
  await db.query(`DELETE FROM roa WHERE prefix = '192.0.2.0/25'`);
  assert.deepEqual(await checkRpki(db, join(base, 'data')), ['rpki: ROA LIR-A AS64496 192.0.2.0/25-25 is published but not in the registry'], 'a change behind the CA’s back shows');
  await service.sync(await loadRegistryInput(db));

  // staff: list CAs and run a key rollover as two commands
  const adminApp = Fastify();
  registerCaAdminRoutes(adminApp, service, auth);
  await adminApp.ready();
  t.after(() => adminApp.close());
  const admin = (method: 'GET' | 'POST', url: string, who: string, payload?: object) =>
    adminApp.inject({ method, url, headers: { 'x-test-caller': who }, ...(payload ? { payload } : {}) });
  assert.equal((await admin('GET', '/api/rpki/cas', 'A')).statusCode, 403);
  const cas = (await admin('GET', '/api/rpki/cas', 'staff')).json();
  assert.deepEqual(cas.cas.map((c: { handle: string }) => c.handle).sort(), ['LIR-A', 'LIR-B']);
  assert.doesNotMatch(JSON.stringify(cas), /sealed|PRIVATE/, 'no key material in API answers');
  const keyBefore = cas.cas.find((c: { handle: string }) => c.handle === 'LIR-A').keyId;
  assert.equal((await admin('POST', '/api/rpki/cas/LIR-A/rollover', 'staff', { phase: 'finish' })).statusCode, 409);
  assert.equal((await admin('POST', '/api/rpki/cas/LIR-A/rollover', 'staff', { phase: 'start' })).json().rollover, true);
  const done = (await admin('POST', '/api/rpki/cas/LIR-A/rollover', 'staff', { phase: 'finish' })).json();
  assert.equal(done.rollover, false);
  assert.notEqual(done.keyId, keyBefore);
  assert.equal((await admin('POST', '/api/rpki/cas/NOPE/rollover', 'staff', {})).statusCode, 404);

  assert.deepEqual(await checkRpki(db, join(base, 'data')), [], 'registry, CA and repository agree');

  // a return in the registry: LIR-B gives back its /24; the CA withdraws B's CA and its ROA on the next sync
  await db.query(`DELETE FROM delegation WHERE holder_id = $1`, [lirB]);
  assert.deepEqual((await checkRpki(db, join(base, 'data'))).map((l) => l.replace(/"[^"]*"/g, '…')), [
    'rpki: LIR-B has a CA but holds nothing in the registry',
    'rpki: ROA LIR-B AS64500 192.0.1.0/24-24 is published but not in the registry',
  ], 'check notices the CA lagging behind the registry');
  const report = await service.sync(await loadRegistryInput(db));
  assert.ok(report.withdrawn.some((f) => f.endsWith('.roa')));
  assert.deepEqual(expectedVrps(service.vrps()), ['AS64496 192.0.2.0/24 24', 'AS64497 192.0.2.0/24 26']);
  assert.deepEqual(await checkRpki(db, join(base, 'data')), []);
  const listB = (await call('GET', '/api/roas', 'B')).json().roas;
  assert.equal(listB[0].published, false, 'the row stays, reported as not published');
});
