/**
 * What the public search box understands, in order: a number resource (address, prefix, range, AS number),
 * then a handle (organisation, contact, maintainer, net name), then a name (organisation, contact, net name).
 */
import type { Queryable } from '../db/database.js';
import { parseResource, ResourceParseError, type NumberRange } from '../core/index.js';
import type { Delegation } from '../registry/delegation-model.js';
import { contactByHandle, contactsByHandles, contactsByName, type Contact } from '../registry/contacts.js';
import { exactMatch, lessSpecifics, longestMatch, moreSpecifics, delegationsByNetName, delegationsOfHolder } from '../registry/lookup.js';
import { listOrganisations, organisationByHandle, type Organisation } from '../registry/organisations.js';
import { maintainerByHandle, type Maintainer } from '../registry/maintainers.js';

export interface SearchResult {
  kind: 'resource' | 'handle' | 'name' | 'empty' | 'invalid';
  range?: NumberRange;
  /** Most specific match first for a resource query. */
  delegations: Delegation[];
  /** Delegations inside the queried prefix (more specifics), for a resource query. */
  inside: Delegation[];
  organisations: Organisation[];
  contacts: Contact[];
  maintainers: Maintainer[];
  /** Contacts referenced by the delegations (to build their entities). */
  referenced: Contact[];
  error?: string;
}

const HANDLE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

function empty(kind: SearchResult['kind']): SearchResult {
  return { kind, delegations: [], inside: [], organisations: [], contacts: [], maintainers: [], referenced: [] };
}

async function withContacts(db: Queryable, r: SearchResult): Promise<SearchResult> {
  const handles = new Set<string>();
  for (const d of r.delegations) {
    [...d.adminC, ...d.techC].forEach((h) => handles.add(h));
    if (d.abuseC) handles.add(d.abuseC);
  }
  r.referenced = await contactsByHandles(db, [...handles]);
  return r;
}

export async function search(db: Queryable, q: string): Promise<SearchResult> {
  const text = q.trim();
  if (!text) return empty('empty');
  if (text.length > 200) return { ...empty('invalid'), error: 'query too long' };
  let range: NumberRange | undefined;
  let parseError: string | undefined;
  try {
    range = parseResource(text);
  } catch (error) {
    if (!(error instanceof ResourceParseError)) throw error;
    parseError = error.message;
  }
  if (range) {
    const r = empty('resource');
    r.range = range;
    const exact = await exactMatch(db, range);
    const best = exact ?? (await longestMatch(db, range));
    if (best) {
      // The match and its less specifics, most specific first, so the page shows where it sits in the tree.
      const chain = await lessSpecifics(db, best.range, false);
      r.delegations = [best, ...chain.reverse()];
    }
    if (range.start !== range.end) r.inside = await moreSpecifics(db, range, 200);
    return withContacts(db, r);
  }
  if (/^[0-9./:\s-]+$/.test(text) || /^as\d/i.test(text)) return { ...empty('invalid'), error: parseError };
  if (HANDLE.test(text)) {
    const r = empty('handle');
    const [org, contact, mnt] = await Promise.all([organisationByHandle(db, text), contactByHandle(db, text), maintainerByHandle(db, text)]);
    if (org) {
      r.organisations.push(org);
      r.delegations.push(...(await delegationsOfHolder(db, org.id)).slice(0, 200));
    }
    if (contact) r.contacts.push(contact);
    if (mnt) r.maintainers.push(mnt);
    r.delegations.push(...(await delegationsByNetName(db, text, 50)));
    if (r.organisations.length || r.contacts.length || r.maintainers.length || r.delegations.length) return withContacts(db, r);
  }
  const r = empty('name');
  const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  r.organisations = (await listOrganisations(db, { nameLike: like })).slice(0, 50);
  r.contacts = await contactsByName(db, text, 50);
  r.delegations = await delegationsByNetName(db, text, 50);
  return withContacts(db, r);
}
