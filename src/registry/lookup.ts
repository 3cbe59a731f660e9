import type { Queryable } from '../db/database.js';
import type { Family, NumberRange } from '../core/index.js';
import { DELEGATION_SELECT, rangeParams, rangeSql, toDelegation, type Delegation, type DelegationRow } from './delegation-model.js';

/**
 * Read-side queries over the delegation tree. Each is an index scan on the GiST (family, rng) index:
 * containment (`@>`), contained-by (`<@`) and overlap (`&&`) never scan the table.
 */
const FROM = 'FROM delegation d JOIN organisation o';

/**
 * Delegations are chosen in a sub-select before their holders are joined: prepared statements move to a
 * generic plan after five runs, and for a plain join that plan hashes the whole organisation table, while
 * here the join sees only the rows found and stays a primary-key nested loop.
 */
async function many(db: Queryable, where: string, params: unknown[], order = 'lower(d.rng), upper(d.rng) DESC', limit?: number): Promise<Delegation[]> {
  const chosen = `SELECT * FROM delegation d WHERE ${where} ORDER BY ${order}${limit ? ` LIMIT ${limit}` : ''}`;
  const sql = `WITH chosen AS (${chosen}) ${DELEGATION_SELECT.replace(FROM, 'FROM chosen d JOIN organisation o')} ORDER BY ${order}`;
  const { rows } = await db.query<DelegationRow>(sql, params);
  return rows.map(toDelegation);
}

export async function delegationById(db: Queryable, id: string): Promise<Delegation | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return (await many(db, 'd.id = $1', [id]))[0];
}

/** The delegation whose range is exactly `range`, if any (the deepest one when nested ones coincide). */
export async function exactMatch(db: Queryable, range: NumberRange): Promise<Delegation | undefined> {
  const [a, b] = rangeParams(range);
  const found = await many(db, `d.family = $1 AND d.rng = ${rangeSql(2, 3)}`, [range.family, a, b], 'd.id DESC', 1);
  return found[0];
}

/** Most specific delegation containing all of `range` (longest match). */
export async function longestMatch(db: Queryable, range: NumberRange): Promise<Delegation | undefined> {
  const [a, b] = rangeParams(range);
  const found = await many(
    db,
    `d.family = $1 AND d.rng @> ${rangeSql(2, 3)}`,
    [range.family, a, b],
    '(upper(d.rng) - lower(d.rng)) ASC, d.id DESC',
    1,
  );
  return found[0];
}

/** Every delegation containing `range`, least specific first (`inclusive` also returns an exact match). */
export async function lessSpecifics(db: Queryable, range: NumberRange, inclusive = false): Promise<Delegation[]> {
  const [a, b] = rangeParams(range);
  const exclude = inclusive ? '' : ` AND d.rng <> ${rangeSql(2, 3)}`;
  return many(db, `d.family = $1 AND d.rng @> ${rangeSql(2, 3)}${exclude}`, [range.family, a, b], '(upper(d.rng) - lower(d.rng)) DESC, d.id');
}

/** Every delegation inside `range` (not the exact match itself), in address order. */
export async function moreSpecifics(db: Queryable, range: NumberRange, limit = 10_000): Promise<Delegation[]> {
  const [a, b] = rangeParams(range);
  return many(db, `d.family = $1 AND d.rng <@ ${rangeSql(2, 3)} AND d.rng <> ${rangeSql(2, 3)}`, [range.family, a, b], undefined, limit);
}

/** Delegations overlapping `range`. */
export async function overlapping(db: Queryable, range: NumberRange, limit = 10_000): Promise<Delegation[]> {
  const [a, b] = rangeParams(range);
  return many(db, `d.family = $1 AND d.rng && ${rangeSql(2, 3)}`, [range.family, a, b], undefined, limit);
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
