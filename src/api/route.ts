/**
 * REST routes are declared as data: method, path, who may call it, zod schemas for input, and a handler.
 * One generic registrar (register.ts) validates, authenticates, authorises and maps errors; the same
 * declarations produce /api/openapi.json, so the document cannot drift from the code.
 */
import type { z } from 'zod';
import type { Db } from '../db/database.js';
import type { Actor } from '../registry/actor.js';
import type { ApiKeyInfo, ApiKeyScope } from '../registry/api-keys.js';
import type { Registry } from '../registry/registry.js';

export interface ApiDeps {
  db: Db;
  registry: Registry;
}

export interface Caller {
  actor: Actor;
  key: ApiKeyInfo;
}

export interface HandlerContext<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  /** Present unless the route is public and no key was sent. */
  caller?: Caller;
  deps: ApiDeps;
}

export interface ApiRoute<B = any, Q = any, P = any> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  summary: string;
  tag: string;
  /** public: anyone; member: any valid key; staff: a key with the staff scope. */
  access: 'public' | 'member' | 'staff';
  /** Scope a member key needs for this route (staff keys pass every scope check). */
  scope?: ApiKeyScope;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  status?: number;
  handler(ctx: HandlerContext<B, Q, P>): Promise<unknown>;
}

/** Keeps the generic types of each declaration while building a plain array. */
export function route<B, Q, P>(r: ApiRoute<B, Q, P>): ApiRoute<B, Q, P> {
  return r;
}
