/**
 * Server-side sessions. The cookie carries 256 random bits; the table stores only their SHA-256, so
 * reading the table does not yield a usable cookie. Each session carries its own CSRF synchroniser token.
 * An anonymous session (user_id NULL) exists only to protect the sign-in form; signing in always
 * creates a new session id (and deletes the old one), which defeats session fixation.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../../db/database.js';

export const SESSION_COOKIE = 'numreg_sid';
export const SESSION_TTL_MS = 8 * 3600_000;
export const ANONYMOUS_TTL_MS = 3600_000;

export interface Session {
  idHash: string;
  userId: string | null;
  csrfToken: string;
  expiresAt: string;
}

const hashId = (id: string) => createHash('sha256').update(id).digest('hex');

export async function createSession(db: Queryable, userId: string | null, ttlMs = userId ? SESSION_TTL_MS : ANONYMOUS_TTL_MS): Promise<{ id: string; session: Session }> {
  const id = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlMs).toISOString();
  await db.query('DELETE FROM portal_session WHERE expires_at < now()');
  await db.query('INSERT INTO portal_session (id_hash, user_id, csrf_token, expires_at) VALUES ($1,$2,$3,$4)', [hashId(id), userId, csrfToken, expiresAt]);
  return { id, session: { idHash: hashId(id), userId, csrfToken, expiresAt } };
}

export async function loadSession(db: Queryable, id: string | undefined): Promise<Session | undefined> {
  if (!id || !/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
  const { rows } = await db.query<{ id_hash: string; user_id: string | null; csrf_token: string; expires_at: Date | string }>(
    'SELECT id_hash, user_id::text AS user_id, csrf_token, expires_at FROM portal_session WHERE id_hash = $1 AND expires_at > now()',
    [hashId(id)],
  );
  const r = rows[0];
  return r && { idHash: r.id_hash, userId: r.user_id, csrfToken: r.csrf_token, expiresAt: new Date(r.expires_at).toISOString() };
}

export async function destroySession(db: Queryable, id: string | undefined): Promise<void> {
  if (id) await db.query('DELETE FROM portal_session WHERE id_hash = $1', [hashId(id)]);
}

export function csrfMatches(session: Session | undefined, presented: unknown): boolean {
  if (!session || typeof presented !== 'string' || presented.length !== session.csrfToken.length) return false;
  return timingSafeEqual(Buffer.from(presented), Buffer.from(session.csrfToken));
}
