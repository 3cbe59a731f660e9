/**
 * Registry objects shaped as RDAP (RFC 9083) would return them, with redaction of natural persons'
 * personal data (RFC 9537 style "redacted" members) for viewers without a right to see it.
 * Used by the public search page: the JSON is shown beside the human-readable view.
 */
import type { Delegation } from '../registry/delegation-model.js';
import type { Contact } from '../registry/contacts.js';
import type { Organisation } from '../registry/organisations.js';
import { formatIp } from '../core/index.js';

export type Json = Record<string, unknown>;

/** Who may see a contact's personal data: true = full, false = redacted. */
export type ContactVisibility = (contact: Contact) => boolean;

export function contactEntity(contact: Contact, roles: string[], visible: boolean): Json {
  const isPerson = contact.kind === 'person';
  const redact = isPerson && !visible;
  const vcard: unknown[] = [['version', {}, 'text', '4.0'], ['kind', {}, 'text', isPerson ? 'individual' : 'group']];
  const redacted: Json[] = [];
  if (redact) {
    vcard.push(['fn', {}, 'text', '']);
    redacted.push(
      { name: { type: 'Registrant Name' }, prePath: "$.vcardArray[1][?(@[0]=='fn')][3]", method: 'emptyValue', reason: { description: 'natural person' } },
      { name: { type: 'Registrant Email' }, prePath: "$.vcardArray[1][?(@[0]=='email')]", method: 'removal' },
      { name: { type: 'Registrant Phone' }, prePath: "$.vcardArray[1][?(@[0]=='tel')]", method: 'removal' },
      { name: { type: 'Registrant Street' }, prePath: "$.vcardArray[1][?(@[0]=='adr')]", method: 'removal' },
    );
  } else {
    vcard.push(['fn', {}, 'text', contact.name]);
    if (contact.nameLocal) vcard.push(['fn', { language: 'ja' }, 'text', contact.nameLocal]);
    if (contact.email) vcard.push(['email', {}, 'text', contact.email]);
    if (contact.phone) vcard.push(['tel', { type: 'voice' }, 'uri', `tel:${contact.phone}`]);
    if (contact.address) vcard.push(['adr', { label: contact.address }, 'text', ['', '', '', '', '', '', '']]);
  }
  if (contact.abuseMailbox && !redact) vcard.push(['email', { type: 'abuse' }, 'text', contact.abuseMailbox]);
  return {
    objectClassName: 'entity',
    handle: contact.handle,
    roles,
    vcardArray: ['vcard', vcard],
    ...(redacted.length ? { redacted } : {}),
  };
}

export function organisationEntity(org: Pick<Organisation, 'handle' | 'name' | 'nameLocal' | 'country'>, roles: string[]): Json {
  const vcard: unknown[] = [['version', {}, 'text', '4.0'], ['kind', {}, 'text', 'org'], ['fn', {}, 'text', org.name]];
  if (org.nameLocal) vcard.push(['fn', { language: 'ja' }, 'text', org.nameLocal]);
  if (org.country) vcard.push(['adr', { cc: org.country }, 'text', ['', '', '', '', '', '', '']]);
  return { objectClassName: 'entity', handle: org.handle, roles, vcardArray: ['vcard', vcard] };
}

const RDAP_STATUS: Record<string, string> = {
  allocated: 'active', assigned: 'active', 'sub-allocated': 'active', reserved: 'reserved', available: 'inactive', legacy: 'active',
};

export function delegationObject(d: Delegation, contacts: Contact[], visible: ContactVisibility): Json {
  const byHandle = new Map(contacts.map((c) => [c.handle, c]));
  const roles = new Map<string, string[]>();
  const add = (h: string | null, role: string) => {
    if (!h) return;
    roles.set(h, [...(roles.get(h) ?? []), role]);
  };
  d.adminC.forEach((h) => add(h, 'administrative'));
  d.techC.forEach((h) => add(h, 'technical'));
  add(d.abuseC, 'abuse');
  const entities: Json[] = [organisationEntity({ handle: d.holderHandle, name: d.holderName, nameLocal: null, country: d.country }, ['registrant'])];
  for (const [handle, r] of roles) {
    const c = byHandle.get(handle);
    entities.push(c ? contactEntity(c, r, visible(c)) : { objectClassName: 'entity', handle, roles: r });
  }
  const common = {
    handle: `NUMREG-${d.id}`,
    name: d.netName ?? undefined,
    type: d.status.toUpperCase(),
    status: [RDAP_STATUS[d.status] ?? 'active'],
    country: d.country ?? undefined,
    parentHandle: d.parentId ? `NUMREG-${d.parentId}` : undefined,
    remarks: d.description ? [{ description: [d.description] }] : undefined,
    entities,
    events: [
      ...(d.delegatedOn ? [{ eventAction: 'registration', eventDate: `${d.delegatedOn}T00:00:00Z` }] : []),
      { eventAction: 'last changed', eventDate: d.updatedAt },
    ],
  };
  if (d.family === 'asn') {
    return { objectClassName: 'autnum', startAutnum: Number(d.range.start), endAutnum: Number(d.range.end), ...common };
  }
  return {
    objectClassName: 'ip network',
    startAddress: formatIp(d.family, d.range.start),
    endAddress: formatIp(d.family, d.range.end),
    ipVersion: d.family === 'ipv4' ? 'v4' : 'v6',
    ...common,
  };
}
