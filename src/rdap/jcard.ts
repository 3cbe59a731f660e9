/**
 * jCard (RFC 7095) for entities, with RFC 9537 redaction of natural persons' data for anonymous requests.
 * Organisations and role contacts are not personal data and are always shown in full.
 */
import type { Contact } from '../registry/contacts.js';
import type { Organisation } from '../registry/organisations.js';
import { jpString, type Redaction, type RequestContext } from './context.js';
import { CONFORMANCE } from './values.js';

export type JCardProperty = [string, Record<string, string | string[]>, string, unknown];
export type VCardArray = ['vcard', JCardProperty[]];

const EMPTY_ADR = ['', '', '', '', '', '', ''];

export function organisationCard(org: Organisation): VCardArray {
  const props: JCardProperty[] = [
    ['version', {}, 'text', '4.0'],
    ['fn', {}, 'text', org.name],
    ['kind', {}, 'text', 'org'],
    ['org', {}, 'text', org.name],
  ];
  if (org.address || org.country) {
    const params: Record<string, string> = {};
    if (org.address) params.label = org.address;
    if (org.country) params.cc = org.country;
    props.push(['adr', params, 'text', EMPTY_ADR]);
  }
  return ['vcard', props];
}

function contactProperties(c: Contact): JCardProperty[] {
  const props: JCardProperty[] = [
    ['version', {}, 'text', '4.0'],
    ['fn', {}, 'text', c.name],
    ['kind', {}, 'text', c.kind === 'person' ? 'individual' : 'group'],
  ];
  if (c.address) props.push(['adr', { label: c.address }, 'text', EMPTY_ADR]);
  if (c.email) props.push(['email', {}, 'text', c.email]);
  if (c.abuseMailbox && c.abuseMailbox !== c.email) props.push(['email', { pref: '1' }, 'text', c.abuseMailbox]);
  if (c.phone) props.push(['tel', { type: ['work', 'voice'] }, 'uri', `tel:${c.phone.replace(/\s+/g, '')}`]);
  if (c.fax) props.push(['tel', { type: ['work', 'fax'] }, 'uri', `tel:${c.fax.replace(/\s+/g, '')}`]);
  return props;
}

/** Names of redacted fields, from the IANA "redacted name" registry where one fits the role. */
const REDACTED_NAMES: Record<string, Record<'fn' | 'adr' | 'email' | 'tel', string>> = {
  registrant: { fn: 'Registrant Name', adr: 'Registrant Street', email: 'Registrant Email', tel: 'Registrant Phone' },
  technical: { fn: 'Tech Name', adr: 'Tech Address', email: 'Tech Email', tel: 'Tech Phone' },
};

const REASON = Object.freeze({ description: 'Personal data of a natural person, withheld from anonymous requests; available to requesters with a legitimate interest (tiered access, every disclosure logged)' });
/** The `name` members of REDACTED_NAMES as objects, shared by every answer (they are serialised, never changed). */
const REDACTED_NAME_OBJECTS = Object.fromEntries(Object.entries(REDACTED_NAMES).map(([role, fields]) =>
  [role, Object.fromEntries(Object.entries(fields).map(([f, type]) => [f, Object.freeze({ type })]))])) as Record<string, Record<'fn' | 'adr' | 'email' | 'tel', Redaction['name']>>;

/**
 * The jCard of a contact as this request may see it. For a person and a public request: `fn` is kept as an
 * empty string (method emptyValue, postPath) and address, e-mail and telephone properties are removed
 * (method removal, prePath). `entityPath` is the JSONPath of the entity object in the response.
 */
export function contactCard(ctx: RequestContext, c: Contact, entityPath: string, roles: string[]): VCardArray {
  const props = contactProperties(c);
  if (c.kind !== 'person') return ['vcard', props];
  if (ctx.tier === 'legitimate-interest') {
    ctx.disclosed.add(c.handle);
    return ['vcard', props];
  }
  ctx.conformance.add(CONFORMANCE.redacted);
  const names = REDACTED_NAME_OBJECTS[roles.find((r) => r in REDACTED_NAME_OBJECTS) ?? ''];
  const label = (field: 'fn' | 'adr' | 'email' | 'tel', fallback: string): Redaction['name'] =>
    names ? names[field] : { description: `${roles.length ? `${roles.join('/')} ` : ''}contact ${c.handle}: ${fallback}` };
  const card = `${entityPath}.vcardArray[1]`;
  const kept: JCardProperty[] = [];
  const removed = new Set<string>();
  for (const p of props) {
    if (p[0] === 'fn') kept.push(['fn', {}, 'text', '']);
    else if (p[0] === 'adr' || p[0] === 'email' || p[0] === 'tel') removed.add(p[0]);
    else kept.push(p);
  }
  ctx.redactions.push({
    name: label('fn', 'name'),
    postPath: `${card}[?(@[0]==${jpString('fn')})][3]`,
    pathLang: 'jsonpath',
    method: 'emptyValue',
    reason: REASON,
  });
  for (const field of ['adr', 'email', 'tel'] as const) {
    if (!removed.has(field)) continue;
    ctx.redactions.push({
      name: label(field, { adr: 'address', email: 'e-mail', tel: 'telephone' }[field]),
      prePath: `${card}[?(@[0]==${jpString(field)})]`,
      pathLang: 'jsonpath',
      method: 'removal',
      reason: REASON,
    });
  }
  return ['vcard', kept];
}
