/**
 * The HTTP server: one fastify instance carries the web portal, RDAP, the REST API, RRDP and /metrics.
 * Each area registers its own routes through a plugin function, so this file only assembles them.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import type { Registry } from '../registry/registry.js';
import { registerApiRoutes } from '../api/register.js';
import { API_ROUTES } from '../api/routes/index.js';
import type { Metrics } from './metrics.js';

export type HttpPlugin = (app: FastifyInstance) => void | Promise<void>;

export interface HttpAppOptions {
  db: Db;
  registry: Registry;
  metrics: Metrics;
  logger?: Logger | false;
  plugins?: HttpPlugin[];
  https?: { key: Buffer; cert: Buffer };
}

const AREAS = ['api', 'rdap', 'rrdp', 'rpki', 'stats', 'metrics'];

export async function buildHttpApp(options: HttpAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger || undefined,
    logger: options.logger ? undefined : false,
    bodyLimit: 10 * 1024 * 1024,
    ...(options.https ? { https: options.https } : {}),
  } as Parameters<typeof Fastify>[0]) as unknown as FastifyInstance;
  await app.register(formbody);
  await app.register(cookie);
  app.addHook('onResponse', async (request, reply) => {
    const first = request.url.split('/')[1]?.split('?')[0] ?? '';
    options.metrics.httpRequests.inc({ area: AREAS.includes(first) ? first : 'web', status: `${Math.floor(reply.statusCode / 100)}xx` });
  });
  registerApiRoutes(app, API_ROUTES, { db: options.db, registry: options.registry });
  app.get('/metrics', async (_req, reply) => reply.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics()));
  for (const plugin of options.plugins ?? []) await plugin(app);
  // JSON errors for API paths that do not exist; other areas keep their own 404 shapes.
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/')) return reply.code(404).send({ error: 'not-found', message: `no API endpoint ${request.method} ${request.url.split('?')[0]}` });
    return reply.code(404).type('text/plain; charset=utf-8').send('not found\n');
  });
  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(status).send({ error: status >= 500 ? 'internal' : 'invalid-request', message: status >= 500 ? 'internal error; the event was logged' : error.message });
  });
  return app;
}
