/**
 * A small registry for the WHOIS tests, built through the Registry facade as the bootstrap would:
 * IANA → APNIC → a JPNIC-like NIR → an LIR → an end user, in IPv4, IPv6 and AS numbers, with a natural
 * person, a role (abuse contact) and a maintainer. Fictional names only.
 */
import type { Db } from '../../src/db/database.js';
import { parseResource } from '../../src/core/index.js';
import { Registry } from '../../src/registry/registry.js';
import type { Actor } from '../../src/registry/actor.js';

export const SYSTEM: Actor = { kind: 'system' };

export interface Fixture {
  registry: Registry;
  ids: Record<string, string>;
}

export async function buildFixture(db: Db): Promise<Fixture> {
  const registry = new Registry(db);
  const org = (handle: string, name: string, role: 'iana' | 'rir' | 'nir' | 'lir' | 'end-user', extra: Record<string, string> = {}) =>
    registry.createOrganisation({ handle, name, role, ...extra }, SYSTEM);
  await org('ORG-IANA', 'Internet Assigned Numbers Authority', 'iana', { country: 'US' });
  await org('ORG-APNIC', 'Asia Pacific Network Information Centre', 'rir', { country: 'AU', parentHandle: 'ORG-IANA' });
  await org('ORG-NIR1', 'Example Network Information Center', 'nir', { country: 'JP', nameLocal: '一般社団法人エグザンプルネットワークインフォメーションセンター', parentHandle: 'ORG-APNIC' });
  await org('ORG-EXN1', 'Example Net K.K.', 'lir', { country: 'JP', nameLocal: '株式会社エグザンプルネット', parentHandle: 'ORG-NIR1', address: '1-2-3 Example-cho\nChiyoda-ku, Tokyo' });
  await org('ORG-CUST1', 'Example Customer Inc.', 'end-user', { country: 'JP', parentHandle: 'ORG-EXN1' });

  await registry.createContact({ handle: 'TY1-NUMREG', kind: 'person', name: 'Taro Yamada', nameLocal: '山田 太郎', email: 'taro@example.net', phone: '+81 3 0000 0000', address: '1-2-3 Example-cho, Tokyo', orgHandle: 'ORG-EXN1' }, SYSTEM);
  await registry.createContact({ handle: 'EXN-NOC', kind: 'role', name: 'Example Net NOC', email: 'noc@example.net', abuseMailbox: 'abuse@example.net', phone: '+81 3 0000 0001', address: 'Example Net K.K., Tokyo', orgHandle: 'ORG-EXN1' }, SYSTEM);
  await registry.createMaintainer({ handle: 'EXAMPLE-MNT', orgHandle: 'ORG-EXN1', description: 'Example Net maintainer', adminC: ['TY1-NUMREG'], password: 'correct horse battery staple' }, SYSTEM);

  const ids: Record<string, string> = {};
  const d = async (name: string, resource: string, holderHandle: string, status: 'allocated' | 'assigned', extra: Record<string, unknown> = {}) => {
    const r = await registry.delegate({ range: parseResource(resource), holderHandle, status, ...extra } as never, SYSTEM);
    ids[name] = r.value.id;
  };
  await d('v4-rir', '192.0.0.0/8', 'ORG-APNIC', 'allocated', { registry: 'iana', delegatedOn: '2010-01-01' });
  await d('v4-nir', '192.0.0.0/16', 'ORG-NIR1', 'allocated', { registry: 'apnic', country: 'JP', delegatedOn: '2011-02-03' });
  const lir = { country: 'JP', adminC: ['TY1-NUMREG'], techC: ['EXN-NOC'], abuseC: 'EXN-NOC', mntBy: ['EXAMPLE-MNT'], mntLower: ['EXAMPLE-MNT'] };
  await d('v4-lir', '192.0.2.0/24', 'ORG-EXN1', 'allocated', { ...lir, registry: 'jpnic', netName: 'EXAMPLE-NET', description: 'Example Net K.K.\nBackbone', delegatedOn: '2012-03-04' });
  await d('v4-cust', '192.0.2.128/25', 'ORG-CUST1', 'assigned', { registry: 'jpnic', country: 'JP', netName: 'EXAMPLE-CUSTOMER', adminC: ['EXN-NOC'], techC: ['EXN-NOC'], mntBy: ['EXAMPLE-MNT'], delegatedOn: '2013-04-05' });
  await d('v6-rir', '2001:db8::/32', 'ORG-APNIC', 'allocated', { registry: 'iana', delegatedOn: '2010-01-01' });
  await d('v6-lir', '2001:db8::/48', 'ORG-EXN1', 'allocated', { ...lir, registry: 'jpnic', netName: 'EXAMPLE-NET6', delegatedOn: '2014-05-06' });
  await d('as-block', 'AS64496 - AS64511', 'ORG-APNIC', 'allocated', { registry: 'iana', delegatedOn: '2010-01-01' });
  await d('as-lir', 'AS64500', 'ORG-EXN1', 'assigned', { ...lir, registry: 'jpnic', netName: 'EXAMPLE-AS', delegatedOn: '2015-06-07' });
  return { registry, ids };
}
