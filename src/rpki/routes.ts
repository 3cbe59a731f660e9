/** HTTP(S) routes of the RPKI service: RRDP files under /rrdp/, the TAL and the TA certificate under /rpki/. */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { RpkiService } from './index.js';

export function registerRpkiRoutes(app: FastifyInstance, service: RpkiService): void {
  app.get('/rpki/ta.tal', async (_req, reply) => reply.type('text/plain; charset=utf-8').send(service.tal()));
  app.get('/rpki/ta.cer', async (_req, reply) => reply.type('application/pkix-cert').send(Buffer.from(service.taCertificate())));
  app.get('/rrdp/*', async (req, reply) => {
    const rel = (req.params as { '*': string })['*'];
    const full = normalize(join(service.rrdpDir, rel));
    if (!full.startsWith(service.rrdpDir + sep) || !rel.endsWith('.xml') || rel.endsWith('state.json') || !existsSync(full) || !statSync(full).isFile()) {
      return reply.code(404).type('text/plain').send('not found\n');
    }
    return reply.type('application/rpki-updown').header('content-type', 'application/xml').header('cache-control', rel === 'notification.xml' ? 'no-cache' : 'max-age=86400').send(createReadStream(full));
  });
}
