import { z } from 'zod';
import type { ApiRoute } from './route.js';

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z_]+)/g, '{$1}');

function schemaOf(type: z.ZodType | undefined): Record<string, unknown> | undefined {
  if (!type) return undefined;
  const { $schema: _ignored, ...schema } = z.toJSONSchema(type, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return schema;
}

/** OpenAPI 3.1 document built from the same declarations that serve the requests. */
export function openApiDocument(routes: readonly ApiRoute[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = toOpenApiPath(r.path);
    const parameters: unknown[] = [];
    for (const [where, type] of [['path', r.params], ['query', r.query]] as const) {
      const schema = schemaOf(type) as { properties?: Record<string, unknown>; required?: string[] } | undefined;
      for (const [name, s] of Object.entries(schema?.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (schema?.required ?? []).includes(name), schema: s });
      }
    }
    const body = schemaOf(r.body);
    (paths[path] ??= {})[r.method.toLowerCase()] = {
      summary: r.summary,
      tags: [r.tag],
      ...(r.access === 'public' ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
      responses: {
        [String(r.status ?? 200)]: { description: 'success' },
        '400': { $ref: '#/components/responses/Error' },
        ...(r.access === 'public' ? {} : { '401': { $ref: '#/components/responses/Error' }, '403': { $ref: '#/components/responses/Error' } }),
      },
      ...(r.access === 'staff' ? { 'x-numreg-access': 'staff' } : r.scope ? { 'x-numreg-scope': r.scope } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'numreg REST API', version: '0.1.0', description: 'Registry operations of numreg. Writes need an API key (Authorization: Bearer nrk_…) with the right scope.' },
    servers: [{ url: '/' }],
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'numreg API key (nrk_…)' } },
      responses: {
        Error: {
          description: 'error',
          content: { 'application/json': { schema: { type: 'object', required: ['error', 'message'], properties: { error: { type: 'string' }, message: { type: 'string' }, details: {} } } } },
        },
      },
    },
    paths,
  };
}
