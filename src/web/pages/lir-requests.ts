/** LIR address-space requests: the policy engine's answer is shown before the request is submitted. */
import { html, type Html } from '../html.js';
import { actorOf, WebError, type Ctx, type Router } from '../context.js';
import { field, formatDate, postForm, selectField } from '../layout.js';
import { lirLayout, orNull } from './lir-common.js';
import type { PolicyAnswer, RequestInput } from '../integrations.js';

export function policyAnswerHtml(ctx: Ctx, a: PolicyAnswer): Html {
  return html`<p><span class="badge ${a.outcome}">${ctx.t(`policy.${a.outcome}`)}</span></p>
${a.candidate ? html`<p>${ctx.t('policy.candidate', { block: a.candidate })}</p>` : ''}
<table><caption>${ctx.t('policy.reasons')}</caption><thead><tr><th scope="col">${ctx.t('policy.id')}</th><th scope="col">${ctx.t('policy.proposal')}</th><th scope="col">${ctx.t('policy.verdict')}</th><th scope="col">${ctx.t('policy.reason')}</th></tr></thead>
<tbody>${a.reasons.map((r) => html`<tr><td>${r.policyId}</td><td>${r.proposal ?? ''}</td><td>${r.verdict ?? ''}</td><td>${r.reason}</td></tr>`)}</tbody></table>`;
}

export function requestInput(orgId: string, q: Record<string, string>): RequestInput {
  const family = q.family === 'ipv6' ? 'ipv6' : q.family === 'asn' ? 'asn' : 'ipv4';
  if (family === 'asn') return { orgId, family, prefixLength: 0, isIxp: q.isIxp === '1', purpose: orNull(q.purpose) ?? undefined };
  const prefixLength = Number(q.prefixLength);
  if (!Number.isInteger(prefixLength) || prefixLength < 1 || prefixLength > (family === 'ipv6' ? 128 : 32)) throw new WebError(400, 'error.badInput', 'prefix length');
  return { orgId, family, prefixLength, isIxp: q.isIxp === '1', purpose: orNull(q.purpose) ?? undefined };
}

export function registerLirRequestPages(r: Router): void {
  const policy = r.deps.integrations.policy;
  if (!policy) return;
  r.page('/lir/requests', 'member', async (ctx) => {
    const { rows } = await ctx.deps.db.query<{ id: string; family: string; prefix_length: number | null; status: string; requested_at: Date | string; staff_comment: string | null; purpose: string | null }>(
      'SELECT id::text AS id, family, prefix_length, status, requested_at, staff_comment, purpose FROM resource_request WHERE org_id = $1 ORDER BY id DESC', [ctx.user!.orgId]);
    const q = ctx.query;
    let preview: Html | '' = '';
    if (q.prefixLength || q.family === 'asn') {
      const input = requestInput(ctx.user!.orgId, q);
      const answer = await policy.evaluate(input);
      preview = html`<section aria-labelledby="ans-h"><h2 id="ans-h">${ctx.t('request.answer')}</h2>${policyAnswerHtml(ctx, answer)}
${answer.outcome === 'deny' ? html`<p>${ctx.t('request.deniedHelp')}</p>` : postForm(ctx, '/lir/requests', html`<input type="hidden" name="family" value="${input.family}"><input type="hidden" name="prefixLength" value="${input.prefixLength}"><input type="hidden" name="isIxp" value="${input.isIxp ? '1' : ''}"><input type="hidden" name="purpose" value="${input.purpose ?? ''}">`, ctx.t('request.submit'))}</section>`;
    }
    return lirLayout(ctx, ctx.t('lir.requests'), html`<table><caption>${ctx.t('request.mine')}</caption><thead><tr><th scope="col">#</th><th scope="col">${ctx.t('request.family')}</th><th scope="col">${ctx.t('request.size')}</th><th scope="col">${ctx.t('obj.status')}</th><th scope="col">${ctx.t('request.at')}</th><th scope="col">${ctx.t('request.comment')}</th></tr></thead>
<tbody>${rows.map((x) => html`<tr><td>${x.id}</td><td>${x.family}</td><td>${x.prefix_length ? `/${x.prefix_length}` : ''}</td><td>${x.status}</td><td>${formatDate(new Date(x.requested_at).toISOString())}</td><td>${x.staff_comment ?? ''}</td></tr>`)}</tbody></table>
<form method="get" action="/lir/requests" class="box"><fieldset><legend>${ctx.t('request.new')}</legend>
${selectField('family', ctx.t('request.family'), [{ value: 'ipv4', label: 'IPv4' }, { value: 'ipv6', label: 'IPv6' }, { value: 'asn', label: ctx.t('request.asn') }], q.family)}
${field({ name: 'prefixLength', label: ctx.t('request.size'), type: 'number', value: q.prefixLength, help: ctx.t('request.sizeHelp') })}
<label><input type="checkbox" name="isIxp" value="1"${q.isIxp === '1' ? html` checked` : ''}> ${ctx.t('request.ixp')}</label>
${field({ name: 'purpose', label: ctx.t('request.purpose'), value: q.purpose })}</fieldset><button type="submit">${ctx.t('request.check')}</button></form>${preview}`);
  });
  r.action('/lir/requests', 'member', async (ctx, form) => {
    const input = requestInput(ctx.user!.orgId, form);
    await policy.submit(input, actorOf(ctx));
    return { redirect: '/lir/requests?done=done.requested' };
  });
}
