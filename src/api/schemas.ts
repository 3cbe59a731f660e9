import { z } from 'zod';
import { DELEGATE_OPERATIONS, DELEGATION_STATUSES } from '../registry/status-rules.js';
import { ORGANISATION_ROLES } from '../registry/organisations.js';

export const handle = z.string().min(1).max(63).describe('a registry handle, e.g. ORG-EXNET-JP');
export const resource = z.string().min(1).max(100).describe('prefix, range "a - b", address, AS number or AS range');
export const idParam = z.object({ id: z.string().regex(/^\d{1,18}$/, 'must be a numeric id') });
export const handleParam = z.object({ handle });
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date yyyy-mm-dd');
const handles = z.array(handle).max(20);

export const delegationAttributes = z.object({
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 two-letter code in capitals').nullable().optional(),
  netName: z.string().max(80).nullable().optional(),
  description: z.string().max(1000).nullable().optional(),
  adminC: handles.optional(),
  techC: handles.optional(),
  abuseC: handle.nullable().optional(),
  mntBy: handles.optional(),
  mntLower: handles.optional(),
  mntRoutes: handles.optional(),
});

export const delegateBody = delegationAttributes.extend({
  operation: z.enum(Object.keys(DELEGATE_OPERATIONS) as [keyof typeof DELEGATE_OPERATIONS]),
  resource,
  holder: handle,
  parentId: z.string().regex(/^\d{1,18}$/).optional(),
  delegatedOn: isoDate.optional(),
  reason: z.string().max(1000).optional(),
}).strict();

export const organisationBody = z.object({
  handle, name: z.string().min(1).max(200), nameLocal: z.string().max(200).optional(),
  role: z.enum(ORGANISATION_ROLES), country: z.string().regex(/^[A-Z]{2}$/).optional(), address: z.string().max(500).optional(),
  parent: handle.optional(), opaqueId: z.string().max(100).optional(), memberSince: isoDate.optional(),
}).strict();

export const contactBody = z.object({
  handle, kind: z.enum(['person', 'role']), name: z.string().min(1).max(200), nameLocal: z.string().max(200).optional(),
  email: z.string().max(200).optional(), abuseMailbox: z.string().max(200).optional(), phone: z.string().max(50).optional(),
  fax: z.string().max(50).optional(), address: z.string().max(500).optional(), organisation: handle.optional(),
}).strict();

export const contactChangesBody = z.object({
  name: z.string().min(1).max(200).optional(), nameLocal: z.string().max(200).nullable().optional(),
  email: z.string().max(200).nullable().optional(), abuseMailbox: z.string().max(200).nullable().optional(),
  phone: z.string().max(50).nullable().optional(), fax: z.string().max(50).nullable().optional(), address: z.string().max(500).nullable().optional(),
}).strict();

export const maintainerChangesBody = z.object({
  description: z.string().max(500).nullable().optional(), adminC: handles.optional(), password: z.string().min(12).max(200).optional(),
}).strict();

export const maintainerBody = z.object({
  handle, description: z.string().max(500).optional(), adminC: handles.optional(),
  password: z.string().min(12).max(200).optional(), organisation: handle.optional(),
}).strict();

export const requestBody = z.object({
  organisation: handle.optional().describe('defaults to the key\'s organisation'),
  family: z.enum(['ipv4', 'ipv6', 'asn']),
  prefixLength: z.number().int().min(1).max(128).optional(),
  isIxp: z.boolean().optional(),
  purpose: z.string().max(2000).optional(),
  date: isoDate.optional(),
}).strict();

export const whatIfBody = z.object({
  pool: z.array(resource).min(1).max(1000),
  date: isoDate.optional(),
  proposals: z.array(z.string().max(40)).max(20).default([]),
  requests: z.array(z.object({
    org: z.string().min(1).max(63), role: z.enum(ORGANISATION_ROLES), family: z.enum(['ipv4', 'ipv6']),
    prefixLength: z.number().int().min(1).max(128), date: isoDate, isIxp: z.boolean().optional(),
  })).min(1).max(100_000),
}).strict();

export const lookupQuery = z.object({
  resource: resource.optional(),
  match: z.enum(['exact', 'longest', 'less', 'more', 'overlap']).default('longest'),
  holder: handle.optional(),
  status: z.enum(DELEGATION_STATUSES).optional(),
}).strict();
