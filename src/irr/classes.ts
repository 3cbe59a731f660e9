/**
 * RPSL object classes (RFC 2622, RFC 4012, RFC 2650 and the RIPE/IRRd extensions in common use) declared as
 * data. One row per attribute: syntax type, mandatory or optional, single or multiple, key role, references.
 * parser.ts, validate.ts and format.ts work only from this table; there is no per-class code.
 *
 * Flags: m = mandatory, * = may occur more than once, pk = part of the primary key, lk = lookup key
 * (indexed for inverse queries), ref:<class|class> = value names objects of those classes.
 */
import type { SyntaxType } from './syntax.js';

export interface AttributeSpec {
  name: string;
  syntax: SyntaxType;
  mandatory: boolean;
  multiple: boolean;
  primaryKey: boolean;
  lookupKey: boolean;
  references: string[];
}

export interface ClassSpec {
  name: string;
  attributes: AttributeSpec[];
  byName: Map<string, AttributeSpec>;
  primaryKey: string[];
}

function a(name: string, syntax: SyntaxType, flags = ''): AttributeSpec {
  const f = flags.split(/\s+/).filter(Boolean);
  const ref = f.find((x) => x.startsWith('ref:'));
  return {
    name,
    syntax,
    mandatory: f.includes('m'),
    multiple: f.includes('*'),
    primaryKey: f.includes('pk'),
    lookupKey: f.includes('lk') || f.includes('pk') || Boolean(ref),
    references: ref ? ref.slice(4).split('|') : [],
  };
}

// Attributes shared by nearly every class, in the usual display order.
const CONTACTS = [a('admin-c', 'nic-handle', '* ref:person|role'), a('tech-c', 'nic-handle', '* ref:person|role')];
const TRAILER = [
  a('remarks', 'text', '*'),
  a('notify', 'email', '*'),
  a('mnt-by', 'mntner-ref', 'm * ref:mntner'),
  a('changed', 'changed', '*'),
  a('created', 'timestamp'),
  a('last-modified', 'timestamp'),
  a('source', 'source', 'm'),
];
const DESCR = a('descr', 'text', '*');
const ORG = a('org', 'org-handle', 'ref:organisation');

function cls(name: string, attributes: AttributeSpec[]): ClassSpec {
  const byName = new Map(attributes.map((x) => [x.name, x]));
  return { name, attributes, byName, primaryKey: attributes.filter((x) => x.primaryKey).map((x) => x.name) };
}

const ROUTE_COMMON = (key: string, syntax: SyntaxType) => [
  a(key, syntax, 'm pk'),
  DESCR,
  a('origin', 'asn', 'm pk'),
  a('holes', 'text', '*'),
  a('member-of', 'set-name-ref', '* ref:route-set'),
  a('inject', 'text', '*'),
  a('aggr-bndry', 'text'),
  a('aggr-mtd', 'text'),
  a('export-comps', 'text'),
  a('components', 'text'),
  a('pingable', 'ip-address', '*'),
  a('ping-hdl', 'nic-handle', '* ref:person|role'),
  a('geoidx', 'text', '*'),
  a('roa-uri', 'text'),
  ORG,
  ...CONTACTS,
  ...TRAILER,
];

const SET_COMMON = (key: string, syntax: SyntaxType) => [a(key, syntax, 'm pk'), DESCR];
const SET_TAIL = [a('mbrs-by-ref', 'mbrs-by-ref', '* ref:mntner'), ORG, ...CONTACTS, ...TRAILER];

export const CLASSES: ClassSpec[] = [
  cls('route', ROUTE_COMMON('route', 'ipv4-prefix')),
  cls('route6', ROUTE_COMMON('route6', 'ipv6-prefix')),
  cls('aut-num', [
    a('aut-num', 'asn', 'm pk'),
    a('as-name', 'object-name', 'm'),
    DESCR,
    a('member-of', 'set-name-ref', '* ref:as-set'),
    a('import', 'text', '*'), a('export', 'text', '*'),
    a('mp-import', 'text', '*'), a('mp-export', 'text', '*'),
    a('import-via', 'text', '*'), a('export-via', 'text', '*'),
    a('default', 'text', '*'), a('mp-default', 'text', '*'),
    a('status', 'status'),
    a('sponsoring-org', 'org-handle', 'ref:organisation'),
    a('abuse-c', 'nic-handle', 'ref:role'),
    a('mnt-lower', 'mntner-ref', '* ref:mntner'),
    a('mnt-routes', 'mntner-ref', '* ref:mntner'),
    ORG, ...CONTACTS, ...TRAILER,
  ]),
  cls('as-set', [...SET_COMMON('as-set', 'as-set-name'), a('members', 'as-set-member', '* lk'), ...SET_TAIL]),
  cls('route-set', [
    ...SET_COMMON('route-set', 'route-set-name'),
    a('members', 'route-set-member', '* lk'),
    a('mp-members', 'mp-member', '* lk'),
    ...SET_TAIL,
  ]),
  cls('filter-set', [...SET_COMMON('filter-set', 'filter-set-name'), a('filter', 'text'), a('mp-filter', 'text'), ORG, ...CONTACTS, ...TRAILER]),
  cls('peering-set', [...SET_COMMON('peering-set', 'peering-set-name'), a('peering', 'text', '*'), a('mp-peering', 'text', '*'), ORG, ...CONTACTS, ...TRAILER]),
  cls('rtr-set', [
    ...SET_COMMON('rtr-set', 'rtr-set-name'),
    a('members', 'rtr-set-member', '* lk'),
    a('mp-members', 'rtr-set-member', '* lk'),
    ...SET_TAIL,
  ]),
  cls('inet-rtr', [
    a('inet-rtr', 'dns-name', 'm pk'),
    DESCR,
    a('alias', 'dns-name', '*'),
    a('local-as', 'asn', 'm lk'),
    a('ifaddr', 'ifaddr', 'm *'),
    a('interface', 'text', '*'),
    a('peer', 'text', '*'),
    a('mp-peer', 'text', '*'),
    a('member-of', 'set-name-ref', '* ref:rtr-set'),
    ORG, ...CONTACTS, ...TRAILER,
  ]),
  cls('as-block', [a('as-block', 'as-range', 'm pk'), DESCR, a('mnt-lower', 'mntner-ref', '* ref:mntner'), ORG, ...CONTACTS, ...TRAILER]),
  cls('inetnum', [
    a('inetnum', 'ipv4-range', 'm pk'),
    a('netname', 'object-name', 'm'),
    DESCR,
    a('country', 'country', 'm *'),
    a('geofeed', 'url'),
    a('geoloc', 'text'),
    a('language', 'text', '*'),
    a('abuse-c', 'nic-handle', 'ref:role'),
    a('status', 'status'),
    a('mnt-irt', 'text', '* ref:irt'),
    a('mnt-lower', 'mntner-ref', '* ref:mntner'),
    a('mnt-routes', 'mntner-ref', '* ref:mntner'),
    a('mnt-domains', 'mntner-ref', '* ref:mntner'),
    ORG, ...CONTACTS, ...TRAILER,
  ]),
  cls('inet6num', [
    a('inet6num', 'ipv6-prefix', 'm pk'),
    a('netname', 'object-name', 'm'),
    DESCR,
    a('country', 'country', 'm *'),
    a('geofeed', 'url'),
    a('geoloc', 'text'),
    a('language', 'text', '*'),
    a('abuse-c', 'nic-handle', 'ref:role'),
    a('status', 'status'),
    a('mnt-irt', 'text', '* ref:irt'),
    a('mnt-lower', 'mntner-ref', '* ref:mntner'),
    a('mnt-routes', 'mntner-ref', '* ref:mntner'),
    a('mnt-domains', 'mntner-ref', '* ref:mntner'),
    ORG, ...CONTACTS, ...TRAILER,
  ]),
  cls('domain', [
    a('domain', 'domain-name', 'm pk'),
    DESCR,
    a('zone-c', 'nic-handle', '* ref:person|role'),
    a('nserver', 'text', '*'),
    a('sub-dom', 'text', '*'),
    a('dom-net', 'text', '*'),
    a('refer', 'text'),
    a('ds-rdata', 'text', '*'),
    ORG, ...CONTACTS, ...TRAILER,
  ]),
  cls('mntner', [
    a('mntner', 'mntner-name', 'm pk'),
    DESCR,
    a('admin-c', 'nic-handle', 'm * ref:person|role'),
    a('tech-c', 'nic-handle', '* ref:person|role'),
    a('upd-to', 'email', 'm *'),
    a('mnt-nfy', 'email', '*'),
    a('auth', 'auth', 'm *'),
    ORG,
    ...TRAILER,
  ]),
  cls('person', [
    a('person', 'text', 'm'),
    a('address', 'text', 'm *'),
    a('phone', 'text', 'm *'),
    a('fax-no', 'text', '*'),
    a('e-mail', 'email', '* lk'),
    a('nic-hdl', 'nic-handle', 'm pk'),
    ORG,
    ...TRAILER,
  ]),
  cls('role', [
    a('role', 'text', 'm'),
    a('trouble', 'text', '*'),
    a('address', 'text', 'm *'),
    a('phone', 'text', '*'),
    a('fax-no', 'text', '*'),
    a('e-mail', 'email', '* lk'),
    a('abuse-mailbox', 'email', '* lk'),
    ...CONTACTS,
    a('nic-hdl', 'nic-handle', 'm pk'),
    ORG,
    ...TRAILER,
  ]),
  cls('irt', [
    a('irt', 'object-name', 'm pk'),
    a('address', 'text', 'm *'),
    a('phone', 'text', '*'),
    a('fax-no', 'text', '*'),
    a('e-mail', 'email', 'm * lk'),
    a('abuse-mailbox', 'email', '* lk'),
    a('signature', 'text', '*'),
    a('encryption', 'text', '*'),
    a('auth', 'auth', '*'),
    a('irt-nfy', 'email', '*'),
    ORG, ...CONTACTS, ...TRAILER,
  ]),
  cls('organisation', [
    a('organisation', 'org-handle', 'm pk'),
    a('org-name', 'text', 'm'),
    a('org-type', 'text'),
    DESCR,
    a('address', 'text', '*'),
    a('country', 'country'),
    a('phone', 'text', '*'),
    a('fax-no', 'text', '*'),
    a('e-mail', 'email', '* lk'),
    a('abuse-c', 'nic-handle', 'ref:role'),
    a('mnt-ref', 'mntner-ref', '* ref:mntner'),
    ORG, ...CONTACTS, ...TRAILER,
  ]),
  cls('key-cert', [
    a('key-cert', 'key-cert-name', 'm pk'),
    a('method', 'text'),
    a('owner', 'text', '*'),
    a('fingerpr', 'text'),
    a('certif', 'text', 'm *'),
    ORG, ...CONTACTS, ...TRAILER,
  ]),
];

export const CLASS_BY_NAME = new Map(CLASSES.map((c) => [c.name, c]));

/** Classes whose objects take part in !g/!6/!i/!a answers. */
export const ROUTE_CLASSES = new Set(['route', 'route6']);
export const SET_CLASSES = new Set(['as-set', 'route-set']);
