/** LIR resources: the tree with utilisation, registering, modifying and returning assignments, proposing transfers. */
import { html, type Html } from '../html.js';
import { actorOf, WebError, type Ctx, type Router } from '../context.js';
import { field, formatDate, postForm, selectField } from '../layout.js';
import { lirLayout, orNull, parseRangeInput, splitList, visibleDelegation } from './lir-common.js';
import type { Delegation } from '../../registry/delegation-model.js';
import { delegationsOfHolder, moreSpecifics, childrenOf } from '../../registry/lookup.js';
import { objectHistory } from '../../registry/feed.js';
import { rangeSize } from '../../core/index.js';

interface Node { d: Delegation; children: Node[] }

export function utilisation(d: Delegation, children: Delegation[]): number {
  const size = rangeSize(d.range);
  const used = children.reduce((sum, c) => sum + rangeSize(c.range), 0n);
  return Number((used * 10000n) / size) / 100;
}

async function resourceTree(ctx: Ctx): Promise<Node[]> {
  const own = await delegationsOfHolder(ctx.deps.db, ctx.user!.orgId);
  const ownIds = new Set(own.map((d) => d.id));
  const roots = own.filter((d) => !d.parentId || !ownIds.has(d.parentId));
  const trees: Node[] = [];
  for (const root of roots) {
    const below = await moreSpecifics(ctx.deps.db, root.range, 2000);
    const nodes = new Map<string, Node>([[root.id, { d: root, children: [] }]]);
    for (const d of below) nodes.set(d.id, { d, children: [] });
    for (const d of below) if (d.parentId && nodes.has(d.parentId)) nodes.get(d.parentId)!.children.push(nodes.get(d.id)!);
    trees.push(nodes.get(root.id)!);
  }
  return trees;
}

function nodeHtml(ctx: Ctx, n: Node): Html {
  const pct = utilisation(n.d, n.children.map((c) => c.d));
  const leaf = n.d.status === 'assigned';
  return html`<li><a href="/lir/delegations/${n.d.id}">${n.d.resource}</a> <span class="badge">${n.d.status}</span>
${n.d.holderId !== ctx.user!.orgId ? html` → ${n.d.holderHandle}` : ''} ${n.d.netName ? html`<span class="muted">${n.d.netName}</span>` : ''}
${leaf ? '' : html` <meter min="0" max="100" value="${pct}" aria-label="${ctx.t('lir.utilisation')} ${n.d.resource}">${pct}%</meter> ${ctx.t('lir.used', { pct })}`}
${n.children.length ? html`<ul>${n.children.map((c) => nodeHtml(ctx, c))}</ul>` : ''}</li>`;
}

function delegationFields(ctx: Ctx, d?: Delegation): Html {
  return html`${field({ name: 'netName', label: ctx.t('obj.netname'), value: d?.netName, required: !d, help: ctx.t('lir.netnameHelp') })}
${field({ name: 'description', label: ctx.t('obj.description'), value: d?.description })}
${field({ name: 'country', label: ctx.t('obj.country'), value: d?.country ?? 'JP', pattern: '[A-Z]{2}' })}
${field({ name: 'adminC', label: 'admin-c', value: d?.adminC.join(' '), help: ctx.t('lir.handlesHelp') })}
${field({ name: 'techC', label: 'tech-c', value: d?.techC.join(' ') })}
${field({ name: 'abuseC', label: 'abuse-c', value: d?.abuseC })}
${field({ name: 'mntBy', label: 'mnt-by', value: d?.mntBy.join(' ') })}`;
}

function attributes(form: Record<string, string>) {
  return {
    netName: orNull(form.netName), description: orNull(form.description), country: orNull(form.country?.toUpperCase()),
    adminC: splitList(form.adminC), techC: splitList(form.techC), abuseC: orNull(form.abuseC), mntBy: splitList(form.mntBy),
  };
}

export function registerLirResourcePages(r: Router): void {
  r.page('/lir', 'member', async (ctx) => {
    const trees = await resourceTree(ctx);
    const form = postForm(ctx, '/lir/assignments', html`<fieldset><legend>${ctx.t('lir.newAssignment')}</legend>
${field({ name: 'prefix', label: ctx.t('lir.prefix'), required: true, placeholder: '192.0.2.0/26', help: ctx.t('lir.prefixHelp') })}
${selectField('status', ctx.t('obj.status'), [{ value: 'assigned', label: 'assigned' }, { value: 'sub-allocated', label: 'sub-allocated' }])}
${field({ name: 'holder', label: ctx.t('lir.holder'), help: ctx.t('lir.holderHelp') })}
${delegationFields(ctx)}</fieldset>`, ctx.t('lir.register'));
    return lirLayout(ctx, ctx.t('lir.resources'), html`${trees.length ? html`<ul class="tree">${trees.map((t) => nodeHtml(ctx, t))}</ul>` : html`<p>${ctx.t('lir.noResources')}</p>`}${form}`);
  });

  r.action('/lir/assignments', 'member', async (ctx, form) => {
    const range = parseRangeInput(form.prefix);
    const status = form.status === 'sub-allocated' ? 'sub-allocated' : 'assigned';
    const { value } = await ctx.deps.registry.delegate({
      range, status, holderHandle: orNull(form.holder) ?? ctx.user!.orgHandle, ...attributes(form),
      reason: `registered in the portal by ${ctx.user!.username}`,
    }, actorOf(ctx));
    return { redirect: `/lir/delegations/${value.id}?done=done.assignment` };
  });

  r.page('/lir/delegations/:id', 'member', async (ctx) => {
    const { d, holds, holdsParent } = await visibleDelegation(ctx, (ctx.req.params as { id: string }).id);
    const children = await childrenOf(ctx.deps.db, d.id);
    const history = await objectHistory(ctx.deps.db, 'delegation', d.id);
    const canReturn = (holds || holdsParent) && children.length === 0;
    return lirLayout(ctx, d.resource, html`<dl class="obj"><dt>${ctx.t('obj.status')}</dt><dd>${d.status}</dd>
<dt>${ctx.t('obj.holder')}</dt><dd>${d.holderName} (${d.holderHandle})</dd><dt>${ctx.t('obj.netname')}</dt><dd>${d.netName ?? ''}</dd>
<dt>${ctx.t('obj.delegated')}</dt><dd>${d.delegatedOn ?? ''}</dd><dt>${ctx.t('lir.utilisation')}</dt><dd>${utilisation(d, children)}%</dd>
<dt>${ctx.t('obj.version')}</dt><dd>${d.version}</dd></dl>
${children.length ? html`<h2>${ctx.t('lir.children')}</h2><ul>${children.map((c) => html`<li><a href="/lir/delegations/${c.id}">${c.resource}</a> ${c.status} ${c.holderHandle} ${c.netName ?? ''}</li>`)}</ul>` : ''}
<h2>${ctx.t('lir.modify')}</h2>${postForm(ctx, `/lir/delegations/${d.id}/modify`, delegationFields(ctx, d), ctx.t('common.save'))}
${canReturn ? html`<h2>${ctx.t('lir.return')}</h2>${postForm(ctx, `/lir/delegations/${d.id}/return`, field({ name: 'reason', id: 'f-return-reason', label: ctx.t('common.reason') }), ctx.t('lir.returnButton'), { danger: true, confirm: ctx.t('lir.returnConfirm', { resource: d.resource }) })}` : ''}
${holds && d.status !== 'assigned' ? html`<h2>${ctx.t('lir.transfer')}</h2>${postForm(ctx, `/lir/delegations/${d.id}/transfer`, html`${field({ name: 'to', label: ctx.t('lir.transferTo'), required: true })}${field({ name: 'reason', id: 'f-transfer-reason', label: ctx.t('common.reason') })}`, ctx.t('lir.transferButton'))}` : ''}
<h2>${ctx.t('lir.history')}</h2><table><thead><tr><th scope="col">#</th><th scope="col">${ctx.t('audit.at')}</th><th scope="col">${ctx.t('audit.action')}</th><th scope="col">${ctx.t('audit.actor')}</th><th scope="col">${ctx.t('common.reason')}</th></tr></thead>
<tbody>${history.map((h) => html`<tr><td>${h.serial}</td><td>${formatDate(h.at)}</td><td>${h.action}</td><td>${h.actor}</td><td>${h.reason ?? ''}</td></tr>`)}</tbody></table>`);
  });

  r.action('/lir/delegations/:id/modify', 'member', async (ctx, form) => {
    const { d } = await visibleDelegation(ctx, (ctx.req.params as { id: string }).id);
    await ctx.deps.registry.modify(d.id, attributes(form), actorOf(ctx), orNull(form.reason) ?? `modified in the portal by ${ctx.user!.username}`);
    return { redirect: `/lir/delegations/${d.id}?done=done.saved` };
  });

  r.action('/lir/delegations/:id/return', 'member', async (ctx, form) => {
    const { d, holds, holdsParent } = await visibleDelegation(ctx, (ctx.req.params as { id: string }).id);
    const reason = orNull(form.reason) ?? undefined;
    // The holder returns its block; the LIR above a customer's assignment takes it back (reclaim).
    if (holds) await ctx.deps.registry.returnDelegation(d.id, actorOf(ctx), reason);
    else if (holdsParent) await ctx.deps.registry.reclaim(d.id, actorOf(ctx), reason);
    else throw new WebError(403, 'error.forbidden');
    return { redirect: '/lir?done=done.returned' };
  });

  r.action('/lir/delegations/:id/transfer', 'member', async (ctx, form) => {
    const { d } = await visibleDelegation(ctx, (ctx.req.params as { id: string }).id);
    await ctx.deps.registry.proposeTransfer(d.id, (form.to ?? '').trim(), actorOf(ctx), orNull(form.reason) ?? undefined);
    return { redirect: '/lir/transfers?done=done.transferProposed' };
  });
}
