/** HTTP(S) routes of the RPKI service: RRDP files under /rrdp/, the TAL and the TA certificate under /rpki/. */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { RpkiService } from './index.js';

/**
 * `service` may be a getter: the HTTPS listener must know its real port before the CA can put RRDP URIs into
 * certificates, so the routes can be registered before the service exists (503 until then).
 */
export function registerRpkiRoutes(app: FastifyInstance, serviceOrGetter: RpkiService | (() => RpkiService | undefined)): void {
  const get = typeof serviceOrGetter === 'function' ? serviceOrGetter : () => serviceOrGetter;
  app.addHook('onRequest', async (req, reply) => {
    if ((req.url.startsWith('/rrdp/') || req.url.startsWith('/rpki/')) && !get()) return reply.code(503).type('text/plain').send('RPKI service starting\n');
  });
  app.get('/rpki/ta.tal', async (_req, reply) => reply.type('text/plain; charset=utf-8').send(get()!.tal()));
  app.get('/rpki/ta.cer', async (_req, reply) => reply.type('application/pkix-cert').send(Buffer.from(get()!.taCertificate())));
  app.get('/rrdp/*', async (req, reply) => {
    const service = get()!;
    const rel = (req.params as { '*': string })['*'];
    const full = normalize(join(service.rrdpDir, rel));
    if (!full.startsWith(service.rrdpDir + sep) || !rel.endsWith('.xml') || rel.endsWith('state.json') || !existsSync(full) || !statSync(full).isFile()) {
      return reply.code(404).type('text/plain').send('not found\n');
    }
    return reply.type('application/xml').header('cache-control', rel === 'notification.xml' ? 'no-cache' : 'max-age=86400').send(createReadStream(full));
  });
}
