/**
 * Adapts numreg's API-key authentication (src/api/auth.ts) to the small pluggable auth functions other
 * areas' routes take, so every write on the HTTP port is authorised the same way.
 */
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/database.js';
import { authenticate } from '../api/auth.js';
import type { ApiKeyScope } from '../registry/api-keys.js';
import { RegistryError } from '../registry/errors.js';
import { actorLabel } from '../registry/actor.js';

export interface KeyCaller {
  orgId: string | null;
  staff: boolean;
  actor: string;
}

/** Reads need any valid key; writes need `scope` (staff keys pass). Errors carry `statusCode` 401/403. */
export function keyAuth(db: Db, scope: ApiKeyScope) {
  return async (request: FastifyRequest): Promise<KeyCaller> => {
    try {
      const write = request.method !== 'GET' && request.method !== 'HEAD';
      const caller = (await authenticate(db, request, { access: 'member', scope: write ? scope : undefined }))!;
      const staff = caller.key.scopes.includes('staff');
      return { orgId: staff ? null : caller.key.orgId, staff, actor: actorLabel(caller.actor) };
    } catch (error) {
      if (error instanceof RegistryError) throw Object.assign(new Error(error.message), { statusCode: error.httpStatus, code: error.code });
      throw error;
    }
  };
}
