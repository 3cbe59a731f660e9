/** LIR contacts, maintainers, API keys and transfers. */
import { html } from '../html.js';
import { actorOf, WebError, type Router } from '../context.js';
import { field, formatDate, postForm, selectField } from '../layout.js';
import { lirLayout, orNull, splitList } from './lir-common.js';
import { contactsOfOrganisation } from '../../registry/contacts.js';
import { maintainersOfOrganisation } from '../../registry/maintainers.js';
import { createApiKey, revokeApiKey } from '../../registry/api-keys.js';
import { transferById } from '../../registry/transfers.js';
import { delegationById } from '../../registry/lookup.js';

/** Scopes an LIR may give its own keys (staff and legitimate-interest access are granted by the registry). */
const MEMBER_SCOPES = ['registry:write', 'irr:write', 'rpki:write'] as const;

export function registerLirObjectPages(r: Router): void {
  r.page('/lir/contacts', 'member', async (ctx) => {
    const contacts = await contactsOfOrganisation(ctx.deps.db, ctx.user!.orgId);
    return lirLayout(ctx, ctx.t('lir.contacts'), html`<table><caption>${ctx.t('lir.contacts')}</caption><thead><tr><th scope="col">${ctx.t('obj.handle')}</th><th scope="col">${ctx.t('contact.kind')}</th><th scope="col">${ctx.t('obj.name')}</th><th scope="col">${ctx.t('obj.email')}</th><th scope="col">${ctx.t('obj.phone')}</th></tr></thead>
<tbody>${contacts.map((c) => html`<tr><td>${c.handle}</td><td>${c.kind}</td><td>${c.name}</td><td>${c.email ?? ''}</td><td>${c.phone ?? ''}</td></tr>`)}</tbody></table>
${postForm(ctx, '/lir/contacts', html`<fieldset><legend>${ctx.t('contact.new')}</legend>
${field({ name: 'handle', label: ctx.t('obj.handle'), required: true, placeholder: 'TE123-JP' })}
${selectField('kind', ctx.t('contact.kind'), [{ value: 'role', label: ctx.t('contact.role') }, { value: 'person', label: ctx.t('contact.person') }])}
${field({ name: 'name', label: ctx.t('obj.name'), required: true })}
${field({ name: 'nameLocal', label: ctx.t('obj.nameLocal') })}
${field({ name: 'email', label: ctx.t('obj.email'), type: 'email' })}
${field({ name: 'abuseMailbox', label: 'abuse-mailbox', type: 'email' })}
${field({ name: 'phone', label: ctx.t('obj.phone'), type: 'tel' })}
${field({ name: 'address', label: ctx.t('obj.address') })}</fieldset>`, ctx.t('common.create'))}`);
  });

  r.action('/lir/contacts', 'member', async (ctx, form) => {
    await ctx.deps.registry.createContact({
      handle: form.handle ?? '', kind: form.kind === 'person' ? 'person' : 'role', name: form.name ?? '', nameLocal: orNull(form.nameLocal),
      email: orNull(form.email), abuseMailbox: orNull(form.abuseMailbox), phone: orNull(form.phone), address: orNull(form.address),
      orgHandle: ctx.user!.orgHandle,
    }, actorOf(ctx), `created in the portal by ${ctx.user!.username}`);
    return { redirect: '/lir/contacts?done=done.created' };
  });

  r.page('/lir/maintainers', 'member', async (ctx) => {
    const mnts = await maintainersOfOrganisation(ctx.deps.db, ctx.user!.orgId);
    return lirLayout(ctx, ctx.t('lir.maintainers'), html`<table><caption>${ctx.t('lir.maintainers')}</caption><thead><tr><th scope="col">${ctx.t('obj.handle')}</th><th scope="col">${ctx.t('obj.description')}</th><th scope="col">admin-c</th><th scope="col">${ctx.t('mnt.password')}</th></tr></thead>
<tbody>${mnts.map((m) => html`<tr><td>${m.handle}</td><td>${m.description ?? ''}</td><td>${m.adminC.join(', ')}</td><td>${m.hasPassword ? ctx.t('common.yes') : ctx.t('common.no')}</td></tr>`)}</tbody></table>
${postForm(ctx, '/lir/maintainers', html`<fieldset><legend>${ctx.t('mnt.new')}</legend>
${field({ name: 'handle', label: ctx.t('obj.handle'), required: true, placeholder: 'MAINT-EXAMPLE-JP' })}
${field({ name: 'description', label: ctx.t('obj.description') })}
${field({ name: 'adminC', label: 'admin-c', help: ctx.t('lir.handlesHelp') })}
${field({ name: 'password', label: ctx.t('mnt.password'), type: 'password', autocomplete: 'new-password', help: ctx.t('mnt.passwordHelp') })}</fieldset>`, ctx.t('common.create'))}`);
  });

  r.action('/lir/maintainers', 'member', async (ctx, form) => {
    await ctx.deps.registry.createMaintainer({
      handle: form.handle ?? '', orgHandle: ctx.user!.orgHandle, description: orNull(form.description), adminC: splitList(form.adminC),
      password: orNull(form.password) ?? undefined,
    }, actorOf(ctx), `created in the portal by ${ctx.user!.username}`);
    return { redirect: '/lir/maintainers?done=done.created' };
  });

  r.page('/lir/api-keys', 'member', async (ctx) => {
    const { rows } = await ctx.deps.db.query<{ key_id: string; label: string | null; scopes: string[]; created_at: Date | string; last_used_at: Date | string | null }>(
      'SELECT key_id, label, scopes, created_at, last_used_at FROM api_key WHERE org_id = $1 AND revoked_at IS NULL ORDER BY created_at', [ctx.user!.orgId]);
    return lirLayout(ctx, ctx.t('lir.apiKeys'), html`<table><caption>${ctx.t('lir.apiKeys')}</caption><thead><tr><th scope="col">${ctx.t('key.id')}</th><th scope="col">${ctx.t('key.label')}</th><th scope="col">${ctx.t('key.scopes')}</th><th scope="col">${ctx.t('key.created')}</th><th scope="col">${ctx.t('key.lastUsed')}</th><th scope="col">${ctx.t('common.actions')}</th></tr></thead>
<tbody>${rows.map((k) => html`<tr><td><code>${k.key_id}</code></td><td>${k.label ?? ''}</td><td>${k.scopes.join(', ')}</td><td>${formatDate(new Date(k.created_at).toISOString())}</td><td>${k.last_used_at ? formatDate(new Date(k.last_used_at).toISOString()) : ''}</td>
<td>${postForm(ctx, `/lir/api-keys/${k.key_id}/revoke`, '', ctx.t('key.revoke'), { inline: true, danger: true, confirm: ctx.t('key.revokeConfirm'), label: `${ctx.t('key.revoke')} ${k.key_id}` })}</td></tr>`)}</tbody></table>
${postForm(ctx, '/lir/api-keys', html`<fieldset><legend>${ctx.t('key.new')}</legend>${field({ name: 'label', label: ctx.t('key.label'), required: true })}
<fieldset><legend>${ctx.t('key.scopes')}</legend>${MEMBER_SCOPES.map((s) => html`<label><input type="checkbox" name="scope_${s}" value="1" checked> ${s}</label>`)}</fieldset></fieldset>`, ctx.t('common.create'))}`);
  });

  r.action('/lir/api-keys', 'member', async (ctx, form) => {
    const scopes = MEMBER_SCOPES.filter((s) => form[`scope_${s}`]);
    const { key, info } = await ctx.deps.registry.write((tx) => createApiKey(tx, { orgId: ctx.user!.orgId, scopes, label: orNull(form.label) ?? undefined }, actorOf(ctx)));
    // The secret is shown exactly once, on this response, and never stored in clear.
    return lirLayout(ctx, ctx.t('lir.apiKeys'), html`<p class="notice" role="status">${ctx.t('key.created1')}</p><p><label for="newkey">${ctx.t('key.secret')} (${info.keyId})</label><input id="newkey" readonly size="80" value="${key}"></p><p><a href="/lir/api-keys">${ctx.t('error.back')}</a></p>`);
  });

  r.action('/lir/api-keys/:keyId/revoke', 'member', async (ctx) => {
    const keyId = (ctx.req.params as { keyId: string }).keyId;
    const own = await ctx.deps.db.query('SELECT 1 FROM api_key WHERE key_id = $1 AND org_id = $2 AND revoked_at IS NULL', [keyId, ctx.user!.orgId]);
    if (!own.rows.length) throw new WebError(404, 'error.notFound');
    await ctx.deps.registry.write((tx) => revokeApiKey(tx, keyId, actorOf(ctx)));
    return { redirect: '/lir/api-keys?done=done.revoked' };
  });

  r.page('/lir/transfers', 'member', async (ctx) => {
    const { rows } = await ctx.deps.db.query<{ id: string; resource_start: string; status: string; from_h: string; to_h: string; from_by: string; to_by: string | null; incoming: boolean; reason: string | null; delegation_id: string }>(
      `SELECT t.id::text AS id, t.delegation_id::text AS delegation_id, t.status, f.handle AS from_h, o.handle AS to_h, t.from_approved_by AS from_by, t.to_approved_by AS to_by,
              (t.to_org_id = $1) AS incoming, t.reason, lower(d.rng)::text AS resource_start
         FROM transfer t JOIN organisation f ON f.id = t.from_org_id JOIN organisation o ON o.id = t.to_org_id LEFT JOIN delegation d ON d.id = t.delegation_id
        WHERE t.from_org_id = $1 OR t.to_org_id = $1 ORDER BY t.id DESC`, [ctx.user!.orgId]);
    const rowsHtml = await Promise.all(rows.map(async (t) => {
      const d = await delegationById(ctx.deps.db, t.delegation_id);
      return html`<tr><td>${t.id}</td><td>${d?.resource ?? t.delegation_id}</td><td>${t.from_h}</td><td>${t.to_h}</td><td>${t.status}</td><td>${t.from_by}</td><td>${t.to_by ?? ''}</td>
<td>${t.status === 'proposed' && t.incoming ? postForm(ctx, `/lir/transfers/${t.id}/approve`, '', ctx.t('transfer.approve'), { inline: true, label: `${ctx.t('transfer.approve')} ${t.id}` }) : ''}</td></tr>`;
    }));
    return lirLayout(ctx, ctx.t('lir.transfers'), html`<p>${ctx.t('transfer.help')}</p><table><caption>${ctx.t('lir.transfers')}</caption><thead><tr><th scope="col">#</th><th scope="col">${ctx.t('obj.resource')}</th><th scope="col">${ctx.t('transfer.from')}</th><th scope="col">${ctx.t('transfer.to')}</th><th scope="col">${ctx.t('obj.status')}</th><th scope="col">${ctx.t('transfer.fromApproved')}</th><th scope="col">${ctx.t('transfer.toApproved')}</th><th scope="col">${ctx.t('common.actions')}</th></tr></thead><tbody>${rowsHtml}</tbody></table>`);
  });

  r.action('/lir/transfers/:id/approve', 'member', async (ctx) => {
    const id = (ctx.req.params as { id: string }).id;
    const t = await transferById(ctx.deps.db, id);
    if (!t || (t.toOrgId !== ctx.user!.orgId && t.fromOrgId !== ctx.user!.orgId)) throw new WebError(404, 'error.notFound');
    await ctx.deps.registry.approveTransfer(id, actorOf(ctx));
    return { redirect: '/lir/transfers?done=done.transferApproved' };
  });
}
