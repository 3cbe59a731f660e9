/**
 * Loads the demo registry: the IANA → RIR level from the shipped IANA files, then an NIR under APNIC and
 * its fictional members with contacts, maintainers, delegations and assignments — all registry writes in
 * one transaction through the same operations the API uses. Idempotent: a loaded demo is left alone.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db, Queryable } from '../db/database.js';
import { parseResource } from '../core/index.js';
import type { Actor } from '../registry/actor.js';
import { createContact } from '../registry/contacts.js';
import { delegate } from '../registry/delegations.js';
import { createMaintainer } from '../registry/maintainers.js';
import { createOrganisation, organisationByHandle } from '../registry/organisations.js';
import { importIana } from '../stats/iana/import.js';
import { DEMO_MEMBERS, DEMO_NIR, DEMO_STAFF, NIR_BLOCKS, demoPortalUser } from './demo-data.js';
import { createPortalUser } from '../web/index.js';
import { loadDemoRouting } from './routing.js';

export const IANA_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../data/iana');

export interface DemoResult {
  loaded: boolean;
  organisations: number;
  delegations: number;
}

export async function isDemoLoaded(db: Queryable): Promise<boolean> {
  return (await organisationByHandle(db, DEMO_NIR.handle)) !== undefined;
}

export async function loadDemo(db: Db): Promise<DemoResult> {
  await importIana(db, IANA_DIR, { actor: { kind: 'system', name: 'demo' } });
  if (await isDemoLoaded(db)) return { loaded: false, organisations: 0, delegations: 0 };
  const result = await loadDemoRegistry(db);
  await loadDemoRouting(db);
  await createPortalUser(db, { ...DEMO_STAFF, orgHandle: DEMO_NIR.handle, role: 'staff' });
  for (const m of DEMO_MEMBERS) await createPortalUser(db, { ...demoPortalUser(m), orgHandle: m.handle, role: 'member' });
  return result;
}

async function loadDemoRegistry(db: Db): Promise<DemoResult> {
  return db.transaction(async (tx) => {
    let organisations = 0;
    let delegations = 0;
    const demo: Actor = { kind: 'system', name: 'demo' };
    const apnic = await organisationByHandle(tx, 'APNIC');
    if (!apnic) throw new Error('the IANA bootstrap did not create APNIC');
    const nir = await createOrganisation(tx, { ...DEMO_NIR, role: 'nir', parentHandle: DEMO_NIR.parent, registry: 'jpnic', memberSince: '1997-01-01' }, demo);
    organisations++;
    const apnicStaff: Actor = { kind: 'staff', name: 'apnic-demo', orgId: apnic.id };
    for (const block of NIR_BLOCKS) {
      await delegate(tx, { range: parseResource(block), holderHandle: nir.handle, status: 'allocated', country: 'JP', netName: 'JPNIC-DEMO-BLOCK' }, apnicStaff);
      delegations++;
    }
    const nirStaff: Actor = { kind: 'staff', name: 'demo-hostmaster', orgId: nir.id };
    for (const m of DEMO_MEMBERS) {
      const org = await createOrganisation(tx, { handle: m.handle, name: m.name, nameLocal: m.nameLocal, role: m.role, country: 'JP', address: m.address, parentHandle: nir.handle, registry: 'jpnic', opaqueId: `A9${m.handle.slice(4, 10)}` }, demo);
      organisations++;
      for (const c of m.contacts) await createContact(tx, c, demo);
      const technical = m.contacts.find((c) => c.kind === 'role')!.handle;
      const admin = m.contacts.find((c) => c.kind === 'person')?.handle ?? technical;
      await createMaintainer(tx, { handle: m.maintainer.handle, orgHandle: org.handle, password: m.maintainer.password, adminC: [admin] }, demo);
      const attrs = { country: 'JP', adminC: [admin], techC: [technical], abuseC: technical, mntBy: ['MAINT-JPNIC'], mntLower: [m.maintainer.handle], mntRoutes: [m.maintainer.handle] };
      for (const [resource, status] of m.blocks) {
        await delegate(tx, { ...attrs, range: parseResource(resource), holderHandle: org.handle, status, netName: `${m.handle.slice(4, -3)}-NET`, description: m.name }, nirStaff);
        delegations++;
      }
      const member: Actor = { kind: 'member', orgId: org.id, via: `system:demo` };
      for (const [resource, status, netName, description] of m.assignments) {
        await delegate(tx, { ...attrs, mntBy: [m.maintainer.handle], range: parseResource(resource), holderHandle: org.handle, status, netName, description }, member);
        delegations++;
      }
    }
    await createMaintainer(tx, { handle: 'MAINT-JPNIC', orgHandle: nir.handle, description: 'NIR hostmasters (demo)' }, demo);
    return { loaded: true, organisations, delegations };
  });
}

