/**
 * REST entry points of the IRR:
 *   POST /api/irr/submit  body: RPSL text (text/plain; e-mail update format with password:/delete:/override:)
 *                         or JSON ({objects:[{object_text}|{attributes}], passwords, override, delete_reason, dry_run});
 *                         ?dry_run=1 validates and authorises without saving. API key: Authorization: Bearer <key>.
 *                         200 with a per-object report when everything was applied, 400 with the report otherwise.
 *   GET  /api/irr/whois?q=<query>  an IRRd `!` query over HTTP (IRRd's /v1/whois/): 200 data, 204 none, 400 error.
 */
import type { FastifyInstance } from 'fastify';
import type { IrrService } from './service.js';
import { parseSubmissionJson, parseSubmissionText, type Submission } from './submission.js';
import { handleIrrdCommand, newIrrdSession } from './irrd.js';

function bearer(headers: Record<string, unknown>): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  const key = headers['x-api-key'];
  return typeof key === 'string' ? key.trim() : undefined;
}

export function registerIrrRoutes(app: FastifyInstance, service: IrrService): void {
  app.post('/api/irr/submit', async (request, reply) => {
    let sub: Submission;
    try {
      const body = request.body;
      if (typeof body === 'string') sub = parseSubmissionText(body);
      else if (Buffer.isBuffer(body)) sub = parseSubmissionText(body.toString('utf8'));
      else sub = parseSubmissionJson(body);
    } catch (e) {
      return reply.code(400).send({ status: 'failed', error: (e as Error).message });
    }
    const q = request.query as Record<string, string | undefined>;
    if (q.dry_run === '1' || q.dry_run === 'true') sub.dryRun = true;
    sub.apiKey = bearer(request.headers as Record<string, unknown>);
    if (sub.objects.length === 0) return reply.code(400).send({ status: 'failed', error: 'no RPSL objects in the submission' });
    const report = await service.submit(sub);
    return reply.code(report.status === 'success' ? 200 : 400).send(report);
  });

  app.get('/api/irr/whois', async (request, reply) => {
    const q = (request.query as Record<string, string | undefined>).q ?? '';
    if (!q.startsWith('!')) return reply.code(400).type('text/plain').send('only IRRd-style ! queries are served here');
    const answer = await handleIrrdCommand(service, newIrrdSession(), q);
    if (answer.startsWith('F ')) return reply.code(400).type('text/plain').send(answer.slice(2));
    if (answer.startsWith('A')) return reply.code(200).type('text/plain').send(answer.slice(answer.indexOf('\n') + 1, -'\nC\n'.length) + '\n');
    return reply.code(204).send();
  });
}
