/** Shared by the LIR pages: sub-navigation, the ownership rule, list parsing. */
import { html, type Html, type HtmlValue } from '../html.js';
import { WebError, type Ctx } from '../context.js';
import { layout } from '../layout.js';
import type { Delegation } from '../../registry/delegation-model.js';
import { delegationById, lessSpecifics } from '../../registry/lookup.js';
import type { MessageKey } from '../messages.js';
import { parseResource, ResourceParseError, type NumberRange } from '../../core/index.js';

const TABS: { href: string; key: MessageKey; show?: (ctx: Ctx) => boolean }[] = [
  { href: '/lir', key: 'lir.resources' },
  { href: '/lir/contacts', key: 'lir.contacts' },
  { href: '/lir/maintainers', key: 'lir.maintainers' },
  { href: '/lir/routes', key: 'lir.routes', show: (c) => Boolean(c.deps.integrations.routes) },
  { href: '/lir/roas', key: 'lir.roas', show: (c) => Boolean(c.deps.integrations.roas) },
  { href: '/lir/api-keys', key: 'lir.apiKeys' },
  { href: '/lir/requests', key: 'lir.requests', show: (c) => Boolean(c.deps.integrations.policy) },
  { href: '/lir/transfers', key: 'lir.transfers' },
];

export function lirLayout(ctx: Ctx, title: string, body: HtmlValue): Html {
  const tabs = TABS.filter((t) => !t.show || t.show(ctx));
  return layout(ctx, title, html`<p class="muted">${ctx.user!.orgName} (${ctx.user!.orgHandle})</p>
<nav aria-label="${ctx.t('lir.menu')}"><ul class="tabs">${tabs.map((t) => html`<li><a href="${t.href}"${ctx.path === t.href ? html` aria-current="page"` : ''}>${ctx.t(t.key)}</a></li>`)}</ul></nav>${body}`);
}

/**
 * An LIR sees and manages a delegation when it holds it or holds a block above it. Anything else is
 * "not found": a member cannot even learn that another member's object id exists through the portal.
 */
export async function visibleDelegation(ctx: Ctx, id: string): Promise<{ d: Delegation; holds: boolean; holdsParent: boolean }> {
  const orgId = ctx.user!.orgId;
  const d = await delegationById(ctx.deps.db, id);
  if (!d) throw new WebError(404, 'error.notFound');
  const above = await lessSpecifics(ctx.deps.db, d.range, false);
  const holds = d.holderId === orgId;
  const holdsParent = above.some((a) => a.id === d.parentId && a.holderId === orgId);
  if (!holds && !above.some((a) => a.holderId === orgId)) throw new WebError(404, 'error.notFound');
  return { d, holds, holdsParent };
}

export const splitList = (text: string | undefined): string[] =>
  (text ?? '').split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);

export const orNull = (text: string | undefined): string | null => (text && text.trim() ? text.trim() : null);

export function parseRangeInput(text: string | undefined): NumberRange {
  try {
    return parseResource(text ?? '');
  } catch (error) {
    if (error instanceof ResourceParseError) throw new WebError(400, 'error.badResource', error.message);
    throw error;
  }
}
