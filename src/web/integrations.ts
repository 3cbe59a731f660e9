/**
 * The portal's view of the modules other engineers build (policy, RPKI, IRR, ROV, statistics, RDAP).
 * Each is optional: `loadIntegrations` picks up whatever module has landed (its src/<area>/index.ts) and
 * adapts it to these small interfaces; pages for a missing one are hidden. Tests can pass their own.
 */
import type { Db } from '../db/database.js';
import type { Registry } from '../registry/registry.js';
import type { Actor } from '../registry/actor.js';
import type { Family } from '../core/index.js';

export interface PolicyReason { policyId: string; proposal?: string | null; verdict?: string; reason: string }
export interface PolicyAnswer { outcome: 'approve' | 'deny' | 'waitlist'; reasons: PolicyReason[]; candidate?: string | null }
export interface RequestInput { orgId: string; family: Family; prefixLength: number; isIxp?: boolean; purpose?: string }

export interface PolicyApi {
  evaluate(input: RequestInput): Promise<PolicyAnswer>;
  submit(input: RequestInput, actor: Actor): Promise<{ id: string; status: string }>;
  approve(requestId: string, actor: Actor, comment: string): Promise<unknown>;
  deny(requestId: string, actor: Actor, comment: string): Promise<unknown>;
  /** Serves the IPv4 waiting list in FIFO order from the free pool; returns how many were served. */
  serveWaitingList?(actor: Actor): Promise<number>;
  /** The block the policy engine's own free-pool rule (best fit) would pick, so hand allocations match approvals. */
}

export interface RoaView { id: string; org?: string | null; prefix: string; maxLength: number; asn: string; published?: boolean; warnings?: string[] }
export interface RoaInput { prefix: string; maxLength: number; asn: string }

export interface RoaApi {
  listForOrg(orgId: string): Promise<RoaView[]>;
  /** Every ROA of the registry as VRPs (for the "what will this break" preview and the search page). */
  listAll(): Promise<RoaView[]>;
  create(input: RoaInput, actor: Actor): Promise<RoaView>;
  remove(id: string, actor: Actor): Promise<void>;
}

export interface RouteView { key: string; objectClass: 'route' | 'route6'; prefix: string; origin: string; descr?: string | null; mntBy: string[]; source?: string; text?: string }
export interface RouteInput { prefix: string; origin: string; descr?: string; mntBy: string[]; password?: string }

export interface RouteApi {
  listForOrg(orgId: string, maintainers: string[]): Promise<RouteView[]>;
  search(prefix: string): Promise<RouteView[]>;
  create(input: RouteInput, actor: Actor): Promise<RouteView>;
  remove?(key: string, actor: Actor): Promise<void>;
}

export type RovState = 'valid' | 'invalid' | 'not-found';
export interface RovAnswer { state: RovState; reason?: string; vrps: { prefix: string; maxLength: number; asn: string }[] }
export interface RovApi { validate(prefix: string, origin: string): Promise<RovAnswer> }

export interface StatsApi { report(name: string): Promise<{ rows: Record<string, string | number | null>[] }> }

export interface DisclosureView { at: string; viewer: string; subject: string; purpose?: string | null; channel: string }
export interface DisclosureApi { recent(limit: number): Promise<DisclosureView[]> }

/** The RDAP module's own object builder, so the portal's JSON is exactly what /rdap/… answers the public. */
export interface RdapApi { delegationJson(d: import('../registry/delegation-model.js').Delegation): Promise<Record<string, unknown>> }

export interface Integrations {
  rdap?: RdapApi;
  policy?: PolicyApi;
  roas?: RoaApi;
  routes?: RouteApi;
  rov?: RovApi;
  stats?: StatsApi;
  disclosures?: DisclosureApi;
  /** Names of the integrations that were looked for and not found (for the report and the about box). */
  missing: string[];
}

/** Imports a module by a computed path so the type checker does not require it to exist yet. */
async function tryImport(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    return (await import(path)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

/**
 * Running services `numreg serve` already started, passed through so the portal uses the same instances
 * (typed structurally: only what the portal calls).
 */
export interface WebServices {
  /** src/irr IrrService: `submit()` is the IRR's write path; `source` its authoritative source name. */
  irr?: {
    source: string;
    refresh?(force?: boolean): Promise<void>;
    index?: { routesByOrigin(origin: number, sources: string[], family?: 'ipv4' | 'ipv6', includeInvalid?: boolean): { family: 'ipv4' | 'ipv6'; prefix: string; origin: number; mntBy: string[] }[] };
    submit(sub: { objects: { text: string; deleteReason?: string }[]; passwords: string[] }): Promise<{ status: string; objects: { status: string; errors: string[] }[] }> };
  /** src/rpki RpkiService: ROA changes re-sync the hosted CA through it (left out: ROAs are stored, published at the next sync). */
  rpki?: { sync(input: never): Promise<unknown>; vrps(): unknown[] };
  /** How ROA changes re-sync the CA (serve's `followRegistry(…).syncNow`); default: rpki.sync of the whole registry. */
  rpkiResync?: () => Promise<unknown>;
  /** src/rtr RtrService (or anything with validateOrigin): the VRPs routers are served. */
  rtr?: { validateOrigin(prefix: string, origin: number | string | null): { state: RovState; matched: { prefix: string; maxLength: number; asn: number }[]; unmatched: { prefix: string; maxLength: number; asn: number }[] } };
}

export interface AdapterDeps { db: Db; registry: Registry; services: WebServices; integrations: Partial<Integrations> }
export type Adapter<T> = (mod: Record<string, unknown>, deps: AdapterDeps) => T | undefined | Promise<T | undefined>;

export async function loadIntegrations(deps: { db: Db; registry: Registry; services?: WebServices }, overrides: Partial<Integrations> = {}): Promise<Integrations> {
  const { ADAPTERS } = await import('./adapters.js');
  const found: Partial<Integrations> = { ...overrides };
  const missing: string[] = [];
  const adapterDeps: AdapterDeps = { db: deps.db, registry: deps.registry, services: deps.services ?? {}, integrations: found };
  // In table order: later adapters may build on earlier ones (ROV falls back to the ROA list).
  for (const a of ADAPTERS) {
    if (a.name in overrides) continue;
    const mod = await tryImport(a.module);
    const api = mod ? await a.adapt(mod, adapterDeps) : undefined;
    if (api) (found as Record<string, unknown>)[a.name] = api;
    else missing.push(a.name);
  }
  return { ...found, missing };
}
