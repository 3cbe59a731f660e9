/** The page shell (navigation, language switch, sign-out), and small form helpers shared by pages. */
import { html, type Html, type HtmlValue } from './html.js';
import type { Ctx } from './context.js';
import { MESSAGES, type MessageKey } from './messages.js';

interface NavItem { href: string; key: MessageKey; show: (ctx: Ctx) => boolean }

const NAV: NavItem[] = [
  { href: '/', key: 'nav.search', show: () => true },
  { href: '/rov', key: 'nav.rov', show: (c) => Boolean(c.deps.integrations.rov) },
  { href: '/stats', key: 'nav.stats', show: () => true },
  { href: '/lir', key: 'nav.lir', show: (c) => c.user?.role === 'member' },
  { href: '/staff', key: 'nav.staff', show: (c) => c.user?.role === 'staff' },
  { href: '/account', key: 'nav.account', show: (c) => Boolean(c.user) },
];

export function csrfField(ctx: Ctx): Html {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrf ?? ''}">`;
}

export interface FieldSpec {
  name: string;
  label: string;
  type?: string;
  value?: string | null;
  required?: boolean;
  help?: string;
  placeholder?: string;
  autocomplete?: string;
  inputmode?: string;
  pattern?: string;
  /** Element id when one page has two fields of the same name. */
  id?: string;
}

export function field(f: FieldSpec): Html {
  const id = f.id ?? `f-${f.name}`;
  const helpId = f.help ? `${id}-help` : undefined;
  return html`<label for="${id}">${f.label}</label>
<input id="${id}" name="${f.name}" type="${f.type ?? 'text'}" value="${f.value ?? ''}"${f.required ? html` required` : ''}${f.placeholder ? html` placeholder="${f.placeholder}"` : ''}${f.autocomplete ? html` autocomplete="${f.autocomplete}"` : ''}${f.inputmode ? html` inputmode="${f.inputmode}"` : ''}${f.pattern ? html` pattern="${f.pattern}"` : ''}${helpId ? html` aria-describedby="${helpId}"` : ''}>
${f.help ? html`<div class="muted" id="${helpId}">${f.help}</div>` : ''}`;
}

export function selectField(name: string, label: string, options: { value: string; label: string }[], selected?: string): Html {
  return html`<label for="f-${name}">${label}</label>
<select id="f-${name}" name="${name}">${options.map((o) => html`<option value="${o.value}"${o.value === selected ? html` selected` : ''}>${o.label}</option>`)}</select>`;
}

export function textArea(name: string, label: string, value = '', rows = 3, id = `f-${name}`): Html {
  return html`<label for="${id}">${label}</label><textarea id="${id}" name="${name}" rows="${rows}" cols="60">${value}</textarea>`;
}

export function postForm(ctx: Ctx, action: string, body: HtmlValue, submit: string, options: { confirm?: string; danger?: boolean; inline?: boolean; label?: string } = {}): Html {
  return html`<form method="post" action="${action}" class="${options.inline ? 'inline' : 'box'}"${options.confirm ? html` data-confirm="${options.confirm}"` : ''}${options.label ? html` aria-label="${options.label}"` : ''}>${csrfField(ctx)}${body}<button type="submit"${options.danger ? html` class="danger"` : ''}>${submit}</button></form>`;
}

function langLinks(ctx: Ctx): Html {
  const other = ctx.lang === 'ja' ? 'en' : 'ja';
  const params = new URLSearchParams(ctx.query);
  params.set('lang', other);
  return html`<a href="${ctx.path}?${params.toString()}" lang="${other}" hreflang="${other}">${other === 'ja' ? '日本語' : 'English'}</a>`;
}

function flash(ctx: Ctx): Html | '' {
  const done = ctx.query.done;
  if (done && done.startsWith('done.') && done in MESSAGES) {
    return html`<p class="notice" role="status">${ctx.t(done as MessageKey)}</p>`;
  }
  return '';
}

export function layout(ctx: Ctx, title: string, body: HtmlValue): Html {
  const nav = NAV.filter((n) => n.show(ctx));
  return html`<html lang="${ctx.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — numreg</title><link rel="stylesheet" href="/static/portal.css"><script src="/static/portal.js" defer></script></head>
<body><a class="skip" href="#main">${ctx.t('nav.skip')}</a>
<header class="top"><a class="brand" href="/">numreg</a>
<nav aria-label="${ctx.t('nav.main')}"><ul>${nav.map((n) => html`<li><a href="${n.href}"${ctx.path === n.href ? html` aria-current="page"` : ''}>${ctx.t(n.key)}</a></li>`)}</ul></nav>
<div class="who">${langLinks(ctx)}${ctx.user
    ? html`<span>${ctx.user.username} (${ctx.user.orgHandle})</span><form method="post" action="/logout">${csrfField(ctx)}<button type="submit">${ctx.t('nav.logout')}</button></form>`
    : html`<a href="/login">${ctx.t('nav.login')}</a>`}</div></header>
<main id="main" tabindex="-1"><h1>${title}</h1>${flash(ctx)}${body}</main></body></html>`;
}

export function errorPage(ctx: Ctx, status: number, message: string): Html {
  let back = '/';
  try {
    const referer = ctx.req.headers.referer;
    if (referer) back = new URL(referer).pathname + new URL(referer).search;
  } catch {
    back = '/';
  }
  return layout(ctx, `${ctx.t('error.title')} (${status})`, html`<p class="error" role="alert">${message}</p><p><a href="${back}">${ctx.t('error.back')}</a> · <a href="/">${ctx.t('nav.search')}</a></p>`);
}

export function formatDate(value: string | null | undefined): string {
  return value ? value.slice(0, 19).replace('T', ' ') : '';
}
