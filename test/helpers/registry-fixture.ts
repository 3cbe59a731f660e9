/**
 * A small delegation tree for registry tests: IANA → APNIC → JPNIC (NIR) → two LIRs.
 *   IPv4 203.0.0.0/8 (IANA→APNIC), 203.0.0.0/10 (APNIC→JPNIC), 203.0.0.0/16 (JPNIC→LIR-A), 203.1.0.0/16 (JPNIC→LIR-B)
 *   IPv6 2001:d00::/23 → 2001:dc0::/32 (NIR) → 2001:dc0::/36 (LIR-A)
 *   ASN AS131072-AS132095 (IANA→APNIC) → AS131072-AS131199 (NIR)
 */
import { parseResource } from '../../src/core/index.js';
import { SYSTEM, type Actor } from '../../src/registry/actor.js';
import { Registry } from '../../src/registry/registry.js';
import type { Db } from '../../src/db/database.js';
import type { Organisation } from '../../src/registry/organisations.js';

export interface Fixture {
  registry: Registry;
  orgs: Record<'iana' | 'apnic' | 'nir' | 'lirA' | 'lirB', Organisation>;
  ids: Record<'apnic4' | 'nir4' | 'lirA4' | 'lirB4' | 'apnic6' | 'nir6' | 'lirA6' | 'apnicAs' | 'nirAs', string>;
  staff: Actor;
  lirA: Actor;
  lirB: Actor;
}

export async function buildFixture(db: Db): Promise<Fixture> {
  const registry = new Registry(db);
  const org = (handle: string, name: string, role: 'iana' | 'rir' | 'nir' | 'lir', country?: string) =>
    registry.createOrganisation({ handle, name, role, country }, SYSTEM);
  const orgs = {
    iana: await org('IANA', 'Internet Assigned Numbers Authority', 'iana'),
    apnic: await org('APNIC', 'Asia Pacific Network Information Centre', 'rir', 'AU'),
    nir: await org('JPNIC', 'Japan Network Information Center', 'nir', 'JP'),
    lirA: await org('ORG-EXNET-JP', 'Example Net K.K.', 'lir', 'JP'),
    lirB: await org('ORG-SAMPLE-JP', 'Sample Networks G.K.', 'lir', 'JP'),
  };
  const staff: Actor = { kind: 'staff', name: 'hostmaster', orgId: orgs.nir.id };
  const lirA: Actor = { kind: 'member', orgId: orgs.lirA.id, via: 'user:exnet' };
  const lirB: Actor = { kind: 'member', orgId: orgs.lirB.id, via: 'user:sample' };
  const apnicActor: Actor = { kind: 'staff', name: 'apnic-hm', orgId: orgs.apnic.id };
  const d = async (resource: string, holder: string, status: 'allocated' | 'assigned', actor: Actor) =>
    (await registry.delegate({ range: parseResource(resource), holderHandle: holder, status, country: 'JP' }, actor)).value.id;
  const ids = {
    apnic4: await d('203.0.0.0/8', 'APNIC', 'allocated', SYSTEM),
    nir4: await d('203.0.0.0/10', 'JPNIC', 'allocated', apnicActor),
    lirA4: await d('203.0.0.0/16', 'ORG-EXNET-JP', 'allocated', staff),
    lirB4: await d('203.1.0.0/16', 'ORG-SAMPLE-JP', 'allocated', staff),
    apnic6: await d('2001:c00::/23', 'APNIC', 'allocated', SYSTEM),
    nir6: await d('2001:dc0::/32', 'JPNIC', 'allocated', apnicActor),
    lirA6: await d('2001:dc0::/36', 'ORG-EXNET-JP', 'allocated', staff),
    apnicAs: await d('AS131072-AS132095', 'APNIC', 'allocated', SYSTEM),
    nirAs: await d('AS131072-AS131199', 'JPNIC', 'allocated', apnicActor),
  };
  return { registry, orgs, ids, staff, lirA, lirB };
}
