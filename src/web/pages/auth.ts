/** Sign-in, sign-out and the account page (TOTP enrolment). */
import { html, type Html } from '../html.js';
import { isSecure, type Ctx, type Router } from '../context.js';
import { field, layout, postForm } from '../layout.js';
import { createSession, destroySession, SESSION_COOKIE } from '../auth/sessions.js';
import { authenticate, confirmTotp, pendingTotp, setPendingTotp } from '../auth/users.js';
import { newTotpSecret, otpauthUri } from '../auth/totp.js';

const FAILURE_WINDOW_MS = 15 * 60_000;
const MAX_FAILURES = 10;

/** Failed sign-ins per user name in the last 15 minutes (in memory: a slow-down, not an account lock). */
class FailureCounter {
  private readonly failures = new Map<string, number[]>();
  recent(name: string, now = Date.now()): number {
    const list = (this.failures.get(name) ?? []).filter((t) => now - t < FAILURE_WINDOW_MS);
    this.failures.set(name, list);
    return list.length;
  }
  add(name: string): void {
    this.failures.set(name, [...(this.failures.get(name) ?? []), Date.now()]);
  }
  clear(name: string): void {
    this.failures.delete(name);
  }
}

function safeNext(next: string | undefined): string | undefined {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : undefined;
}

function setSessionCookie(ctx: Ctx, id: string, maxAgeSeconds: number): void {
  ctx.reply.setCookie(SESSION_COOKIE, id, { path: '/', httpOnly: true, sameSite: 'lax', secure: isSecure(ctx.req, ctx.deps), maxAge: maxAgeSeconds });
}

function loginForm(ctx: Ctx, next: string | undefined, error?: string, username = ''): Html {
  return layout(ctx, ctx.t('login.title'), html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/login" class="box"><input type="hidden" name="_csrf" value="${ctx.csrf ?? ''}">
${next ? html`<input type="hidden" name="next" value="${next}">` : ''}
${field({ name: 'username', label: ctx.t('login.username'), required: true, autocomplete: 'username', value: username })}
${field({ name: 'password', label: ctx.t('login.password'), type: 'password', required: true, autocomplete: 'current-password' })}
${field({ name: 'totp', label: ctx.t('login.totp'), autocomplete: 'one-time-code', inputmode: 'numeric', pattern: '[0-9]{6}', help: ctx.t('login.totpHelp') })}
<button type="submit">${ctx.t('login.submit')}</button></form>`);
}

export function registerAuthPages(r: Router): void {
  const failures = new FailureCounter();

  r.page('/login', 'public', async (ctx) => {
    if (ctx.user) return { redirect: ctx.user.role === 'staff' ? '/staff' : '/lir' };
    if (!ctx.session) {
      // An anonymous session only to carry the sign-in form's CSRF token; replaced at sign-in.
      const { id, session } = await createSession(ctx.deps.db, null);
      setSessionCookie(ctx, id, 3600);
      ctx.session = session;
      ctx.csrf = session.csrfToken;
    }
    return loginForm(ctx, safeNext(ctx.query.next));
  });

  r.action('/login', 'public', async (ctx, form) => {
    const username = (form.username ?? '').trim().toLowerCase();
    const next = safeNext(form.next);
    if (failures.recent(username) >= MAX_FAILURES) {
      ctx.reply.code(429);
      return loginForm(ctx, next, ctx.t('login.tooMany'), username);
    }
    const result = await authenticate(ctx.deps.db, username, form.password ?? '', form.totp);
    if (!result.ok) {
      failures.add(username);
      ctx.reply.code(401);
      return loginForm(ctx, next, ctx.t(result.reason === 'totp' ? 'login.badTotp' : 'login.failed'), username);
    }
    failures.clear(username);
    // Session fixation defence: whatever session the browser came with is destroyed; a new id is issued.
    await destroySession(ctx.deps.db, ctx.sessionId);
    const { id } = await createSession(ctx.deps.db, result.user.id);
    setSessionCookie(ctx, id, 8 * 3600);
    return { redirect: next ?? (result.user.role === 'staff' ? '/staff' : '/lir') };
  });

  r.action('/logout', 'user', async (ctx) => {
    await destroySession(ctx.deps.db, ctx.sessionId);
    ctx.reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { redirect: '/' };
  });

  r.page('/account', 'user', async (ctx) => {
    const user = ctx.user!;
    const pending = await pendingTotp(ctx.deps.db, user.id);
    let totp: Html;
    if (user.totpEnabled) totp = html`<p>${ctx.t('account.totpOn')}</p>`;
    else if (pending) {
      totp = html`<p>${ctx.t('account.totpScan')}</p><p><code>${pending}</code></p><p class="muted"><code>${otpauthUri(pending, user.username)}</code></p>
${postForm(ctx, '/account/totp/confirm', field({ name: 'code', label: ctx.t('login.totp'), required: true, inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}' }), ctx.t('account.totpConfirm'))}`;
    } else totp = postForm(ctx, '/account/totp/start', html`<p>${ctx.t('account.totpOff')}</p>`, ctx.t('account.totpStart'));
    return layout(ctx, ctx.t('account.title'), html`<dl class="obj"><dt>${ctx.t('login.username')}</dt><dd>${user.username}</dd>
<dt>${ctx.t('obj.org')}</dt><dd>${user.orgName} (${user.orgHandle})</dd><dt>${ctx.t('account.role')}</dt><dd>${user.role}</dd></dl>
<h2>${ctx.t('account.totp')}</h2>${totp}`);
  });

  r.action('/account/totp/start', 'user', async (ctx) => {
    if (!ctx.user!.totpEnabled) await setPendingTotp(ctx.deps.db, ctx.user!.id, newTotpSecret());
    return { redirect: '/account' };
  });

  r.action('/account/totp/confirm', 'user', async (ctx, form) => {
    const ok = await confirmTotp(ctx.deps.db, ctx.user!.id, form.code ?? '');
    if (!ok) {
      ctx.reply.code(400);
      return layout(ctx, ctx.t('account.title'), html`<p class="error" role="alert">${ctx.t('login.badTotp')}</p><p><a href="/account">${ctx.t('error.back')}</a></p>`);
    }
    return { redirect: '/account?done=done.totp' };
  });
}
