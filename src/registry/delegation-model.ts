import type { Family, NumberRange } from '../core/index.js';
import { formatRange } from '../core/index.js';
import type { DelegationStatus } from './status-rules.js';

/** A delegation as the rest of numreg sees it. Ids are strings (bigint columns). */
export interface Delegation {
  id: string;
  family: Family;
  range: NumberRange;
  /** Human notation: CIDR when exact, "a - b" otherwise, AS numbers as AS…. */
  resource: string;
  parentId: string | null;
  holderId: string;
  holderHandle: string;
  holderName: string;
  status: DelegationStatus;
  registry: string;
  country: string | null;
  netName: string | null;
  description: string | null;
  delegatedOn: string | null;
  adminC: string[];
  techC: string[];
  abuseC: string | null;
  mntBy: string[];
  mntLower: string[];
  mntRoutes: string[];
  decisionId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface DelegationRow {
  id: string;
  family: Family;
  range_start: string;
  range_end: string;
  parent_id: string | null;
  holder_id: string;
  holder_handle: string;
  holder_name: string;
  status: DelegationStatus;
  registry: string;
  country: string | null;
  net_name: string | null;
  description: string | null;
  delegated_on: Date | string | null;
  admin_c: string[];
  tech_c: string[];
  abuse_c: string | null;
  mnt_by: string[];
  mnt_lower: string[];
  mnt_routes: string[];
  decision_id: string | null;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
}

/** SELECT list (with the holder joined as `o`) that produces a DelegationRow from `delegation d`. */
export const DELEGATION_SELECT = `
  SELECT d.id::text AS id, d.family, lower(d.rng)::text AS range_start, upper(d.rng)::text AS range_end,
         d.parent_id::text AS parent_id, d.holder_id::text AS holder_id, o.handle AS holder_handle,
         o.name AS holder_name, d.status, d.registry, d.country, d.net_name, d.description,
         d.delegated_on, d.admin_c, d.tech_c, d.abuse_c, d.mnt_by, d.mnt_lower, d.mnt_routes,
         d.decision_id::text AS decision_id, d.version, d.created_at, d.updated_at
    FROM delegation d JOIN organisation o ON o.id = d.holder_id`;

/** DELEGATION_SELECT over another relation of delegation rows (a CTE such as `chosen`), still aliased `d`. */
export const delegationSelectFrom = (relation: string) =>
  DELEGATION_SELECT.replace('FROM delegation d JOIN organisation o', `FROM ${relation} d JOIN organisation o`);

function isoDate(value: Date | string | null): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value.slice(0, 10);
  // DATE columns arrive as local-midnight Date objects from pg; format them without a UTC shift.
  const y = value.getFullYear();
  const m = String(value.getMonth() + 1).padStart(2, '0');
  const d = String(value.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export function toDelegation(row: DelegationRow): Delegation {
  const range: NumberRange = { family: row.family, start: BigInt(row.range_start), end: BigInt(row.range_end) };
  return {
    id: row.id,
    family: row.family,
    range,
    resource: formatRange(range),
    parentId: row.parent_id,
    holderId: row.holder_id,
    holderHandle: row.holder_handle,
    holderName: row.holder_name,
    status: row.status,
    registry: row.registry,
    country: row.country,
    netName: row.net_name,
    description: row.description,
    delegatedOn: isoDate(row.delegated_on),
    adminC: row.admin_c,
    techC: row.tech_c,
    abuseC: row.abuse_c,
    mntBy: row.mnt_by,
    mntLower: row.mnt_lower,
    mntRoutes: row.mnt_routes,
    decisionId: row.decision_id,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** The JSON stored in the change feed for a delegation (ranges as text: bigint is not JSON). */
export function delegationSnapshot(d: Delegation): Record<string, unknown> {
  return {
    id: d.id,
    family: d.family,
    resource: d.resource,
    start: d.range.start.toString(),
    end: d.range.end.toString(),
    parentId: d.parentId,
    holder: d.holderHandle,
    status: d.status,
    registry: d.registry,
    country: d.country,
    netName: d.netName,
    description: d.description,
    delegatedOn: d.delegatedOn,
    adminC: d.adminC,
    techC: d.techC,
    abuseC: d.abuseC,
    mntBy: d.mntBy,
    mntLower: d.mntLower,
    mntRoutes: d.mntRoutes,
    decisionId: d.decisionId,
    version: d.version,
  };
}

/** SQL numrange literal parameters for an inclusive range. */
export function rangeParams(range: NumberRange): [string, string] {
  return [range.start.toString(), range.end.toString()];
}
/** SQL expression building the stored numrange from two numeric parameters. */
export const rangeSql = (a: number, b: number) => `numrange($${a}::numeric, $${b}::numeric, '[]')`;
