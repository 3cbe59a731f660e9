import type { Queryable } from '../db/database.js';
import { pgErrorCode, PG_UNIQUE_VIOLATION } from '../db/database.js';
import type { Actor } from './actor.js';
import { conflict, invalidInput, notFound } from './errors.js';
import { recordChange } from './feed.js';
import { normaliseHandle } from './organisations.js';

/** A contact (RPSL person or role). Persons are natural persons: their personal data is redacted for the public. */
export interface Contact {
  id: string;
  handle: string;
  kind: 'person' | 'role';
  name: string;
  nameLocal: string | null;
  email: string | null;
  abuseMailbox: string | null;
  phone: string | null;
  fax: string | null;
  address: string | null;
  orgHandle: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewContact {
  handle: string;
  kind: 'person' | 'role';
  name: string;
  nameLocal?: string | null;
  email?: string | null;
  abuseMailbox?: string | null;
  phone?: string | null;
  fax?: string | null;
  address?: string | null;
  orgHandle?: string | null;
}

/** Columns of a Contact row (also read as JSON by one-statement look-ups, e.g. RDAP). */
export const CONTACT_SELECT = `SELECT c.id::text AS id, c.handle, c.kind, c.name, c.name_local, c.email, c.abuse_mailbox, c.phone, c.fax,
  c.address, o.handle AS org_handle, c.created_at, c.updated_at FROM contact c LEFT JOIN organisation o ON o.id = c.org_id`;

export interface ContactRow {
  id: string; handle: string; kind: 'person' | 'role'; name: string; name_local: string | null; email: string | null;
  abuse_mailbox: string | null; phone: string | null; fax: string | null; address: string | null;
  org_handle: string | null; created_at: Date | string; updated_at: Date | string;
}

export const toContact = (r: ContactRow): Contact => ({
  id: r.id, handle: r.handle, kind: r.kind, name: r.name, nameLocal: r.name_local, email: r.email,
  abuseMailbox: r.abuse_mailbox, phone: r.phone, fax: r.fax, address: r.address, orgHandle: r.org_handle,
  createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(),
});

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function contactByHandle(db: Queryable, handle: string): Promise<Contact | undefined> {
  const { rows } = await db.query<ContactRow>(`${CONTACT_SELECT} WHERE c.handle = $1`, [handle.toUpperCase()]);
  return rows[0] && toContact(rows[0]);
}

export async function contactsByHandles(db: Queryable, handles: string[]): Promise<Contact[]> {
  if (handles.length === 0) return [];
  const { rows } = await db.query<ContactRow>(`${CONTACT_SELECT} WHERE c.handle = ANY($1::text[]) ORDER BY c.handle`, [handles.map((h) => h.toUpperCase())]);
  return rows.map(toContact);
}

export async function contactsOfOrganisation(db: Queryable, orgId: string): Promise<Contact[]> {
  const { rows } = await db.query<ContactRow>(`${CONTACT_SELECT} WHERE c.org_id = $1 ORDER BY c.handle`, [orgId]);
  return rows.map(toContact);
}

export async function contactsByName(db: Queryable, name: string, limit = 100): Promise<Contact[]> {
  const { rows } = await db.query<ContactRow>(`${CONTACT_SELECT} WHERE lower(c.name) = lower($1) ORDER BY c.handle LIMIT ${limit}`, [name]);
  return rows.map(toContact);
}

export async function createContact(tx: Queryable, input: NewContact, actor: Actor, reason?: string): Promise<Contact> {
  const handle = normaliseHandle(input.handle, 'contact handle');
  if (!input.name.trim()) throw invalidInput('contact name must not be empty');
  for (const [field, value] of [['email', input.email], ['abuse-mailbox', input.abuseMailbox]] as const) {
    if (value && !EMAIL.test(value)) throw invalidInput(`${field} "${value}" is not an e-mail address`);
  }
  let orgId: string | null = null;
  if (input.orgHandle) {
    const { rows } = await tx.query<{ id: string }>('SELECT id::text AS id FROM organisation WHERE handle = $1', [input.orgHandle.toUpperCase()]);
    if (!rows[0]) throw notFound(`organisation ${input.orgHandle.toUpperCase()} does not exist`);
    orgId = rows[0].id;
  }
  try {
    await tx.query(
      `INSERT INTO contact (handle, kind, name, name_local, email, abuse_mailbox, phone, fax, address, org_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
      [handle, input.kind, input.name.trim(), input.nameLocal ?? null, input.email ?? null, input.abuseMailbox ?? null,
        input.phone ?? null, input.fax ?? null, input.address ?? null, orgId],
    );
  } catch (error) {
    if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) throw conflict(`contact ${handle} already exists`);
    throw error;
  }
  const contact = (await contactByHandle(tx, handle))!;
  await recordChange(tx, { objectType: 'contact', objectKey: handle, action: 'create', version: 1, actor, reason, after: contact });
  return contact;
}
