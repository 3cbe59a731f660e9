/**
 * Adapters from other modules' index.ts exports (and the running services `numreg serve` passes in) to
 * the portal's integration interfaces. Each returns undefined when what the portal needs is not there,
 * so the feature stays hidden instead of failing.
 */
import Fastify, { type FastifyRequest } from 'fastify';
import { actorLabel, type Actor } from '../registry/actor.js';
import type { RegistryErrorCode } from '../registry/errors.js';
import type { Adapter, RoaApi, StatsApi, RdapApi, DisclosureApi, PolicyApi, PolicyReason, RouteApi, RouteView, RovApi, RoaView } from './integrations.js';
import { RegistryError } from '../registry/errors.js';
import { parsePrefix, prefixToRange, parseAsn } from '../core/index.js';
import { rovState } from './rov-preview.js';

type Fn = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any
const fn = (mod: Record<string, unknown>, name: string): Fn | undefined => (typeof mod[name] === 'function' ? (mod[name] as Fn) : undefined);

const policy: Adapter<PolicyApi> = (mod, { db, registry }) => {
  const evaluateRequest = fn(mod, 'evaluateRequest');
  const submitRequest = fn(mod, 'submitRequest');
  const approveRequest = fn(mod, 'approveRequest');
  const denyRequest = fn(mod, 'denyRequest');
  if (!evaluateRequest || !submitRequest || !approveRequest || !denyRequest) return undefined;
  const toAnswer = (e: { outcome: 'approve' | 'deny' | 'waitlist'; reasons: { policyId: string; source?: string; proposal?: string; verdict?: string; reason: string }[]; candidate?: string | null }) => ({
    outcome: e.outcome,
    candidate: e.candidate ?? null,
    reasons: e.reasons.map((r): PolicyReason => ({ policyId: r.policyId, proposal: r.proposal ?? r.source ?? null, verdict: r.verdict, reason: r.reason })),
  });
  return {
    evaluate: async (input) => toAnswer(await evaluateRequest(db, { ...input, prefixLength: input.family === 'asn' ? undefined : input.prefixLength })),
    submit: async (input, actor) => {
      const { request } = await submitRequest(registry, { ...input, prefixLength: input.family === 'asn' ? undefined : input.prefixLength }, actor);
      return { id: String(request.id), status: String(request.status) };
    },
    approve: (id, actor, comment) => approveRequest(registry, id, actor, comment),
    deny: (id, actor, comment) => denyRequest(registry, id, actor, comment),
    ...(fn(mod, 'serveWaitingList') ? { serveWaitingList: async (actor: Actor) => ((await fn(mod, 'serveWaitingList')!(registry, actor)) as unknown[]).length } : {}),
  };
};

const disclosures: Adapter<DisclosureApi> = (mod, { db }) => {
  const listDisclosures = fn(mod, 'listDisclosures');
  if (!listDisclosures) return undefined;
  return {
    async recent(limit) {
      const rows = (await listDisclosures(db, { limit })) as { at: string; keyId: string; orgHandle: string | null; objectKey: string; disclosed: string[]; purpose: string; service: string }[];
      return rows.map((r) => ({
        at: r.at, viewer: `key:${r.keyId}${r.orgHandle ? ` (${r.orgHandle})` : ''}`, subject: r.disclosed.length ? r.disclosed.join(', ') : r.objectKey,
        purpose: r.purpose, channel: r.service,
      }));
    },
  };
};

interface Found { source: string; className: string; pkey: string; text: string }

/** First value of an RPSL attribute, and all values of a list attribute, from the object text. */
const rpslValues = (text: string, attr: string, list = false): string[] =>
  [...text.matchAll(new RegExp(`^${attr}:[ \\t]*([^#\\n]*)`, 'gim'))].flatMap((m) => (list ? m[1]!.split(',') : [m[1]!])).map((v) => v.trim()).filter(Boolean);

function toRoute(o: Found): RouteView {
  const cut = o.pkey.lastIndexOf('AS');
  return {
    key: `${o.source}:${o.className}:${o.pkey}`, objectClass: o.className as RouteView['objectClass'], prefix: o.pkey.slice(0, cut).toLowerCase(),
    origin: o.pkey.slice(cut), descr: rpslValues(o.text, 'descr')[0] ?? null, mntBy: rpslValues(o.text, 'mnt-by', true).map((m) => m.toUpperCase()), source: o.source, text: o.text,
  };
}

/** Route objects: read through the IRR's own look-ups; written only through the IRR service's submission path. */
const routes: Adapter<RouteApi> = async (mod, { db, services }) => {
  const lookup = (await import(String('../irr/lookup.js')).catch(() => undefined)) as Record<string, unknown> | undefined;
  const net = (await import(String('../irr/net.js')).catch(() => undefined)) as Record<string, unknown> | undefined;
  const routeSearch = lookup && fn(lookup, 'routeSearch');
  const inverseLookup = lookup && fn(lookup, 'inverseLookup');
  const parsePrefixText = net && fn(net, 'parsePrefixText');
  if (!routeSearch || !inverseLookup || !parsePrefixText) return undefined;
  let irr = services.irr;
  if (!irr) {
    // Not handed a running service (tests, or a caller without IRR): open our own on the same store.
    const IrrService = (mod as { IrrService?: { create(db: unknown): Promise<NonNullable<typeof irr>> } }).IrrService;
    if (!IrrService) return undefined;
    irr = await IrrService.create(db);
  }
  const service = irr;
  const sources = [service.source];
  const classes = ['route', 'route6'];
  const unique = (list: Found[]) => [...new Map(list.map((o) => [`${o.className}:${o.pkey}`, o])).values()].map(toRoute);
  return {
    async listForOrg(_orgId, maintainers) {
      const found: Found[] = [];
      for (const m of maintainers) found.push(...((await inverseLookup(db, 'mnt-by', m, sources, classes)) as Found[]));
      return unique(found);
    },
    async search(q) {
      if (/^as\d+$/i.test(q.trim())) {
        // By origin: the IRR service's in-memory index (no database index on origin look-ups is exported).
        if (!service.index) return [];
        await service.refresh?.(true);
        return service.index.routesByOrigin(Number(q.trim().slice(2)), sources, undefined, true).map((r) => ({
          key: `${service.source}:${r.family === 'ipv4' ? 'route' : 'route6'}:${r.prefix}AS${r.origin}`, objectClass: r.family === 'ipv4' ? 'route' : 'route6',
          prefix: r.prefix, origin: `AS${r.origin}`, mntBy: r.mntBy, source: service.source,
        }));
      }
      const p = parsePrefixText(q.trim());
      const found = [...((await routeSearch(db, p, 'less-all', sources, undefined, true)) as Found[]), ...((await routeSearch(db, p, 'more', sources, undefined, true)) as Found[])];
      return unique(found);
    },
    async create(input) {
      const p = parsePrefix(input.prefix);
      const cls = p.family === 'ipv4' ? 'route' : 'route6';
      const origin = `AS${parseAsn(input.origin)}`;
      const lines = [[cls, input.prefix], ['descr', input.descr], ['origin', origin], ...input.mntBy.map((m) => ['mnt-by', m]), ['source', service.source]]
        .filter((l): l is [string, string] => Boolean(l[1]))
        .map(([k, v]) => `${`${k}:`.padEnd(16)}${v.replace(/[\r\n]/g, ' ')}`);
      const report = await service.submit({ objects: [{ text: lines.join('\n') }], passwords: input.password ? [input.password] : [] });
      if (report.status !== 'success') {
        const errors = report.objects.flatMap((o) => o.errors);
        const denied = errors.some((e) => /authoris/i.test(e));
        throw new RegistryError(denied ? 'forbidden' : 'invalid-input', errors.join('; ') || 'the IRR refused the route object');
      }
      return { key: `${service.source}:${cls}`, objectClass: cls, prefix: input.prefix, origin, descr: input.descr ?? null, mntBy: input.mntBy };
    },
  };
};

/** ROV: the RTR service's served VRPs when running; else the registry's own ROAs (same RFC 6811 rule). */
const rov: Adapter<RovApi> = (_mod, { services, integrations }) => {
  const rtr = services.rtr;
  const fmt = (v: { prefix: string; maxLength: number; asn: number }) => ({ prefix: v.prefix, maxLength: v.maxLength, asn: `AS${v.asn}` });
  if (rtr) {
    return {
      async validate(prefix, origin) {
        const r = rtr.validateOrigin(prefix, origin);
        return { state: r.state, vrps: [...r.matched, ...r.unmatched].map(fmt) };
      },
    };
  }
  const roas = integrations.roas;
  if (!roas) return undefined;
  return {
    async validate(prefix, origin) {
      const p = parsePrefix(prefix);
      const all: RoaView[] = await roas.listAll();
      const parsed = all.map((v) => ({ p: parsePrefix(v.prefix), maxLength: v.maxLength, asn: parseAsn(v.asn) }));
      const state = rovState(p, parseAsn(origin), parsed);
      const covering = all.filter((v, i) => parsed[i]!.p.family === p.family && parsed[i]!.p.length <= p.length && prefixToRange(parsed[i]!.p).start <= prefixToRange(p).start && prefixToRange(parsed[i]!.p).end >= prefixToRange(p).end);
      return { state, vrps: covering.map((v) => ({ prefix: v.prefix, maxLength: v.maxLength, asn: v.asn })) };
    },
  };
};

const rdap: Adapter<RdapApi> = async (mod, { db }) => {
  const newContext = fn(mod, 'newContext');
  const objects = await import(String('../rdap/objects.js')).catch(() => undefined) as Record<string, unknown> | undefined;
  const delegationObject = objects && fn(objects, 'delegationObject');
  const loadDetails = objects && fn(objects, 'loadDetails');
  const lookupPath = objects && fn(objects, 'lookupPath');
  if (!newContext || !delegationObject || !loadDetails || !lookupPath) return undefined;
  return {
    async delegationJson(d) {
      const path = lookupPath(d) as string;
      const ctx = newContext({ base: '/rdap', requestUrl: `/rdap/${path}`, tier: 'public', objectTag: 'NUMREG', registryUrls: {} });
      const json = delegationObject(ctx, d, await loadDetails(db, d), '$') as Record<string, unknown>;
      const extra: Record<string, unknown> = {};
      if (ctx.redactions.length) extra.redacted = ctx.redactions;
      return { rdapConformance: [...ctx.conformance], ...json, ...extra };
    },
  };
};

const STATUS_CODES: Record<number, RegistryErrorCode> = { 400: 'invalid-input', 401: 'unauthenticated', 403: 'forbidden', 404: 'not-found', 409: 'conflict', 422: 'policy-denied' };

/**
 * ROAs go through the RPKI module's own REST handlers (validation, holder check, CA re-sync), mounted on a
 * private fastify instance that never listens: the portal calls it with inject() and tells it who the
 * signed-in user is through a header only this in-process caller can set.
 */
const roas: Adapter<RoaApi> = async (mod, { db, services }) => {
  const registerRoaRoutes = fn(mod, 'registerRoaRoutes');
  if (!registerRoaRoutes || registerRoaRoutes.length < 3) return undefined;
  const internal = Fastify({ logger: false });
  registerRoaRoutes(internal, { db, service: services.rpki, ...(services.rpkiResync ? { resync: async () => { await services.rpkiResync!(); } } : {}) }, async (req: FastifyRequest) => JSON.parse(String(req.headers['x-portal-caller'])));
  await internal.ready();
  const call = async (method: 'GET' | 'POST' | 'DELETE', url: string, caller: { orgId: string | null; staff: boolean; actor: string }, payload?: unknown) => {
    const r = await internal.inject({ method, url, headers: { 'x-portal-caller': JSON.stringify(caller) }, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
    const body = r.body ? (JSON.parse(r.body) as Record<string, unknown>) : {};
    if (r.statusCode >= 400) throw new RegistryError(STATUS_CODES[r.statusCode] ?? 'invalid-input', String(body.message ?? `ROA request failed (${r.statusCode})`));
    return body;
  };
  const toView = (x: Record<string, unknown>): RoaView => ({ id: String(x.id), org: x.org as string, prefix: String(x.prefix), maxLength: Number(x.maxLength), asn: String(x.asn), published: Boolean(x.published) });
  const callerFor = (actor: Actor) => ({ orgId: actor.kind === 'system' ? null : actor.orgId, staff: actor.kind === 'staff', actor: actorLabel(actor) });
  return {
    async listForOrg(orgId) {
      const body = await call('GET', '/api/roas', { orgId, staff: false, actor: 'portal' });
      return (body.roas as Record<string, unknown>[]).map(toView);
    },
    async listAll() {
      const body = await call('GET', '/api/roas', { orgId: null, staff: true, actor: 'portal' });
      return (body.roas as Record<string, unknown>[]).map(toView);
    },
    async create(input, actor) {
      const body = await call('POST', '/api/roas', callerFor(actor), { prefix: input.prefix, maxLength: input.maxLength, asn: input.asn });
      return { ...toView(body.roa as Record<string, unknown>), warnings: (body.warnings as string[] | undefined) ?? [] };
    },
    async remove(id, actor) {
      await call('DELETE', `/api/roas/${encodeURIComponent(id)}`, callerFor(actor));
    },
  };
};

const stats: Adapter<StatsApi> = (mod, { db }) => {
  const queryReport = fn(mod, 'queryReport');
  if (!queryReport) return undefined;
  return { report: (name) => queryReport(db, name) };
};

export const ADAPTERS: { name: 'policy' | 'roas' | 'routes' | 'rov' | 'stats' | 'disclosures' | 'rdap'; module: string; adapt: Adapter<unknown> }[] = [
  { name: 'policy', module: '../policy/index.js', adapt: policy },
  { name: 'roas', module: '../rpki/roa-routes.js', adapt: roas },
  { name: 'disclosures', module: '../rdap/index.js', adapt: disclosures },
  { name: 'rdap', module: '../rdap/context.js', adapt: rdap },
  { name: 'routes', module: '../irr/service.js', adapt: routes },
  { name: 'rov', module: '../rtr/index.js', adapt: rov },
  { name: 'stats', module: '../stats/reports/index.js', adapt: stats },
];
