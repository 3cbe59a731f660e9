/**
 * Registry entities as WHOIS objects: one declarative attribute table per class, in RIPE/APNIC attribute
 * order. A row maps an attribute name to the entity's value(s); empty values are left out. The formatters
 * (RPSL, JPNIC) and the personal-data policy work on the resulting attribute lists, never on entities.
 */
import { formatRangeEnds, formatAsn } from '../core/index.js';
import type { Delegation } from '../registry/delegation-model.js';
import type { Organisation } from '../registry/organisations.js';
import type { Contact } from '../registry/contacts.js';
import type { Maintainer } from '../registry/maintainers.js';
import type { DelegationStatus } from '../registry/status-rules.js';

export interface Attribute {
  name: string;
  value: string;
}

export type ObjectClass = 'inetnum' | 'inet6num' | 'aut-num' | 'as-block' | 'organisation' | 'person' | 'role' | 'mntner' | 'irr';

export interface WhoisObject {
  className: ObjectClass | string;
  /** Primary key as shown (first attribute's value). */
  key: string;
  attributes: Attribute[];
  /** A natural person's object: counts against the personal-data limit. */
  personal: boolean;
  /** The entity, for formatters that lay objects out differently (JPNIC). */
  source:
    | { kind: 'delegation'; value: Delegation; holder?: Organisation; abuse?: Contact }
    | { kind: 'organisation'; value: Organisation }
    | { kind: 'contact'; value: Contact }
    | { kind: 'maintainer'; value: Maintainer }
    | { kind: 'irr'; text: string };
  /** Handles this object refers to, for recursive look-up (-r turns it off). */
  refs: { orgs: string[]; contacts: string[] };
}

type Values = string | null | undefined | readonly (string | null | undefined)[];
type Row<T> = readonly [name: string, get: (x: T) => Values];

/** APNIC/JPNIC status words for the registry's statuses. */
export const RPSL_STATUS: Record<DelegationStatus, string> = {
  allocated: 'ALLOCATED PORTABLE',
  'sub-allocated': 'ALLOCATED NON-PORTABLE',
  assigned: 'ASSIGNED NON-PORTABLE',
  reserved: 'RESERVED',
  available: 'AVAILABLE',
  legacy: 'LEGACY',
};

/** aut-num status words (RIPE). */
const AS_STATUS: Partial<Record<DelegationStatus, string>> = { allocated: 'ALLOCATED', assigned: 'ASSIGNED', 'sub-allocated': 'ASSIGNED' };

const ORG_TYPE: Record<Organisation['role'], string> = {
  iana: 'IANA', rir: 'RIR', nir: 'NIR', lir: 'LIR', associate: 'OTHER', 'end-user': 'OTHER',
};

/** RIPE timestamps: ISO 8601 to the second, UTC. */
export const rpslTime = (iso: string | null | undefined) => (iso ? iso.replace(/\.\d+Z$/, 'Z') : null);
const lines = (text: string | null | undefined) => (text ? text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '') : []);

export interface DelegationContext {
  delegation: Delegation;
  holder?: Organisation;
  source: string;
}

const delegationTail: Row<DelegationContext>[] = [
  ['descr', (c) => (c.delegation.description ? lines(c.delegation.description) : [c.holder?.name ?? c.delegation.holderName])],
  ['country', (c) => c.delegation.country],
  ['org', (c) => c.holder?.handle ?? c.delegation.holderHandle],
  ['admin-c', (c) => c.delegation.adminC],
  ['tech-c', (c) => c.delegation.techC],
  ['abuse-c', (c) => c.delegation.abuseC],
  ['status', (c) => (c.delegation.family === 'asn' ? AS_STATUS[c.delegation.status] ?? RPSL_STATUS[c.delegation.status] : RPSL_STATUS[c.delegation.status])],
  ['mnt-by', (c) => c.delegation.mntBy],
  ['mnt-lower', (c) => c.delegation.mntLower],
  ['mnt-routes', (c) => c.delegation.mntRoutes],
  ['created', (c) => rpslTime(c.delegation.createdAt)],
  ['last-modified', (c) => rpslTime(c.delegation.updatedAt)],
  ['source', (c) => c.source],
];

const DELEGATION_CLASSES: Record<'inetnum' | 'inet6num' | 'aut-num' | 'as-block', Row<DelegationContext>[]> = {
  inetnum: [['inetnum', (c) => formatRangeEnds(c.delegation.range)], ['netname', (c) => c.delegation.netName ?? 'UNSPECIFIED'], ...delegationTail],
  inet6num: [['inet6num', (c) => c.delegation.resource], ['netname', (c) => c.delegation.netName ?? 'UNSPECIFIED'], ...delegationTail],
  'aut-num': [['aut-num', (c) => formatAsn(c.delegation.range.start)], ['as-name', (c) => c.delegation.netName ?? 'UNSPECIFIED'], ...delegationTail],
  'as-block': [['as-block', (c) => formatRangeEnds(c.delegation.range)], ...delegationTail.filter(([n]) => n !== 'status' && n !== 'country')],
};

const ORGANISATION: Row<{ org: Organisation; source: string }>[] = [
  ['organisation', (c) => c.org.handle],
  ['org-name', (c) => c.org.name],
  ['org-type', (c) => ORG_TYPE[c.org.role]],
  ['country', (c) => c.org.country],
  ['address', (c) => lines(c.org.address)],
  ['created', (c) => rpslTime(c.org.createdAt)],
  ['last-modified', (c) => rpslTime(c.org.updatedAt)],
  ['source', (c) => c.source],
];

const contactRows = (head: 'person' | 'role'): Row<{ contact: Contact; source: string }>[] => [
  [head, (c) => c.contact.name],
  ['address', (c) => lines(c.contact.address)],
  ['phone', (c) => c.contact.phone],
  ['fax-no', (c) => c.contact.fax],
  ['e-mail', (c) => c.contact.email],
  ['abuse-mailbox', (c) => c.contact.abuseMailbox],
  ['org', (c) => c.contact.orgHandle],
  ['nic-hdl', (c) => c.contact.handle],
  ['created', (c) => rpslTime(c.contact.createdAt)],
  ['last-modified', (c) => rpslTime(c.contact.updatedAt)],
  ['source', (c) => c.source],
];
const CONTACT = { person: contactRows('person'), role: contactRows('role') };

const MAINTAINER: Row<{ mntner: Maintainer; source: string }>[] = [
  ['mntner', (c) => c.mntner.handle],
  ['descr', (c) => lines(c.mntner.description)],
  ['org', (c) => c.mntner.orgHandle],
  ['admin-c', (c) => c.mntner.adminC],
  ['auth', (c) => (c.mntner.hasPassword ? 'BCRYPT-PW # Filtered' : null)],
  ['mnt-by', (c) => c.mntner.handle],
  ['source', (c) => c.source],
];

function build<T>(rows: readonly Row<T>[], x: T): Attribute[] {
  const out: Attribute[] = [];
  for (let r = 0; r < rows.length; r++) {
    const name = rows[r]![0];
    const v = rows[r]![1](x);
    if (typeof v === 'string') {
      if (v !== '') out.push({ name, value: v });
    } else if (Array.isArray(v)) {
      for (const item of v as readonly (string | null | undefined)[]) if (item != null && item !== '') out.push({ name, value: item });
    }
  }
  return out;
}

export function delegationClass(d: Delegation): 'inetnum' | 'inet6num' | 'aut-num' | 'as-block' {
  if (d.family === 'ipv4') return 'inetnum';
  if (d.family === 'ipv6') return 'inet6num';
  return d.range.start === d.range.end ? 'aut-num' : 'as-block';
}

export function delegationObject(d: Delegation, holder: Organisation | undefined, source: string, abuse?: Contact): WhoisObject {
  const className = delegationClass(d);
  const attributes = build(DELEGATION_CLASSES[className], { delegation: d, holder, source });
  return {
    className, key: attributes[0]!.value, attributes, personal: false,
    source: { kind: 'delegation', value: d, holder, abuse },
    refs: { orgs: [holder?.handle ?? d.holderHandle], contacts: [...d.adminC, ...d.techC, ...(d.abuseC ? [d.abuseC] : [])] },
  };
}

export function organisationObject(org: Organisation, source: string): WhoisObject {
  const attributes = build(ORGANISATION, { org, source });
  return { className: 'organisation', key: org.handle, attributes, personal: false, source: { kind: 'organisation', value: org }, refs: { orgs: [], contacts: [] } };
}

export function contactObject(contact: Contact, source: string): WhoisObject {
  const attributes = build(CONTACT[contact.kind], { contact, source });
  return {
    className: contact.kind, key: contact.handle, attributes, personal: contact.kind === 'person',
    source: { kind: 'contact', value: contact }, refs: { orgs: [], contacts: [] },
  };
}

export function maintainerObject(mntner: Maintainer, source: string): WhoisObject {
  const attributes = build(MAINTAINER, { mntner, source });
  return { className: 'mntner', key: mntner.handle, attributes, personal: false, source: { kind: 'maintainer', value: mntner }, refs: { orgs: [], contacts: [] } };
}

/** An IRR object handed over as RPSL text by the IRR hook. */
export function irrObject(className: string, key: string, text: string): WhoisObject {
  const attributes: Attribute[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-z0-9-]+):\s*(.*)$/i.exec(line);
    if (m) attributes.push({ name: m[1]!.toLowerCase(), value: m[2]! });
    else if (attributes.length > 0 && /^[ \t+]/.test(line)) attributes[attributes.length - 1]!.value += `\n${line}`;
  }
  return { className, key, attributes, personal: false, source: { kind: 'irr', text }, refs: { orgs: [], contacts: [] } };
}
