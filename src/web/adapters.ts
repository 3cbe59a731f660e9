/**
 * Adapters from other modules' index.ts exports (and the running services `numreg serve` passes in) to
 * the portal's integration interfaces. Each returns undefined when what the portal needs is not there,
 * so the feature stays hidden instead of failing.
 */
import type { Adapter, StatsApi, RdapApi, DisclosureApi, PolicyApi, PolicyReason, RouteApi, RouteView, RovApi, RoaView } from './integrations.js';
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

interface RpslRow { class: 'route' | 'route6'; pkey: string; text: string; source: string; mnt_by: string[]; origin: string; descr: string[] | null }

function toRoute(r: RpslRow): RouteView {
  const cut = r.pkey.lastIndexOf('AS');
  return { key: `${r.source}:${r.class}:${r.pkey}`, objectClass: r.class, prefix: r.pkey.slice(0, cut).toLowerCase(), origin: `AS${r.origin}`, descr: r.descr?.[0] ?? null, mntBy: r.mnt_by, source: r.source, text: r.text };
}

const RPSL_SELECT = `SELECT class, pkey, text, source, mnt_by, origin::text AS origin, ARRAY(SELECT jsonb_array_elements_text(attrs->'descr')) AS descr
  FROM rpsl_object WHERE class IN ('route','route6')`;

/** Route objects: read from rpsl_object; written only through the IRR service's submission path. */
const routes: Adapter<RouteApi> = async (mod, { db, services }) => {
  let irr = services.irr;
  if (!irr) {
    // Not handed a running service (tests, or a caller without IRR): open our own on the same store.
    const IrrService = (mod as { IrrService?: { create(db: unknown): Promise<NonNullable<typeof irr>> } }).IrrService;
    if (!IrrService) return undefined;
    irr = await IrrService.create(db);
  }
  const service = irr;
  return {
    async listForOrg(_orgId, maintainers) {
      if (!maintainers.length) return [];
      const { rows } = await db.query<RpslRow>(`${RPSL_SELECT} AND mnt_by && $1::text[] ORDER BY family, rng LIMIT 2000`, [maintainers.map((m) => m.toUpperCase())]);
      return rows.map(toRoute);
    },
    async search(q) {
      if (/^as\d+$/i.test(q.trim())) {
        const { rows } = await db.query<RpslRow>(`${RPSL_SELECT} AND origin = $1 ORDER BY family, rng LIMIT 500`, [parseAsn(q).toString()]);
        return rows.map(toRoute);
      }
      const p = parsePrefix(q, { allowHostBits: true });
      const r = prefixToRange(p);
      const { rows } = await db.query<RpslRow>(`${RPSL_SELECT} AND family = $1 AND rng && numrange($2::numeric, $3::numeric, '[]') ORDER BY rng LIMIT 500`, [p.family, r.start.toString(), r.end.toString()]);
      return rows.map(toRoute);
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

const stats: Adapter<StatsApi> = (mod, { db }) => {
  const queryReport = fn(mod, 'queryReport');
  if (!queryReport) return undefined;
  return { report: (name) => queryReport(db, name) };
};

export const ADAPTERS: { name: 'policy' | 'roas' | 'routes' | 'rov' | 'stats' | 'disclosures' | 'rdap'; module: string; adapt: Adapter<unknown> }[] = [
  { name: 'policy', module: '../policy/index.js', adapt: policy },
  { name: 'disclosures', module: '../rdap/index.js', adapt: disclosures },
  { name: 'rdap', module: '../rdap/context.js', adapt: rdap },
  { name: 'routes', module: '../irr/service.js', adapt: routes },
  { name: 'rov', module: '../rtr/index.js', adapt: rov },
  { name: 'stats', module: '../stats/reports/index.js', adapt: stats },
];
