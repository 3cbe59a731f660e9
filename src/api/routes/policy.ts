/** Policies, evaluation, what-if, resource requests and the waiting list. */
import { z } from 'zod';
import { ResourceSet, parseResource } from '../../core/index.js';
import { forbidden } from '../../registry/errors.js';
import { requireOrganisation } from '../../registry/organisations.js';
import {
  approveRequest, denyRequest, evaluateRequest, listRequests, policiesInForce, policiesWithProposals, POLICIES,
  serveWaitingList, submitRequest, waitingList, whatIf,
} from '../../policy/index.js';
import type { Caller } from '../route.js';
import { route } from '../route.js';
import { idParam, isoDate, requestBody, whatIfBody } from '../schemas.js';
import type { ApiDeps } from '../route.js';

const today = () => new Date().toISOString().slice(0, 10);

async function requestingOrg(deps: ApiDeps, caller: Caller, handle?: string): Promise<string> {
  if (handle) {
    const org = await requireOrganisation(deps.db, handle);
    if (caller.actor.kind === 'member' && caller.actor.orgId !== org.id) throw forbidden('a member can only request resources for its own organisation');
    return org.id;
  }
  if (!caller.key.orgId) throw forbidden('this API key belongs to no organisation; name one with "organisation"');
  return caller.key.orgId;
}

export const policyRoutes = [
  route({
    method: 'GET', path: '/api/policies', tag: 'policy', access: 'public', summary: 'Every policy, with the ones in force on a date marked',
    query: z.object({ date: isoDate.optional() }).strict(),
    handler: async ({ query }) => {
      const inForce = new Set(policiesInForce(query.date ?? today()).map((p) => p.id));
      return POLICIES.map((p) => ({ ...p, inForce: inForce.has(p.id) }));
    },
  }),
  route({
    method: 'POST', path: '/api/policy/evaluate', tag: 'policy', access: 'member', summary: 'What the policies in force say about a request, before submitting it',
    body: requestBody,
    handler: async ({ body, caller, deps }) => evaluateRequest(deps.db, { ...body, orgId: await requestingOrg(deps, caller!, body.organisation) }),
  }),
  route({
    method: 'POST', path: '/api/policy/what-if', tag: 'policy', access: 'public',
    summary: 'Replay requests against a pool under today\'s policies and with the named proposals',
    body: whatIfBody,
    handler: async ({ body }) => {
      const date = body.date ?? today();
      const pool = ResourceSet.fromRanges(body.pool.map(parseResource));
      const sets: Record<string, ReturnType<typeof policiesInForce>> = { 'policies in force': policiesInForce(date) };
      if (body.proposals.length) sets[`with ${body.proposals.join(', ')}`] = policiesWithProposals(date, body.proposals);
      return whatIf(pool, body.requests, sets).map(({ outcomes, ...summary }) => ({ ...summary, outcomes: outcomes.map((o) => ({ ...o.request, outcome: o.outcome, block: o.block })) }));
    },
  }),
  route({
    method: 'POST', path: '/api/requests', tag: 'requests', access: 'member', scope: 'registry:write', status: 201, summary: 'Request address space or an AS number',
    body: requestBody,
    handler: async ({ body, caller, deps }) => submitRequest(deps.registry, { ...body, orgId: await requestingOrg(deps, caller!, body.organisation) }, caller!.actor),
  }),
  route({
    method: 'GET', path: '/api/requests', tag: 'requests', access: 'member', summary: 'Requests (own organisation; staff see all)',
    query: z.object({ status: z.enum(['pending', 'approved', 'denied', 'waitlisted', 'fulfilled', 'withdrawn']).optional() }).strict(),
    handler: async ({ query, caller, deps }) =>
      listRequests(deps.db, { status: query.status, orgId: caller!.actor.kind === 'member' ? caller!.actor.orgId : undefined }),
  }),
  route({
    method: 'POST', path: '/api/requests/:id/approve', tag: 'requests', access: 'staff', summary: 'Approve: allocate from the free pool or queue on the waiting list',
    params: idParam, body: z.object({ comment: z.string().max(2000).optional() }).strict(),
    handler: async ({ params, body, caller, deps }) => approveRequest(deps.registry, params.id, caller!.actor, body.comment),
  }),
  route({
    method: 'POST', path: '/api/requests/:id/deny', tag: 'requests', access: 'staff', summary: 'Deny with a comment for the requester',
    params: idParam, body: z.object({ comment: z.string().min(1).max(2000) }).strict(),
    handler: async ({ params, body, caller, deps }) => denyRequest(deps.registry, params.id, caller!.actor, body.comment),
  }),
  route({
    method: 'GET', path: '/api/waiting-list', tag: 'requests', access: 'staff', summary: 'The IPv4 waiting list in FIFO order',
    handler: async ({ deps }) => waitingList(deps.db),
  }),
  route({
    method: 'POST', path: '/api/waiting-list/serve', tag: 'requests', access: 'staff', summary: 'Serve the waiting list from the current free pool',
    handler: async ({ caller, deps }) => serveWaitingList(deps.registry, caller!.actor),
  }),
];
