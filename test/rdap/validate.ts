/**
 * Checks every RDAP response three ways:
 *  1. the JSON schema of RFC 9083 and the extensions (test/rdap/schema/rdap.schema.json, with ajv);
 *  2. rules in the spirit of ICANN's rdap-conformance tool, re-expressed here (cross-field checks a schema
 *     cannot state: address order and family, cidr0 cover, self links, unique events, conformance
 *     identifiers for every extension member used, jCard shape, RFC 8521 tags);
 *  3. RFC 9537: every `redacted` JSONPath resolves (postPath in this response; prePath in the
 *     unredacted response when given, and never in this one).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { query } from './jsonpath.js';

const schema = JSON.parse(readFileSync(new URL('./schema/rdap.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
// ajv-formats is CommonJS: under ESM its plugin function may sit on `default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => void;
addFormats(ajv);
const validateRdap = ajv.compile(schema);
const validateBootstrap = ajv.compile({ ...schema, oneOf: undefined, $ref: '#/definitions/bootstrap', $id: 'https://numreg.example/schema/bootstrap.json' });

export function assertSchema(body: unknown, what = ''): void {
  if (!validateRdap(body)) {
    const errors = (validateRdap.errors ?? []).filter((e: ErrorObject) => e.keyword !== 'oneOf' && e.keyword !== 'if').slice(0, 8);
    assert.fail(`${what}: RDAP schema violations:\n${ajv.errorsText(errors, { separator: '\n' })}\n${JSON.stringify(body).slice(0, 400)}`);
  }
}

export function assertBootstrapSchema(body: unknown): void {
  if (!validateBootstrap(body)) assert.fail(`bootstrap schema: ${ajv.errorsText(validateBootstrap.errors)}`);
}

type J = Record<string, unknown>;
const isObj = (x: unknown): x is J => !!x && typeof x === 'object' && !Array.isArray(x);

function ipToBig(text: string): bigint {
  if (text.includes(':')) {
    const [head, tail] = text.split('::');
    const h = head ? head.split(':') : [];
    const t = tail !== undefined ? (tail ? tail.split(':') : []) : [];
    const groups = tail !== undefined ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
    return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  }
  return text.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
}

/** Rules a schema cannot express; returns the violations found. */
export function conformanceViolations(body: J, objectTag = 'NUMREG'): string[] {
  const v: string[] = [];
  const conformance = new Set((body.rdapConformance as string[]) ?? []);
  const uses = (member: string) => JSON.stringify(body).includes(`"${member}"`);
  const needs: [string, string][] = [
    ['cidr0_cidrs', 'cidr0'], ['redacted', 'redacted'], ['paging_metadata', 'paging'], ['sorting_metadata', 'sorting'],
    ['subsetting_metadata', 'subsetting'], ['ipSearchResults', 'ips'], ['autnumSearchResults', 'autnums'],
    ['reverse_search_properties', 'reverse_search'],
  ];
  for (const [member, id] of needs) if (uses(member) && !conformance.has(id)) v.push(`uses ${member} without "${id}" in rdapConformance`);
  if (!body.errorCode && !conformance.has('nro_rdap_profile_0')) v.push('nro_rdap_profile_0 missing');

  const visit = (o: J, path: string, top: boolean) => {
    if (!top && 'rdapConformance' in o) v.push(`${path}: rdapConformance only at the top level`);
    if (!top && 'notices' in o) v.push(`${path}: notices only at the top level`);
    if (typeof o.objectClassName === 'string') {
      const links = (o.links as J[] | undefined) ?? [];
      if (!links.some((l) => l.rel === 'self')) v.push(`${path}: no self link`);
      const actions = ((o.events as J[] | undefined) ?? []).map((e) => e.eventAction);
      if (new Set(actions).size !== actions.length) v.push(`${path}: duplicate eventAction`);
    }
    if (o.objectClassName === 'ip network' && typeof o.startAddress === 'string') {
      const v6 = o.ipVersion === 'v6';
      if ((o.startAddress as string).includes(':') !== v6 || (o.endAddress as string).includes(':') !== v6) v.push(`${path}: ipVersion does not match the addresses`);
      const s = ipToBig(o.startAddress as string);
      const e = ipToBig(o.endAddress as string);
      if (s > e) v.push(`${path}: startAddress after endAddress`);
      const cidrs = (o.cidr0_cidrs as J[] | undefined) ?? [];
      if (cidrs.length) {
        let next = s;
        for (const c of cidrs) {
          const start = ipToBig((c.v4prefix ?? c.v6prefix) as string);
          const size = 1n << BigInt((v6 ? 128 : 32) - (c.length as number));
          if (start !== next || start % size !== 0n) v.push(`${path}: cidr0_cidrs do not tile the range`);
          next = start + size;
        }
        if (next !== e + 1n) v.push(`${path}: cidr0_cidrs do not end at endAddress`);
      }
    }
    if (o.objectClassName === 'autnum' && (o.startAutnum as number) > (o.endAutnum as number)) v.push(`${path}: startAutnum after endAutnum`);
    if (o.objectClassName === 'entity') {
      if (typeof o.handle === 'string' && !(o.handle as string).endsWith(`-${objectTag}`)) v.push(`${path}: entity handle ${o.handle} lacks the RFC 8521 tag`);
      const card = o.vcardArray as [string, unknown[][]] | undefined;
      if (card) {
        const props = card[1];
        if (props[0]?.[0] !== 'version' || props[0]?.[3] !== '4.0') v.push(`${path}: jCard must start with version 4.0`);
        const kind = props.find((p) => p[0] === 'kind');
        if (kind && !['individual', 'org', 'group'].includes(kind[3] as string)) v.push(`${path}: jCard kind ${kind[3]}`);
        if (props.filter((p) => p[0] === 'fn').length !== 1) v.push(`${path}: jCard needs exactly one fn`);
      }
    }
    for (const l of (o.links as J[] | undefined) ?? []) {
      if (isObj(l) && typeof l.href === 'string' && !/^https?:\/\//.test(l.href)) v.push(`${path}: link href not absolute: ${l.href}`);
    }
    for (const [k, child] of Object.entries(o)) {
      if (Array.isArray(child)) child.forEach((c, i) => isObj(c) && visit(c, `${path}.${k}[${i}]`, false));
      else if (isObj(child) && k !== 'redacted') visit(child, `${path}.${k}`, false);
    }
  };
  visit(body, '$', true);
  return v;
}

/** RFC 9537 paths: postPath resolves here; prePath resolves nowhere here but in `unredacted` when given. */
export function redactionViolations(body: J, unredacted?: J): string[] {
  const v: string[] = [];
  for (const r of (body.redacted as J[] | undefined) ?? []) {
    if (typeof r.postPath === 'string') {
      const hits = query(body, r.postPath);
      if (hits.length === 0) v.push(`postPath ${r.postPath} resolves to nothing`);
      if (r.method === 'emptyValue' && hits.some((h) => h !== '')) v.push(`postPath ${r.postPath} is not empty`);
    }
    if (typeof r.prePath === 'string') {
      if (query(body, r.prePath).length > 0) v.push(`prePath ${r.prePath} still resolves in the redacted response`);
      if (unredacted && query(unredacted, r.prePath).length === 0) v.push(`prePath ${r.prePath} resolves to nothing in the unredacted response`);
    }
  }
  return v;
}

/** All three checks. */
export function assertRdap(body: unknown, what: string, unredacted?: unknown): void {
  assertSchema(body, what);
  const violations = [...conformanceViolations(body as J), ...redactionViolations(body as J, unredacted as J | undefined)];
  assert.deepEqual(violations, [], `${what}: ${violations.join('; ')}`);
}
