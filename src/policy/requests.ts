/**
 * Resource requests: evaluate against the policies in force, store the decision, and on staff approval
 * allocate from the free pool (or queue on the waiting list) in the same transaction. The delegation
 * keeps the id of the decision that made it.
 */
import type { Queryable } from '../db/database.js';
import { formatRange, prefixToRange, type NumberRange } from '../core/index.js';
import type { Actor } from '../registry/actor.js';
import { delegate } from '../registry/delegations.js';
import type { Delegation } from '../registry/delegation-model.js';
import { conflict, forbidden, invalidInput, notFound, RegistryError } from '../registry/errors.js';
import { recordChange } from '../registry/feed.js';
import { delegationsOfHolder } from '../registry/lookup.js';
import { organisationById, type Organisation } from '../registry/organisations.js';
import type { Registry } from '../registry/registry.js';
import { evaluate, type Decision } from './evaluate.js';
import { bestFit, firstFreeAsn, freePool } from './free-pool.js';
import { policiesInForce, type Policy } from './policies.js';

export interface RequestInput {
  orgId: string;
  family: 'ipv4' | 'ipv6' | 'asn';
  prefixLength?: number;
  isIxp?: boolean;
  purpose?: string;
  /** Evaluation date (yyyy-mm-dd); today by default. */
  date?: string;
}

export interface Evaluation extends Decision {
  request: Required<Pick<RequestInput, 'orgId' | 'family' | 'isIxp' | 'date'>> & { prefixLength?: number; orgHandle: string };
  /** The block the free pool would give now, if any. */
  candidate: string | null;
}

const today = () => new Date().toISOString().slice(0, 10);

/** The registry organisation whose pool serves requests: the NIR, else the first RIR. */
export async function registryOrganisation(db: Queryable): Promise<Organisation> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id::text AS id FROM organisation WHERE role IN ('nir','rir') ORDER BY CASE role WHEN 'nir' THEN 0 ELSE 1 END, id LIMIT 1`,
  );
  if (!rows[0]) throw notFound('no registry organisation (NIR or RIR) exists yet; load the IANA bootstrap or the demo first');
  return (await organisationById(db, rows[0].id))!;
}

function checkShape(input: RequestInput): void {
  if (input.family === 'asn') {
    if (input.prefixLength !== undefined) throw invalidInput('an AS number request has no prefix length');
    return;
  }
  const max = input.family === 'ipv4' ? 32 : 128;
  if (input.prefixLength === undefined || !Number.isInteger(input.prefixLength) || input.prefixLength < 1 || input.prefixLength > max) {
    throw invalidInput(`prefix length must be an integer between 1 and ${max} for ${input.family}`);
  }
  if (input.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(input.date)) throw invalidInput(`date "${input.date}" is not yyyy-mm-dd`);
}

async function pickBlock(db: Queryable, registryOrgId: string, input: RequestInput): Promise<NumberRange | undefined> {
  const free = await freePool(db, registryOrgId, input.family);
  if (input.family === 'asn') return firstFreeAsn(free);
  const p = bestFit(free, input.family, input.prefixLength!);
  return p && prefixToRange(p);
}

/** Addresses the organisation holds: its outermost blocks only (its own assignments inside them are not more space). */
async function holdingOf(db: Queryable, orgId: string, family: RequestInput['family']): Promise<bigint> {
  const held = await delegationsOfHolder(db, orgId, family);
  const ids = new Set(held.map((d) => d.id));
  return held.filter((d) => d.parentId === null || !ids.has(d.parentId)).reduce((sum, d) => sum + (d.range.end - d.range.start + 1n), 0n);
}

export async function evaluateRequest(db: Queryable, input: RequestInput, policies?: readonly Policy[]): Promise<Evaluation> {
  checkShape(input);
  const org = await organisationById(db, input.orgId);
  if (!org) throw notFound(`organisation ${input.orgId} does not exist`);
  const date = input.date ?? today();
  const registryOrg = await registryOrganisation(db);
  const block = await pickBlock(db, registryOrg.id, input);
  const decision = evaluate(policies ?? policiesInForce(date), {
    family: input.family,
    prefixLength: input.prefixLength,
    role: org.role,
    isIxp: input.isIxp ?? false,
    holding: input.family === 'asn' ? 0n : await holdingOf(db, org.id, input.family),
    poolCanServe: block !== undefined,
  });
  return {
    ...decision,
    request: { orgId: org.id, orgHandle: org.handle, family: input.family, prefixLength: input.prefixLength, isIxp: input.isIxp ?? false, date },
    candidate: block ? formatRange(block) : null,
  };
}

async function storeDecision(tx: Queryable, evaluation: Evaluation): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    'INSERT INTO policy_decision (request, outcome, reasons) VALUES ($1, $2, $3) RETURNING id::text AS id',
    [JSON.stringify(evaluation.request), evaluation.outcome, JSON.stringify(evaluation.reasons)],
  );
  return rows[0]!.id;
}

export interface StoredRequest {
  id: string;
  orgId: string;
  family: string;
  prefixLength: number | null;
  isIxp: boolean;
  purpose: string | null;
  status: string;
  decisionId: string | null;
  delegationId: string | null;
  staffComment: string | null;
  requestedAt: string;
}

export async function requestById(db: Queryable, id: string): Promise<StoredRequest | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT id::text AS id, org_id::text AS org_id, family, prefix_length, is_ixp, purpose, status, decision_id::text AS decision_id,
            delegation_id::text AS delegation_id, staff_comment, requested_at FROM resource_request WHERE id = $1`, [id]);
  const r = rows[0];
  return r && {
    id: r.id as string, orgId: r.org_id as string, family: r.family as string, prefixLength: r.prefix_length as number | null,
    isIxp: r.is_ixp as boolean, purpose: r.purpose as string | null, status: r.status as string, decisionId: r.decision_id as string | null,
    delegationId: r.delegation_id as string | null, staffComment: r.staff_comment as string | null,
    requestedAt: new Date(r.requested_at as string).toISOString(),
  };
}

export async function listRequests(db: Queryable, filter: { status?: string; orgId?: string } = {}): Promise<StoredRequest[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.status) where.push(`status = $${params.push(filter.status)}`);
  if (filter.orgId) where.push(`org_id = $${params.push(filter.orgId)}`);
  const { rows } = await db.query<{ id: string }>(`SELECT id::text AS id FROM resource_request${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id`, params);
  return Promise.all(rows.map(async (r) => (await requestById(db, r.id))!));
}

/** An LIR (or staff on its behalf) asks for resources; the evaluation is stored and shown right away. */
export async function submitRequest(registry: Registry, input: RequestInput, actor: Actor): Promise<{ request: StoredRequest; evaluation: Evaluation }> {
  if (actor.kind === 'member' && actor.orgId !== input.orgId) throw forbidden('a member can only request resources for its own organisation');
  return registry.write(async (tx) => {
    const evaluation = await evaluateRequest(tx, input);
    const decisionId = await storeDecision(tx, evaluation);
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO resource_request (org_id, family, prefix_length, is_ixp, purpose, status, decision_id)
       VALUES ($1,$2,$3,$4,$5,'pending',$6) RETURNING id::text AS id`,
      [input.orgId, input.family, input.prefixLength ?? null, input.isIxp ?? false, input.purpose ?? null, decisionId],
    );
    const request = (await requestById(tx, rows[0]!.id))!;
    await recordChange(tx, { objectType: 'resource-request', objectKey: request.id, action: 'create', version: 1, actor, after: { ...request, evaluation } });
    return { request, evaluation };
  });
}

function requireStaff(actor: Actor): void {
  if (actor.kind === 'member') throw forbidden('only registry staff can decide requests');
}

/** Delegation status for what a request receives: IXPs and non-LIRs get assignments, LIRs allocations. */
const statusFor = (org: Organisation, isIxp: boolean) => (org.role === 'lir' || org.role === 'nir') && !isIxp ? 'allocated' : 'assigned';

/**
 * Staff approval: re-evaluates now (the pool may have changed since submission), then allocates from the
 * free pool, or queues the request on the waiting list, in one transaction.
 */
export async function approveRequest(registry: Registry, requestId: string, actor: Actor, comment?: string): Promise<{ request: StoredRequest; evaluation: Evaluation; delegation?: Delegation }> {
  requireStaff(actor);
  return registry.write(async (tx) => {
    const { rows } = await tx.query<{ status: string }>('SELECT status FROM resource_request WHERE id = $1 FOR UPDATE', [requestId]);
    if (!rows[0]) throw notFound(`request ${requestId} does not exist`);
    if (rows[0].status !== 'pending') throw conflict(`request ${requestId} is ${rows[0].status}, not pending`);
    const request = (await requestById(tx, requestId))!;
    const input: RequestInput = { orgId: request.orgId, family: request.family as RequestInput['family'], prefixLength: request.prefixLength ?? undefined, isIxp: request.isIxp };
    const evaluation = await evaluateRequest(tx, input);
    const decisionId = await storeDecision(tx, evaluation);
    if (evaluation.outcome === 'deny') {
      throw new RegistryError('policy-denied', `request ${requestId} cannot be approved: ${evaluation.reasons.filter((r) => r.verdict === 'denies').map((r) => `${r.reason} (${r.source})`).join('; ')}`, { reasons: evaluation.reasons });
    }
    let delegation: Delegation | undefined;
    let status = 'waitlisted';
    if (evaluation.outcome === 'approve') {
      const registryOrg = await registryOrganisation(tx);
      const org = (await organisationById(tx, request.orgId))!;
      const block = (await pickBlock(tx, registryOrg.id, input))!;
      const staffForRegistry: Actor = actor.kind === 'system' ? actor : { ...actor, orgId: registryOrg.id };
      delegation = (await delegate(tx, {
        range: block, holderHandle: org.handle, status: statusFor(org, request.isIxp), decisionId,
        country: org.country, reason: `request ${requestId} approved${comment ? `: ${comment}` : ''}`,
      }, staffForRegistry)).value;
      status = 'fulfilled';
    } else {
      await tx.query('INSERT INTO waiting_list (org_id, request_id, prefix_length) VALUES ($1, $2, $3)', [request.orgId, requestId, request.prefixLength]);
    }
    await tx.query(
      'UPDATE resource_request SET status = $2, decision_id = $3, delegation_id = $4, staff_comment = $5, decided_at = now() WHERE id = $1',
      [requestId, status, decisionId, delegation?.id ?? null, comment ?? null],
    );
    const after = (await requestById(tx, requestId))!;
    await recordChange(tx, { objectType: 'resource-request', objectKey: requestId, action: 'modify', version: 2, actor, reason: comment, before: request, after });
    return { request: after, evaluation, delegation };
  });
}

export async function denyRequest(registry: Registry, requestId: string, actor: Actor, comment: string): Promise<StoredRequest> {
  requireStaff(actor);
  if (!comment.trim()) throw invalidInput('a denial needs a comment for the requester');
  return registry.write(async (tx) => {
    const before = await requestById(tx, requestId);
    if (!before) throw notFound(`request ${requestId} does not exist`);
    if (before.status !== 'pending') throw conflict(`request ${requestId} is ${before.status}, not pending`);
    await tx.query(`UPDATE resource_request SET status = 'denied', staff_comment = $2, decided_at = now() WHERE id = $1`, [requestId, comment]);
    const after = (await requestById(tx, requestId))!;
    await recordChange(tx, { objectType: 'resource-request', objectKey: requestId, action: 'modify', version: 2, actor, reason: comment, before, after });
    return after;
  });
}

export interface WaitingEntry { id: string; orgId: string; orgHandle: string; prefixLength: number; queuedAt: string; requestId: string | null }

export async function waitingList(db: Queryable): Promise<WaitingEntry[]> {
  const { rows } = await db.query<{ id: string; org_id: string; handle: string; prefix_length: number; queued_at: Date; request_id: string | null }>(
    `SELECT w.id::text AS id, w.org_id::text AS org_id, o.handle, w.prefix_length, w.queued_at, w.request_id::text AS request_id
       FROM waiting_list w JOIN organisation o ON o.id = w.org_id WHERE w.fulfilled_at IS NULL ORDER BY w.queued_at, w.id`,
  );
  return rows.map((r) => ({ id: r.id, orgId: r.org_id, orgHandle: r.handle, prefixLength: r.prefix_length, queuedAt: new Date(r.queued_at).toISOString(), requestId: r.request_id }));
}

/** Serves the waiting list in FIFO order from the current free pool; stops at the first entry it cannot serve. */
export async function serveWaitingList(registry: Registry, actor: Actor): Promise<Delegation[]> {
  requireStaff(actor);
  return registry.write(async (tx) => {
    const served: Delegation[] = [];
    const registryOrg = await registryOrganisation(tx);
    for (const entry of await waitingList(tx)) {
      const free = await freePool(tx, registryOrg.id, 'ipv4');
      const p = bestFit(free, 'ipv4', entry.prefixLength);
      if (!p) break;
      const org = (await organisationById(tx, entry.orgId))!;
      const staffForRegistry: Actor = actor.kind === 'system' ? actor : { ...actor, orgId: registryOrg.id };
      const d = (await delegate(tx, { range: prefixToRange(p), holderHandle: org.handle, status: 'allocated', country: org.country, reason: `waiting list entry ${entry.id}` }, staffForRegistry)).value;
      await tx.query('UPDATE waiting_list SET fulfilled_at = now(), delegation_id = $2 WHERE id = $1', [entry.id, d.id]);
      if (entry.requestId) await tx.query(`UPDATE resource_request SET status = 'fulfilled', delegation_id = $2 WHERE id = $1`, [entry.requestId, d.id]);
      served.push(d);
    }
    return served;
  });
}

