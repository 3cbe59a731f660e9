/** LIR route objects (IRR) and ROAs (RPKI) with the "what will this break" preview. Shown only when those modules are present. */
import { html, type Html } from '../html.js';
import { actorOf, WebError, type Ctx, type Router } from '../context.js';
import { field, postForm, selectField, textArea } from '../layout.js';
import { lirLayout, orNull, splitList } from './lir-common.js';
import { roasTable, routesTable } from './public.js';
import { maintainersOfOrganisation } from '../../registry/maintainers.js';
import { parseAnnouncements, previewRoa, previewRoaRemoval, type Announcement, type PreviewRow } from '../rov-preview.js';
import type { RoaView, RovState } from '../integrations.js';
import type { MessageKey } from '../messages.js';

function stateBadge(ctx: Ctx, s: RovState): Html {
  return html`<span class="badge ${s}">${ctx.t(`rov.${s}`)}</span>`;
}

async function knownRoutes(ctx: Ctx, prefix: string, announced: string | undefined): Promise<Announcement[]> {
  const announcements: Announcement[] = parseAnnouncements(announced ?? '');
  const { routes } = ctx.deps.integrations;
  if (routes) {
    for (const r of await routes.search(prefix)) announcements.push({ prefix: r.prefix, origin: r.origin, source: `${r.objectClass} (IRR)` });
  }
  return announcements;
}

function previewTable(ctx: Ctx, rows: PreviewRow[], after: MessageKey): Html {
  const broken = rows.filter((r) => r.after === 'invalid' && r.before !== 'invalid');
  const lost = rows.filter((r) => r.before === 'valid' && r.after !== 'valid');
  const fixed = rows.filter((r) => r.after === 'valid' && r.before !== 'valid');
  const bad = broken.length + lost.length > 0;
  return html`<h2 id="preview-h">${ctx.t('roa.preview')}</h2>
<p role="status" class="${bad ? 'error' : 'notice'}">${broken.length ? ctx.t('roa.breaks', { n: broken.length }) : ctx.t('roa.breaksNothing')} ${lost.length ? ctx.t('roa.loses', { n: lost.length }) : ''} ${ctx.t('roa.fixes', { n: fixed.length })}</p>
${rows.length ? html`<table><caption>${ctx.t('roa.affected')}</caption><thead><tr><th scope="col">${ctx.t('route.prefix')}</th><th scope="col">${ctx.t('route.origin')}</th><th scope="col">${ctx.t('roa.source')}</th><th scope="col">${ctx.t('roa.before')}</th><th scope="col">${ctx.t(after)}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td>${r.prefix}</td><td>${r.origin}</td><td>${r.source}</td><td>${stateBadge(ctx, r.before)}</td><td>${stateBadge(ctx, r.after)}</td></tr>`)}</tbody></table>` : html`<p>${ctx.t('roa.noRoutes')}</p>`}`;
}

async function roaPreview(ctx: Ctx, q: Record<string, string>): Promise<Html> {
  const proposed = { prefix: q.prefix!.trim(), maxLength: Number(q.maxLength), asn: q.asn!.trim() };
  const rows = previewRoa(proposed, await ctx.deps.integrations.roas!.listAll(), await knownRoutes(ctx, proposed.prefix, q.announced));
  return html`<section aria-labelledby="preview-h">${previewTable(ctx, rows, 'roa.after')}
${postForm(ctx, '/lir/roas', html`<input type="hidden" name="prefix" value="${proposed.prefix}"><input type="hidden" name="maxLength" value="${proposed.maxLength}"><input type="hidden" name="asn" value="${proposed.asn}">
<p>${ctx.t('roa.confirm', { prefix: proposed.prefix, maxLength: proposed.maxLength, asn: proposed.asn })}</p>`, ctx.t('roa.create'))}</section>`;
}

/** Before deleting: which routes lose their only valid ROA. */
async function removalPreview(ctx: Ctx, roa: RoaView): Promise<Html> {
  const rows = previewRoaRemoval(roa, await ctx.deps.integrations.roas!.listAll(), await knownRoutes(ctx, roa.prefix, ctx.query.announced));
  return html`<section aria-labelledby="preview-h">${previewTable(ctx, rows, 'roa.afterRemoval')}
${postForm(ctx, `/lir/roas/${encodeURIComponent(roa.id)}/delete`, html`<p>${ctx.t('roa.deleteQuestion', { prefix: roa.prefix, maxLength: roa.maxLength, asn: roa.asn })}</p>`, ctx.t('common.delete'), { danger: true })}</section>`;
}

export function registerLirRoutingPages(r: Router): void {
  const { roas, routes } = r.deps.integrations;
  if (roas) {
    r.page('/lir/roas', 'member', async (ctx) => {
      const own = await roas.listForOrg(ctx.user!.orgId);
      const q = ctx.query;
      const removing = q.remove ? own.find((x) => x.id === q.remove) : undefined;
      if (q.remove && !removing) throw new WebError(404, 'error.notFound');
      const preview = removing ? await removalPreview(ctx, removing) : q.prefix && q.maxLength && q.asn ? await roaPreview(ctx, q) : '';
      return lirLayout(ctx, ctx.t('lir.roas'), html`${roasTable(ctx, own, ctx.t('lir.roas'), (x) => html`<a href="/lir/roas?remove=${encodeURIComponent(x.id)}#preview-h" aria-label="${ctx.t('roa.deletePreview')} ${x.prefix} ${x.asn}">${ctx.t('roa.deletePreview')}</a>`)}
${own.length ? '' : html`<p>${ctx.t('roa.none')}</p>`}
<form method="get" action="/lir/roas" class="box"><fieldset><legend>${ctx.t('roa.new')}</legend>
${field({ name: 'prefix', label: ctx.t('roa.prefix'), required: true, value: q.prefix, placeholder: '192.0.2.0/24' })}
${field({ name: 'maxLength', label: ctx.t('roa.maxLength'), required: true, type: 'number', value: q.maxLength, help: ctx.t('roa.maxLengthHelp') })}
${field({ name: 'asn', label: ctx.t('roa.asn'), required: true, value: q.asn, placeholder: 'AS64496' })}
${textArea('announced', ctx.t('roa.announced'), q.announced ?? '')}</fieldset><button type="submit">${ctx.t('roa.previewButton')}</button></form>${preview}`);
    });
    r.action('/lir/roas', 'member', async (ctx, form) => {
      const maxLength = Number(form.maxLength);
      if (!Number.isInteger(maxLength)) throw new WebError(400, 'error.badInput', 'maxLength');
      const created = await roas.create({ prefix: (form.prefix ?? '').trim(), maxLength, asn: (form.asn ?? '').trim() }, actorOf(ctx));
      if (!created.warnings?.length) return { redirect: '/lir/roas?done=done.created' };
      return lirLayout(ctx, ctx.t('lir.roas'), html`<p class="notice" role="status">${ctx.t('done.created')}</p>
<div class="error" role="alert"><p>${ctx.t('roa.warnings')}</p><ul>${created.warnings.map((w) => html`<li>${w}</li>`)}</ul></div><p><a href="/lir/roas">${ctx.t('lir.roas')}</a></p>`);
    });
    r.action('/lir/roas/:id/delete', 'member', async (ctx) => {
      const id = (ctx.req.params as { id: string }).id;
      const own = await roas.listForOrg(ctx.user!.orgId);
      if (!own.some((x) => x.id === id)) throw new WebError(404, 'error.notFound');
      await roas.remove(id, actorOf(ctx));
      return { redirect: '/lir/roas?done=done.deleted' };
    });
  }
  if (routes) {
    r.page('/lir/routes', 'member', async (ctx) => {
      const mnts = await maintainersOfOrganisation(ctx.deps.db, ctx.user!.orgId);
      const own = await routes.listForOrg(ctx.user!.orgId, mnts.map((m) => m.handle));
      return lirLayout(ctx, ctx.t('lir.routes'), html`${routesTable(ctx, own, ctx.t('lir.routes'))}${own.length ? '' : html`<p>${ctx.t('route.none')}</p>`}
${postForm(ctx, '/lir/routes', html`<fieldset><legend>${ctx.t('route.new')}</legend>
${field({ name: 'prefix', label: ctx.t('route.prefix'), required: true, placeholder: '192.0.2.0/24' })}
${field({ name: 'origin', label: ctx.t('route.origin'), required: true, placeholder: 'AS64496' })}
${field({ name: 'descr', label: ctx.t('obj.description') })}
${mnts.length ? selectField('mntBy', 'mnt-by', mnts.map((m) => ({ value: m.handle, label: m.handle }))) : field({ name: 'mntBy', label: 'mnt-by', required: true })}
${field({ name: 'password', label: ctx.t('mnt.password'), type: 'password', autocomplete: 'current-password', help: ctx.t('route.passwordHelp') })}</fieldset>`, ctx.t('common.create'))}`);
    });
    r.action('/lir/routes', 'member', async (ctx, form) => {
      const mntBy = splitList(form.mntBy).map((m) => m.toUpperCase());
      const own = new Set((await maintainersOfOrganisation(ctx.deps.db, ctx.user!.orgId)).map((m) => m.handle));
      if (mntBy.length === 0 || mntBy.some((m) => !own.has(m))) throw new WebError(403, 'error.notYourMaintainer');
      await routes.create({ prefix: (form.prefix ?? '').trim(), origin: (form.origin ?? '').trim(), descr: orNull(form.descr) ?? undefined, mntBy, password: orNull(form.password) ?? undefined }, actorOf(ctx));
      return { redirect: '/lir/routes?done=done.created' };
    });
  }
}
