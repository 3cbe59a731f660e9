/** Organisations, contacts, maintainers and API keys. */
import { z } from 'zod';
import type { Actor } from '../../registry/actor.js';
import { createApiKey, API_KEY_SCOPES } from '../../registry/api-keys.js';
import { contactByHandle, contactsOfOrganisation } from '../../registry/contacts.js';
import { forbidden, notFound } from '../../registry/errors.js';
import { maintainerByHandle, maintainersOfOrganisation } from '../../registry/maintainers.js';
import { listOrganisations, organisationByHandle, requireOrganisation, ORGANISATION_ROLES } from '../../registry/organisations.js';
import { route } from '../route.js';
import { contactBody, contactChangesBody, handleParam, maintainerBody, maintainerChangesBody, organisationBody } from '../schemas.js';

/** A member may act only for its own organisation; staff and system for any. */
function ownOrg(actor: Actor, orgId: string, what: string): void {
  if (actor.kind === 'member' && actor.orgId !== orgId) throw forbidden(`a member can only ${what} of its own organisation`);
}

export const directoryRoutes = [
  route({
    method: 'GET', path: '/api/organisations', tag: 'directory', access: 'public', summary: 'List organisations',
    query: z.object({ role: z.enum(ORGANISATION_ROLES).optional(), name: z.string().max(200).optional() }).strict(),
    handler: async ({ query, deps }) => listOrganisations(deps.db, { role: query.role, nameLike: query.name }),
  }),
  route({
    method: 'GET', path: '/api/organisations/:handle', tag: 'directory', access: 'public', summary: 'One organisation',
    params: handleParam,
    handler: async ({ params, deps }) => requireOrganisation(deps.db, params.handle),
  }),
  route({
    method: 'POST', path: '/api/organisations', tag: 'directory', access: 'staff', status: 201, summary: 'Register an organisation (member, associate, end user)',
    body: organisationBody,
    handler: async ({ body, caller, deps }) => deps.registry.createOrganisation({ ...body, parentHandle: body.parent }, caller!.actor),
  }),
  route({
    method: 'POST', path: '/api/contacts', tag: 'directory', access: 'member', scope: 'registry:write', status: 201, summary: 'Create a person or role contact',
    body: contactBody,
    handler: async ({ body, caller, deps }) => {
      const orgHandle = body.organisation ?? caller!.key.orgHandle ?? undefined;
      if (orgHandle) ownOrg(caller!.actor, (await requireOrganisation(deps.db, orgHandle)).id, 'create contacts');
      return deps.registry.createContact({ ...body, orgHandle }, caller!.actor);
    },
  }),
  route({
    method: 'GET', path: '/api/contacts/:handle', tag: 'directory', access: 'member', summary: 'One contact (own organisation, or staff)',
    params: handleParam,
    handler: async ({ params, caller, deps }) => {
      const contact = await contactByHandle(deps.db, params.handle);
      if (!contact) throw notFound(`contact ${params.handle.toUpperCase()} does not exist`);
      const org = contact.orgHandle ? await organisationByHandle(deps.db, contact.orgHandle) : undefined;
      if (caller!.actor.kind === 'member' && org?.id !== caller!.actor.orgId) throw forbidden('a member can only read contacts of its own organisation; use RDAP or WHOIS for public data');
      return contact;
    },
  }),
  route({
    method: 'PATCH', path: '/api/contacts/:handle', tag: 'directory', access: 'member', scope: 'registry:write', summary: 'Modify a contact of the caller\'s organisation (history keeps the previous version)',
    params: handleParam,
    body: contactChangesBody,
    handler: async ({ params, body, caller, deps }) => {
      return deps.registry.updateContact(params.handle, body, caller!.actor);
    },
  }),
  route({
    method: 'DELETE', path: '/api/contacts/:handle', tag: 'directory', access: 'member', scope: 'registry:write', status: 204, summary: 'Delete a contact nothing refers to any more',
    params: handleParam,
    handler: async ({ params, caller, deps }) => {
      await deps.registry.deleteContact(params.handle, caller!.actor);
    },
  }),
  route({
    method: 'GET', path: '/api/organisations/:handle/contacts', tag: 'directory', access: 'member', summary: 'Contacts of an organisation',
    params: handleParam,
    handler: async ({ params, caller, deps }) => {
      const org = await requireOrganisation(deps.db, params.handle);
      ownOrg(caller!.actor, org.id, 'list contacts');
      return contactsOfOrganisation(deps.db, org.id);
    },
  }),
  route({
    method: 'POST', path: '/api/maintainers', tag: 'directory', access: 'member', scope: 'registry:write', status: 201, summary: 'Create a maintainer (password stored as bcrypt hash)',
    body: maintainerBody,
    handler: async ({ body, caller, deps }) => {
      const orgHandle = body.organisation ?? caller!.key.orgHandle ?? undefined;
      if (orgHandle) ownOrg(caller!.actor, (await requireOrganisation(deps.db, orgHandle)).id, 'create maintainers');
      return deps.registry.createMaintainer({ ...body, orgHandle }, caller!.actor);
    },
  }),
  route({
    method: 'GET', path: '/api/maintainers/:handle', tag: 'directory', access: 'public', summary: 'One maintainer (never its credentials)',
    params: handleParam,
    handler: async ({ params, deps }) => {
      const m = await maintainerByHandle(deps.db, params.handle);
      if (!m) throw notFound(`maintainer ${params.handle.toUpperCase()} does not exist`);
      return m;
    },
  }),
  route({
    method: 'PATCH', path: '/api/maintainers/:handle', tag: 'directory', access: 'member', scope: 'registry:write', summary: 'Modify a maintainer of the caller\'s organisation (description, admin-c, password)',
    params: handleParam,
    body: maintainerChangesBody,
    handler: async ({ params, body, caller, deps }) => {
      return deps.registry.updateMaintainer(params.handle, body, caller!.actor);
    },
  }),
  route({
    method: 'DELETE', path: '/api/maintainers/:handle', tag: 'directory', access: 'member', scope: 'registry:write', status: 204, summary: 'Delete a maintainer nothing refers to any more',
    params: handleParam,
    handler: async ({ params, caller, deps }) => {
      await deps.registry.deleteMaintainer(params.handle, caller!.actor);
    },
  }),
  route({
    method: 'GET', path: '/api/organisations/:handle/maintainers', tag: 'directory', access: 'public', summary: 'Maintainers of an organisation',
    params: handleParam,
    handler: async ({ params, deps }) => maintainersOfOrganisation(deps.db, (await requireOrganisation(deps.db, params.handle)).id),
  }),
  route({
    method: 'POST', path: '/api/keys', tag: 'directory', access: 'member', scope: 'registry:write', status: 201,
    summary: 'Create an API key for the caller\'s organisation (the secret is shown once)',
    body: z.object({ scopes: z.array(z.enum(API_KEY_SCOPES)).min(1), label: z.string().max(100).optional(), organisation: z.string().optional() }).strict(),
    handler: async ({ body, caller, deps }) => {
      const isStaff = caller!.key.scopes.includes('staff');
      if (!isStaff && body.scopes.some((s) => s === 'staff' || s === 'rdap:legitimate-interest')) {
        throw forbidden('only staff can grant the staff and rdap:legitimate-interest scopes');
      }
      const orgId = body.organisation && isStaff ? (await requireOrganisation(deps.db, body.organisation)).id : caller!.key.orgId;
      return deps.registry.write((tx) => createApiKey(tx, { orgId, scopes: body.scopes, label: body.label }, caller!.actor));
    },
  }),
];
