/**
 * Modify and delete for contacts and maintainers, through the same change feed as their creation. Their
 * tables carry no version column, so the version of a change is the next one in the object's history. An
 * object still named by a delegation (or, for a maintainer, by an API key) cannot be deleted: the answer
 * lists what refers to it (delegations, API keys, IRR objects' mnt-by).
 */
import type { Queryable } from '../db/database.js';
import type { Actor } from './actor.js';
import { contactByHandle, type Contact, type NewContact } from './contacts.js';
import { conflict, forbidden, invalidInput, notFound } from './errors.js';
import { recordChange } from './feed.js';
import { hashPassword, maintainerByHandle, type Maintainer } from './maintainers.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type ContactChanges = Partial<Pick<NewContact, 'name' | 'nameLocal' | 'email' | 'abuseMailbox' | 'phone' | 'fax' | 'address'>>;
export interface MaintainerChanges { description?: string | null; adminC?: string[]; password?: string }

/** Column of each changeable contact field. */
const CONTACT_COLUMNS: Record<keyof ContactChanges, string> = {
  name: 'name', nameLocal: 'name_local', email: 'email', abuseMailbox: 'abuse_mailbox', phone: 'phone', fax: 'fax', address: 'address',
};

async function nextVersion(tx: Queryable, objectType: string, key: string): Promise<number> {
  const { rows } = await tx.query<{ v: number | null }>('SELECT max(version) AS v FROM change WHERE object_type = $1 AND object_key = $2', [objectType, key]);
  return (rows[0]?.v ?? 0) + 1;
}

/**
 * Locks the row for the rest of the transaction and checks that the actor may change it: a member only the
 * contacts and maintainers of its own organisation (an object of no organisation belongs to no member).
 */
async function lockOwnRow(tx: Queryable, table: 'contact' | 'maintainer', handle: string, actor: Actor, what: string): Promise<void> {
  const { rows } = await tx.query<{ org_id: string | null }>(`SELECT org_id::text AS org_id FROM ${table} WHERE handle = $1 FOR UPDATE`, [handle]);
  if (rows.length === 0) throw notFound(`${table} ${handle} does not exist`);
  if (actor.kind === 'member' && rows[0]!.org_id !== actor.orgId) throw forbidden(`a member can only ${what} of its own organisation`);
}

export async function updateContact(tx: Queryable, handle: string, changes: ContactChanges, actor: Actor, reason?: string): Promise<Contact> {
  const key = handle.toUpperCase();
  await lockOwnRow(tx, 'contact', key, actor, 'modify contacts');
  const before = (await contactByHandle(tx, key))!;
  const fields = (Object.keys(changes) as Array<keyof ContactChanges>).filter((f) => changes[f] !== undefined);
  if (fields.length === 0) throw invalidInput('nothing to change: give at least one of name, nameLocal, email, abuseMailbox, phone, fax, address');
  if (changes.name !== undefined && !changes.name?.trim()) throw invalidInput('contact name must not be empty');
  for (const field of ['email', 'abuseMailbox'] as const) {
    const value = changes[field];
    if (value && !EMAIL.test(value)) throw invalidInput(`${field} "${value}" is not an e-mail address`);
  }
  const sets = fields.map((f, i) => `${CONTACT_COLUMNS[f]} = $${i + 2}`);
  await tx.query(`UPDATE contact SET ${sets.join(', ')}, updated_at = now() WHERE handle = $1`, [key, ...fields.map((f) => (f === 'name' ? changes.name!.trim() : changes[f]))]);
  const after = (await contactByHandle(tx, key))!;
  await recordChange(tx, { objectType: 'contact', objectKey: key, action: 'modify', version: await nextVersion(tx, 'contact', key), actor, reason, before, after });
  return after;
}

/** Delegations naming `handle` in `columns` (text[] or text), at most five, for a refusal message. */
async function referringDelegations(tx: Queryable, handle: string, arrays: string[], scalars: string[] = []): Promise<string[]> {
  const where = [...arrays.map((c) => `$1 = ANY(${c})`), ...scalars.map((c) => `${c} = $1`)].join(' OR ');
  const { rows } = await tx.query<{ id: string }>(`SELECT id::text AS id FROM delegation WHERE ${where} ORDER BY id LIMIT 5`, [handle]);
  return rows.map((r) => r.id);
}

export async function deleteContact(tx: Queryable, handle: string, actor: Actor, reason?: string): Promise<void> {
  const key = handle.toUpperCase();
  await lockOwnRow(tx, 'contact', key, actor, 'delete contacts');
  const used = await referringDelegations(tx, key, ['admin_c', 'tech_c'], ['abuse_c']);
  const { rows: maintainers } = await tx.query<{ handle: string }>('SELECT handle FROM maintainer WHERE $1 = ANY(admin_c) ORDER BY handle LIMIT 5', [key]);
  if (used.length || maintainers.length) {
    const what = [...used.map((id) => `delegation ${id}`), ...maintainers.map((m) => `maintainer ${m.handle}`)];
    throw conflict(`contact ${key} is still referenced by ${what.join(', ')}; change those first`);
  }
  const before = (await contactByHandle(tx, key))!;
  await tx.query('DELETE FROM contact WHERE handle = $1', [key]);
  await recordChange(tx, { objectType: 'contact', objectKey: key, action: 'delete', version: await nextVersion(tx, 'contact', key) - 1, actor, reason, before });
}

export async function updateMaintainer(tx: Queryable, handle: string, changes: MaintainerChanges, actor: Actor, reason?: string): Promise<Maintainer> {
  const key = handle.toUpperCase();
  await lockOwnRow(tx, 'maintainer', key, actor, 'modify maintainers');
  const before = (await maintainerByHandle(tx, key))!;
  const sets: string[] = [];
  const values: unknown[] = [key];
  const set = (column: string, value: unknown) => { values.push(value); sets.push(`${column} = $${values.length}`); };
  if (changes.description !== undefined) set('description', changes.description);
  if (changes.adminC !== undefined) set('admin_c', changes.adminC.map((h) => h.toUpperCase()));
  if (changes.password !== undefined) set('password_hash', hashPassword(changes.password));
  if (sets.length === 0) throw invalidInput('nothing to change: give at least one of description, adminC, password');
  await tx.query(`UPDATE maintainer SET ${sets.join(', ')}, updated_at = now() WHERE handle = $1`, values);
  const after = (await maintainerByHandle(tx, key))!;
  // As at creation, the feed never carries the hash; a password change shows as a modify with the same fields.
  await recordChange(tx, {
    objectType: 'maintainer', objectKey: key, action: 'modify', version: await nextVersion(tx, 'maintainer', key), actor,
    reason: reason ?? (changes.password !== undefined ? 'password changed' : undefined), before, after,
  });
  return after;
}

export async function deleteMaintainer(tx: Queryable, handle: string, actor: Actor, reason?: string): Promise<void> {
  const key = handle.toUpperCase();
  await lockOwnRow(tx, 'maintainer', key, actor, 'delete maintainers');
  const used = await referringDelegations(tx, key, ['mnt_by', 'mnt_lower', 'mnt_routes']);
  const { rows: keys } = await tx.query<{ key_id: string }>(
    'SELECT k.key_id FROM api_key k JOIN maintainer m ON m.id = k.maintainer_id WHERE m.handle = $1 AND k.revoked_at IS NULL LIMIT 5', [key]);
  const { rows: routing } = await tx.query<{ source: string; class: string; pkey: string }>(
    'SELECT source, class, pkey FROM rpsl_object WHERE $1 = ANY(mnt_by) ORDER BY pkey LIMIT 5', [key]);
  if (used.length || keys.length || routing.length) {
    const what = [...used.map((id) => `delegation ${id}`), ...keys.map((k) => `API key ${k.key_id}`),
      ...routing.map((o) => `${o.class} ${o.pkey} (${o.source})`)];
    throw conflict(`maintainer ${key} is still referenced by ${what.join(', ')}; change those first`);
  }
  const before = (await maintainerByHandle(tx, key))!;
  await tx.query('DELETE FROM maintainer WHERE handle = $1', [key]);
  await recordChange(tx, { objectType: 'maintainer', objectKey: key, action: 'delete', version: await nextVersion(tx, 'maintainer', key) - 1, actor, reason, before });
}
