/**
 * The demo registry: an NIR under APNIC and fictional members. Every name, address and mailbox here is
 * invented (example.net/.com/.org domains, 555 phone numbers); no real person's data.
 */
import type { NewContact } from '../registry/contacts.js';
import type { OrganisationRole } from '../registry/organisations.js';
import type { DelegationStatus } from '../registry/status-rules.js';

export const DEMO_NIR = {
  handle: 'JPNIC', name: 'Japan Network Information Center (demo NIR)', nameLocal: '一般社団法人日本ネットワークインフォメーションセンター（デモ）',
  country: 'JP', address: 'Example Building 1F, 1-1 Demo-cho, Chiyoda-ku, Tokyo', parent: 'APNIC',
};

/** What APNIC delegates to the NIR (inside APNIC's IANA blocks 202/8, 2001:c00::/23, AS131072-AS132095). */
export const NIR_BLOCKS = ['202.208.0.0/12', '2001:d00::/24', 'AS131072 - AS131199'];

export interface DemoMember {
  handle: string;
  name: string;
  nameLocal: string;
  role: OrganisationRole;
  address: string;
  contacts: NewContact[];
  maintainer: { handle: string; password: string };
  /** From the NIR: [resource, status]. */
  blocks: Array<[string, DelegationStatus]>;
  /** From the member's own first block: [resource, status, netName, description]. */
  assignments: Array<[string, DelegationStatus, string, string]>;
  /** Routing intent declared by the member: prefix, origin AS, max length for the ROA. */
  routes: Array<{ prefix: string; origin: string; maxLength: number }>;
}

const person = (handle: string, name: string, nameLocal: string, email: string, phone: string, org: string): NewContact =>
  ({ handle, kind: 'person', name, nameLocal, email, phone, address: 'Tokyo, Japan', orgHandle: org });
const role = (handle: string, name: string, email: string, org: string): NewContact =>
  ({ handle, kind: 'role', name, email, abuseMailbox: email.replace(/^[^@]+/, 'abuse'), phone: '+81-3-5555-0100', address: 'Tokyo, Japan', orgHandle: org });

export const DEMO_MEMBERS: DemoMember[] = [
  {
    handle: 'ORG-EXNET-JP', name: 'Example Net K.K.', nameLocal: 'イグザンプルネット株式会社', role: 'lir',
    address: '2-3-4 Sample-machi, Minato-ku, Tokyo',
    contacts: [
      person('TE001JP', 'Taro Example', '例 太郎', 'taro@example.net', '+81-3-5555-0101', 'ORG-EXNET-JP'),
      role('EXNET-NOC-JP', 'Example Net NOC', 'noc@example.net', 'ORG-EXNET-JP'),
    ],
    maintainer: { handle: 'MAINT-EXNET-JP', password: 'exnet-demo-password' },
    blocks: [['202.208.0.0/16', 'allocated'], ['2001:d00::/32', 'allocated'], ['AS131072', 'assigned']],
    assignments: [
      ['202.208.1.0/24', 'assigned', 'EXNET-DC-TOKYO', 'Example Net data centre, Tokyo'],
      ['202.208.16.0/20', 'sub-allocated', 'EXNET-DOWNSTREAM', 'Sub-allocation for a downstream ISP'],
      ['202.208.2.0 - 202.208.3.127', 'assigned', 'EXNET-CUST-A', 'Customer network (non-CIDR range)'],
    ],
    routes: [
      { prefix: '202.208.0.0/16', origin: 'AS131072', maxLength: 24 },
      { prefix: '2001:d00::/32', origin: 'AS131072', maxLength: 48 },
    ],
  },
  {
    handle: 'ORG-SAMPLE-JP', name: 'Sample Networks G.K.', nameLocal: 'サンプルネットワークス合同会社', role: 'lir',
    address: '5-6-7 Example-dori, Osaka',
    contacts: [
      person('HS001JP', 'Hanako Sample', '見本 花子', 'hanako@example.com', '+81-6-5555-0102', 'ORG-SAMPLE-JP'),
      role('SAMPLE-NOC-JP', 'Sample Networks NOC', 'noc@example.com', 'ORG-SAMPLE-JP'),
    ],
    maintainer: { handle: 'MAINT-SAMPLE-JP', password: 'sample-demo-password' },
    blocks: [['202.209.0.0/20', 'allocated'], ['2001:d01::/32', 'allocated'], ['AS131073', 'assigned']],
    assignments: [['202.209.4.0/24', 'assigned', 'SAMPLE-HOSTING', 'Sample Networks hosting']],
    routes: [
      { prefix: '202.209.0.0/20', origin: 'AS131073', maxLength: 20 },
      { prefix: '202.209.4.0/24', origin: 'AS131073', maxLength: 24 },
      { prefix: '2001:d01::/32', origin: 'AS131073', maxLength: 32 },
    ],
  },
  {
    handle: 'ORG-DEMOCABLE-JP', name: 'Demo Cable Co., Ltd.', nameLocal: 'デモケーブル株式会社', role: 'lir',
    address: '8-9 Test-cho, Fukuoka',
    contacts: [
      person('JD001JP', 'Jiro Democable', '出茂 次郎', 'jiro@example.org', '+81-92-5555-0103', 'ORG-DEMOCABLE-JP'),
      role('DEMOCABLE-NOC-JP', 'Demo Cable NOC', 'noc@example.org', 'ORG-DEMOCABLE-JP'),
    ],
    maintainer: { handle: 'MAINT-DEMOCABLE-JP', password: 'democable-demo-password' },
    blocks: [['202.210.0.0/22', 'allocated'], ['2001:d02::/32', 'allocated'], ['AS131074', 'assigned']],
    assignments: [['202.210.2.0/24', 'assigned', 'DEMOCABLE-RES', 'Residential customers']],
    routes: [
      { prefix: '202.210.0.0/22', origin: 'AS131074', maxLength: 24 },
      { prefix: '2001:d02::/32', origin: 'AS131074', maxLength: 40 },
    ],
  },
  {
    handle: 'ORG-EXIX-JP', name: 'Example IX Association', nameLocal: 'イグザンプルIX協会', role: 'lir',
    address: '1-2-3 Peering-cho, Tokyo',
    contacts: [role('EXIX-NOC-JP', 'Example IX NOC', 'noc@ix.example.net', 'ORG-EXIX-JP')],
    maintainer: { handle: 'MAINT-EXIX-JP', password: 'exix-demo-password' },
    blocks: [['202.211.0.0/26', 'assigned'], ['2001:d03::/48', 'assigned']],
    assignments: [],
    routes: [],
  },
  {
    handle: 'ORG-EXUNIV-JP', name: 'Example University', nameLocal: 'イグザンプル大学', role: 'associate',
    address: '4-5-6 Campus-dori, Kyoto',
    contacts: [role('EXUNIV-NOC-JP', 'Example University Network Office', 'net@univ.example.org', 'ORG-EXUNIV-JP')],
    maintainer: { handle: 'MAINT-EXUNIV-JP', password: 'exuniv-demo-password' },
    blocks: [['2001:d04::/48', 'assigned']],
    assignments: [],
    routes: [],
  },
];

/** Portal accounts of the demo: NIR staff and one hostmaster per member (the maintainer's password). */
export const DEMO_STAFF = { username: 'hostmaster', password: 'hostmaster-demo-password' };
export const demoPortalUser = (m: DemoMember) => ({ username: m.handle.slice(4, -3).toLowerCase(), password: m.maintainer.password });
