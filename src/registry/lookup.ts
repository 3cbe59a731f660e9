import type { Queryable } from '../db/database.js';
import type { Family, NumberRange } from '../core/index.js';
import { delegationSelectFrom, rangeParams, toDelegation, type Delegation, type DelegationRow } from './delegation-model.js';

/**
 * Read-side queries over the delegation tree, each on B-tree indexes (migration 060):
 *   - exact and more-specific look-ups are range scans of (family, lower(rng), upper(rng) DESC);
 *   - containment uses the tree: every delegation containing a number x is an ancestor-or-self of the
 *     delegation with the greatest start <= x (the smallest of those that start there), so a containment
 *     look-up is one backward index probe and a walk up parent_id, a handful of primary-key fetches.
 */
/**
 * `chain`: the start-order neighbour of the number $2 in family $1 and all its ancestors. Among delegations
 * with the same range (a block passed down whole) the neighbour is the newest, which is the deepest: a child is
 * always created after its parent, and starting higher up would leave the deeper ones out of the chain.
 */
export const CONTAINMENT_CHAIN = `chain AS (
  (SELECT d.id, d.parent_id, d.rng FROM delegation d
    WHERE d.family = $1 AND lower(d.rng) <= $2::numeric
    ORDER BY lower(d.rng) DESC, upper(d.rng) ASC, d.id DESC LIMIT 1)
  UNION ALL
  SELECT p.id, p.parent_id, p.rng FROM chain c JOIN delegation p ON p.id = c.parent_id)`;

/**
 * Delegations are chosen in a sub-select before their holders are joined: prepared statements move to a
 * generic plan after five runs, and for a plain join that plan hashes the whole organisation table, while
 * here the join sees only the rows found and stays a primary-key nested loop.
 */
async function many(db: Queryable, where: string, params: unknown[], order = 'lower(d.rng), upper(d.rng) DESC', limit?: number, withChain = false): Promise<Delegation[]> {
  const chosen = `SELECT * FROM delegation d WHERE ${where} ORDER BY ${order}${limit ? ` LIMIT ${limit}` : ''}`;
  const sql = `WITH ${withChain ? 'RECURSIVE ' + CONTAINMENT_CHAIN + ', ' : ''}chosen AS (${chosen}) ${delegationSelectFrom('chosen')} ORDER BY ${order}`;
  const { rows } = await db.query<DelegationRow>(sql, params);
  return rows.map(toDelegation);
}

export async function delegationById(db: Queryable, id: string): Promise<Delegation | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return (await many(db, 'd.id = $1', [id]))[0];
}

/** SQL condition: `d` has exactly the range ($2, $3). */
const EXACT = 'lower(d.rng) = $2::numeric AND upper(d.rng) = $3::numeric';

/** The delegation whose range is exactly `range`, if any (the deepest one when nested ones coincide). */
export async function exactMatch(db: Queryable, range: NumberRange): Promise<Delegation | undefined> {
  const found = await many(db, `d.family = $1 AND ${EXACT}`, [range.family, ...rangeParams(range)], 'd.id DESC', 1);
  return found[0];
}

/** Condition on `d` (with CONTAINMENT_CHAIN): one of the delegations containing all of ($2, $3). */
export const CONTAINING = 'd.id IN (SELECT id FROM chain WHERE upper(rng) >= $3::numeric)';
/** Order of containing delegations, the most specific (the longest match) first. */
export const MOST_SPECIFIC_FIRST = '(upper(d.rng) - lower(d.rng)) ASC, d.id DESC';

/** Most specific delegation containing all of `range` (longest match). */
export async function longestMatch(db: Queryable, range: NumberRange): Promise<Delegation | undefined> {
  const found = await many(db, CONTAINING, [range.family, ...rangeParams(range)], MOST_SPECIFIC_FIRST, 1, true);
  return found[0];
}

/** Every delegation containing `range`, least specific first (`inclusive` also returns an exact match). */
export async function lessSpecifics(db: Queryable, range: NumberRange, inclusive = false): Promise<Delegation[]> {
  const exclude = inclusive ? '' : ` AND NOT (${EXACT})`;
  return many(db, `${CONTAINING}${exclude}`, [range.family, ...rangeParams(range)], '(upper(d.rng) - lower(d.rng)) DESC, d.id', undefined, true);
}

/** Condition on `d`: starts inside ($2, $3). */
const STARTS_INSIDE = 'd.family = $1 AND lower(d.rng) >= $2::numeric AND lower(d.rng) <= $3::numeric';

/** Every delegation inside `range` (not the exact match itself), in address order. */
export async function moreSpecifics(db: Queryable, range: NumberRange, limit = 10_000): Promise<Delegation[]> {
  return many(db, `${STARTS_INSIDE} AND upper(d.rng) <= $3::numeric AND NOT (${EXACT})`, [range.family, ...rangeParams(range)], undefined, limit);
}

/** Delegations overlapping `range`: those starting inside it and those containing its first number. */
export async function overlapping(db: Queryable, range: NumberRange, limit = 10_000): Promise<Delegation[]> {
  const containsStart = 'd.id IN (SELECT id FROM chain WHERE upper(rng) >= $2::numeric)';
  return many(db, `(${STARTS_INSIDE}) OR ${containsStart}`, [range.family, ...rangeParams(range)], undefined, limit, true);
}

export async function childrenOf(db: Queryable, parentId: string): Promise<Delegation[]> {
  return many(db, 'd.parent_id = $1', [parentId]);
}

export async function delegationsOfHolder(db: Queryable, orgId: string, family?: Family): Promise<Delegation[]> {
  return family
    ? many(db, 'd.holder_id = $1 AND d.family = $2', [orgId, family])
    : many(db, 'd.holder_id = $1', [orgId], 'd.family, lower(d.rng)');
}

export async function delegationsByNetName(db: Queryable, netName: string, limit = 1000): Promise<Delegation[]> {
  return many(db, 'lower(d.net_name) = lower($1)', [netName], undefined, limit);
}

/** Delegations that name `handle` as admin-c, tech-c or abuse-c (inverse look-up). */
export async function delegationsByContact(db: Queryable, handle: string, limit = 1000): Promise<Delegation[]> {
  return many(db, '$1 = ANY(d.admin_c) OR $1 = ANY(d.tech_c) OR d.abuse_c = $1', [handle.toUpperCase()], undefined, limit);
}

/** Delegations maintained by `mntner` (mnt-by, mnt-lower or mnt-routes). */
export async function delegationsByMaintainer(db: Queryable, mntner: string, limit = 1000): Promise<Delegation[]> {
  return many(db, '$1 = ANY(d.mnt_by) OR $1 = ANY(d.mnt_lower) OR $1 = ANY(d.mnt_routes)', [mntner.toUpperCase()], undefined, limit);
}
