/**
 * RPSL syntax types. Each checker gets one cleaned value (comments removed, continuation lines joined) and
 * returns the normalised value or throws SyntaxProblem with a precise reason. List syntaxes are split by
 * validate.ts before they get here (see LIST_SYNTAXES).
 */
import { NetParseError, parseAddress, parseAsNumber, parsePrefixText, formatPrefixText, formatAddress } from './net.js';

export class SyntaxProblem extends Error {}

export type SyntaxType =
  | 'text' | 'ipv4-prefix' | 'ipv6-prefix' | 'ipv4-range' | 'asn' | 'as-range'
  | 'as-set-name' | 'route-set-name' | 'filter-set-name' | 'peering-set-name' | 'rtr-set-name'
  | 'as-set-member' | 'route-set-member' | 'mp-member' | 'rtr-set-member' | 'set-name-ref'
  | 'mntner-name' | 'mntner-ref' | 'mbrs-by-ref' | 'nic-handle' | 'email' | 'changed' | 'timestamp'
  | 'source' | 'auth' | 'dns-name' | 'ifaddr' | 'country' | 'object-name' | 'key-cert-name'
  | 'org-handle' | 'url' | 'ip-address' | 'domain-name' | 'status';

/** Syntaxes whose attribute value is a comma (or whitespace) separated list. */
export const LIST_SYNTAXES = new Set<SyntaxType>([
  'as-set-member', 'route-set-member', 'mp-member', 'rtr-set-member', 'mntner-ref', 'mbrs-by-ref', 'set-name-ref',
]);

const fail = (msg: string): never => {
  throw new SyntaxProblem(msg);
};

function prefix(value: string, family: 'ipv4' | 'ipv6' | undefined, what = 'address prefix'): string {
  try {
    return formatPrefixText(parsePrefixText(value, family));
  } catch (e) {
    if (e instanceof NetParseError) return fail(`invalid ${what}: ${value} (${e.message})`);
    throw e;
  }
}

function asn(value: string): string {
  try {
    return `AS${parseAsNumber(value)}`;
  } catch {
    return fail(`invalid AS number: ${value}`);
  }
}

const SET_PREFIX: Record<string, string> = {
  'as-set-name': 'AS-', 'route-set-name': 'RS-', 'filter-set-name': 'FLTR-',
  'peering-set-name': 'PRNG-', 'rtr-set-name': 'RTRS-',
};
const SET_COMPONENT = /^[A-Z0-9_-]+$/i;
export const RESERVED_NAMES = new Set(['ANY', 'AS-ANY', 'RS-ANY', 'PEERAS', 'AND', 'OR', 'NOT', 'ATOMIC', 'FROM', 'TO', 'AT', 'ACTION', 'ACCEPT', 'ANNOUNCE', 'EXCEPT', 'REFINE', 'NETWORKS', 'INTO', 'INBOUND', 'OUTBOUND']);

/** Hierarchical set name (RFC 2622 5): components joined by ':', each an AS number or a set name; at least
 *  one component is a set name with the class prefix (AS-, RS-, FLTR-, PRNG-, RTRS-). */
export function setName(value: string, kind: string): string {
  const want = SET_PREFIX[kind];
  const parts = value.split(':');
  let hasSet = false;
  const out: string[] = [];
  for (const part of parts) {
    if (/^AS[0-9]/i.test(part)) {
      out.push(asn(part));
      continue;
    }
    if (!part.toUpperCase().startsWith(want) || !SET_COMPONENT.test(part) || part.length === want.length) {
      fail(`invalid ${kind.replace('-name', '')} name: ${value} (component "${part}" is neither an AS number nor a name starting with ${want})`);
    }
    if (RESERVED_NAMES.has(part.toUpperCase())) fail(`reserved word used as set name: ${value}`);
    hasSet = true;
    out.push(part.toUpperCase());
  }
  if (!hasSet) fail(`invalid ${kind.replace('-name', '')} name: ${value} (no component starts with ${want})`);
  return out.join(':');
}

const RANGE_OP = /^\^(-|\+|[0-9]{1,3}(-[0-9]{1,3})?)$/;

/** "192.0.2.0/24^+" etc: a prefix with an optional RFC 2622 range operator. */
function prefixWithOp(value: string, family?: 'ipv4' | 'ipv6'): string {
  const caret = value.indexOf('^');
  const base = caret >= 0 ? value.slice(0, caret) : value;
  const op = caret >= 0 ? value.slice(caret) : '';
  if (op && !RANGE_OP.test(op)) fail(`invalid range operator in ${value}`);
  const p = prefix(base, family, family === 'ipv6' ? 'IPv6 prefix' : family === 'ipv4' ? 'IPv4 prefix' : 'prefix');
  if (op) {
    const bits = p.includes(':') ? 128 : 32;
    const len = Number(p.split('/')[1]);
    const nums = op.slice(1).split('-').filter((x) => /^[0-9]+$/.test(x)).map(Number);
    for (const n of nums) if (n < len || n > bits) fail(`range operator ${op} out of bounds for ${p}`);
    if (nums.length === 2 && nums[0] > nums[1]) fail(`range operator ${op} is empty`);
  }
  return p + op;
}

function routeSetMember(value: string, mp: boolean): string {
  if (/^[0-9a-f.:]+\//i.test(value)) return prefixWithOp(value, mp ? undefined : 'ipv4');
  const caret = value.indexOf('^');
  const name = caret >= 0 ? value.slice(0, caret) : value;
  const op = caret >= 0 ? value.slice(caret) : '';
  if (op && !RANGE_OP.test(op)) fail(`invalid range operator in ${value}`);
  if (/^AS[0-9.]+$/i.test(name)) return asn(name) + op;
  if (name.toUpperCase() === 'RS-ANY' || name.toUpperCase() === 'AS-ANY') return name.toUpperCase() + op;
  const upper = name.toUpperCase();
  if (upper.split(':').some((c) => c.startsWith('RS-'))) return setName(name, 'route-set-name') + op;
  if (upper.split(':').some((c) => c.startsWith('AS-'))) return setName(name, 'as-set-name') + op;
  return fail(`invalid route-set member: ${value} (expected a prefix, AS number, route-set or as-set name)`);
}

const EMAIL = /^[^\s@<>()[\],;:"]+@[A-Z0-9](?:[A-Z0-9-]*[A-Z0-9])?(?:\.[A-Z0-9](?:[A-Z0-9-]*[A-Z0-9])?)*$/i;
const DNS = /^(?=.{1,253}$)[A-Z0-9_](?:[A-Z0-9_-]{0,61}[A-Z0-9])?(?:\.[A-Z0-9_](?:[A-Z0-9_-]{0,61}[A-Z0-9])?)*\.?$/i;
const MNTNER = /^[A-Z][A-Z0-9_-]*[A-Z0-9]$/i;

function email(value: string): string {
  if (!EMAIL.test(value)) fail(`invalid e-mail address: ${value}`);
  return value;
}

function isoDate(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

export function checkSyntax(type: SyntaxType, value: string): string {
  switch (type) {
    case 'text':
    case 'status':
      return value;
    case 'ipv4-prefix':
      return prefix(value, 'ipv4', 'IPv4 address prefix');
    case 'ipv6-prefix':
      return prefix(value, 'ipv6', 'IPv6 address prefix');
    case 'ipv4-range': {
      const m = /^(\S+)\s*-\s*(\S+)$/.exec(value);
      if (!m) return prefix(value, 'ipv4', 'IPv4 range');
      try {
        const a = parseAddress(m[1]);
        const b = parseAddress(m[2]);
        if (a.family !== 'ipv4' || b.family !== 'ipv4') fail(`invalid IPv4 range: ${value}`);
        if (a.value > b.value) fail(`invalid IPv4 range: ${value} (start after end)`);
        return `${formatAddress('ipv4', a.value)} - ${formatAddress('ipv4', b.value)}`;
      } catch (e) {
        if (e instanceof NetParseError) return fail(`invalid IPv4 range: ${value} (${e.message})`);
        throw e;
      }
    }
    case 'ip-address':
      try {
        const a = parseAddress(value);
        return formatAddress(a.family, a.value);
      } catch {
        return fail(`invalid IP address: ${value}`);
      }
    case 'asn':
      return asn(value);
    case 'as-range': {
      const m = /^(\S+)\s*-\s*(\S+)$/.exec(value);
      if (!m) return fail(`invalid AS range: ${value} (expected "ASn - ASm")`);
      const a = asn(m[1]);
      const b = asn(m[2]);
      if (BigInt(a.slice(2)) > BigInt(b.slice(2))) fail(`invalid AS range: ${value} (start after end)`);
      return `${a} - ${b}`;
    }
    case 'as-set-name':
    case 'route-set-name':
    case 'filter-set-name':
    case 'peering-set-name':
    case 'rtr-set-name':
      return setName(value, type);
    case 'set-name-ref': {
      const u = value.toUpperCase();
      if (u.split(':').some((c) => c.startsWith('RS-'))) return setName(value, 'route-set-name');
      if (u.split(':').some((c) => c.startsWith('AS-'))) return setName(value, 'as-set-name');
      if (u.split(':').some((c) => c.startsWith('RTRS-'))) return setName(value, 'rtr-set-name');
      return fail(`invalid set name: ${value}`);
    }
    case 'as-set-member':
      if (/^AS[0-9.]+$/i.test(value)) return asn(value);
      return setName(value, 'as-set-name');
    case 'route-set-member':
      return routeSetMember(value, false);
    case 'mp-member':
      return routeSetMember(value, true);
    case 'rtr-set-member':
      if (value.toUpperCase().split(':').some((c) => c.startsWith('RTRS-'))) return setName(value, 'rtr-set-name');
      if (/^[0-9.]+$/.test(value) || value.includes(':')) return checkSyntax('ip-address', value);
      if (!DNS.test(value)) fail(`invalid rtr-set member: ${value}`);
      return value.toLowerCase();
    case 'mntner-name':
    case 'mntner-ref':
      if (!MNTNER.test(value)) fail(`invalid maintainer name: ${value}`);
      return value.toUpperCase();
    case 'mbrs-by-ref':
      if (value.toUpperCase() === 'ANY') return 'ANY';
      return checkSyntax('mntner-ref', value);
    case 'nic-handle':
      if (!/^[A-Z0-9][A-Z0-9_-]*$/i.test(value) || value.length > 64) fail(`invalid NIC handle: ${value}`);
      return value.toUpperCase();
    case 'org-handle':
      if (!/^ORG-[A-Z0-9_-]+$/i.test(value) && !/^[A-Z0-9][A-Z0-9_-]*$/i.test(value)) fail(`invalid organisation handle: ${value}`);
      return value.toUpperCase();
    case 'object-name':
      if (!/^[A-Z][A-Z0-9_.-]*$/i.test(value) || value.length > 80) fail(`invalid name: ${value}`);
      return value;
    case 'email': {
      const m = /<([^>]+)>\s*$/.exec(value);
      email(m ? m[1] : value);
      return value;
    }
    case 'changed': {
      const m = /^(\S+)(?:\s+([0-9]{8}))?$/.exec(value);
      if (!m) return fail(`invalid changed attribute: ${value} (expected "e-mail [YYYYMMDD]")`);
      email(m[1]);
      if (m[2] && !isoDate(+m[2].slice(0, 4), +m[2].slice(4, 6), +m[2].slice(6, 8))) fail(`invalid date in changed: ${m[2]}`);
      return value;
    }
    case 'timestamp': {
      const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:?[0-9]{2}))?$/.exec(value);
      if (!m || !isoDate(+m[1], +m[2], +m[3])) fail(`invalid timestamp: ${value}`);
      return value;
    }
    case 'source':
      if (!/^[A-Z][A-Z0-9-]*[A-Z0-9]$/i.test(value)) fail(`invalid source name: ${value}`);
      return value.toUpperCase();
    case 'auth': {
      const m = /^(\S+)(?:\s+(.*))?$/.exec(value);
      const scheme = (m?.[1] ?? '').toUpperCase();
      if (/^PGPKEY-[0-9A-F]{8}$/.test(scheme) || /^X509-[0-9]+$/.test(scheme)) return value;
      if (['BCRYPT-PW', 'CRYPT-PW', 'MD5-PW', 'SSO', 'API-KEY'].includes(scheme)) {
        if (!m?.[2]) fail(`auth scheme ${scheme} needs a value`);
        if (scheme === 'BCRYPT-PW' && !/^\$2[aby]?\$[0-9]{2}\$[./A-Za-z0-9]{53}$/.test(m![2])) fail(`invalid bcrypt hash in auth: ${value}`);
        return `${scheme} ${m![2]}`;
      }
      return fail(`invalid auth attribute: ${value} (expected BCRYPT-PW, CRYPT-PW, MD5-PW, PGPKEY-<id>, X509-<n>, SSO or API-KEY)`);
    }
    case 'dns-name':
      if (!DNS.test(value)) fail(`invalid DNS name: ${value}`);
      return value.toLowerCase().replace(/\.$/, '');
    case 'domain-name':
      if (!DNS.test(value)) fail(`invalid domain name: ${value}`);
      return value.toLowerCase().replace(/\.$/, '');
    case 'ifaddr': {
      const m = /^(\S+)\s+masklen\s+([0-9]{1,3})(\s+action\s+.*)?$/i.exec(value);
      if (!m) return fail(`invalid ifaddr: ${value} (expected "<address> masklen <n>")`);
      const ip = checkSyntax('ip-address', m[1]);
      if (Number(m[2]) > (ip.includes(':') ? 128 : 32)) fail(`invalid masklen in ifaddr: ${value}`);
      return value;
    }
    case 'country':
      if (!/^[A-Z]{2}$/i.test(value)) fail(`invalid country code: ${value}`);
      return value.toUpperCase();
    case 'key-cert-name':
      if (!/^(PGPKEY-[0-9A-F]{8}|X509-[0-9]+)$/i.test(value)) fail(`invalid key-cert name: ${value}`);
      return value.toUpperCase();
    case 'url':
      if (!/^https?:\/\/\S+$/i.test(value)) fail(`invalid URL: ${value}`);
      return value;
  }
}
