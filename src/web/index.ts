/**
 * The web portal (issue 9): public search, ROV checker and statistics; LIR and staff pages behind a
 * session login. Mount it on numreg's HTTP server with `registerWebRoutes(app, { db, registry })`.
 * Everything is encapsulated in one fastify plugin (its own cookie and form-body parsers and its
 * security headers apply only to the portal's routes).
 */
import type { FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { Db } from '../db/database.js';
import type { Registry } from '../registry/registry.js';
import { Router, type WebDeps } from './context.js';
import { errorPage } from './layout.js';
import { loadIntegrations, type Integrations, type WebServices } from './integrations.js';
import { PORTAL_CSS, PORTAL_JS } from './static.js';
import { registerPublicPages } from './pages/public.js';
import { registerAuthPages } from './pages/auth.js';
import { registerLirResourcePages } from './pages/lir-resources.js';
import { registerLirObjectPages } from './pages/lir-objects.js';
import { registerLirRoutingPages } from './pages/lir-routing.js';
import { registerLirRequestPages } from './pages/lir-requests.js';
import { registerStaffPages } from './pages/staff.js';

export { createPortalUser, type NewPortalUser, type PortalUser } from './auth/users.js';
export { WRITE_ENDPOINTS } from './context.js';
export type { Integrations, WebServices } from './integrations.js';

export interface WebOptions {
  db: Db;
  registry: Registry;
  /** Replace or add integrations (tests; or a caller that already built the RPKI/IRR services). */
  integrations?: Partial<Integrations>;
  /** Services `numreg serve` started (IRR service, RTR service), so the portal shares their instances. */
  services?: WebServices;
  /** Secure attribute on cookies: 'auto' (default) = when the request came over HTTPS. */
  secureCookies?: boolean | 'auto';
}

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/** Registers the portal's routes; returns the integrations it found (for logging what is hidden). */
export async function registerWebRoutes(app: FastifyInstance, options: WebOptions): Promise<Integrations> {
  const integrations = await loadIntegrations({ db: options.db, registry: options.registry, services: options.services }, options.integrations);
  const deps: WebDeps = { db: options.db, registry: options.registry, integrations, secureCookies: options.secureCookies ?? 'auto' };
  await app.register(async (scope) => {
    // numreg's HTTP app registers both at its root already; a bare fastify (tests, other hosts) may not.
    if (!scope.hasRequestDecorator('cookies')) await scope.register(cookie);
    if (!scope.hasContentTypeParser('application/x-www-form-urlencoded')) await scope.register(formbody, { bodyLimit: 64 * 1024 });
    scope.addHook('onSend', async (_req, reply, payload) => {
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
      return payload;
    });
    scope.get('/static/portal.css', async (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(PORTAL_CSS));
    scope.get('/static/portal.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(PORTAL_JS));
    const router = new Router(scope, deps, errorPage);
    registerPublicPages(router);
    registerAuthPages(router);
    registerLirResourcePages(router);
    registerLirObjectPages(router);
    registerLirRoutingPages(router);
    registerLirRequestPages(router);
    registerStaffPages(router);
  });
  return integrations;
}
