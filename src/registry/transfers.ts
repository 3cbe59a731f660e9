/**
 * Transfers between holders need both sides: the current holder proposes, the recipient approves, and
 * only then does the holder change. Both approvals (who and when) stay on the transfer record and in the
 * change feed, so a transfer that one side did not agree to cannot happen silently.
 */
import type { Queryable } from '../db/database.js';
import { actingOrgId, actorLabel, type Actor } from './actor.js';
import { changeHolder, lockDelegation } from './delegations.js';
import type { Delegation } from './delegation-model.js';
import { conflict, forbidden, invalidInput, notFound } from './errors.js';
import { recordChange } from './feed.js';
import { requireOrganisation } from './organisations.js';

export interface Transfer {
  id: string;
  delegationId: string;
  fromOrgId: string;
  toOrgId: string;
  status: 'proposed' | 'completed' | 'cancelled';
  fromApprovedBy: string;
  fromApprovedAt: string;
  toApprovedBy: string | null;
  toApprovedAt: string | null;
  completedAt: string | null;
  reason: string | null;
}

interface Row {
  id: string; delegation_id: string; from_org_id: string; to_org_id: string; status: Transfer['status'];
  from_approved_by: string; from_approved_at: Date | string; to_approved_by: string | null;
  to_approved_at: Date | string | null; completed_at: Date | string | null; reason: string | null;
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
const toTransfer = (r: Row): Transfer => ({
  id: r.id, delegationId: r.delegation_id, fromOrgId: r.from_org_id, toOrgId: r.to_org_id, status: r.status,
  fromApprovedBy: r.from_approved_by, fromApprovedAt: iso(r.from_approved_at)!, toApprovedBy: r.to_approved_by,
  toApprovedAt: iso(r.to_approved_at), completedAt: iso(r.completed_at), reason: r.reason,
});
const SELECT = `SELECT id::text AS id, delegation_id::text AS delegation_id, from_org_id::text AS from_org_id, to_org_id::text AS to_org_id,
  status, from_approved_by, from_approved_at, to_approved_by, to_approved_at, completed_at, reason FROM transfer`;

export async function transferById(db: Queryable, id: string): Promise<Transfer | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const { rows } = await db.query<Row>(`${SELECT} WHERE id = $1`, [id]);
  return rows[0] && toTransfer(rows[0]);
}

export async function proposeTransfer(tx: Queryable, delegationId: string, toHandle: string, actor: Actor, reason?: string): Promise<{ transfer: Transfer; serials: number[] }> {
  const d = await lockDelegation(tx, delegationId);
  if (actor.kind !== 'system' && actingOrgId(actor) !== d.holderId) {
    throw forbidden(`only the holder (${d.holderHandle}) can propose a transfer of ${d.resource}`);
  }
  const to = await requireOrganisation(tx, toHandle);
  if (to.id === d.holderId) throw invalidInput(`${to.handle} already holds ${d.resource}`);
  const open = await tx.query<{ id: string }>(`SELECT id::text AS id FROM transfer WHERE delegation_id = $1 AND status = 'proposed'`, [delegationId]);
  if (open.rows[0]) throw conflict(`transfer ${open.rows[0].id} of ${d.resource} is already waiting for approval`);
  const { rows } = await tx.query<Row>(
    `INSERT INTO transfer (delegation_id, from_org_id, to_org_id, status, from_approved_by, reason)
     VALUES ($1, $2, $3, 'proposed', $4, $5) RETURNING id::text AS id, delegation_id::text AS delegation_id,
       from_org_id::text AS from_org_id, to_org_id::text AS to_org_id, status, from_approved_by, from_approved_at,
       to_approved_by, to_approved_at, completed_at, reason`,
    [delegationId, d.holderId, to.id, actorLabel(actor), reason ?? null],
  );
  const transfer = toTransfer(rows[0]!);
  const serial = await recordChange(tx, { objectType: 'transfer', objectKey: transfer.id, action: 'create', version: 1, actor, reason, after: transfer });
  return { transfer, serials: [serial] };
}

/** The recipient approves; the holder changes in the same transaction. */
export async function approveTransfer(tx: Queryable, transferId: string, actor: Actor): Promise<{ transfer: Transfer; delegation: Delegation; serials: number[] }> {
  const { rows } = await tx.query<Row>(`${SELECT} WHERE id = $1 FOR UPDATE`, [transferId]);
  const before = rows[0] && toTransfer(rows[0]);
  if (!before) throw notFound(`transfer ${transferId} does not exist`);
  if (before.status !== 'proposed') throw conflict(`transfer ${transferId} is ${before.status}, not waiting for approval`);
  if (actor.kind !== 'system' && actingOrgId(actor) !== before.toOrgId) {
    throw forbidden(`only the recipient organisation can approve transfer ${transferId}`);
  }
  const by = actorLabel(actor);
  await tx.query(`UPDATE transfer SET status = 'completed', to_approved_by = $2, to_approved_at = now(), completed_at = now() WHERE id = $1`, [transferId, by]);
  const transfer = (await transferById(tx, transferId))!;
  const serials = [await recordChange(tx, { objectType: 'transfer', objectKey: transferId, action: 'modify', version: 2, actor, before, after: transfer })];
  const moved = await changeHolder(tx, before.delegationId, before.toOrgId, actor,
    `transfer ${transferId}: proposed by ${before.fromApprovedBy}, approved by ${by}`);
  return { transfer, delegation: moved.value, serials: [...serials, ...moved.serials] };
}

export async function cancelTransfer(tx: Queryable, transferId: string, actor: Actor): Promise<Transfer> {
  const t = await transferById(tx, transferId);
  if (!t) throw notFound(`transfer ${transferId} does not exist`);
  if (t.status !== 'proposed') throw conflict(`transfer ${transferId} is ${t.status}`);
  if (actor.kind !== 'system' && actingOrgId(actor) !== t.fromOrgId && actingOrgId(actor) !== t.toOrgId) {
    throw forbidden(`only the parties can cancel transfer ${transferId}`);
  }
  await tx.query(`UPDATE transfer SET status = 'cancelled' WHERE id = $1`, [transferId]);
  const after = (await transferById(tx, transferId))!;
  await recordChange(tx, { objectType: 'transfer', objectKey: transferId, action: 'modify', version: 2, actor, before: t, after });
  return after;
}
