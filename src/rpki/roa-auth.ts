/**
 * The registry's API-key authentication as a RoaAuthFn: a member key with the "rpki:write" scope manages its
 * organisation's ROAs; a staff key manages any organisation's.
 */
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/database.js';
import { authenticate } from '../api/auth.js';
import type { RoaCaller } from './roa-routes.js';

export function apiKeyRoaAuth(db: Db): (request: FastifyRequest) => Promise<RoaCaller> {
  return async (request) => {
    const caller = await authenticate(db, request, { access: 'member', scope: 'rpki:write' });
    if (!caller) throw Object.assign(new Error('this endpoint needs an API key'), { statusCode: 401, code: 'unauthenticated' });
    const staff = caller.key.scopes.includes('staff');
    if (!staff && !caller.key.orgId) throw Object.assign(new Error('this API key belongs to no organisation'), { statusCode: 403, code: 'forbidden' });
    return { orgId: staff ? null : caller.key.orgId, staff, actor: `key:${caller.key.keyId}` };
  };
}
