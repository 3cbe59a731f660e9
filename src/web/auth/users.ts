/**
 * Portal accounts: one per person, bound to one organisation, role `member` (an LIR's hostmaster) or
 * `staff` (the registry's own staff, acting for the registry organisation). Passwords are bcrypt hashes.
 */
import bcrypt from 'bcryptjs';
import type { Queryable } from '../../db/database.js';
import { pgErrorCode, PG_UNIQUE_VIOLATION } from '../../db/database.js';
import type { Actor } from '../../registry/actor.js';
import { conflict, invalidInput, notFound } from '../../registry/errors.js';
import { verifyTotp } from './totp.js';

export type PortalRole = 'member' | 'staff';
const BCRYPT_COST = 10;
// Compared against when the user does not exist, so an unknown name costs the same time as a wrong password.
const DUMMY_HASH = bcrypt.hashSync('numreg-dummy-password', BCRYPT_COST);

export interface PortalUser {
  id: string;
  username: string;
  orgId: string;
  orgHandle: string;
  orgName: string;
  role: PortalRole;
  displayName: string | null;
  totpEnabled: boolean;
  lang: 'en' | 'ja' | null;
}

export interface NewPortalUser {
  username: string;
  password: string;
  /** Organisation the user works for: an LIR for members, the registry (NIR) for staff. */
  orgHandle: string;
  role: PortalRole;
  displayName?: string;
  /** Base32 TOTP secret to require a one-time code at sign-in. */
  totpSecret?: string;
  lang?: 'en' | 'ja';
}

interface Row {
  id: string; username: string; org_id: string; org_handle: string; org_name: string; role: PortalRole;
  display_name: string | null; totp_secret: string | null; lang: 'en' | 'ja' | null;
}

const SELECT = `SELECT u.id::text AS id, u.username, u.org_id::text AS org_id, o.handle AS org_handle, o.name AS org_name,
  u.role, u.display_name, u.totp_secret, u.lang FROM portal_user u JOIN organisation o ON o.id = u.org_id`;

const toUser = (r: Row): PortalUser => ({
  id: r.id, username: r.username, orgId: r.org_id, orgHandle: r.org_handle, orgName: r.org_name, role: r.role,
  displayName: r.display_name, totpEnabled: r.totp_secret !== null, lang: r.lang,
});

export const MIN_PASSWORD_LENGTH = 12;

/**
 * Creates a portal user (used by `numreg demo load` and by operators). Throws RegistryError
 * invalid-input / not-found / conflict with a precise message.
 */
export async function createPortalUser(db: Queryable, input: NewPortalUser): Promise<PortalUser> {
  const username = input.username.trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9._-]{1,62}$/.test(username)) throw invalidInput(`username "${input.username}" is not valid: 2-63 of a-z, 0-9, '.', '_', '-'`);
  if (input.password.length < MIN_PASSWORD_LENGTH) throw invalidInput(`password must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  if (input.role !== 'member' && input.role !== 'staff') throw invalidInput(`role must be member or staff, not "${input.role}"`);
  const org = await db.query<{ id: string; role: string }>('SELECT id::text AS id, role FROM organisation WHERE handle = $1', [input.orgHandle.toUpperCase()]);
  if (!org.rows[0]) throw notFound(`organisation ${input.orgHandle.toUpperCase()} does not exist`);
  if (input.role === 'staff' && !['nir', 'rir', 'iana'].includes(org.rows[0].role)) {
    throw invalidInput(`staff users work for a registry (nir, rir, iana), and ${input.orgHandle.toUpperCase()} is a ${org.rows[0].role}`);
  }
  const hash = await bcrypt.hash(input.password, BCRYPT_COST);
  try {
    await db.query(
      'INSERT INTO portal_user (username, password_hash, org_id, role, display_name, totp_secret, lang) VALUES ($1,$2,$3,$4,$5,$6,$7)',
      [username, hash, org.rows[0].id, input.role, input.displayName ?? null, input.totpSecret ?? null, input.lang ?? null],
    );
  } catch (error) {
    if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) throw conflict(`portal user ${username} already exists`);
    throw error;
  }
  return (await userByName(db, username))!;
}

export async function userByName(db: Queryable, username: string): Promise<PortalUser | undefined> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE u.username = $1 AND u.disabled_at IS NULL`, [username.trim().toLowerCase()]);
  return rows[0] && toUser(rows[0]);
}

export async function userById(db: Queryable, id: string): Promise<PortalUser | undefined> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE u.id = $1 AND u.disabled_at IS NULL`, [id]);
  return rows[0] && toUser(rows[0]);
}

export type AuthResult = { ok: true; user: PortalUser } | { ok: false; reason: 'credentials' | 'totp' };

/** Checks password and, when the user has TOTP, the one-time code (each code is accepted once). */
export async function authenticate(db: Queryable, username: string, password: string, code?: string, atMs?: number): Promise<AuthResult> {
  const { rows } = await db.query<{ id: string; password_hash: string; totp_secret: string | null; totp_last_step: string | null }>(
    'SELECT id::text AS id, password_hash, totp_secret, totp_last_step::text AS totp_last_step FROM portal_user WHERE username = $1 AND disabled_at IS NULL',
    [username.trim().toLowerCase()],
  );
  const row = rows[0];
  const passwordOk = await bcrypt.compare(password, row?.password_hash ?? DUMMY_HASH);
  if (!row || !passwordOk) return { ok: false, reason: 'credentials' };
  if (row.totp_secret) {
    const step = verifyTotp(row.totp_secret, (code ?? '').trim(), { atMs, lastStep: row.totp_last_step === null ? null : BigInt(row.totp_last_step) });
    if (step === undefined) return { ok: false, reason: 'totp' };
    await db.query('UPDATE portal_user SET totp_last_step = $2 WHERE id = $1', [row.id, step.toString()]);
  }
  return { ok: true, user: (await userById(db, row.id))! };
}

export async function setPendingTotp(db: Queryable, userId: string, secret: string | null): Promise<void> {
  await db.query('UPDATE portal_user SET totp_pending = $2 WHERE id = $1', [userId, secret]);
}

export async function pendingTotp(db: Queryable, userId: string): Promise<string | null> {
  const { rows } = await db.query<{ totp_pending: string | null }>('SELECT totp_pending FROM portal_user WHERE id = $1', [userId]);
  return rows[0]?.totp_pending ?? null;
}

/** Turns the pending secret on when `code` matches it. */
export async function confirmTotp(db: Queryable, userId: string, code: string): Promise<boolean> {
  const secret = await pendingTotp(db, userId);
  if (!secret) return false;
  const step = verifyTotp(secret, code.trim());
  if (step === undefined) return false;
  await db.query('UPDATE portal_user SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = $2 WHERE id = $1', [userId, step.toString()]);
  return true;
}

export async function setUserLang(db: Queryable, userId: string, lang: 'en' | 'ja'): Promise<void> {
  await db.query('UPDATE portal_user SET lang = $2 WHERE id = $1', [userId, lang]);
}

/** The registry actor a signed-in portal user acts as. */
export function actorForUser(user: PortalUser): Actor {
  return user.role === 'staff'
    ? { kind: 'staff', name: user.username, orgId: user.orgId }
    : { kind: 'member', orgId: user.orgId, via: `user:${user.username}` };
}
