/**
 * A small registry for the RDAP tests, built through the Registry facade: IANA-level top blocks held by
 * an RIR, an NIR under it, an LIR under the NIR, end-user assignments, persons and roles, and API keys
 * for the three tiers (public, legitimate interest, staff).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { parseResource } from '../../src/core/index.js';
import { createApiKey } from '../../src/registry/api-keys.js';
import { Registry } from '../../src/registry/registry.js';
import { SYSTEM } from '../../src/registry/actor.js';
import { registerRdapRoutes, type RdapOptions } from '../../src/rdap/index.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

export interface Fixture {
  testDb: TestDb;
  registry: Registry;
  keys: { legit: string; staff: string; plain: string; legitId: string };
  ids: Record<string, string>;
}

export async function buildFixture(): Promise<Fixture> {
  const testDb = await createTestDb();
  const registry = new Registry(testDb.db);
  const orgs = [
    { handle: 'APNIC', name: 'Asia Pacific Network Information Centre', role: 'rir', country: 'AU', address: '6 Cordelia St, South Brisbane' },
    { handle: 'JPNIC', name: 'Japan Network Information Center', role: 'nir', country: 'JP', parentHandle: 'APNIC' },
    { handle: 'EXNET', name: 'Example Net K.K.', role: 'lir', country: 'JP', parentHandle: 'JPNIC', address: '1-2-3 Otemachi, Chiyoda-ku, Tokyo' },
    { handle: 'EXCUST', name: 'Example Customer Co.', role: 'end-user', country: 'JP' },
    { handle: 'CSIRT', name: 'Example National CSIRT', role: 'associate', country: 'JP' },
  ] as const;
  for (const o of orgs) await registry.createOrganisation({ ...o }, SYSTEM);
  await registry.createContact({ handle: 'EXNET-NOC', kind: 'role', name: 'Example Net NOC', email: 'noc@example.net', abuseMailbox: 'abuse@example.net', phone: '+81-3-0000-0000', orgHandle: 'EXNET' }, SYSTEM);
  await registry.createContact({ handle: 'TY1-JP', kind: 'person', name: 'Taro Yamada', email: 'taro@example.net', phone: '+81-3-1111-2222', fax: '+81-3-1111-2223', address: '1-2-3 Otemachi, Tokyo', orgHandle: 'EXNET' }, SYSTEM);
  await registry.createContact({ handle: 'HS2-JP', kind: 'person', name: 'Hanako Suzuki', email: 'hanako@example.com', address: '4-5-6 Shibuya, Tokyo', orgHandle: 'EXCUST' }, SYSTEM);
  await registry.createMaintainer({ handle: 'MAINT-EXNET', orgHandle: 'EXNET', description: 'Example Net maintainer' }, SYSTEM);

  const ids: Record<string, string> = {};
  const d = async (name: string, resource: string, holderHandle: string, status: 'allocated' | 'assigned' | 'sub-allocated' | 'reserved', extra: Record<string, unknown> = {}) => {
    const r = await registry.delegate({ range: parseResource(resource), holderHandle, status, delegatedOn: '2001-04-01', ...extra }, SYSTEM);
    ids[name] = r.value.id;
  };
  await d('v4top', '192.0.0.0/8', 'APNIC', 'allocated', { registry: 'iana', netName: 'APNIC-192' });
  await d('v4nir', '192.0.0.0/12', 'JPNIC', 'allocated', { registry: 'apnic', netName: 'JPNIC-NET-JP', country: 'JP' });
  await d('v4lir', '192.0.2.0/23', 'EXNET', 'allocated', {
    registry: 'jpnic', netName: 'EXAMPLE-NET', country: 'JP', description: 'Example Net K.K.\nTokyo backbone',
    adminC: ['TY1-JP'], techC: ['EXNET-NOC', 'TY1-JP'], abuseC: 'EXNET-NOC', mntBy: ['MAINT-EXNET'],
  });
  await d('v4cust', '192.0.2.128/25', 'EXCUST', 'assigned', { registry: 'jpnic', netName: 'EXAMPLE-CUSTOMER', country: 'JP', adminC: ['HS2-JP'], techC: ['EXNET-NOC'] });
  await d('v4odd', '192.0.3.0 - 192.0.3.99', 'EXCUST', 'assigned', { registry: 'jpnic', netName: 'EXAMPLE-ODD', country: 'JP', techC: ['EXNET-NOC'] });
  await d('v4res', '192.0.2.0/26', 'EXNET', 'reserved', { registry: 'jpnic', netName: 'EXAMPLE-RESERVE' });
  await d('v6top', '2001:db8::/32', 'APNIC', 'allocated', { registry: 'iana', netName: 'APNIC-DOC-V6' });
  await d('v6nir', '2001:db8::/35', 'JPNIC', 'allocated', { registry: 'apnic', netName: 'JPNIC-V6' });
  await d('v6lir', '2001:db8:100::/40', 'EXNET', 'allocated', { registry: 'jpnic', netName: 'EXAMPLE-V6', country: 'JP', adminC: ['TY1-JP'], techC: ['EXNET-NOC'], abuseC: 'EXNET-NOC' });
  await d('astop', 'AS64496 - AS64511', 'APNIC', 'allocated', { registry: 'iana', netName: 'APNIC-ASBLOCK' });
  await d('asnir', 'AS64496 - AS64503', 'JPNIC', 'allocated', { registry: 'apnic', netName: 'JPNIC-ASBLOCK' });
  await d('aslir', 'AS64500', 'EXNET', 'assigned', { registry: 'jpnic', netName: 'EXAMPLE-AS', country: 'JP', adminC: ['TY1-JP'], techC: ['EXNET-NOC'], abuseC: 'EXNET-NOC' });

  const orgId = async (h: string) => (await testDb.db.query<{ id: string }>('SELECT id::text AS id FROM organisation WHERE handle = $1', [h])).rows[0]!.id;
  const legit = await registry.write((tx) => createApiKey(tx, { orgId: null, scopes: ['rdap:legitimate-interest'], label: 'csirt' }, SYSTEM));
  await testDb.db.query('UPDATE api_key SET org_id = $1 WHERE key_id = $2', [await orgId('CSIRT'), legit.info.keyId]);
  const staff = await registry.write((tx) => createApiKey(tx, { orgId: null, scopes: ['staff'], label: 'staff' }, SYSTEM));
  const plain = await registry.write((tx) => createApiKey(tx, { orgId: null, scopes: ['registry:write'], label: 'lir' }, SYSTEM));
  return { testDb, registry, keys: { legit: legit.key, staff: staff.key, plain: plain.key, legitId: legit.info.keyId }, ids };
}

export async function buildServer(fx: Fixture, options: Partial<RdapOptions> = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await registerRdapRoutes(app, { db: fx.testDb.db, registry: fx.registry, port43Host: 'whois.numreg.example', rateLimit: false, ...options });
  await app.ready();
  return app;
}
