/**
 * Declarative tables: how registry values map onto RDAP JSON values (RFC 9083 §10.2 and the IANA
 * "RDAP JSON Values" registry), and the rdapConformance identifiers each extension adds.
 */
import type { DelegationStatus } from '../registry/status-rules.js';

export const RDAP_MEDIA_TYPE = 'application/rdap+json';

/** rdapConformance identifier of every extension numreg uses (IANA "RDAP Extensions" registry). */
export const CONFORMANCE = {
  level0: 'rdap_level_0',
  nroProfile: 'nro_rdap_profile_0',
  asnHierarchical: 'nro_rdap_profile_asn_hierarchical_0',
  cidr0: 'cidr0',
  objectTag: 'rdap_objectTag_level_0',
  redacted: 'redacted',
  rirSearch: 'rirSearch1',
  ips: 'ips',
  autnums: 'autnums',
  reverseSearch: 'reverse_search',
  sorting: 'sorting',
  paging: 'paging',
  subsetting: 'subsetting',
} as const;

/** Delegation status → RDAP `status` values (RDAP JSON values registry, type "status"). */
export const STATUS_VALUES: Record<DelegationStatus, string[]> = {
  allocated: ['active'],
  'sub-allocated': ['active'],
  assigned: ['active'],
  legacy: ['active'],
  reserved: ['reserved'],
  available: ['inactive'],
};

/** Delegation status → the registry-specific `type` string of ip networks (APNIC/JPNIC wording). */
export const NETWORK_TYPES: Record<DelegationStatus, string> = {
  allocated: 'ALLOCATED PORTABLE',
  'sub-allocated': 'ALLOCATED NON-PORTABLE',
  assigned: 'ASSIGNED PORTABLE',
  legacy: 'LEGACY',
  reserved: 'RESERVED',
  available: 'AVAILABLE',
};

/** Every status value RDAP allows (IANA registry), for validation in tests and the JSON schema. */
export const REGISTERED_STATUSES = [
  'validated', 'renew prohibited', 'update prohibited', 'transfer prohibited', 'delete prohibited', 'proxy',
  'private', 'removed', 'obscured', 'associated', 'active', 'inactive', 'locked', 'pending create',
  'pending renew', 'pending transfer', 'pending update', 'pending delete', 'add period', 'auto renew period',
  'client delete prohibited', 'client hold', 'client renew prohibited', 'client transfer prohibited',
  'client update prohibited', 'pending restore', 'redemption period', 'renew period', 'server delete prohibited',
  'server renew prohibited', 'server transfer prohibited', 'server update prohibited', 'server hold',
  'transfer period', 'administrative', 'reserved',
] as const;

export const REGISTERED_ROLES = [
  'registrant', 'technical', 'administrative', 'abuse', 'billing', 'registrar', 'reseller', 'sponsor', 'proxy',
  'notifications', 'noc',
] as const;

/** Which delegation attribute names an entity in which role. */
export const CONTACT_ROLES = [
  { field: 'adminC', role: 'administrative' },
  { field: 'techC', role: 'technical' },
  { field: 'abuseC', role: 'abuse' },
] as const;

export const IP_VERSION = { ipv4: 'v4', ipv6: 'v6' } as const;
