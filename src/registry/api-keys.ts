import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../db/database.js';
import type { Actor } from './actor.js';
import { invalidInput } from './errors.js';
import { recordChange } from './feed.js';

/**
 * API keys: `nrk_<id>_<secret>`. The id is stored in clear for look-up, the 256-bit secret only as a
 * SHA-256 digest (a slow hash adds nothing for a random secret of that size). Keys carry scopes.
 */
export const API_KEY_SCOPES = [
  'registry:write',        // delegations, contacts, maintainers of the key's organisation
  'irr:write',             // RPSL submissions
  'rpki:write',            // ROAs and ASPAs
  'rdap:legitimate-interest', // unredacted RDAP/WHOIS answers, each disclosure logged
  'staff',                 // registry staff: approvals, allocations from the free pool, override
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export interface ApiKeyInfo {
  keyId: string;
  orgId: string | null;
  orgHandle: string | null;
  maintainerHandle: string | null;
  scopes: ApiKeyScope[];
  label: string | null;
}

const digest = (secret: string) => createHash('sha256').update(secret).digest();

export async function createApiKey(
  tx: Queryable,
  input: { orgId?: string | null; maintainerId?: string | null; scopes: string[]; label?: string },
  actor: Actor,
): Promise<{ key: string; info: ApiKeyInfo }> {
  if (input.scopes.length === 0) throw invalidInput('an API key needs at least one scope');
  for (const scope of input.scopes) {
    if (!(API_KEY_SCOPES as readonly string[]).includes(scope)) {
      throw invalidInput(`unknown API key scope "${scope}"; known scopes: ${API_KEY_SCOPES.join(', ')}`);
    }
  }
  const keyId = `nrk_${randomBytes(6).toString('hex')}`;
  const secret = randomBytes(32).toString('base64url');
  await tx.query(
    'INSERT INTO api_key (key_id, secret_hash, org_id, maintainer_id, scopes, label) VALUES ($1,$2,$3,$4,$5,$6)',
    [keyId, digest(secret).toString('hex'), input.orgId ?? null, input.maintainerId ?? null, input.scopes, input.label ?? null],
  );
  const info = (await apiKeyInfo(tx, keyId))!;
  await recordChange(tx, { objectType: 'api-key', objectKey: keyId, action: 'create', version: 1, actor, after: info });
  return { key: `${keyId}_${secret}`, info };
}

async function apiKeyInfo(db: Queryable, keyId: string): Promise<ApiKeyInfo | undefined> {
  const { rows } = await db.query<{ key_id: string; org_id: string | null; org_handle: string | null; mnt: string | null; scopes: ApiKeyScope[]; label: string | null }>(
    `SELECT k.key_id, k.org_id::text AS org_id, o.handle AS org_handle, m.handle AS mnt, k.scopes, k.label
       FROM api_key k LEFT JOIN organisation o ON o.id = k.org_id LEFT JOIN maintainer m ON m.id = k.maintainer_id
      WHERE k.key_id = $1 AND k.revoked_at IS NULL`,
    [keyId],
  );
  const r = rows[0];
  return r && { keyId: r.key_id, orgId: r.org_id, orgHandle: r.org_handle, maintainerHandle: r.mnt, scopes: r.scopes, label: r.label };
}

/** Resolves a presented key to its info, or undefined when unknown, revoked or wrong. Constant-time compare. */
export async function verifyApiKey(db: Queryable, presented: string): Promise<ApiKeyInfo | undefined> {
  const match = /^(nrk_[0-9a-f]{12})_([A-Za-z0-9_-]{43})$/.exec(presented.trim());
  if (!match) return undefined;
  const [, keyId, secret] = match as unknown as [string, string, string];
  const { rows } = await db.query<{ secret_hash: string }>('SELECT secret_hash FROM api_key WHERE key_id = $1 AND revoked_at IS NULL', [keyId]);
  if (!rows[0]) return undefined;
  const expected = Buffer.from(rows[0].secret_hash, 'hex');
  if (!timingSafeEqual(expected, digest(secret))) return undefined;
  await db.query('UPDATE api_key SET last_used_at = now() WHERE key_id = $1', [keyId]);
  return apiKeyInfo(db, keyId);
}

export async function revokeApiKey(tx: Queryable, keyId: string, actor: Actor): Promise<void> {
  await tx.query('UPDATE api_key SET revoked_at = now() WHERE key_id = $1', [keyId]);
  await recordChange(tx, { objectType: 'api-key', objectKey: keyId, action: 'delete', version: 1, actor });
}

/** The actor an API key acts as. */
export function actorForKey(info: ApiKeyInfo): Actor {
  const via = `key:${info.keyId}`;
  if (info.scopes.includes('staff') && info.orgId) return { kind: 'staff', name: info.label ?? info.keyId, orgId: info.orgId };
  return { kind: 'member', orgId: info.orgId ?? '', via };
}
