import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../db/database.js';
import { exportDelegated } from './delegated/export.js';
import { queryReport, REPORTS, UnknownReportError } from './reports/index.js';

const ReportQuery = z.object({
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'asOf must be YYYY-MM-DD').optional(),
  registry: z.string().regex(/^[a-z][a-z0-9-]*$/, 'registry must be a statistics registry name, e.g. apnic').optional(),
});

const FILE_NAME = /^delegated-([a-z][a-z0-9]*)(-extended)?-latest(\.md5)?$/;

interface Rendered { body: string; md5: string }

/** Renders a statistics file into memory (for HTTP), cached until the change feed moves or the day changes. */
async function render(db: Db, cache: Map<string, Rendered>, registry: string, extended: boolean): Promise<Rendered | undefined> {
  const { rows } = await db.query<{ serial: string; n: string }>(
    `SELECT (SELECT serial::text FROM feed_state) AS serial,
            (SELECT count(*)::text FROM (SELECT 1 FROM delegation WHERE registry = $1 LIMIT 1) x) AS n`,
    [registry],
  );
  if (rows[0]!.n === '0') return undefined;
  const key = `${registry}|${extended}|${rows[0]!.serial}|${new Date().toISOString().slice(0, 10)}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await exportDelegated(db, out, { registry, extended });
  out.end();
  const body = Buffer.concat(chunks).toString('utf8');
  const rendered = { body, md5: createHash('md5').update(body).digest('hex') };
  for (const k of cache.keys()) if (k.startsWith(`${registry}|${extended}|`)) cache.delete(k);
  cache.set(key, rendered);
  return rendered;
}

/**
 * Statistics over HTTP:
 * - GET /api/stats                    → the list of reports
 * - GET /api/stats/:name[?asOf=D]     → one report as JSON (400 bad date, 404 unknown report)
 * - GET /stats/delegated-<registry>-latest, …-extended-latest, and each with .md5 → RIR statistics files
 */
export function registerStatsRoutes(app: FastifyInstance, db: Db): void {
  const cache = new Map<string, Rendered>();

  app.get('/api/stats', async () => ({ reports: REPORTS.map((r) => ({ name: r.name, title: r.title, note: r.note })) }));

  app.get<{ Params: { name: string }; Querystring: Record<string, string> }>('/api/stats/:name', async (request, reply) => {
    const query = ReportQuery.safeParse(request.query);
    if (!query.success) {
      return reply.code(400).send({ error: 'bad_request', message: query.error.issues.map((i) => i.message).join('; ') });
    }
    try {
      return await queryReport(db, request.params.name, query.data);
    } catch (error) {
      if (error instanceof UnknownReportError) return reply.code(404).send({ error: 'not_found', message: error.message });
      if (error instanceof RangeError) return reply.code(400).send({ error: 'bad_request', message: error.message });
      throw error;
    }
  });

  app.get<{ Params: { file: string } }>('/stats/:file', async (request, reply) => {
    const m = FILE_NAME.exec(request.params.file);
    if (!m) return reply.code(404).type('text/plain').send('not found: statistics files are delegated-<registry>[-extended]-latest[.md5]\n');
    const [, registry, extended, md5] = m;
    const rendered = await render(db, cache, registry!, !!extended);
    if (!rendered) return reply.code(404).type('text/plain').send(`no delegations recorded by registry "${registry}"\n`);
    reply.type('text/plain; charset=utf-8');
    if (md5) return `MD5 (delegated-${registry}${extended ?? ''}-latest) = ${rendered.md5}\n`;
    return rendered.body;
  });
}
