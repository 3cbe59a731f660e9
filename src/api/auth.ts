import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/database.js';
import { actorForKey, verifyApiKey } from '../registry/api-keys.js';
import { RegistryError } from '../registry/errors.js';
import type { ApiRoute, Caller } from './route.js';

/** The API key from `Authorization: Bearer …` or `X-API-Key: …`. */
export function presentedKey(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  const header = request.headers['x-api-key'];
  return typeof header === 'string' ? header.trim() : undefined;
}

export async function authenticate(db: Db, request: FastifyRequest, route: Pick<ApiRoute, 'access' | 'scope'>): Promise<Caller | undefined> {
  const presented = presentedKey(request);
  if (!presented) {
    if (route.access === 'public') return undefined;
    throw new RegistryError('unauthenticated', 'this endpoint needs an API key: send "Authorization: Bearer <key>"');
  }
  const key = await verifyApiKey(db, presented);
  if (!key) throw new RegistryError('unauthenticated', 'the API key is unknown, revoked or malformed');
  const isStaff = key.scopes.includes('staff');
  if (route.access === 'staff' && !isStaff) throw new RegistryError('forbidden', 'this endpoint is for registry staff (key scope "staff")');
  if (route.scope && !isStaff && !key.scopes.includes(route.scope)) {
    throw new RegistryError('forbidden', `this API key lacks the "${route.scope}" scope`);
  }
  return { actor: actorForKey(key), key };
}
