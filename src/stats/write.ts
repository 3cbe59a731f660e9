/**
 * Bulk writers for bootstraps and imports: organisations (multi-row INSERT), delegations and their change-feed
 * rows (COPY FROM STDIN) inside the caller's transaction. The change rows carry the same
 * snapshots as the registry's own operations (src/registry), so feed followers and "as of" reports cannot
 * tell a bulk-loaded object from one created through the API.
 */
import { formatRange, type Family } from '../core/index.js';
import type { Queryable } from '../db/database.js';
import { copyLine } from '../db/copy-text.js';

export interface NewOrganisationRow {
  id: string;
  handle: string;
  name: string;
  role: 'iana' | 'rir' | 'nir' | 'lir' | 'associate' | 'end-user';
  country: string | null;
  parentId: string | null;
  registry: string | null;
  opaqueId: string | null;
}

export interface NewDelegationRow {
  id: string;
  family: Family;
  start: bigint;
  end: bigint;
  parentId: string | null;
  holderId: string;
  holderHandle: string;
  status: 'allocated' | 'assigned' | 'sub-allocated' | 'reserved' | 'available' | 'legacy';
  registry: string;
  country: string | null;
  netName: string | null;
  description: string | null;
  /** YYYY-MM-DD */
  delegatedOn: string | null;
}

export interface WriteContext {
  actor: string;
  reason: string;
  /** Transaction timestamp (ISO), used for created_at/updated_at and in the snapshots. */
  now: string;
}

const CHUNK = 5000;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function transactionNow(tx: Queryable): Promise<string> {
  const { rows } = await tx.query<{ now: string }>(`SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS now`);
  return rows[0]!.now;
}

/**
 * Reserves `n` consecutive ids from a table's id sequence, so rows, parents and change rows can be built
 * before inserting. The table is locked against other writers for the rest of the transaction (a bulk
 * import owns it anyway), so no one draws from the sequence between the two calls; a rollback only skips
 * ids, as nextval always does.
 */
export async function reserveIds(tx: Queryable, table: 'delegation' | 'organisation', n: number): Promise<string[]> {
  if (n === 0) return [];
  await tx.exec(`LOCK TABLE ${table} IN SHARE ROW EXCLUSIVE MODE`);
  const { rows } = await tx.query<{ first: string }>(
    `SELECT setval(pg_get_serial_sequence($1, 'id'), nextval(pg_get_serial_sequence($1, 'id')) + $2::bigint - 1) - $2::bigint + 1 AS first`,
    [table, n],
  );
  const first = BigInt(rows[0]!.first);
  return Array.from({ length: n }, (_, i) => (first + BigInt(i)).toString());
}

/** Takes `n` consecutive change serials (the feed_state row lock keeps them gapless and in commit order). */
export async function takeSerials(tx: Queryable, n: number): Promise<bigint> {
  const { rows } = await tx.query<{ serial: string }>(
    'UPDATE feed_state SET serial = serial + $1::bigint WHERE id = 1 RETURNING serial',
    [n],
  );
  return BigInt(rows[0]!.serial) - BigInt(n) + 1n;
}

export interface ChangeRow {
  objectType: string;
  objectKey: string;
  action?: 'create' | 'modify' | 'delete';
  version?: number;
  before?: unknown;
  after?: unknown;
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/** Appends change-feed rows (default: action create, version 1) with consecutive serials, streamed with COPY. */
export async function insertChanges(tx: Queryable, changes: ChangeRow[], ctx: WriteContext): Promise<void> {
  if (changes.length === 0) return;
  const first = await takeSerials(tx, changes.length);
  function* lines() {
    let serial = first;
    for (const c of changes) {
      yield copyLine([serial, c.objectType, c.objectKey, c.action ?? 'create', c.version ?? 1, ctx.actor, ctx.reason, ctx.now, json(c.before), json(c.after)]);
      serial += 1n;
    }
  }
  await tx.copyFrom('COPY change (serial, object_type, object_key, action, version, actor, reason, at, before, after) FROM STDIN', lines());
}

export function organisationSnapshot(o: NewOrganisationRow, now: string): Record<string, unknown> {
  return {
    id: o.id, handle: o.handle, name: o.name, nameLocal: null, role: o.role, country: o.country, address: null,
    parentId: o.parentId, registry: o.registry, opaqueId: o.opaqueId, memberSince: null, createdAt: now, updatedAt: now,
  };
}

export function delegationSnapshot(d: NewDelegationRow & { version?: number }): Record<string, unknown> {
  return {
    id: d.id, family: d.family, resource: formatRange({ family: d.family, start: d.start, end: d.end }),
    start: d.start.toString(), end: d.end.toString(), parentId: d.parentId, holder: d.holderHandle,
    status: d.status, registry: d.registry, country: d.country, netName: d.netName, description: d.description,
    delegatedOn: d.delegatedOn, adminC: [], techC: [], abuseC: null, mntBy: [], mntLower: [], mntRoutes: [],
    decisionId: null, version: d.version ?? 1,
  };
}

export async function insertOrganisations(tx: Queryable, orgs: NewOrganisationRow[], ctx: WriteContext): Promise<void> {
  for (const part of chunks(orgs)) {
    await tx.query(
      `INSERT INTO organisation (id, handle, name, role, country, parent_id, registry, opaque_id, created_at, updated_at)
       SELECT i, h, n, r, c, p, g, o, $9::timestamptz, $9::timestamptz
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[])
           AS u(i, h, n, r, c, p, g, o)`,
      [part.map((o) => o.id), part.map((o) => o.handle), part.map((o) => o.name), part.map((o) => o.role),
        part.map((o) => o.country), part.map((o) => o.parentId), part.map((o) => o.registry),
        part.map((o) => o.opaqueId), ctx.now],
    );
  }
  await insertChanges(tx, orgs.map((o) => ({ objectType: 'organisation', objectKey: o.handle, after: organisationSnapshot(o, ctx.now) })), ctx);
}

/** Writes new delegations with COPY (the sibling trigger of migration 060 checks the whole batch at the end). */
export async function insertDelegations(
  tx: Queryable, rows: NewDelegationRow[], ctx: WriteContext, onChunk?: (done: number) => void,
): Promise<void> {
  function* lines() {
    let done = 0;
    for (const d of rows) {
      yield copyLine([d.id, d.family, `[${d.start},${d.end}]`, d.parentId, d.holderId, d.status, d.registry, d.country,
        d.netName, d.description, d.delegatedOn, ctx.now, ctx.now]);
      done += 1;
      if (done % CHUNK === 0) onChunk?.(done);
    }
    onChunk?.(done);
  }
  await tx.copyFrom(`COPY delegation (id, family, rng, parent_id, holder_id, status, registry, country, net_name, description,
                                      delegated_on, created_at, updated_at) FROM STDIN`, lines());
  await insertChanges(tx, rows.map((d) => ({ objectType: 'delegation', objectKey: d.id, after: delegationSnapshot(d) })), ctx);
}
