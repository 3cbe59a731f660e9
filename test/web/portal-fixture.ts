/**
 * A small registry for the portal tests, built only through the Registry facade, plus portal users and a
 * real fastify server on port 0:
 *   IANA → APNIC 203.0.0.0/8, 2001:c00::/23, AS131072-AS132095 → JPNIC (NIR) 203.0.0.0/10, 2001:dc0::/28,
 *   AS131072-AS131199 → LIR A (ORG-EXNET-JP) 203.0.0.0/24 + 2001:dc0::/32 + AS131072, LIR B (ORG-SAMPLE-JP) 203.0.1.0/24.
 * LIR A has an assignment 203.0.0.128/25 with a natural person (TE1-JP) as admin-c.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { parseResource } from '../../src/core/index.js';
import { SYSTEM, type Actor } from '../../src/registry/actor.js';
import { Registry } from '../../src/registry/registry.js';
import type { Organisation } from '../../src/registry/organisations.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { createPortalUser, registerWebRoutes, type Integrations } from '../../src/web/index.js';
import type { WebOptions } from '../../src/web/index.js';

export const PASSWORDS = { hanako: 'staff-password-1', exnet: 'exnet-password-1', sample: 'sample-password-1' } as const;
export const MAINT_PASSWORDS = { 'MAINT-EXNET': 'exnet-maint-pass-1', 'MAINT-SAMPLE': 'sample-maint-pass-1' } as const;

export interface PortalFixture {
  t: TestDb;
  registry: Registry;
  orgs: Record<'iana' | 'apnic' | 'nir' | 'lirA' | 'lirB', Organisation>;
  ids: { lirA4: string; lirB4: string; lirA6: string; infra: string };
  actors: { staff: Actor; lirA: Actor; lirB: Actor };
}

export async function buildPortalFixture(): Promise<PortalFixture> {
  const t = await createTestDb();
  const registry = new Registry(t.db);
  const org = (handle: string, name: string, role: 'iana' | 'rir' | 'nir' | 'lir', extra: { nameLocal?: string; memberSince?: string } = {}) =>
    registry.createOrganisation({ handle, name, role, country: role === 'iana' ? null : 'JP', ...extra }, SYSTEM);
  const orgs = {
    iana: await org('IANA', 'Internet Assigned Numbers Authority', 'iana'),
    apnic: await org('APNIC', 'Asia Pacific Network Information Centre', 'rir'),
    nir: await org('JPNIC', 'Japan Network Information Center', 'nir', { nameLocal: '日本ネットワークインフォメーションセンター' }),
    lirA: await org('ORG-EXNET-JP', 'Example Net K.K.', 'lir', { nameLocal: 'イグザンプルネット株式会社', memberSince: '2019-04-01' }),
    lirB: await org('ORG-SAMPLE-JP', 'Sample Networks G.K.', 'lir', { memberSince: '2022-10-01' }),
  };
  const staff: Actor = { kind: 'staff', name: 'hanako', orgId: orgs.nir.id };
  const apnicStaff: Actor = { kind: 'staff', name: 'apnic-hm', orgId: orgs.apnic.id };
  const lirA: Actor = { kind: 'member', orgId: orgs.lirA.id, via: 'user:exnet' };
  const lirB: Actor = { kind: 'member', orgId: orgs.lirB.id, via: 'user:sample' };

  await registry.createContact({ handle: 'TE1-JP', kind: 'person', name: 'Taro Example', email: 'taro@example.net', phone: '+81-3-0000-0001', address: '1-2-3 Example, Chiyoda-ku, Tokyo', orgHandle: 'ORG-EXNET-JP' }, lirA);
  await registry.createContact({ handle: 'EXNET-NOC', kind: 'role', name: 'Example Net NOC', email: 'noc@example.net', abuseMailbox: 'abuse@example.net', orgHandle: 'ORG-EXNET-JP' }, lirA);
  await registry.createContact({ handle: 'SN1-JP', kind: 'person', name: 'Hanae Sample', email: 'hanae@sample.example', orgHandle: 'ORG-SAMPLE-JP' }, lirB);
  await registry.createMaintainer({ handle: 'MAINT-EXNET', orgHandle: 'ORG-EXNET-JP', description: 'Example Net maintainer', password: MAINT_PASSWORDS['MAINT-EXNET'] }, lirA);
  await registry.createMaintainer({ handle: 'MAINT-SAMPLE', orgHandle: 'ORG-SAMPLE-JP', password: MAINT_PASSWORDS['MAINT-SAMPLE'] }, lirB);

  const d = async (resource: string, holder: string, status: 'allocated' | 'assigned', actor: Actor, extra: Record<string, unknown> = {}) =>
    (await registry.delegate({ range: parseResource(resource), holderHandle: holder, status, country: 'JP', ...extra }, actor)).value.id;
  await d('203.0.0.0/8', 'APNIC', 'allocated', SYSTEM, { delegatedOn: '2011-04-15' });
  await d('2001:c00::/23', 'APNIC', 'allocated', SYSTEM, { delegatedOn: '2004-05-20' });
  await d('AS131072-AS132095', 'APNIC', 'allocated', SYSTEM);
  await d('203.0.0.0/10', 'JPNIC', 'allocated', apnicStaff, { delegatedOn: '2011-05-01' });
  await d('2001:dc0::/28', 'JPNIC', 'allocated', apnicStaff, { delegatedOn: '2005-01-10' });
  await d('AS131072-AS131199', 'JPNIC', 'allocated', apnicStaff);
  const lirA4 = await d('203.0.0.0/24', 'ORG-EXNET-JP', 'allocated', staff, { netName: 'EXNET-NET', delegatedOn: '2019-04-10', mntBy: ['MAINT-EXNET'] });
  const lirB4 = await d('203.0.1.0/24', 'ORG-SAMPLE-JP', 'allocated', staff, { netName: 'SAMPLE-NET', delegatedOn: '2022-10-05', mntBy: ['MAINT-SAMPLE'] });
  const lirA6 = await d('2001:dc0::/32', 'ORG-EXNET-JP', 'allocated', staff, { netName: 'EXNET-V6', delegatedOn: '2020-02-01' });
  await d('AS131072', 'ORG-EXNET-JP', 'assigned', staff, { netName: 'EXNET-AS' });
  const infra = await d('203.0.0.128/25', 'ORG-EXNET-JP', 'assigned', lirA, { netName: 'EXNET-INFRA', adminC: ['TE1-JP'], techC: ['EXNET-NOC'], abuseC: 'EXNET-NOC' });

  await createPortalUser(t.db, { username: 'hanako', password: PASSWORDS.hanako, orgHandle: 'JPNIC', role: 'staff', displayName: 'Hanako Staff' });
  await createPortalUser(t.db, { username: 'exnet', password: PASSWORDS.exnet, orgHandle: 'ORG-EXNET-JP', role: 'member' });
  await createPortalUser(t.db, { username: 'sample', password: PASSWORDS.sample, orgHandle: 'ORG-SAMPLE-JP', role: 'member' });
  return { t, registry, orgs, ids: { lirA4, lirB4, lirA6, infra }, actors: { staff, lirA, lirB } };
}

export interface PortalServer {
  app: FastifyInstance;
  url: string;
  integrations: Integrations;
  close(): Promise<void>;
}

export async function startPortal(f: PortalFixture, options: Partial<WebOptions> = {}): Promise<PortalServer> {
  const app = Fastify({ logger: false });
  const integrations = await registerWebRoutes(app, { db: f.t.db, registry: f.registry, ...options });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}`, integrations, close: () => app.close() };
}
