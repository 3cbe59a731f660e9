import type { Queryable } from '../db/database.js';
import type { Actor } from './actor.js';
import { conflict, invalidInput, notFound } from './errors.js';
import { recordChange } from './feed.js';
import { pgErrorCode, PG_UNIQUE_VIOLATION } from '../db/database.js';

export const ORGANISATION_ROLES = ['iana', 'rir', 'nir', 'lir', 'associate', 'end-user'] as const;
export type OrganisationRole = (typeof ORGANISATION_ROLES)[number];

export interface Organisation {
  id: string;
  handle: string;
  name: string;
  nameLocal: string | null;
  role: OrganisationRole;
  country: string | null;
  address: string | null;
  parentId: string | null;
  registry: string | null;
  opaqueId: string | null;
  memberSince: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewOrganisation {
  handle: string;
  name: string;
  nameLocal?: string | null;
  role: OrganisationRole;
  country?: string | null;
  address?: string | null;
  parentHandle?: string | null;
  registry?: string | null;
  opaqueId?: string | null;
  memberSince?: string | null;
}

/** Columns of an Organisation row (also read as JSON by one-statement look-ups, e.g. RDAP). */
export const ORGANISATION_SELECT = `SELECT id::text AS id, handle, name, name_local, role, country, address, parent_id::text AS parent_id,
  registry, opaque_id, member_since::text AS member_since, created_at, updated_at FROM organisation`;

export interface OrganisationRow {
  id: string; handle: string; name: string; name_local: string | null; role: OrganisationRole;
  country: string | null; address: string | null; parent_id: string | null; registry: string | null;
  opaque_id: string | null; member_since: string | null; created_at: Date | string; updated_at: Date | string;
}

export function toOrganisation(r: OrganisationRow): Organisation {
  return {
    id: r.id, handle: r.handle, name: r.name, nameLocal: r.name_local, role: r.role, country: r.country,
    address: r.address, parentId: r.parent_id, registry: r.registry, opaqueId: r.opaque_id,
    memberSince: r.member_since ? r.member_since.slice(0, 10) : null,
    createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export const HANDLE_PATTERN = /^[A-Z0-9][A-Z0-9_-]{0,62}$/;

export function normaliseHandle(handle: string, what = 'handle'): string {
  const upper = handle.trim().toUpperCase();
  if (!HANDLE_PATTERN.test(upper)) {
    throw invalidInput(`${what} "${handle}" is not valid: use 1-63 letters, digits, '-' or '_', starting with a letter or digit`);
  }
  return upper;
}

export async function organisationByHandle(db: Queryable, handle: string): Promise<Organisation | undefined> {
  const { rows } = await db.query<OrganisationRow>(`${ORGANISATION_SELECT} WHERE handle = $1`, [handle.toUpperCase()]);
  return rows[0] && toOrganisation(rows[0]);
}

export async function organisationById(db: Queryable, id: string): Promise<Organisation | undefined> {
  const { rows } = await db.query<OrganisationRow>(`${ORGANISATION_SELECT} WHERE id = $1`, [id]);
  return rows[0] && toOrganisation(rows[0]);
}

export async function requireOrganisation(db: Queryable, handle: string): Promise<Organisation> {
  const org = await organisationByHandle(db, handle);
  if (!org) throw notFound(`organisation ${handle.toUpperCase()} does not exist`);
  return org;
}

export async function listOrganisations(db: Queryable, filter: { role?: OrganisationRole; nameLike?: string } = {}): Promise<Organisation[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.role) where.push(`role = $${params.push(filter.role)}`);
  if (filter.nameLike) where.push(`lower(name) LIKE $${params.push(filter.nameLike.toLowerCase())}`);
  const { rows } = await db.query<OrganisationRow>(`${ORGANISATION_SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY handle`, params);
  return rows.map(toOrganisation);
}

export async function createOrganisation(tx: Queryable, input: NewOrganisation, actor: Actor, reason?: string): Promise<Organisation> {
  const handle = normaliseHandle(input.handle, 'organisation handle');
  if (!input.name.trim()) throw invalidInput('organisation name must not be empty');
  if (input.country && !/^[A-Z]{2}$/.test(input.country)) throw invalidInput(`country "${input.country}" is not an ISO 3166 two-letter code`);
  let parentId: string | null = null;
  if (input.parentHandle) parentId = (await requireOrganisation(tx, input.parentHandle)).id;
  try {
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO organisation (handle, name, name_local, role, country, address, parent_id, registry, opaque_id, member_since)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id::text AS id`,
      [handle, input.name.trim(), input.nameLocal ?? null, input.role, input.country ?? null, input.address ?? null,
        parentId, input.registry ?? null, input.opaqueId ?? null, input.memberSince ?? null],
    );
    const org = (await organisationById(tx, rows[0]!.id))!;
    await recordChange(tx, { objectType: 'organisation', objectKey: handle, action: 'create', version: 1, actor, reason, after: org });
    return org;
  } catch (error) {
    if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) throw conflict(`organisation ${handle} already exists`);
    throw error;
  }
}
