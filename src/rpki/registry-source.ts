/**
 * Reads the CA tree's input from the registry: each holder's certified resources (its delegations) and the
 * ROA/ASPA rows of migration 020. Plain data out, so the CA never touches the database itself.
 */
import type { Queryable } from '../db/database.js';
import { parsePrefix } from '../core/prefix.js';
import { ResourceSet } from '../core/resource-set.js';
import type { Family, NumberRange } from '../core/types.js';
import type { SyncInput } from './ca/tree.js';

/** Delegation statuses whose holder the CA certifies. */
export const CERTIFIED_STATUSES = ['allocated', 'assigned', 'sub-allocated', 'legacy'];
/** Organisation roles that get a hosted child CA (registries above them are the trust anchor's business). */
export const HOLDER_ROLES = ['lir', 'end-user', 'associate'];

interface RangeRow {
  org_id: string;
  handle: string;
  family: Family;
  lo: string;
  hi: string;
  lo_inc: boolean;
  hi_inc: boolean;
}

function rowRange(r: RangeRow): NumberRange {
  const start = BigInt(r.lo) + (r.lo_inc ? 0n : 1n);
  const end = BigInt(r.hi) - (r.hi_inc ? 0n : 1n);
  return { family: r.family, start, end };
}

const RANGES_SQL = `SELECT o.id::text AS org_id, o.handle, d.family, lower(d.rng)::text AS lo, upper(d.rng)::text AS hi,
       lower_inc(d.rng) AS lo_inc, upper_inc(d.rng) AS hi_inc
  FROM delegation d JOIN organisation o ON o.id = d.holder_id
 WHERE d.status = ANY($1::text[])`;

/** The resources the registry says an organisation holds. */
export async function holderResources(db: Queryable, orgId: string | number): Promise<ResourceSet> {
  const { rows } = await db.query<RangeRow>(`${RANGES_SQL} AND o.id = $2`, [CERTIFIED_STATUSES, String(orgId)]);
  return ResourceSet.fromRanges(rows.map(rowRange));
}

export interface RegistryInput extends SyncInput {
  /** The NIR's (or root registry's) resources when the registry has exactly one NIR. */
  taResources?: ResourceSet;
}

export async function loadRegistryInput(db: Queryable, opts: { holderRoles?: string[] } = {}): Promise<RegistryInput> {
  const roles = opts.holderRoles ?? HOLDER_ROLES;
  const { rows } = await db.query<RangeRow & { role: string }>(
    RANGES_SQL.replace('SELECT o.id::text', 'SELECT o.role, o.id::text') + ` AND o.role = ANY($2::text[])`,
    [CERTIFIED_STATUSES, [...roles, 'nir']],
  );
  const byHolder = new Map<string, NumberRange[]>();
  const nir = new Map<string, NumberRange[]>();
  for (const r of rows) {
    const target = r.role === 'nir' ? nir : byHolder;
    target.set(r.handle, [...(target.get(r.handle) ?? []), rowRange(r)]);
  }
  const roas = await db.query<{ handle: string; prefix: string; max_length: number; asn: string }>(
    `SELECT o.handle, r.prefix::text AS prefix, r.max_length, r.asn::text AS asn FROM roa r JOIN organisation o ON o.id = r.org_id ORDER BY r.id`,
  );
  const aspas = await db.query<{ handle: string; customer_asn: string; providers: string[] }>(
    `SELECT o.handle, a.customer_asn::text AS customer_asn, a.providers::text[] AS providers FROM aspa a JOIN organisation o ON o.id = a.org_id ORDER BY a.id`,
  );
  return {
    holders: [...byHolder].map(([handle, ranges]) => ({ handle, resources: ResourceSet.fromRanges(ranges) })),
    roas: roas.rows.map((r) => ({ holderHandle: r.handle, prefix: parsePrefix(r.prefix), maxLength: Number(r.max_length), asn: BigInt(r.asn) })),
    aspas: aspas.rows.map((a) => ({ holderHandle: a.handle, customerAsn: BigInt(a.customer_asn), providers: a.providers.map(BigInt) })),
    taResources: nir.size === 1 ? ResourceSet.fromRanges([...nir.values()][0]!) : undefined,
  };
}
