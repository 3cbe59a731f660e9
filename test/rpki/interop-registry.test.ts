/**
 * The registry end to end: organisations, delegations, a transfer and a return made with the registry core's
 * own commands on a real database (PGlite or PostgreSQL), ROAs created by the LIRs through the REST API,
 * the CA re-synced from the database as `numreg serve` does after every change. rpki-client and FORT, each
 * over rsync (the real daemon) and over RRDP (HTTPS), must report zero problems and output exactly the ROAs
 * in the registry's `roa` table whose prefix the ROA's organisation still holds — after every step,
 * including both phases of a key rollover.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import { createTestDb } from '../helpers/db.js';
import { parsePrefix, prefixToRange } from '../../src/core/prefix.js';
import { parseResource } from '../../src/core/index.js';
import type { Db } from '../../src/db/database.js';
import { SYSTEM } from '../../src/registry/actor.js';
import { createOrganisation } from '../../src/registry/organisations.js';
import { delegate, returnDelegation } from '../../src/registry/delegations.js';
import { approveTransfer, proposeTransfer } from '../../src/registry/transfers.js';
import { loadRegistryInput, registerRoaRoutes, registerRpkiRoutes, startRpkiService, type RoaCaller, type RpkiService } from '../../src/rpki/index.js';
import { CERTIFIED_STATUSES } from '../../src/rpki/registry-source.js';
import { HAVE, expectedVrps, makeTestTls, publicTempDir, runFort, runRpkiClient, vrpKey } from './peers.js';

const skip = !HAVE.rsync ? 'rsync not installed' : !HAVE.openssl ? 'openssl not installed' : !HAVE.rpkiClient && !HAVE.fort ? 'neither rpki-client nor fort installed' : false;

/** The VRPs the registry asks for, read straight from its tables: every ROA row whose organisation holds the prefix. */
async function registryVrps(db: Db): Promise<string[]> {
  const held = await db.query<{ org_id: string; family: string; lo: string; hi: string; lo_inc: boolean; hi_inc: boolean }>(
    `SELECT holder_id::text AS org_id, family, lower(rng)::text AS lo, upper(rng)::text AS hi, lower_inc(rng) AS lo_inc, upper_inc(rng) AS hi_inc
       FROM delegation WHERE status = ANY($1::text[])`,
    [CERTIFIED_STATUSES],
  );
  const first = (d: { lo: string; lo_inc: boolean }) => BigInt(d.lo) + (d.lo_inc ? 0n : 1n);
  const last = (d: { hi: string; hi_inc: boolean }) => BigInt(d.hi) - (d.hi_inc ? 0n : 1n);
  const roas = await db.query<{ org_id: string; prefix: string; max_length: number; asn: string }>(`SELECT org_id::text AS org_id, prefix::text AS prefix, max_length, asn::text AS asn FROM roa`);
  return roas.rows
    .filter((r) => {
      const range = prefixToRange(parsePrefix(r.prefix));
      return held.rows.some((d) => d.org_id === r.org_id && d.family === range.family && first(d) <= range.start && range.end <= last(d));
    })
    .map((r) => vrpKey(r.asn, r.prefix, r.max_length))
    .sort();
}

test('registry → CA → rpki-client and FORT over rsync and RRDP: ROAs, a transfer, a return, a key rollover', { skip, timeout: 120_000 }, async (t) => {
  const tdb = await createTestDb();
  const db = tdb.db;
  const base = publicTempDir('numreg-rpki-registry-');
  const tls = makeTestTls(join(base, 'tls'));
  let service: RpkiService | undefined;
  const https = Fastify({ https: { cert: readFileSync(tls.cert), key: readFileSync(tls.key) } });
  registerRpkiRoutes(https, () => service);
  await https.listen({ host: '127.0.0.1', port: 0 });
  const api = Fastify();
  t.after(async () => {
    await api.close();
    await service?.close();
    await https.close();
    await tdb.close();
    rmSync(base, { recursive: true, force: true });
  });

  // the registry: an NIR and three LIRs, built with the registry core's commands
  for (const [handle, role] of [['NIR-JP', 'nir'], ['LIR-A', 'lir'], ['LIR-B', 'lir'], ['LIR-C', 'lir']] as const) {
    await createOrganisation(db, { handle, name: handle, role }, SYSTEM);
  }
  const orgId = async (handle: string) => (await db.query<{ id: string }>(`SELECT id::text AS id FROM organisation WHERE handle = $1`, [handle])).rows[0]!.id;
  const give = async (resource: string, holderHandle: string, status: 'allocated' | 'assigned', parentId?: string) =>
    (await delegate(db, { range: parseResource(resource), holderHandle, status, parentId }, SYSTEM)).value.id;
  const nir4 = await give('192.0.0.0/22', 'NIR-JP', 'allocated');
  const nir6 = await give('2001:db8::/32', 'NIR-JP', 'allocated');
  const nirAs = await give('AS64496 - AS64511', 'NIR-JP', 'allocated');
  await give('192.0.2.0/24', 'LIR-A', 'allocated', nir4);
  const aV6 = await give('2001:db8:1000::/36', 'LIR-A', 'allocated', nir6);
  await give('AS64496', 'LIR-A', 'assigned', nirAs);
  const bLow = await give('192.0.1.0/25', 'LIR-B', 'allocated', nir4);
  await give('192.0.1.128/25', 'LIR-B', 'allocated', nir4);
  await give('192.0.0.0/24', 'LIR-C', 'allocated', nir4);

  const port = (https.server.address() as { port: number }).port;
  const initial = await loadRegistryInput(db);
  assert.equal(initial.taResources?.toString(), '192.0.0.0/22, 2001:db8::/32, AS64496 - AS64511');
  service = await startRpkiService({ dataDir: join(base, 'data'), host: '127.0.0.1', rsyncPort: 0, httpsBaseUrl: `https://127.0.0.1:${port}`, taResources: initial.taResources });
  assert.ok(service.rsyncPort, 'rsync daemon running');
  const resync = async () => void (await service!.sync(await loadRegistryInput(db)));
  await resync();

  // the LIRs' ROAs through the REST API (which re-syncs the CA itself)
  const callers: Record<string, RoaCaller> = {};
  for (const h of ['LIR-A', 'LIR-B', 'LIR-C']) callers[h] = { orgId: await orgId(h), staff: false, actor: `org:${h}` };
  registerRoaRoutes(api, { db, service }, async (req) => callers[String(req.headers['x-org'])] ?? Promise.reject(Object.assign(new Error('no'), { statusCode: 401 })));
  await api.ready();
  const createRoa = async (org: string, roa: { prefix: string; asn: string; maxLength?: number }) => {
    const res = await api.inject({ method: 'POST', url: '/api/roas', headers: { 'x-org': org }, payload: roa });
    assert.equal(res.statusCode, 201, res.body);
  };
  await createRoa('LIR-A', { prefix: '192.0.2.0/24', asn: 'AS64496' });
  await createRoa('LIR-A', { prefix: '2001:db8:1000::/36', maxLength: 48, asn: 'AS64496' });
  await createRoa('LIR-B', { prefix: '192.0.1.0/25', asn: 'AS64497' });
  await createRoa('LIR-B', { prefix: '192.0.1.128/25', maxLength: 26, asn: 'AS64497' });
  await createRoa('LIR-C', { prefix: '192.0.0.0/24', asn: 'AS64498' });

  const validate = async (label: string, expected: string[]) => {
    const registry = await registryVrps(db);
    assert.deepEqual(registry, expected, `${label}: the registry's ROAs (test premise)`);
    assert.deepEqual(expectedVrps(service!.vrps()), registry, `${label}: the CA's own VRPs`);
    // one relying party at a time: the machine is small and they would only compete for it
    const rps: [string, () => Promise<{ vrps: string[]; problems: string[]; output: string; cacheDir: string }>][] = [];
    if (HAVE.rpkiClient) {
      rps.push(['rpki-client over rsync', () => runRpkiClient({ tal: service!.talFile, base: join(base, 'rc-rsync'), rsyncOnly: true })]);
      rps.push(['rpki-client over RRDP', () => runRpkiClient({ tal: service!.talFile, base: join(base, 'rc-rrdp'), rsyncOnly: false, env: { SSL_CERT_FILE: tls.bundle } })]);
    } else t.diagnostic('rpki-client not installed: skipped');
    if (HAVE.fort) {
      rps.push(['FORT over rsync', () => runFort({ tal: service!.talFile, base: join(base, 'fort-rsync'), mode: 'rsync' })]);
      rps.push(['FORT over RRDP', () => runFort({ tal: service!.talFile, base: join(base, 'fort-rrdp'), mode: 'rrdp', capath: tls.capath })]);
    } else t.diagnostic('fort not installed: skipped');
    for (const [who, run] of rps) {
      const r = await run();
      assert.deepEqual(r.problems, [], `${label}: ${who} problems\n${r.output}`);
      assert.deepEqual(r.vrps, registry, `${label}: ${who} VRPs`);
      if (who === 'rpki-client over RRDP') assert.ok(existsSync(join(r.cacheDir, '.rrdp')), 'rpki-client used RRDP');
    }
  };

  const a4 = 'AS64496 192.0.2.0/24 24';
  const a6 = 'AS64496 2001:db8:1000::/36 48';
  const bLowRoa = 'AS64497 192.0.1.0/25 25';
  const bHighRoa = 'AS64497 192.0.1.128/25 26';
  const c0 = 'AS64498 192.0.0.0/24 24';
  await validate('initial', [c0, bLowRoa, bHighRoa, a4, a6].sort());

  // transfer 192.0.1.0/25 from LIR-B to LIR-C: B's ROA for it stays in the table but is no longer certified
  const { transfer } = await proposeTransfer(db, bLow, 'LIR-C', SYSTEM, 'test transfer');
  await approveTransfer(db, transfer.id, SYSTEM);
  await resync();
  await createRoa('LIR-C', { prefix: '192.0.1.0/25', asn: 'AS64498' });
  await validate('after the transfer', [c0, 'AS64498 192.0.1.0/25 25', bHighRoa, a4, a6].sort());

  // LIR-A returns its IPv6 block: its IPv6 ROA is withdrawn
  await returnDelegation(db, aV6, SYSTEM, 'test return');
  await resync();
  await validate('after the return', [c0, 'AS64498 192.0.1.0/25 25', bHighRoa, a4].sort());

  // RFC 6489 key rollover of LIR-C's CA: both phases
  const before = service.holders().find((h) => h.handle === 'LIR-C')!.keyId;
  await service.startRollover('LIR-C');
  await validate('rollover staged', [c0, 'AS64498 192.0.1.0/25 25', bHighRoa, a4].sort());
  await service.finishRollover('LIR-C');
  assert.notEqual(service.holders().find((h) => h.handle === 'LIR-C')!.keyId, before);
  await validate('rollover finished', [c0, 'AS64498 192.0.1.0/25 25', bHighRoa, a4].sort());
});
