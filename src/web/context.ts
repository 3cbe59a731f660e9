/**
 * Per-request context and the two route helpers every page uses:
 *   page(): GET pages, with the access level they need;
 *   action(): POST form handlers — authentication, role, then the CSRF synchroniser token are checked
 *   before the handler runs, and every action is listed in WRITE_ENDPOINTS (the authorisation matrix).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/database.js';
import type { Registry } from '../registry/registry.js';
import { RegistryError } from '../registry/errors.js';
import { Html } from './html.js';
import { isLang, LANG_COOKIE, negotiateLang, translator, type Lang, type Translate } from './i18n.js';
import { csrfMatches, loadSession, SESSION_COOKIE, type Session } from './auth/sessions.js';
import { actorForUser, setUserLang, userById, type PortalUser } from './auth/users.js';
import type { Integrations } from './integrations.js';
import type { Actor } from '../registry/actor.js';
import type { MessageKey } from './messages.js';

export type Access = 'public' | 'user' | 'member' | 'staff';

export interface WebDeps {
  db: Db;
  registry: Registry;
  integrations: Integrations;
  /** Secure cookie attribute: 'auto' (default) sets it when the request arrived over HTTPS. */
  secureCookies: boolean | 'auto';
}

export interface Ctx {
  req: FastifyRequest;
  reply: FastifyReply;
  deps: WebDeps;
  lang: Lang;
  t: Translate;
  path: string;
  query: Record<string, string>;
  session?: Session;
  sessionId?: string;
  user?: PortalUser;
  /** The CSRF token to embed in forms (present when there is a session). */
  csrf?: string;
}

export class WebError extends Error {
  constructor(readonly status: number, readonly messageKey: MessageKey, readonly detail?: string) {
    super(detail ?? messageKey);
  }
}

export type Outcome = Html | { redirect: string };

export function actorOf(ctx: Ctx): Actor {
  if (!ctx.user) throw new WebError(401, 'error.signin');
  return actorForUser(ctx.user);
}

export function isSecure(req: FastifyRequest, deps: WebDeps): boolean {
  return deps.secureCookies === 'auto' ? req.protocol === 'https' : deps.secureCookies;
}

function flatten(input: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (input && typeof input === 'object') {
    for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
      if (typeof v === 'string') out[k] = v;
      else if (Array.isArray(v) && typeof v[0] === 'string') out[k] = v[0];
    }
  }
  return out;
}

async function buildCtx(req: FastifyRequest, reply: FastifyReply, deps: WebDeps): Promise<Ctx> {
  const query = flatten(req.query);
  const cookies = (req as unknown as { cookies: Record<string, string | undefined> }).cookies ?? {};
  const sessionId = cookies[SESSION_COOKIE];
  const session = await loadSession(deps.db, sessionId);
  const user = session?.userId ? await userById(deps.db, session.userId) : undefined;
  let lang: Lang;
  if (isLang(query.lang)) {
    lang = query.lang;
    reply.setCookie(LANG_COOKIE, lang, { path: '/', httpOnly: true, sameSite: 'lax', secure: isSecure(req, deps), maxAge: 365 * 86400 });
    if (user && user.lang !== lang) await setUserLang(deps.db, user.id, lang);
  } else if (isLang(cookies[LANG_COOKIE])) lang = cookies[LANG_COOKIE] as Lang;
  else if (user?.lang) lang = user.lang;
  else lang = negotiateLang(req.headers['accept-language']);
  return {
    req, reply, deps, lang, t: translator(lang), path: req.url.split('?')[0]!, query,
    session, sessionId: session ? sessionId : undefined, user, csrf: session?.csrfToken,
  };
}

function allowed(ctx: Ctx, access: Access): number | undefined {
  if (access === 'public') return undefined;
  if (!ctx.user) return 401;
  if (access === 'member' && ctx.user.role !== 'member') return 403;
  if (access === 'staff' && ctx.user.role !== 'staff') return 403;
  return undefined;
}

export type ErrorRenderer = (ctx: Ctx, status: number, message: string) => Html;

export interface WriteEndpoint {
  path: string;
  access: Exclude<Access, 'public'> | 'public';
}

/** Every POST route of the portal, filled in as routes register (the authorisation matrix iterates it). */
export const WRITE_ENDPOINTS: WriteEndpoint[] = [];

export class Router {
  constructor(
    readonly app: FastifyInstance,
    readonly deps: WebDeps,
    private readonly renderError: ErrorRenderer,
  ) {}

  private async respond(ctx: Ctx, work: () => Promise<Outcome>): Promise<void> {
    const { reply } = ctx;
    reply.header('cache-control', 'no-store');
    try {
      const out = await work();
      if (out instanceof Html) {
        reply.type('text/html; charset=utf-8').send(`<!doctype html>\n${out.value}`);
      } else {
        reply.redirect(out.redirect, 303);
      }
    } catch (error) {
      let status = 500;
      let message: string;
      if (error instanceof WebError) {
        status = error.status;
        message = ctx.t(error.messageKey) + (error.detail ? `: ${error.detail}` : '');
      } else if (error instanceof RegistryError) {
        status = error.httpStatus;
        message = error.message;
      } else {
        ctx.req.log.error({ err: error }, 'portal page failed');
        message = ctx.t('error.internal');
      }
      reply.code(status).type('text/html; charset=utf-8').send(`<!doctype html>\n${this.renderError(ctx, status, message).value}`);
    }
  }

  page(path: string, access: Access, handler: (ctx: Ctx) => Promise<Outcome>): void {
    this.app.get(path, async (req, reply) => {
      const ctx = await buildCtx(req, reply, this.deps);
      const denied = allowed(ctx, access);
      if (denied === 401) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
      await this.respond(ctx, async () => {
        if (denied) throw new WebError(denied, 'error.forbidden');
        return handler(ctx);
      });
      return reply;
    });
  }

  /** A POST form handler: signed in with the right role (when access is not public), and a valid CSRF token. */
  action(path: string, access: Access, handler: (ctx: Ctx, form: Record<string, string>) => Promise<Outcome>): void {
    if (!WRITE_ENDPOINTS.some((e) => e.path === path)) WRITE_ENDPOINTS.push({ path, access });
    this.app.post(path, async (req, reply) => {
      const ctx = await buildCtx(req, reply, this.deps);
      const form = flatten(req.body);
      await this.respond(ctx, async () => {
        const denied = allowed(ctx, access);
        if (denied === 401) throw new WebError(401, 'error.signin');
        if (denied) throw new WebError(denied, 'error.forbidden');
        if (!csrfMatches(ctx.session, form._csrf)) throw new WebError(403, 'error.csrf');
        return handler(ctx, form);
      });
      return reply;
    });
  }
}
