/**
 * The one place where delegations change. Every operation runs inside the caller's transaction and
 * enforces the tree invariants before writing:
 *   - a child lies inside its parent and has the parent's family;
 *   - siblings never overlap (checked here for a clear message, and by the delegation_siblings_disjoint
 *     statement-level trigger of migration 060 as the last line of defence);
 *   - only the holder of a block delegates from it, and only statuses CHILD_STATUSES allows;
 *   - every change is versioned in the change feed with actor, reason, before and after.
 * The parent row is locked (SELECT … FOR UPDATE) first, so concurrent writers under one parent queue up
 * and the loser sees the winner's row and gets a ConflictError.
 */
import type { Queryable } from '../db/database.js';
import { pgErrorCode, PG_EXCLUSION_VIOLATION } from '../db/database.js';
import type { NumberRange } from '../core/index.js';
import { formatRange, rangeToPrefix } from '../core/index.js';
import { actingOrgId, actorLabel, type Actor } from './actor.js';
import { DELEGATION_SELECT, delegationSnapshot, rangeParams, rangeSql, toDelegation, type Delegation, type DelegationRow } from './delegation-model.js';
import { conflict, forbidden, invalidInput, notFound } from './errors.js';
import { recordChange } from './feed.js';
import { childrenOf, delegationById, lessSpecifics, longestMatch } from './lookup.js';
import { requireOrganisation } from './organisations.js';
import { CHILD_STATUSES, type DelegationStatus } from './status-rules.js';

/**
 * Ids of up to five siblings (family $1, parent $2 or 0) overlapping ($3, $4): those starting inside it and
 * the nearest one starting before it, if that reaches in. Two B-tree probes (delegation_sibling_idx).
 */
const SIBLINGS_OVERLAPPING = `
  (SELECT s.id FROM delegation s
    WHERE s.family = $1 AND coalesce(s.parent_id, 0) = $2 AND lower(s.rng) >= $3::numeric AND lower(s.rng) <= $4::numeric
    ORDER BY lower(s.rng) LIMIT 5)
  UNION ALL
  (SELECT before.id FROM (SELECT s.id, s.rng FROM delegation s
      WHERE s.family = $1 AND coalesce(s.parent_id, 0) = $2 AND lower(s.rng) < $3::numeric
      ORDER BY lower(s.rng) DESC LIMIT 1) before
    WHERE upper(before.rng) >= $3::numeric)`;

export interface DelegationAttributes {
  country?: string | null;
  netName?: string | null;
  description?: string | null;
  adminC?: string[];
  techC?: string[];
  abuseC?: string | null;
  mntBy?: string[];
  mntLower?: string[];
  mntRoutes?: string[];
}

export interface DelegateInput extends DelegationAttributes {
  range: NumberRange;
  holderHandle: string;
  status: DelegationStatus;
  /** Parent delegation id; by default the most specific delegation containing the range. */
  parentId?: string;
  /** Registry label as in statistics files; by default the parent holder's registry label or handle. */
  registry?: string;
  delegatedOn?: string;
  decisionId?: string | null;
  reason?: string;
}

export interface WriteResult<T> {
  value: T;
  serials: number[];
}

async function lockDelegation(tx: Queryable, id: string): Promise<Delegation> {
  const { rows } = await tx.query<DelegationRow>(`${DELEGATION_SELECT} WHERE d.id = $1 FOR UPDATE OF d`, [id]);
  if (!rows[0]) throw notFound(`delegation ${id} does not exist`);
  return toDelegation(rows[0]);
}

function checkAttributes(a: DelegationAttributes): void {
  if (a.country != null && !/^[A-Z]{2}$/.test(a.country)) throw invalidInput(`country "${a.country}" is not an ISO 3166 two-letter code (e.g. JP)`);
  if (a.netName != null && !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/.test(a.netName)) {
    throw invalidInput(`net name "${a.netName}" is not valid: letters, digits, '-', '_', '.', at most 80, starting with a letter or digit`);
  }
}

function checkRangeShape(range: NumberRange): void {
  if (range.start > range.end) throw invalidInput(`range start ${range.start} is after its end ${range.end}`);
  if (range.family === 'ipv6' && !rangeToPrefix(range)) throw invalidInput(`IPv6 delegations must be a single prefix, not ${formatRange(range)}`);
}

function requireHolderOf(actor: Actor, block: Delegation, what: string): void {
  if (actor.kind === 'system') return;
  if (actingOrgId(actor) !== block.holderId) {
    throw forbidden(`${actorLabel(actor)} does not hold ${block.resource} (held by ${block.holderHandle}) and so cannot ${what}`);
  }
}

const ARRAY_FIELDS = ['adminC', 'techC', 'mntBy', 'mntLower', 'mntRoutes'] as const;
const upperAll = (xs: string[] | undefined) => (xs ?? []).map((x) => x.trim().toUpperCase());

/**
 * Without an explicit parent, a delegation comes from the most specific block containing the range that
 * the actor's organisation holds (the system bootstrap: the most specific block of all).
 */
async function defaultParent(tx: Queryable, range: NumberRange, actor: Actor): Promise<Delegation | undefined> {
  const orgId = actingOrgId(actor);
  if (orgId === undefined) return longestMatch(tx, range);
  const containing = await lessSpecifics(tx, range, true);
  return containing.filter((d) => d.holderId === orgId).at(-1) ?? containing.at(-1);
}

/**
 * The registry that records a new delegation (the `registry` column of statistics files): the parent's
 * holder when that is a registry (IANA, an RIR or an NIR, e.g. RIPE-NCC → "ripencc"), otherwise the
 * registry that recorded the parent (an NIR records its LIRs' assignments too).
 */
async function registryLabelUnder(tx: Queryable, parent: Delegation): Promise<string> {
  const { rows } = await tx.query<{ role: string }>('SELECT role FROM organisation WHERE id = $1', [parent.holderId]);
  const isRegistry = ['iana', 'rir', 'nir'].includes(rows[0]?.role ?? '');
  return isRegistry ? parent.holderHandle.toLowerCase().replace(/[^a-z0-9]/g, '') : parent.registry;
}

/** allocate / sub-allocate / assign / reserve: a new child delegation under a block the actor holds. */
export async function delegate(tx: Queryable, input: DelegateInput, actor: Actor): Promise<WriteResult<Delegation>> {
  checkRangeShape(input.range);
  checkAttributes(input);
  const holder = await requireOrganisation(tx, input.holderHandle);

  const parentCandidate = input.parentId ? await delegationById(tx, input.parentId) : await defaultParent(tx, input.range, actor);
  if (input.parentId && !parentCandidate) throw notFound(`parent delegation ${input.parentId} does not exist`);
  let parent: Delegation | undefined;
  if (parentCandidate) {
    parent = await lockDelegation(tx, parentCandidate.id);
    if (parent.family !== input.range.family || input.range.start < parent.range.start || input.range.end > parent.range.end) {
      throw invalidInput(`${formatRange(input.range)} does not lie inside its parent ${parent.resource}`);
    }
    requireHolderOf(actor, parent, `delegate from it`);
    if (!CHILD_STATUSES[parent.status].includes(input.status)) {
      throw invalidInput(`a ${parent.status} block (${parent.resource}) cannot have a ${input.status} delegation; allowed: ${CHILD_STATUSES[parent.status].join(', ') || 'none'}`);
    }
  } else if (actor.kind !== 'system') {
    throw forbidden(`${formatRange(input.range)} is outside every block in the registry; only the system bootstrap creates top-level delegations`);
  }

  const [a, b] = rangeParams(input.range);
  const overlapping = await tx.query<{ id: string; start: string; end: string; holder: string }>(
    `SELECT d.id::text AS id, lower(d.rng)::text AS start, upper(d.rng)::text AS end, o.handle AS holder
       FROM delegation d JOIN organisation o ON o.id = d.holder_id
      WHERE d.id IN (${SIBLINGS_OVERLAPPING})`,
    [input.range.family, parent?.id ?? 0, a, b],
  );
  if (overlapping.rows.length > 0) {
    const taken = overlapping.rows.map((r) => `${formatRange({ family: input.range.family, start: BigInt(r.start), end: BigInt(r.end) })} (${r.holder}, delegation ${r.id})`);
    throw conflict(`${formatRange(input.range)} overlaps ${taken.join(', ')}`, { overlaps: overlapping.rows.map((r) => r.id) });
  }

  const registry = input.registry ?? (parent ? await registryLabelUnder(tx, parent) : 'iana');
  let id: string;
  try {
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO delegation (family, rng, parent_id, holder_id, status, registry, country, net_name, description, delegated_on,
                               admin_c, tech_c, abuse_c, mnt_by, mnt_lower, mnt_routes, decision_id)
       VALUES ($1, ${rangeSql(2, 3)}, $4, $5, $6, $7, $8, $9, $10, coalesce($11::date, current_date), $12, $13, $14, $15, $16, $17, $18)
       RETURNING id::text AS id`,
      [input.range.family, a, b, parent?.id ?? null, holder.id, input.status, registry, input.country ?? null,
        input.netName ?? null, input.description ?? null, input.delegatedOn ?? null, upperAll(input.adminC), upperAll(input.techC),
        input.abuseC?.toUpperCase() ?? null, upperAll(input.mntBy), upperAll(input.mntLower), upperAll(input.mntRoutes), input.decisionId ?? null],
    );
    id = rows[0]!.id;
  } catch (error) {
    if (pgErrorCode(error) === PG_EXCLUSION_VIOLATION) throw conflict(`${formatRange(input.range)} overlaps a delegation created concurrently`);
    throw error;
  }
  const created = (await delegationById(tx, id))!;
  const serial = await recordChange(tx, {
    objectType: 'delegation', objectKey: id, action: 'create', version: 1, actor,
    reason: input.reason ?? `${input.status} ${created.resource} to ${holder.handle}`, after: delegationSnapshot(created),
  });
  return { value: created, serials: [serial] };
}

/** The holder gives a block back to its parent's holder. Sub-delegations must be returned first. */
export async function returnDelegation(tx: Queryable, id: string, actor: Actor, reason?: string): Promise<WriteResult<Delegation>> {
  const d = await lockDelegation(tx, id);
  requireHolderOf(actor, d, 'return it');
  const children = await childrenOf(tx, id);
  if (children.length > 0) {
    throw conflict(`${d.resource} still has ${children.length} sub-delegation(s) (${children.slice(0, 3).map((c) => c.resource).join(', ')}${children.length > 3 ? ', …' : ''}); return or reclaim them first`);
  }
  await tx.query('DELETE FROM delegation WHERE id = $1', [id]);
  const serial = await recordChange(tx, {
    objectType: 'delegation', objectKey: id, action: 'delete', version: d.version, actor,
    reason: reason ?? `returned by ${d.holderHandle}`, before: delegationSnapshot(d),
  });
  return { value: d, serials: [serial] };
}

/** The parent's holder takes a block back, with everything delegated from it. */
export async function reclaimDelegation(tx: Queryable, id: string, actor: Actor, reason?: string): Promise<WriteResult<Delegation[]>> {
  const d = await lockDelegation(tx, id);
  if (!d.parentId) {
    if (actor.kind !== 'system') throw forbidden('top-level delegations are reclaimed only by the system bootstrap');
  } else if (actor.kind !== 'system') {
    // The holder of any enclosing block up the tree may reclaim (the NIR from a LIR's customer, too).
    const { rows } = await tx.query<{ holder_id: string }>(
      `WITH RECURSIVE up(id, parent_id, holder_id) AS (SELECT id, parent_id, holder_id FROM delegation WHERE id = $1
         UNION ALL SELECT p.id, p.parent_id, p.holder_id FROM delegation p JOIN up ON p.id = up.parent_id)
       SELECT holder_id::text AS holder_id FROM up WHERE id <> $1`,
      [id],
    );
    if (!rows.some((r) => r.holder_id === actingOrgId(actor))) {
      throw forbidden(`${actorLabel(actor)} holds no block enclosing ${d.resource} and so cannot reclaim it`);
    }
    await lockDelegation(tx, d.parentId);
  }
  // Deepest first, so no row ever points at a deleted parent.
  const { rows } = await tx.query<DelegationRow>(
    `WITH RECURSIVE subtree(id, depth) AS (SELECT id, 0 FROM delegation WHERE id = $1
       UNION ALL SELECT c.id, s.depth + 1 FROM delegation c JOIN subtree s ON c.parent_id = s.id)
     ${DELEGATION_SELECT} JOIN subtree s ON s.id = d.id ORDER BY s.depth DESC, d.id`,
    [id],
  );
  const removed = rows.map(toDelegation);
  const serials: number[] = [];
  for (const r of removed) {
    await tx.query('DELETE FROM delegation WHERE id = $1', [r.id]);
    serials.push(await recordChange(tx, {
      objectType: 'delegation', objectKey: r.id, action: 'delete', version: r.version, actor,
      reason: reason ?? `reclaimed with ${d.resource}`, before: delegationSnapshot(r),
    }));
  }
  return { value: removed, serials };
}

/** Changes the descriptive attributes of a delegation (its holder or its parent's holder may). */
export async function modifyDelegation(tx: Queryable, id: string, patch: DelegationAttributes, actor: Actor, reason?: string): Promise<WriteResult<Delegation>> {
  checkAttributes(patch);
  const d = await lockDelegation(tx, id);
  if (actor.kind !== 'system' && actingOrgId(actor) !== d.holderId) {
    const parent = d.parentId ? await delegationById(tx, d.parentId) : undefined;
    if (!parent || actingOrgId(actor) !== parent.holderId) throw forbidden(`${actorLabel(actor)} may not modify ${d.resource} (held by ${d.holderHandle})`);
  }
  const next = {
    country: patch.country !== undefined ? patch.country : d.country,
    netName: patch.netName !== undefined ? patch.netName : d.netName,
    description: patch.description !== undefined ? patch.description : d.description,
    abuseC: patch.abuseC !== undefined ? patch.abuseC?.toUpperCase() ?? null : d.abuseC,
    ...Object.fromEntries(ARRAY_FIELDS.map((f) => [f, patch[f] !== undefined ? upperAll(patch[f]) : d[f]])),
  } as Required<DelegationAttributes>;
  await tx.query(
    `UPDATE delegation SET country = $2, net_name = $3, description = $4, abuse_c = $5, admin_c = $6, tech_c = $7,
            mnt_by = $8, mnt_lower = $9, mnt_routes = $10, version = version + 1, updated_at = now() WHERE id = $1`,
    [id, next.country, next.netName, next.description, next.abuseC, next.adminC, next.techC, next.mntBy, next.mntLower, next.mntRoutes],
  );
  const after = (await delegationById(tx, id))!;
  const serial = await recordChange(tx, {
    objectType: 'delegation', objectKey: id, action: 'modify', version: after.version, actor, reason,
    before: delegationSnapshot(d), after: delegationSnapshot(after),
  });
  return { value: after, serials: [serial] };
}

/** Changes the holder (used by an approved transfer). */
export async function changeHolder(tx: Queryable, id: string, newHolderId: string, actor: Actor, reason: string): Promise<WriteResult<Delegation>> {
  const d = await lockDelegation(tx, id);
  await tx.query('UPDATE delegation SET holder_id = $2, version = version + 1, updated_at = now() WHERE id = $1', [id, newHolderId]);
  const after = (await delegationById(tx, id))!;
  const serial = await recordChange(tx, {
    objectType: 'delegation', objectKey: id, action: 'modify', version: after.version, actor, reason,
    before: delegationSnapshot(d), after: delegationSnapshot(after),
  });
  return { value: after, serials: [serial] };
}

export { lockDelegation };
