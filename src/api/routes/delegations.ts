/** Delegations: look-up, history, and every write operation of the registry. */
import { parseResource } from '../../core/index.js';
import { objectHistory } from '../../registry/feed.js';
import { notFound, invalidInput } from '../../registry/errors.js';
import { delegationById, delegationsOfHolder, exactMatch, lessSpecifics, longestMatch, moreSpecifics, overlapping } from '../../registry/lookup.js';
import { requireOrganisation } from '../../registry/organisations.js';
import { DELEGATE_OPERATIONS } from '../../registry/status-rules.js';
import { route } from '../route.js';
import { delegateBody, delegationAttributes, idParam, lookupQuery } from '../schemas.js';
import { z } from 'zod';

const reasonBody = z.object({ reason: z.string().max(1000).optional() }).strict();

export const delegationRoutes = [
  route({
    method: 'GET', path: '/api/delegations', tag: 'delegations', access: 'public',
    summary: 'Find delegations by resource (exact, longest, less, more, overlap) or by holder',
    query: lookupQuery,
    handler: async ({ query, deps }) => {
      let found;
      if (query.resource) {
        const range = parseResource(query.resource);
        const one = async (p: Promise<unknown>) => { const d = await p; return d ? [d] : []; };
        found = await ({
          exact: () => one(exactMatch(deps.db, range)),
          longest: () => one(longestMatch(deps.db, range)),
          less: () => lessSpecifics(deps.db, range),
          more: () => moreSpecifics(deps.db, range),
          overlap: () => overlapping(deps.db, range),
        })[query.match]();
      } else if (query.holder) {
        found = await delegationsOfHolder(deps.db, (await requireOrganisation(deps.db, query.holder)).id);
      } else {
        throw invalidInput('give resource=… or holder=…');
      }
      return query.status ? (found as Array<{ status: string }>).filter((d) => d.status === query.status) : found;
    },
  }),
  route({
    method: 'GET', path: '/api/delegations/:id', tag: 'delegations', access: 'public', summary: 'One delegation',
    params: idParam,
    handler: async ({ params, deps }) => {
      const d = await delegationById(deps.db, params.id);
      if (!d) throw notFound(`delegation ${params.id} does not exist`);
      return d;
    },
  }),
  route({
    method: 'GET', path: '/api/delegations/:id/history', tag: 'delegations', access: 'public', summary: 'Every version of a delegation (who, when, why, before/after)',
    params: idParam,
    handler: async ({ params, deps }) => {
      const history = await objectHistory(deps.db, 'delegation', params.id);
      if (history.length === 0) throw notFound(`delegation ${params.id} has no history`);
      return history;
    },
  }),
  route({
    method: 'POST', path: '/api/delegations', tag: 'delegations', access: 'member', scope: 'registry:write', status: 201,
    summary: 'Allocate, sub-allocate, assign or reserve from a block the caller holds',
    body: delegateBody,
    handler: async ({ body, caller, deps }) => {
      const { operation, resource, holder, reason, ...attributes } = body;
      const result = await deps.registry.delegate(
        { ...attributes, range: parseResource(resource), holderHandle: holder, status: DELEGATE_OPERATIONS[operation], reason },
        caller!.actor,
      );
      return result.value;
    },
  }),
  route({
    method: 'PATCH', path: '/api/delegations/:id', tag: 'delegations', access: 'member', scope: 'registry:write', summary: 'Modify descriptive attributes',
    params: idParam, body: delegationAttributes.extend({ reason: z.string().max(1000).optional() }).strict(),
    handler: async ({ params, body, caller, deps }) => {
      const { reason, ...patch } = body;
      return (await deps.registry.modify(params.id, patch, caller!.actor, reason)).value;
    },
  }),
  route({
    method: 'POST', path: '/api/delegations/:id/return', tag: 'delegations', access: 'member', scope: 'registry:write', summary: 'Return a block to the parent holder',
    params: idParam, body: reasonBody,
    handler: async ({ params, body, caller, deps }) => (await deps.registry.returnDelegation(params.id, caller!.actor, body.reason)).value,
  }),
  route({
    method: 'POST', path: '/api/delegations/:id/reclaim', tag: 'delegations', access: 'member', scope: 'registry:write', summary: 'Reclaim a block and everything under it',
    params: idParam, body: reasonBody,
    handler: async ({ params, body, caller, deps }) => (await deps.registry.reclaim(params.id, caller!.actor, body.reason)).value,
  }),
  route({
    method: 'POST', path: '/api/transfers', tag: 'transfers', access: 'member', scope: 'registry:write', status: 201, summary: 'Propose a transfer (holder side)',
    body: z.object({ delegationId: z.string().regex(/^\d{1,18}$/), to: z.string().min(1).max(63), reason: z.string().max(1000).optional() }).strict(),
    handler: async ({ body, caller, deps }) => (await deps.registry.proposeTransfer(body.delegationId, body.to, caller!.actor, body.reason)).transfer,
  }),
  route({
    method: 'POST', path: '/api/transfers/:id/approve', tag: 'transfers', access: 'member', scope: 'registry:write', summary: 'Approve a transfer (recipient side); the holder changes',
    params: idParam,
    handler: async ({ params, caller, deps }) => {
      const { transfer, delegation } = await deps.registry.approveTransfer(params.id, caller!.actor);
      return { transfer, delegation };
    },
  }),
  route({
    method: 'POST', path: '/api/transfers/:id/cancel', tag: 'transfers', access: 'member', scope: 'registry:write', summary: 'Cancel a proposed transfer (either side)',
    params: idParam,
    handler: async ({ params, caller, deps }) => deps.registry.cancelTransfer(params.id, caller!.actor),
  }),
];
