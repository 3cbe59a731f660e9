import { z } from 'zod';
import { changesSince, currentSerial } from '../../registry/feed.js';
import { route } from '../route.js';

export const changeRoutes = [
  route({
    method: 'GET', path: '/api/changes', tag: 'changes', access: 'staff', summary: 'The change feed (audit log) after a serial',
    query: z.object({ since: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(10_000).default(1000) }).strict(),
    handler: async ({ query, deps }) => ({ serial: await currentSerial(deps.db), changes: await changesSince(deps.db, query.since, query.limit) }),
  }),
  route({
    method: 'GET', path: '/api/health', tag: 'changes', access: 'public', summary: 'Liveness and the current change serial',
    handler: async ({ deps }) => ({ status: 'ok', database: deps.db.kind, serial: await currentSerial(deps.db) }),
  }),
];
