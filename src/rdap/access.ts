/**
 * Tiered access (like ICANN's RDRS): anonymous requests get redacted answers; a requester presenting an
 * API key with the `rdap:legitimate-interest` scope and a stated purpose gets the unredacted answer, and
 * every such answer is written to the disclosure log (who, what, when, why, from where). Staff read it.
 */
import type { Queryable } from '../db/database.js';
import { verifyApiKey, type ApiKeyInfo } from '../registry/api-keys.js';
import type { Tier } from './context.js';
import { badRequest, forbidden, unauthorized } from './errors.js';

export const LEGITIMATE_INTEREST_SCOPE = 'rdap:legitimate-interest';
export const PURPOSE_HEADER = 'rdap-purpose';
export const PURPOSE_PARAM = 'purpose';

export interface Requester {
  tier: Tier;
  key?: ApiKeyInfo;
  purpose?: string;
}

function bearer(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!m) throw unauthorized('Authorization must be "Bearer <api key>"');
  return m[1];
}

/** Who is asking: resolves the API key (if any) and checks the scope and the stated purpose. */
export async function identify(db: Queryable, authorization: string | undefined, purposeHeader: string | undefined, purposeParam: string | undefined): Promise<Requester> {
  const token = bearer(authorization);
  if (token === undefined) return { tier: 'public' };
  const key = await verifyApiKey(db, token);
  if (!key) throw unauthorized('the API key is unknown, revoked or wrong');
  if (!key.scopes.includes(LEGITIMATE_INTEREST_SCOPE)) {
    throw forbidden(`the API key ${key.keyId} lacks the "${LEGITIMATE_INTEREST_SCOPE}" scope needed for unredacted answers`);
  }
  const purpose = (purposeHeader ?? purposeParam ?? '').trim();
  if (purpose.length < 3 || purpose.length > 500 || /[\u0000-\u001f\u007f]/.test(purpose)) {
    throw badRequest(`state the purpose of this request (3-500 characters) in the "RDAP-Purpose" header or the "${PURPOSE_PARAM}" query parameter; it is logged with the disclosure`);
  }
  return { tier: 'legitimate-interest', key, purpose };
}

export async function requireStaff(db: Queryable, authorization: string | undefined): Promise<ApiKeyInfo> {
  const token = bearer(authorization);
  if (token === undefined) throw unauthorized('the disclosure log is for registry staff: present a staff API key');
  const key = await verifyApiKey(db, token);
  if (!key) throw unauthorized('the API key is unknown, revoked or wrong');
  if (!key.scopes.includes('staff')) throw forbidden(`the API key ${key.keyId} lacks the "staff" scope`);
  return key;
}

export interface Disclosure {
  keyId: string;
  orgHandle: string | null;
  objectType: string;
  objectKey: string;
  request: string;
  disclosed: string[];
  purpose: string;
  clientIp: string | null;
}

export async function logDisclosure(db: Queryable, d: Disclosure): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO disclosure_log (service, key_id, org_handle, object_type, object_key, request, disclosed, purpose, client_ip)
     VALUES ('rdap', $1, $2, $3, $4, $5, $6, $7, $8) RETURNING id::text AS id`,
    [d.keyId, d.orgHandle, d.objectType, d.objectKey, d.request.slice(0, 2000), d.disclosed, d.purpose, d.clientIp],
  );
  return rows[0]!.id;
}

export interface DisclosureRecord extends Disclosure {
  id: string;
  service: string;
  at: string;
}

export interface DisclosureFilter {
  keyId?: string;
  object?: string;
  since?: string;
  until?: string;
  limit?: number;
}

export async function listDisclosures(db: Queryable, f: DisclosureFilter): Promise<DisclosureRecord[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.keyId) where.push(`key_id = $${params.push(f.keyId)}`);
  if (f.object) where.push(`(object_key = $${params.push(f.object)} OR $${params.length} = ANY(disclosed))`);
  if (f.since) where.push(`at >= $${params.push(f.since)}::timestamptz`);
  if (f.until) where.push(`at < $${params.push(f.until)}::timestamptz`);
  const { rows } = await db.query<{
    id: string; service: string; key_id: string; org_handle: string | null; object_type: string; object_key: string;
    request: string; disclosed: string[]; purpose: string; client_ip: string | null; at: Date | string;
  }>(
    `SELECT id::text AS id, service, key_id, org_handle, object_type, object_key, request, disclosed, purpose, client_ip, at
       FROM disclosure_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${Math.min(f.limit ?? 100, 1000)}`,
    params,
  );
  return rows.map((r) => ({
    id: r.id, service: r.service, keyId: r.key_id, orgHandle: r.org_handle, objectType: r.object_type, objectKey: r.object_key,
    request: r.request, disclosed: r.disclosed, purpose: r.purpose, clientIp: r.client_ip, at: new Date(r.at).toISOString(),
  }));
}
