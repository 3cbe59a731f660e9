// REST face of ROV: GET /api/rov?prefix=…&origin=… and a bulk POST /api/rov.
import type { FastifyInstance } from 'fastify';
import { RovInputError, type RovResult } from './rov.js';
import type { Vrp } from './records.js';

export interface RovService {
  validateOrigin(prefix: string, origin: number | string | null): RovResult;
  serial(): number;
}

export const MAX_BULK_ROUTES = 10_000;

const vrpJson = (v: Vrp) => ({ prefix: v.prefix, maxLength: v.maxLength, asn: `AS${v.asn}` });

export function rovJson(r: RovResult) {
  return {
    prefix: r.prefix,
    origin: r.origin === null ? null : `AS${r.origin}`,
    state: r.state,
    matched: r.matched.map(vrpJson),
    unmatched: r.unmatched.map(vrpJson),
  };
}

class BadInput extends Error {}

function check(service: RovService, prefix: unknown, origin: unknown, at: string): RovResult {
  if (typeof prefix !== 'string' || prefix === '') throw new BadInput(`${at}prefix is required (e.g. 192.0.2.0/24)`);
  if (origin === undefined || origin === '') throw new BadInput(`${at}origin is required (e.g. AS64496)`);
  if (typeof origin !== 'string' && typeof origin !== 'number' && origin !== null) throw new BadInput(`${at}origin must be an AS number`);
  try {
    return service.validateOrigin(prefix, origin);
  } catch (e) {
    if (e instanceof RovInputError) throw new BadInput(`${at}${e.message}`);
    throw e;
  }
}

export function registerRovRoutes(fastify: FastifyInstance, service: RovService): void {
  fastify.get('/api/rov', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    try {
      const r = check(service, q.prefix, q.origin, '');
      return { serial: service.serial(), ...rovJson(r) };
    } catch (e) {
      if (e instanceof BadInput) return reply.code(400).send({ error: 'bad request', message: e.message });
      throw e;
    }
  });

  fastify.post('/api/rov', { bodyLimit: 4 * 1024 * 1024 }, async (req, reply) => {
    const body = req.body as unknown;
    const list = Array.isArray(body) ? body : (body as { routes?: unknown } | null)?.routes;
    if (!Array.isArray(list)) {
      return reply.code(400).send({ error: 'bad request', message: 'body must be a JSON array of {"prefix","origin"} (or {"routes": [...]})' });
    }
    if (list.length > MAX_BULK_ROUTES) {
      return reply.code(400).send({ error: 'bad request', message: `at most ${MAX_BULK_ROUTES} routes per request, got ${list.length}` });
    }
    try {
      const results = list.map((item, i) => {
        if (typeof item !== 'object' || item === null) throw new BadInput(`routes[${i}]: must be an object`);
        const o = item as Record<string, unknown>;
        return rovJson(check(service, o.prefix, o.origin, `routes[${i}]: `));
      });
      return { serial: service.serial(), results };
    } catch (e) {
      if (e instanceof BadInput) return reply.code(400).send({ error: 'bad request', message: e.message });
      throw e;
    }
  });
}
