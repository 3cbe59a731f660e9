import type { FastifyInstance } from 'fastify';
import { authenticate } from './auth.js';
import { toApiError } from './errors.js';
import { openApiDocument } from './openapi.js';
import type { ApiDeps, ApiRoute } from './route.js';

/** Registers every declared route plus /api/openapi.json, and a JSON 404 for unknown /api paths. */
export function registerApiRoutes(app: FastifyInstance, routes: readonly ApiRoute[], deps: ApiDeps): void {
  for (const r of routes) {
    app.route({
      method: r.method,
      url: r.path,
      handler: async (request, reply) => {
        try {
          const caller = await authenticate(deps.db, request, r);
          const params = r.params ? r.params.parse(request.params) : request.params;
          const query = r.query ? r.query.parse(request.query ?? {}) : request.query;
          const body = r.body ? r.body.parse(request.body ?? {}) : request.body;
          const result = await r.handler({ body, query, params, caller, deps });
          return reply.code(r.status ?? 200).type('application/json').send(JSON.stringify(result, jsonReplacer));
        } catch (error) {
          const { status, body } = toApiError(error);
          if (status >= 500) request.log.error({ err: error }, 'api handler failed');
          return reply.code(status).type('application/json').send(body);
        }
      },
    });
  }
  const doc = openApiDocument(routes);
  app.get('/api/openapi.json', async (_req, reply) => reply.type('application/json').send(doc));
}

/** bigint values (resource ranges) are written as decimal strings. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
