/** Staff pages: request queue with policy reasons, approve/deny, free pool and allocation, waiting list, transfers, audit log. */
import { html, type Html, type HtmlValue } from '../html.js';
import { actorOf, WebError, type Ctx, type Router } from '../context.js';
import { field, formatDate, layout, postForm, selectField, textArea } from '../layout.js';
import { policyAnswerHtml } from './lir-requests.js';
import { bestFit, freePool } from '../../policy/free-pool.js';
import { delegationsOfHolder } from '../../registry/lookup.js';
import { listOrganisations } from '../../registry/organisations.js';
import { formatPrefix, formatRange, prefixToRange } from '../../core/index.js';
import type { MessageKey } from '../messages.js';
import type { Family } from '../../core/index.js';

const TABS: { href: string; key: MessageKey; show?: (c: Ctx) => boolean }[] = [
  { href: '/staff', key: 'staff.queue', show: (c) => Boolean(c.deps.integrations.policy) },
  { href: '/staff/pool', key: 'staff.pool' },
  { href: '/staff/waiting-list', key: 'staff.waitingList' },
  { href: '/staff/transfers', key: 'staff.transfers' },
  { href: '/staff/audit', key: 'staff.audit' },
];

function staffLayout(ctx: Ctx, title: string, body: HtmlValue): Html {
  return layout(ctx, title, html`<nav aria-label="${ctx.t('staff.menu')}"><ul class="tabs">${TABS.filter((t) => !t.show || t.show(ctx)).map((t) => html`<li><a href="${t.href}"${ctx.path === t.href ? html` aria-current="page"` : ''}>${ctx.t(t.key)}</a></li>`)}</ul></nav>${body}`);
}

interface RequestRow { id: string; org_id: string; handle: string; name: string; family: Family; prefix_length: number | null; is_ixp: boolean; purpose: string | null; status: string; requested_at: Date | string; reasons: unknown; outcome: string | null }

async function poolPage(ctx: Ctx): Promise<Html> {
  const orgId = ctx.user!.orgId;
  const sections: Html[] = [];
  for (const family of ['ipv4', 'ipv6'] as const) {
    const free = await freePool(ctx.deps.db, orgId, family);
    const blocks = (await delegationsOfHolder(ctx.deps.db, orgId, family)).filter((d) => d.status === 'allocated').length;
    const prefixes = free.prefixes(family);
    sections.push(html`<h2>${family === 'ipv4' ? 'IPv4' : 'IPv6'}</h2><p>${ctx.t('pool.blocks', { n: blocks })} · ${ctx.t('pool.freeAddresses', { n: free.size(family).toString() })}</p>
${prefixes.length ? html`<table><caption>${ctx.t('pool.free')}</caption><thead><tr><th scope="col">${ctx.t('route.prefix')}</th></tr></thead><tbody>${prefixes.slice(0, 40).map((p) => html`<tr><td>${formatPrefix(p)}</td></tr>`)}</tbody></table>${prefixes.length > 40 ? html`<p class="muted">… ${prefixes.length - 40}</p>` : ''}` : ''}`);
  }
  const lirs = await listOrganisations(ctx.deps.db, { role: 'lir' });
  return staffLayout(ctx, ctx.t('staff.pool'), html`${sections}${postForm(ctx, '/staff/allocate', html`<fieldset><legend>${ctx.t('pool.allocate')}</legend>
${selectField('holder', ctx.t('obj.holder'), lirs.map((o) => ({ value: o.handle, label: `${o.handle} — ${o.name}` })))}
${selectField('family', ctx.t('request.family'), [{ value: 'ipv4', label: 'IPv4' }, { value: 'ipv6', label: 'IPv6' }])}
${field({ name: 'prefixLength', label: ctx.t('request.size'), type: 'number', required: true })}
${field({ name: 'netName', label: ctx.t('obj.netname'), required: true })}
${field({ name: 'reason', label: ctx.t('common.reason') })}</fieldset>`, ctx.t('pool.allocateButton'))}`);
}

export function registerStaffPages(r: Router): void {
  const policy = r.deps.integrations.policy;
  if (policy) {
    r.page('/staff', 'staff', async (ctx) => {
      const { rows } = await ctx.deps.db.query<RequestRow>(
        `SELECT q.id::text AS id, q.org_id::text AS org_id, o.handle, o.name, q.family, q.prefix_length, q.is_ixp, q.purpose, q.status, q.requested_at,
                p.reasons, p.outcome
           FROM resource_request q JOIN organisation o ON o.id = q.org_id LEFT JOIN policy_decision p ON p.id = q.decision_id
          WHERE q.status IN ('pending','waitlisted') ORDER BY q.requested_at, q.id`);
      const items = await Promise.all(rows.map(async (q) => {
        const answer = await policy.evaluate({ orgId: q.org_id, family: q.family, prefixLength: q.prefix_length ?? 0, isIxp: q.is_ixp });
        return html`<article class="object" aria-labelledby="req-${q.id}"><h2 id="req-${q.id}">#${q.id} ${q.name} (${q.handle}): ${q.family} ${q.prefix_length ? `/${q.prefix_length}` : ''} <span class="badge">${q.status}</span></h2>
<p class="muted">${formatDate(new Date(q.requested_at).toISOString())}${q.purpose ? html` — ${q.purpose}` : ''}${q.is_ixp ? ' — IXP' : ''}</p>
<h3>${ctx.t('staff.evaluation')}</h3>${policyAnswerHtml(ctx, answer)}
${postForm(ctx, `/staff/requests/${q.id}/approve`, textArea('comment', ctx.t('request.comment'), '', 2, `approve-${q.id}`), ctx.t('staff.approve'), { label: `${ctx.t('staff.approve')} #${q.id}` })}
${postForm(ctx, `/staff/requests/${q.id}/deny`, textArea('comment', ctx.t('request.comment'), '', 2, `deny-${q.id}`), ctx.t('staff.deny'), { danger: true, label: `${ctx.t('staff.deny')} #${q.id}` })}</article>`;
      }));
      return staffLayout(ctx, ctx.t('staff.queue'), items.length ? items : html`<p>${ctx.t('staff.queueEmpty')}</p>`);
    });
    for (const verb of ['approve', 'deny'] as const) {
      r.action(`/staff/requests/:id/${verb}`, 'staff', async (ctx, form) => {
        const id = (ctx.req.params as { id: string }).id;
        if (!/^\d{1,18}$/.test(id)) throw new WebError(404, 'error.notFound');
        const comment = (form.comment ?? '').trim() || `${verb} by ${ctx.user!.username}`;
        await (verb === 'approve' ? policy.approve(id, actorOf(ctx), comment) : policy.deny(id, actorOf(ctx), comment));
        return { redirect: `/staff?done=done.${verb === 'approve' ? 'approved' : 'denied'}` };
      });
    }
  }

  r.page('/staff/pool', 'staff', poolPage);
  r.action('/staff/allocate', 'staff', async (ctx, form) => {
    const family = form.family === 'ipv6' ? 'ipv6' : 'ipv4';
    const length = Number(form.prefixLength);
    if (!Number.isInteger(length) || length < 1 || length > (family === 'ipv6' ? 128 : 32)) throw new WebError(400, 'error.badInput', 'prefix length');
    // The policy engine's best fit: the same rule as approved requests.
    const fit = bestFit(await freePool(ctx.deps.db, ctx.user!.orgId, family), family, length);
    const range = fit && prefixToRange(fit);
    if (!range) throw new WebError(409, 'error.poolExhausted', `/${length}`);
    await ctx.deps.registry.delegate({
      range, holderHandle: (form.holder ?? '').trim(), status: 'allocated',
      netName: (form.netName ?? '').trim() || null, reason: (form.reason ?? '').trim() || `allocated from the free pool by ${ctx.user!.username}`,
    }, actorOf(ctx));
    return { redirect: `/staff/pool?done=done.allocated` };
  });

  r.page('/staff/waiting-list', 'staff', async (ctx) => {
    const { rows } = await ctx.deps.db.query<{ id: string; handle: string; prefix_length: number; queued_at: Date | string; fulfilled_at: Date | string | null; request_id: string | null }>(
      `SELECT w.id::text AS id, o.handle, w.prefix_length, w.queued_at, w.fulfilled_at, w.request_id::text AS request_id
         FROM waiting_list w JOIN organisation o ON o.id = w.org_id ORDER BY (w.fulfilled_at IS NOT NULL), w.queued_at, w.id`);
    return staffLayout(ctx, ctx.t('staff.waitingList'), html`<table><caption>${ctx.t('staff.waitingList')}</caption><thead><tr><th scope="col">${ctx.t('wait.position')}</th><th scope="col">${ctx.t('obj.org')}</th><th scope="col">${ctx.t('request.size')}</th><th scope="col">${ctx.t('wait.queued')}</th><th scope="col">${ctx.t('wait.fulfilled')}</th><th scope="col">${ctx.t('wait.request')}</th></tr></thead>
<tbody>${rows.map((w, i) => html`<tr><td>${w.fulfilled_at ? '' : i + 1}</td><td>${w.handle}</td><td>/${w.prefix_length}</td><td>${formatDate(new Date(w.queued_at).toISOString())}</td><td>${w.fulfilled_at ? formatDate(new Date(w.fulfilled_at).toISOString()) : ''}</td><td>${w.request_id ?? ''}</td></tr>`)}</tbody></table>
${rows.length ? '' : html`<p>${ctx.t('wait.empty')}</p>`}
${policy?.serveWaitingList && rows.some((w) => !w.fulfilled_at) ? postForm(ctx, '/staff/waiting-list/serve', html`<p>${ctx.t('wait.serveHelp')}</p>`, ctx.t('wait.serve')) : ''}`);
  });
  if (policy?.serveWaitingList) {
    r.action('/staff/waiting-list/serve', 'staff', async (ctx) => {
      const served = await policy.serveWaitingList!(actorOf(ctx));
      return { redirect: `/staff/waiting-list?done=done.served&n=${served}` };
    });
  }

  r.page('/staff/transfers', 'staff', async (ctx) => {
    const { rows } = await ctx.deps.db.query<{ id: string; delegation_id: string; family: Family | null; lo: string | null; hi: string | null; status: string; f: string; t: string; fb: string; fa: Date | string; tb: string | null; ta: Date | string | null; reason: string | null }>(
      `SELECT x.id::text AS id, x.delegation_id::text AS delegation_id, d.family, lower(d.rng)::text AS lo, upper(d.rng)::text AS hi, x.status, f.handle AS f, t.handle AS t, x.from_approved_by AS fb, x.from_approved_at AS fa,
              x.to_approved_by AS tb, x.to_approved_at AS ta, x.reason
         FROM transfer x JOIN organisation f ON f.id = x.from_org_id JOIN organisation t ON t.id = x.to_org_id
         LEFT JOIN delegation d ON d.id = x.delegation_id ORDER BY x.id DESC LIMIT 500`);
    return staffLayout(ctx, ctx.t('staff.transfers'), html`<table><caption>${ctx.t('staff.transfers')}</caption><thead><tr><th scope="col">#</th><th scope="col">${ctx.t('obj.resource')}</th><th scope="col">${ctx.t('transfer.from')}</th><th scope="col">${ctx.t('transfer.to')}</th><th scope="col">${ctx.t('obj.status')}</th><th scope="col">${ctx.t('transfer.fromApproved')}</th><th scope="col">${ctx.t('transfer.toApproved')}</th><th scope="col">${ctx.t('common.reason')}</th></tr></thead>
<tbody>${rows.map((x) => html`<tr><td>${x.id}</td><td>${x.family && x.lo && x.hi ? formatRange({ family: x.family, start: BigInt(x.lo), end: BigInt(x.hi) }) : x.delegation_id}</td><td>${x.f}</td><td>${x.t}</td><td>${x.status}</td><td>${x.fb} ${formatDate(new Date(x.fa).toISOString())}</td><td>${x.tb ?? ''} ${x.ta ? formatDate(new Date(x.ta).toISOString()) : ''}</td><td>${x.reason ?? ''}</td></tr>`)}</tbody></table>`);
  });

  r.page('/staff/audit', 'staff', async (ctx) => {
    const before = /^\d{1,18}$/.test(ctx.query.before ?? '') ? ctx.query.before! : null;
    const type = /^[a-z0-9-]{1,40}$/.test(ctx.query.type ?? '') ? ctx.query.type! : null;
    const { rows } = await ctx.deps.db.query<{ serial: string; object_type: string; object_key: string; action: string; version: number; actor: string; reason: string | null; at: Date | string }>(
      `SELECT serial::text AS serial, object_type, object_key, action, version, actor, reason, at FROM change
        WHERE ($1::bigint IS NULL OR serial < $1::bigint) AND ($2::text IS NULL OR object_type = $2) ORDER BY serial DESC LIMIT 100`, [before, type]);
    const portal = await ctx.deps.db.query<{ at: Date | string; viewer: string; contact_handle: string; purpose: string | null }>(
      'SELECT at, viewer, contact_handle, purpose FROM portal_disclosure ORDER BY id DESC LIMIT 100');
    const disclosures = [
      ...portal.rows.map((d) => ({ at: new Date(d.at).toISOString(), viewer: d.viewer, subject: d.contact_handle, purpose: d.purpose, channel: 'portal' })),
      ...(ctx.deps.integrations.disclosures ? await ctx.deps.integrations.disclosures.recent(100) : []),
    ].sort((a, b) => b.at.localeCompare(a.at));
    const last = rows[rows.length - 1];
    return staffLayout(ctx, ctx.t('staff.audit'), html`<form method="get" action="/staff/audit" class="box"><label for="f-type">${ctx.t('audit.type')}</label><input id="f-type" name="type" value="${type ?? ''}" placeholder="delegation"><button type="submit">${ctx.t('audit.filter')}</button></form>
<table><caption>${ctx.t('audit.changes')}</caption><thead><tr><th scope="col">${ctx.t('audit.serial')}</th><th scope="col">${ctx.t('audit.at')}</th><th scope="col">${ctx.t('audit.object')}</th><th scope="col">${ctx.t('audit.action')}</th><th scope="col">${ctx.t('audit.actor')}</th><th scope="col">${ctx.t('common.reason')}</th></tr></thead>
<tbody>${rows.map((c) => html`<tr><td>${c.serial}</td><td>${formatDate(new Date(c.at).toISOString())}</td><td>${c.object_type} ${c.object_key} v${c.version}</td><td>${c.action}</td><td>${c.actor}</td><td>${c.reason ?? ''}</td></tr>`)}</tbody></table>
${last && rows.length === 100 ? html`<p><a href="/staff/audit?before=${last.serial}${type ? `&type=${type}` : ''}">${ctx.t('audit.older')}</a></p>` : ''}
<h2>${ctx.t('audit.disclosures')}</h2><table><caption>${ctx.t('audit.disclosures')}</caption><thead><tr><th scope="col">${ctx.t('audit.at')}</th><th scope="col">${ctx.t('audit.viewer')}</th><th scope="col">${ctx.t('audit.subject')}</th><th scope="col">${ctx.t('audit.channel')}</th><th scope="col">${ctx.t('audit.purpose')}</th></tr></thead>
<tbody>${disclosures.map((d) => html`<tr><td>${formatDate(d.at)}</td><td>${d.viewer}</td><td>${d.subject}</td><td>${d.channel}</td><td>${d.purpose ?? ''}</td></tr>`)}</tbody></table>`);
  });
}
