/**
 * Authorisation of RPSL changes.
 * - mnt-by: a change is authorised when one maintainer named in mnt-by (of the existing object, or of the new
 *   object on create) accepts one of the presented credentials: a password matching a `BCRYPT-PW` hash of the
 *   RPSL mntner object, the registry maintainer's bcrypt password, or an API key (scope irr:write) bound to
 *   that maintainer or to the organisation that owns it (or named by `auth: API-KEY <key id>`).
 * - route/route6/aut-num creation additionally needs the maintainer of the covering registry delegation
 *   (mnt-routes, else mnt-lower, else mnt-by, else the holder organisation's maintainers): only the resource
 *   holder decides who may originate its space.
 * - staff override (API key with scope staff, or the override password) bypasses both, and is logged.
 */
import bcrypt from 'bcryptjs';
import { CONTAINING, CONTAINMENT_CHAIN, MOST_SPECIFIC_FIRST } from '../registry/lookup.js';
import type { Queryable } from '../db/database.js';
import type { ApiKeyInfo } from '../registry/api-keys.js';
import { getObject } from './store.js';

export interface Credentials {
  passwords: string[];
  apiKey?: ApiKeyInfo;
}

export interface PendingMntner {
  auth: string[];
}

const bcryptCache = new Map<string, boolean>();
async function bcryptMatch(password: string, hash: string): Promise<boolean> {
  const key = `${hash}\u0000${password}`;
  const hit = bcryptCache.get(key);
  if (hit !== undefined) return hit;
  const ok = await bcrypt.compare(password, hash);
  if (bcryptCache.size > 1000) bcryptCache.clear();
  bcryptCache.set(key, ok);
  return ok;
}

async function authLinesMatch(auth: string[], creds: Credentials): Promise<string | undefined> {
  for (const line of auth) {
    const [scheme, value] = [line.split(' ')[0].toUpperCase(), line.slice(line.indexOf(' ') + 1).trim()];
    if (scheme === 'BCRYPT-PW') {
      for (const p of creds.passwords) if (await bcryptMatch(p, value)) return 'password';
    } else if (scheme === 'API-KEY' && creds.apiKey && creds.apiKey.keyId === value) {
      return `key:${creds.apiKey.keyId}`;
    }
    // CRYPT-PW and MD5-PW are accepted as data from mirrors but never as credentials (weak hashes).
  }
  return undefined;
}

export function keyCanWriteIrr(key: ApiKeyInfo | undefined): boolean {
  return Boolean(key && (key.scopes.includes('irr:write') || key.scopes.includes('staff')));
}

/** Does `mntner` accept the credentials? Returns how, or undefined. */
export async function maintainerAccepts(
  db: Queryable, source: string, mntner: string, creds: Credentials, pending: Map<string, PendingMntner>,
): Promise<string | undefined> {
  const name = mntner.toUpperCase();
  const fresh = pending.get(name);
  if (fresh) {
    const how = await authLinesMatch(fresh.auth, creds);
    if (how) return how;
  }
  const rpsl = await getObject(db, source, 'mntner', name);
  if (rpsl) {
    const auth = [...rpsl.text.matchAll(/^auth:[ \t]*([^#\n]*)/gim)].map((m) => m[1].trim());
    const how = await authLinesMatch(auth, creds);
    if (how) return how;
  }
  const { rows } = await db.query<{ password_hash: string | null; org_id: string | null }>(
    'SELECT password_hash, org_id::text AS org_id FROM maintainer WHERE handle = $1',
    [name],
  );
  const reg = rows[0];
  if (reg) {
    if (reg.password_hash) for (const p of creds.passwords) if (await bcryptMatch(p, reg.password_hash)) return 'password';
    const k = creds.apiKey;
    if (keyCanWriteIrr(k) && (k!.maintainerHandle === name || (k!.orgId !== null && k!.orgId === reg.org_id))) return `key:${k!.keyId}`;
  }
  return undefined;
}

export async function maintainerExists(db: Queryable, source: string, mntner: string, pending: Map<string, PendingMntner>): Promise<boolean> {
  const name = mntner.toUpperCase();
  if (pending.has(name)) return true;
  if (await getObject(db, source, 'mntner', name)) return true;
  const { rows } = await db.query('SELECT 1 FROM maintainer WHERE handle = $1', [name]);
  return rows.length > 0;
}

export interface CoveringDelegation {
  id: string;
  maintainers: string[];
  which: 'mnt-routes' | 'mnt-lower' | 'mnt-by' | 'holder';
  range: string;
}

/** Most specific registry delegation covering [start, end] of a family, and the maintainers it names for routes. */
export async function coveringDelegation(db: Queryable, family: 'ipv4' | 'ipv6' | 'asn', start: bigint, end: bigint): Promise<CoveringDelegation | undefined> {
  const { rows } = await db.query<{ id: string; mnt_routes: string[]; mnt_lower: string[]; mnt_by: string[]; holder: string[]; rng: string }>(
    `WITH RECURSIVE ${CONTAINMENT_CHAIN}
     SELECT d.id::text AS id, d.mnt_routes, d.mnt_lower, d.mnt_by, d.rng::text AS rng,
            ARRAY(SELECT m.handle FROM maintainer m WHERE m.org_id = d.holder_id ORDER BY m.handle) AS holder
       FROM delegation d
      WHERE ${CONTAINING} AND d.status <> 'available'
      ORDER BY ${MOST_SPECIFIC_FIRST} LIMIT 1`,
    [family, start.toString(), end.toString()],
  );
  const d = rows[0];
  if (!d) return undefined;
  const pick = (['mnt_routes', 'mnt_lower', 'mnt_by', 'holder'] as const).find((k) => d[k].length > 0);
  const which = pick === 'mnt_routes' ? 'mnt-routes' : pick === 'mnt_lower' ? 'mnt-lower' : pick === 'mnt_by' ? 'mnt-by' : 'holder';
  return { id: d.id, maintainers: pick ? d[pick] : [], which, range: d.rng };
}
