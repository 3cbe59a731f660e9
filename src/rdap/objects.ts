/**
 * RFC 9083 object classes built from the registry: ip network (§5.4), autnum (§5.5), entity (§5.1).
 * Each builder takes the JSONPath at which the object will sit, so redactions name exact paths.
 */
import type { Queryable } from '../db/database.js';
import { formatIp, formatPrefix, rangeToPrefix, rangeToPrefixes, type NumberRange } from '../core/index.js';
import { contactsByHandles, type Contact } from '../registry/contacts.js';
import type { Delegation } from '../registry/delegation-model.js';
import { delegationById } from '../registry/lookup.js';
import { organisationById, type Organisation } from '../registry/organisations.js';
import { jpString, link, taggedHandle, type Link, type RequestContext } from './context.js';
import { contactCard, organisationCard } from './jcard.js';
import type { FieldSet } from './query.js';
import { CONFORMANCE, CONTACT_ROLES, IP_VERSION, NETWORK_TYPES, RDAP_MEDIA_TYPE, STATUS_VALUES } from './values.js';

export type Json = Record<string, unknown>;

const dateTime = (date: string | null, fallback: string) => (date ? `${date}T00:00:00Z` : fallback);

export function networkHandle(d: Delegation): string {
  return `NET-${d.id}`;
}

export function autnumHandle(d: Delegation): string {
  return d.range.start === d.range.end ? `AS${d.range.start}` : `AS${d.range.start}-AS${d.range.end}`;
}

export const handleOf = (d: Delegation) => (d.family === 'asn' ? autnumHandle(d) : networkHandle(d));

/** The path segment that looks a delegation up again: ip/<prefix> (first prefix of a non-CIDR range) or autnum/<n>. */
export function lookupPath(d: Delegation): string {
  if (d.family === 'asn') return `autnum/${d.range.start}`;
  const p = rangeToPrefix(d.range) ?? rangeToPrefixes(d.range)[0]!;
  return `ip/${formatPrefix(p)}`;
}

/** Argument of RFC 9910 rirSearch1 paths for a range, when the range is one CIDR prefix (or one AS). */
export function rirSearchArgument(r: NumberRange): string | undefined {
  if (r.family === 'asn') return r.start === r.end ? String(r.start) : undefined;
  const p = rangeToPrefix(r);
  return p && formatPrefix(p);
}

function events(registration: string, lastChanged: string) {
  return [
    { eventAction: 'registration', eventDate: registration },
    { eventAction: 'last changed', eventDate: lastChanged },
  ];
}

/** Everything a delegation object needs from other tables, fetched once per response. */
export interface DelegationDetails {
  holder?: Organisation;
  contacts: Map<string, Contact>;
  parent?: Delegation;
}

/** Handles of the contacts a delegation names (admin-c, tech-c, abuse-c), each once. */
export function contactHandlesOf(d: Delegation): string[] {
  return [...new Set([...d.adminC, ...d.techC, ...(d.abuseC ? [d.abuseC] : [])])];
}

export async function loadDetails(db: Queryable, d: Delegation): Promise<DelegationDetails> {
  const handles = contactHandlesOf(d);
  const [holder, contacts, parent] = await Promise.all([
    organisationById(db, d.holderId),
    contactsByHandles(db, handles),
    d.parentId ? delegationById(db, d.parentId) : Promise.resolve(undefined),
  ]);
  return { holder, contacts: new Map(contacts.map((c) => [c.handle, c])), parent };
}

export function organisationEntity(ctx: RequestContext, org: Organisation, roles: string[] | undefined): Json {
  const handle = taggedHandle(ctx, org.handle);
  const entity: Json = { objectClassName: 'entity', handle, vcardArray: organisationCard(org) };
  if (roles) entity.roles = roles;
  entity.links = [link(ctx, 'self', `entity/${encodeURIComponent(handle)}`)];
  entity.events = events(dateTime(org.memberSince, org.createdAt), org.updatedAt);
  if (ctx.port43) entity.port43 = ctx.port43;
  return entity;
}

export function contactEntity(ctx: RequestContext, c: Contact, path: string, roles: string[] | undefined): Json {
  const handle = taggedHandle(ctx, c.handle);
  const entityPath = roles ? `${path}[?(@.handle==${jpString(handle)})]` : path;
  const entity: Json = { objectClassName: 'entity', handle, vcardArray: contactCard(ctx, c, entityPath, roles ?? []) };
  if (roles) entity.roles = roles;
  entity.links = [link(ctx, 'self', `entity/${encodeURIComponent(handle)}`)];
  entity.events = events(c.createdAt, c.updatedAt);
  if (ctx.port43) entity.port43 = ctx.port43;
  return entity;
}

/** The registrant (holder) and the contacts named by admin-c, tech-c and abuse-c, each once with all its roles. */
function delegationEntities(ctx: RequestContext, d: Delegation, details: DelegationDetails, path: string): Json[] {
  const out: Json[] = [];
  if (details.holder) out.push(organisationEntity(ctx, details.holder, ['registrant']));
  const roles = new Map<string, string[]>();
  for (const { field, role } of CONTACT_ROLES) {
    const value = d[field];
    for (const h of Array.isArray(value) ? value : value ? [value] : []) {
      if (!details.contacts.has(h)) continue;
      roles.set(h, [...(roles.get(h) ?? []), role]);
    }
  }
  for (const [h, r] of roles) out.push(contactEntity(ctx, details.contacts.get(h)!, `${path}.entities`, r));
  return out;
}

function delegationLinks(ctx: RequestContext, d: Delegation, details: DelegationDetails | undefined): Link[] {
  const links: Link[] = [link(ctx, 'self', lookupPath(d))];
  if (details?.parent) links.push(link(ctx, 'up', lookupPath(details.parent), `parent: ${details.parent.resource} (${details.parent.holderHandle})`));
  const arg = rirSearchArgument(d.range);
  if (arg) {
    const kind = d.family === 'asn' ? 'autnums' : 'ips';
    for (const rel of ['rdap-up', 'rdap-down', 'rdap-top', 'rdap-bottom']) {
      links.push(link(ctx, rel, `${kind}/rirSearch1/${rel}/${arg}`));
    }
  }
  // The record of the same block at the registry that delegated it (RIR ↔ NIR levels), when that
  // registry runs its own RDAP service.
  const parentRegistry = details?.parent?.registry;
  const external = parentRegistry && parentRegistry !== d.registry ? ctx.registryUrls[parentRegistry] : undefined;
  const own = ctx.registryUrls[d.registry];
  for (const [base, title] of [[external, `record at ${parentRegistry}`], [own, `record at ${d.registry}`]] as const) {
    if (base && !base.startsWith(ctx.base)) {
      links.push({ value: ctx.requestUrl, rel: 'related', href: `${base.replace(/\/$/, '')}/${lookupPath(d)}`, type: RDAP_MEDIA_TYPE, title });
    }
  }
  return links;
}

/**
 * An ip network or autnum object. `details` is omitted for id/brief field sets (no entities, no up link).
 * `path` is the JSONPath of the object in the response ('$' at top level).
 */
export function delegationObject(ctx: RequestContext, d: Delegation, details: DelegationDetails | undefined, path: string, fieldSet: FieldSet = 'full'): Json {
  const handle = handleOf(d);
  const o: Json = { objectClassName: d.family === 'asn' ? 'autnum' : 'ip network', handle };
  if (d.family === 'asn') {
    ctx.conformance.add(CONFORMANCE.asnHierarchical);
    o.startAutnum = Number(d.range.start);
    o.endAutnum = Number(d.range.end);
  } else {
    ctx.conformance.add(CONFORMANCE.cidr0);
    const v4 = d.family === 'ipv4';
    o.startAddress = formatIp(d.family, d.range.start);
    o.endAddress = formatIp(d.family, d.range.end);
    o.ipVersion = IP_VERSION[d.family];
    o.cidr0_cidrs = rangeToPrefixes(d.range).map((p) => v4
      ? { v4prefix: formatIp('ipv4', p.start), length: p.length }
      : { v6prefix: formatIp('ipv6', p.start), length: p.length });
  }
  if (fieldSet === 'id') {
    o.links = [link(ctx, 'self', lookupPath(d))];
    return o;
  }
  o.name = d.netName ?? handle;
  o.type = NETWORK_TYPES[d.status];
  if (d.country) o.country = d.country;
  if (d.parentId) {
    if (details?.parent) o.parentHandle = handleOf(details.parent);
    else if (d.family !== 'asn') o.parentHandle = `NET-${d.parentId}`;
  }
  o.status = STATUS_VALUES[d.status];
  o.events = events(dateTime(d.delegatedOn, d.createdAt), d.updatedAt);
  o.links = delegationLinks(ctx, d, details);
  if (d.description) o.remarks = [{ title: 'description', description: d.description.split('\n') }];
  if (ctx.port43) o.port43 = ctx.port43;
  if (fieldSet === 'brief' || !details) return o;
  o.entities = delegationEntities(ctx, d, details, path);
  return o;
}

/** A networks/autnums member of an entity response: brief, without nested entities. */
export function briefDelegation(ctx: RequestContext, d: Delegation): Json {
  return delegationObject(ctx, d, undefined, '', 'brief');
}
