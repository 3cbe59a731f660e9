/** Public pages: home with the search form, search results (RDAP view with redaction), ROV checker, statistics. */
import { html, type Html } from '../html.js';
import type { Ctx, Router } from '../context.js';
import { layout } from '../layout.js';
import { search } from '../search.js';
import { contactEntity, delegationObject, organisationEntity, type Json } from '../rdap-view.js';
import type { Contact } from '../../registry/contacts.js';
import type { Delegation } from '../../registry/delegation-model.js';
import { loadDashboard } from '../dashboard-data.js';
import { barChart, lineChart, type Series } from '../svg.js';
import { formatRange, prefixToRange, parsePrefix, rangesOverlap } from '../../core/index.js';
import type { RouteView, RoaView } from '../integrations.js';

function searchForm(ctx: Ctx, q = ''): Html {
  return html`<form method="get" action="/search" role="search" class="box">
<label for="q">${ctx.t('search.label')}</label>
<input id="q" name="q" type="search" value="${q}" size="40" aria-describedby="q-help">
<div id="q-help" class="muted">${ctx.t('search.help')}</div>
<button type="submit">${ctx.t('search.submit')}</button></form>`;
}

/** Person contacts are shown in full to staff (logged as a disclosure) and to members of the contact's own organisation. */
function canSeePerson(ctx: Ctx, c: Contact): boolean {
  if (c.kind !== 'person') return true;
  const u = ctx.user;
  return Boolean(u && (u.role === 'staff' || (c.orgHandle !== null && c.orgHandle === u.orgHandle)));
}

async function logDisclosures(ctx: Ctx, contacts: Contact[], query: string): Promise<void> {
  const u = ctx.user;
  if (!u || u.role !== 'staff') return;
  for (const c of contacts) {
    if (c.kind === 'person' && c.orgHandle !== u.orgHandle) {
      await ctx.deps.db.query('INSERT INTO portal_disclosure (viewer, contact_handle, query, purpose) VALUES ($1,$2,$3,$4)', [`staff:${u.username}`, c.handle, query, 'registry operations (staff look-up)']);
    }
  }
}

function vcardValue(entity: Json, name: string): string | undefined {
  const card = (entity.vcardArray as [string, unknown[][]] | undefined)?.[1] ?? [];
  const entry = card.find((e) => e[0] === name && !(e[1] as Record<string, unknown>).language && !(e[1] as Record<string, unknown>).type);
  if (!entry) return undefined;
  if (name === 'adr') return String((entry[1] as Record<string, unknown>).label ?? (entry[1] as Record<string, unknown>).cc ?? '');
  return String(entry[3]);
}

function entityHtml(ctx: Ctx, e: Json): Html {
  const redacted = Array.isArray(e.redacted) && e.redacted.length > 0;
  const name = vcardValue(e, 'fn');
  return html`<section class="entity" aria-label="${String(e.handle)}"><dl class="obj">
<dt>${ctx.t('obj.handle')}</dt><dd><a href="/search?q=${encodeURIComponent(String(e.handle))}">${String(e.handle)}</a></dd>
<dt>${ctx.t('obj.roles')}</dt><dd>${(e.roles as string[]).join(', ')}</dd>
<dt>${ctx.t('obj.name')}</dt><dd>${redacted ? html`<span class="redacted">${ctx.t('obj.redacted')}</span>` : name ?? ''}</dd>
${vcardValue(e, 'email') ? html`<dt>${ctx.t('obj.email')}</dt><dd>${vcardValue(e, 'email')}</dd>` : ''}
${vcardValue(e, 'tel') ? html`<dt>${ctx.t('obj.phone')}</dt><dd>${vcardValue(e, 'tel')!.replace(/^tel:/, '')}</dd>` : ''}
${!redacted && vcardValue(e, 'adr') ? html`<dt>${ctx.t('obj.address')}</dt><dd>${vcardValue(e, 'adr')}</dd>` : ''}
</dl></section>`;
}

function jsonDetails(ctx: Ctx, obj: Json): Html {
  return html`<details><summary>${ctx.t('search.rdapJson')}</summary><pre>${JSON.stringify(obj, null, 2)}</pre></details>`;
}

function delegationHtml(ctx: Ctx, d: Delegation, obj: Json, rdapJson?: Json): Html {
  const entities = (obj.entities as Json[]).filter((e) => !(e.roles as string[]).includes('registrant'));
  return html`<article class="object"><h2>${d.resource} <span class="badge">${d.status}</span></h2><dl class="obj">
<dt>${ctx.t('obj.handle')}</dt><dd>${String((rdapJson ?? obj).handle)}</dd>
${obj.startAddress ? html`<dt>${ctx.t('obj.range')}</dt><dd>${String(obj.startAddress)} – ${String(obj.endAddress)}</dd>` : ''}
<dt>${ctx.t('obj.netname')}</dt><dd>${d.netName ?? ''}</dd>
<dt>${ctx.t('obj.holder')}</dt><dd><a href="/search?q=${encodeURIComponent(d.holderHandle)}">${d.holderName}</a> (${d.holderHandle})</dd>
<dt>${ctx.t('obj.country')}</dt><dd>${d.country ?? ''}</dd>
<dt>${ctx.t('obj.registry')}</dt><dd>${d.registry}</dd>
<dt>${ctx.t('obj.delegated')}</dt><dd>${d.delegatedOn ?? ''}</dd>
${d.description ? html`<dt>${ctx.t('obj.description')}</dt><dd>${d.description}</dd>` : ''}
${d.mntBy.length ? html`<dt>mnt-by</dt><dd>${d.mntBy.join(', ')}</dd>` : ''}
</dl>${entities.map((e) => entityHtml(ctx, e))}${jsonDetails(ctx, rdapJson ?? obj)}</article>`;
}

function delegationTable(ctx: Ctx, caption: string, ds: Delegation[]): Html {
  if (!ds.length) return html``;
  return html`<table><caption>${caption}</caption><thead><tr><th scope="col">${ctx.t('obj.resource')}</th><th scope="col">${ctx.t('obj.status')}</th><th scope="col">${ctx.t('obj.holder')}</th><th scope="col">${ctx.t('obj.netname')}</th></tr></thead>
<tbody>${ds.map((d) => html`<tr><td><a href="/search?q=${encodeURIComponent(d.resource.includes(' ') ? d.resource.split(' ')[0]! : d.resource)}">${d.resource}</a></td><td>${d.status}</td><td>${d.holderHandle}</td><td>${d.netName ?? ''}</td></tr>`)}</tbody></table>`;
}

export function routesTable(ctx: Ctx, routes: RouteView[], caption: string): Html {
  if (!routes.length) return html``;
  return html`<table><caption>${caption}</caption><thead><tr><th scope="col">${ctx.t('route.class')}</th><th scope="col">${ctx.t('route.prefix')}</th><th scope="col">${ctx.t('route.origin')}</th><th scope="col">mnt-by</th><th scope="col">${ctx.t('obj.description')}</th></tr></thead>
<tbody>${routes.map((r) => html`<tr><td>${r.objectClass}</td><td>${r.prefix}</td><td>${r.origin}</td><td>${r.mntBy.join(', ')}</td><td>${r.descr ?? ''}</td></tr>`)}</tbody></table>`;
}

export function roasTable(ctx: Ctx, roas: RoaView[], caption: string, actions?: (r: RoaView) => Html): Html {
  if (!roas.length) return html``;
  return html`<table><caption>${caption}</caption><thead><tr><th scope="col">${ctx.t('roa.prefix')}</th><th scope="col">${ctx.t('roa.maxLength')}</th><th scope="col">${ctx.t('roa.asn')}</th><th scope="col">${ctx.t('obj.holder')}</th><th scope="col">${ctx.t('roa.published')}</th>${actions ? html`<th scope="col">${ctx.t('common.actions')}</th>` : ''}</tr></thead>
<tbody>${roas.map((r) => html`<tr><td>${r.prefix}</td><td>${r.maxLength}</td><td>${r.asn}</td><td>${r.org ?? ''}</td><td>${r.published ? ctx.t('common.yes') : ctx.t('common.no')}</td>${actions ? html`<td>${actions(r)}</td>` : ''}</tr>`)}</tbody></table>`;
}

function overlapsPrefix(text: string, range: ReturnType<typeof prefixToRange>): boolean {
  try {
    return rangesOverlap(prefixToRange(parsePrefix(text)), range);
  } catch {
    return false;
  }
}

async function searchPage(ctx: Ctx): Promise<Html> {
  const q = (ctx.query.q ?? '').slice(0, 200);
  const r = await search(ctx.deps.db, q);
  const parts: Html[] = [searchForm(ctx, q)];
  const visible = (c: Contact) => canSeePerson(ctx, c);
  if (r.kind === 'empty') return layout(ctx, ctx.t('search.title'), parts);
  if (r.kind === 'invalid') {
    parts.push(html`<p class="error" role="alert">${ctx.t('search.invalid')}${r.error ? `: ${r.error}` : ''}</p>`);
    return layout(ctx, ctx.t('search.title'), parts);
  }
  const shownContacts = new Set<Contact>();
  if (r.kind === 'resource' && r.range) {
    const [best, ...chain] = r.delegations;
    if (best) {
      const obj = delegationObject(best, r.referenced, visible);
      r.referenced.forEach((c) => visible(c) && shownContacts.add(c));
      const rdapJson = ctx.deps.integrations.rdap ? await ctx.deps.integrations.rdap.delegationJson(best) : undefined;
      parts.push(delegationHtml(ctx, best, obj, rdapJson));
      parts.push(delegationTable(ctx, ctx.t('search.lessSpecific'), chain));
    } else {
      parts.push(html`<p role="status">${ctx.t('search.nothing', { q })}</p>`);
    }
    parts.push(delegationTable(ctx, ctx.t('search.moreSpecific'), r.inside));
    if (r.range.family !== 'asn') {
      const range = r.range;
      const { routes, roas } = ctx.deps.integrations;
      if (routes) {
        const found = (await routes.search(formatRange(range).split(' ')[0]!)).filter((x) => overlapsPrefix(x.prefix, range));
        parts.push(routesTable(ctx, found, ctx.t('search.routes')));
      }
      if (roas) {
        const found = (await roas.listAll()).filter((x) => overlapsPrefix(x.prefix, range));
        parts.push(roasTable(ctx, found, ctx.t('search.roas')));
      }
    } else if (ctx.deps.integrations.routes) {
      // Route objects originated by the AS.
      const asn = `AS${r.range.start}`;
      const found = (await ctx.deps.integrations.routes.search(asn)).filter((x) => x.origin.toUpperCase() === asn);
      parts.push(routesTable(ctx, found, ctx.t('search.routes')));
    }
  } else {
    for (const org of r.organisations) {
      const obj = organisationEntity(org, ['registrant']);
      parts.push(html`<article class="object"><h2>${org.name} (${org.handle})</h2><dl class="obj">
<dt>${ctx.t('obj.handle')}</dt><dd>${org.handle}</dd><dt>${ctx.t('obj.orgRole')}</dt><dd>${org.role}</dd>
${org.nameLocal ? html`<dt>${ctx.t('obj.nameLocal')}</dt><dd lang="ja">${org.nameLocal}</dd>` : ''}<dt>${ctx.t('obj.country')}</dt><dd>${org.country ?? ''}</dd></dl>${jsonDetails(ctx, obj)}</article>`);
    }
    // A name search never reveals that a natural person exists unless the viewer may see them.
    const contacts = r.kind === 'name' ? r.contacts.filter(visible) : r.contacts;
    for (const c of contacts) {
      const obj = contactEntity(c, [], visible(c));
      if (visible(c)) shownContacts.add(c);
      parts.push(html`<article class="object"><h2>${c.handle} <span class="badge">${c.kind}</span></h2>${entityHtml(ctx, obj)}${jsonDetails(ctx, obj)}</article>`);
    }
    for (const m of r.maintainers) {
      parts.push(html`<article class="object"><h2>${m.handle} <span class="badge">mntner</span></h2><dl class="obj"><dt>${ctx.t('obj.org')}</dt><dd>${m.orgHandle ?? ''}</dd><dt>${ctx.t('obj.description')}</dt><dd>${m.description ?? ''}</dd><dt>admin-c</dt><dd>${m.adminC.join(', ')}</dd></dl></article>`);
    }
    parts.push(delegationTable(ctx, ctx.t('search.delegations'), r.delegations));
    if (!r.organisations.length && !contacts.length && !r.maintainers.length && !r.delegations.length) {
      parts.push(html`<p role="status">${ctx.t('search.nothing', { q })}</p>`);
    }
  }
  await logDisclosures(ctx, [...shownContacts], q);
  return layout(ctx, ctx.t('search.title'), parts);
}

function seriesTable(ctx: Ctx, caption: string, series: Series[]): Html {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort();
  return html`<details><summary>${ctx.t('stats.dataTable')}</summary><table><caption>${caption}</caption><thead><tr><th scope="col">${ctx.t('stats.period')}</th>${series.map((s) => html`<th scope="col">${s.name}</th>`)}</tr></thead>
<tbody>${xs.map((x) => html`<tr><th scope="row">${x}</th>${series.map((s) => html`<td>${s.points.find((p) => p.x === x)?.y ?? ''}</td>`)}</tr>`)}</tbody></table></details>`;
}

async function statsPage(ctx: Ctx): Promise<Html> {
  const d = await loadDashboard(ctx.deps.db, ctx.deps.integrations.stats);
  const fig = (caption: string, chart: Html, table: Html) => html`<figure>${chart}<figcaption>${caption}</figcaption>${table}</figure>`;
  const bars = (caption: string, items: { label: string; value: number }[], id: string) =>
    fig(caption, barChart(caption, items, id), seriesTable(ctx, caption, [{ name: caption, points: items.map((i) => ({ x: i.label, y: i.value })) }]));
  return layout(ctx, ctx.t('stats.title'), html`<div class="charts">
${fig(ctx.t('stats.delegations'), lineChart(ctx.t('stats.delegations'), d.delegations, 'c-del'), seriesTable(ctx, ctx.t('stats.delegations'), d.delegations))}
${fig(ctx.t('stats.lirs'), lineChart(ctx.t('stats.lirs'), d.lirs, 'c-lir'), seriesTable(ctx, ctx.t('stats.lirs'), d.lirs))}
${bars(ctx.t('stats.ipv4ByRir'), d.ipv4ByRir, 'c-v4')}
${bars(ctx.t('stats.ipv6ByRir'), d.ipv6ByRir, 'c-v6')}
${d.irrByClass ? bars(ctx.t('stats.irrByClass'), d.irrByClass, 'c-irr') : ''}
</div>`);
}

async function rovPage(ctx: Ctx): Promise<Html> {
  const rov = ctx.deps.integrations.rov!;
  const prefix = (ctx.query.prefix ?? '').trim().slice(0, 60);
  const origin = (ctx.query.origin ?? '').trim().slice(0, 20);
  let result: Html | '' = '';
  if (prefix && origin) {
    try {
      const a = await rov.validate(prefix, origin);
      result = html`<section aria-live="polite"><h2>${ctx.t('rov.result')}: <span class="badge ${a.state}">${ctx.t(`rov.${a.state}`)}</span></h2>
${a.reason ? html`<p>${a.reason}</p>` : ''}${a.vrps.length ? html`<table><caption>${ctx.t('rov.matching')}</caption><thead><tr><th scope="col">${ctx.t('roa.prefix')}</th><th scope="col">${ctx.t('roa.maxLength')}</th><th scope="col">${ctx.t('roa.asn')}</th></tr></thead><tbody>${a.vrps.map((v) => html`<tr><td>${v.prefix}</td><td>${v.maxLength}</td><td>${v.asn}</td></tr>`)}</tbody></table>` : ''}</section>`;
    } catch (error) {
      result = html`<p class="error" role="alert">${(error as Error).message}</p>`;
    }
  }
  return layout(ctx, ctx.t('rov.title'), html`<form method="get" action="/rov" class="box">
<label for="f-prefix">${ctx.t('rov.prefix')}</label><input id="f-prefix" name="prefix" value="${prefix}" required placeholder="192.0.2.0/24">
<label for="f-origin">${ctx.t('rov.origin')}</label><input id="f-origin" name="origin" value="${origin}" required placeholder="AS64496">
<button type="submit">${ctx.t('rov.check')}</button></form>${result}`);
}

export function registerPublicPages(r: Router): void {
  r.page('/', 'public', async (ctx) => layout(ctx, ctx.t('home.title'), html`<p>${ctx.t('home.intro')}</p>${searchForm(ctx)}
<ul><li><a href="/stats">${ctx.t('nav.stats')}</a></li>${ctx.deps.integrations.rov ? html`<li><a href="/rov">${ctx.t('nav.rov')}</a></li>` : ''}${ctx.user ? '' : html`<li><a href="/login">${ctx.t('home.signin')}</a></li>`}</ul>`));
  r.page('/search', 'public', searchPage);
  r.page('/stats', 'public', statsPage);
  if (r.deps.integrations.rov) r.page('/rov', 'public', rovPage);
}
