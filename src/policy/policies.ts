/**
 * Allocation policies as data. Each entry cites the proposal (or policy document section) it comes from,
 * its state in the policy development process and when it is in force; `rule` is interpreted by
 * evaluate.ts. Dates are the registry's own implementation dates; operators edit this table, not code.
 */
import type { OrganisationRole } from '../registry/organisations.js';

export type PolicyState = 'draft' | 'consensus' | 'implemented' | 'abandoned';

export type PolicyRule =
  /** Requests of `family` by these roles are only allowed between these prefix lengths. */
  | { kind: 'size-limit'; family: 'ipv4' | 'ipv6'; roles: OrganisationRole[]; ixp?: boolean; shortest: number; longest: number }
  /** The organisation's total holding of `family` from this registry may not exceed a /`prefixLength`. */
  | { kind: 'total-cap'; family: 'ipv4'; roles: OrganisationRole[]; ixp?: boolean; prefixLength: number }
  /** Only these roles may receive `family` at all. */
  | { kind: 'eligibility'; family: 'ipv4' | 'ipv6' | 'asn'; roles: OrganisationRole[] }
  /** When the free pool has no block of the size, eligible requests queue in FIFO order. */
  | { kind: 'waiting-list'; family: 'ipv4'; longestQueued: number };

export interface Policy {
  id: string;
  title: string;
  text: string;
  /** The proposal or policy document the rule comes from. */
  source: string;
  state: PolicyState;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  rule: PolicyRule;
}

export const POLICIES: readonly Policy[] = [
  {
    id: 'ipv4-eligibility',
    title: 'IPv4 for account holders',
    text: 'IPv4 address space is delegated to LIRs (account holders) and IXPs; associate members are not eligible.',
    source: 'APNIC-127 §6',
    state: 'implemented', effectiveFrom: '2015-03-05', effectiveTo: null,
    rule: { kind: 'eligibility', family: 'ipv4', roles: ['lir', 'nir'] },
  },
  {
    id: 'ipv4-final-pool-23',
    title: 'Final IPv4 pool: at most a /23 per account holder, at least a /24',
    text: 'Each account holder may receive IPv4 delegations from the final pool totalling at most a /23; the minimum delegation is a /24.',
    source: 'prop-127',
    state: 'implemented', effectiveFrom: '2019-02-28', effectiveTo: null,
    rule: { kind: 'size-limit', family: 'ipv4', roles: ['lir'], ixp: false, shortest: 23, longest: 24 },
  },
  {
    id: 'ipv4-final-pool-cap-23',
    title: 'Final IPv4 pool: total holding cap /23',
    text: 'An account holder that already holds a /23 from the final pool is not eligible for more.',
    source: 'prop-127',
    state: 'implemented', effectiveFrom: '2019-02-28', effectiveTo: null,
    rule: { kind: 'total-cap', family: 'ipv4', roles: ['lir'], ixp: false, prefixLength: 23 },
  },
  {
    id: 'ipv4-max-24',
    title: 'Reduce the IPv4 delegation from /23 to /24',
    text: 'New account holders receive at most a /24 of IPv4, to stretch the remaining pool for new entrants.',
    source: 'prop-152',
    state: 'abandoned', effectiveFrom: null, effectiveTo: null,
    rule: { kind: 'size-limit', family: 'ipv4', roles: ['lir'], ixp: false, shortest: 24, longest: 24 },
  },
  {
    id: 'ipv4-cap-24',
    title: 'IPv4 total holding cap /24 (with prop-152)',
    text: 'With prop-152, an account holder that already holds a /24 from the pool is not eligible for more.',
    source: 'prop-152',
    state: 'abandoned', effectiveFrom: null, effectiveTo: null,
    rule: { kind: 'total-cap', family: 'ipv4', roles: ['lir'], ixp: false, prefixLength: 24 },
  },
  {
    id: 'ixp-ipv4-23',
    title: 'IPv4 for IXPs up to a /23',
    text: 'An Internet exchange point may receive an IPv4 assignment of up to a /23 for its peering fabric.',
    source: 'APNIC-127 §6.2.4',
    state: 'implemented', effectiveFrom: '2015-03-05', effectiveTo: '2025-02-08',
    rule: { kind: 'size-limit', family: 'ipv4', roles: ['lir', 'end-user', 'associate'], ixp: true, shortest: 23, longest: 24 },
  },
  {
    id: 'ixp-ipv4-26',
    title: 'Resizing of IPv4 assignment for the IXPs',
    text: 'IXPs receive a /26 by default and up to a /22 when they return the space assigned before.',
    source: 'prop-154',
    state: 'implemented', effectiveFrom: '2025-02-08', effectiveTo: null,
    rule: { kind: 'size-limit', family: 'ipv4', roles: ['lir', 'end-user', 'associate'], ixp: true, shortest: 22, longest: 26 },
  },
  {
    id: 'ipv6-lir-32-29',
    title: 'IPv6 for LIRs: /32 up to /29 without further justification',
    text: 'An LIR receives an IPv6 allocation between a /32 and a /29.',
    source: 'APNIC-127 §9',
    state: 'implemented', effectiveFrom: '2015-03-05', effectiveTo: null,
    rule: { kind: 'size-limit', family: 'ipv6', roles: ['lir', 'nir'], shortest: 29, longest: 32 },
  },
  {
    id: 'ipv6-eligibility',
    title: 'IPv6 for account holders and, with prop-155, associate members',
    text: 'IPv6 is delegated to LIRs and IXPs; associate members may receive an IPv6 PI assignment.',
    source: 'prop-155',
    state: 'implemented', effectiveFrom: '2024-06-04', effectiveTo: null,
    rule: { kind: 'eligibility', family: 'ipv6', roles: ['lir', 'nir', 'associate', 'end-user'] },
  },
  {
    id: 'ipv6-associate-48',
    title: 'IPv6 PI assignment for associate members: a /48',
    text: 'An associate member may receive one IPv6 provider-independent assignment of a /48.',
    source: 'prop-155',
    state: 'implemented', effectiveFrom: '2024-06-04', effectiveTo: null,
    rule: { kind: 'size-limit', family: 'ipv6', roles: ['associate', 'end-user'], shortest: 48, longest: 48 },
  },
  {
    id: 'asn-eligibility',
    title: 'AS numbers for members that multihome',
    text: 'Members and associate members may receive an AS number for a multihomed network.',
    source: 'APNIC-127 §12',
    state: 'implemented', effectiveFrom: '2015-03-05', effectiveTo: null,
    rule: { kind: 'eligibility', family: 'asn', roles: ['lir', 'nir', 'associate', 'end-user'] },
  },
  {
    id: 'ipv4-waiting-list',
    title: 'IPv4 waiting list',
    text: 'When the free pool cannot serve an eligible request, the request joins a first-in first-out waiting list (at most a /23 is queued).',
    source: 'APNIC-127 §6.1 (waiting list)',
    state: 'implemented', effectiveFrom: '2019-02-28', effectiveTo: null,
    rule: { kind: 'waiting-list', family: 'ipv4', longestQueued: 23 },
  },
];

/** The policies in force on `date` (ISO yyyy-mm-dd): implemented and inside their effective window. */
export function policiesInForce(date: string, policies: readonly Policy[] = POLICIES): Policy[] {
  return policies.filter(
    (p) => p.state === 'implemented' && p.effectiveFrom !== null && p.effectiveFrom <= date && (p.effectiveTo === null || date < p.effectiveTo),
  );
}

/**
 * A policy set "as if" some proposals were implemented on `date` (for what-if runs): the policies in force
 * plus the named proposals' policies, where a proposal's size rule replaces the in-force size rule for the
 * same family, roles and IXP flag.
 */
export function policiesWithProposals(date: string, proposals: string[], policies: readonly Policy[] = POLICIES): Policy[] {
  const adopted = policies.filter((p) => proposals.includes(p.source));
  const replaced = (p: Policy) =>
    adopted.some((a) => a.rule.kind === p.rule.kind && a.rule.family === p.rule.family &&
      ('ixp' in a.rule ? a.rule.ixp : undefined) === ('ixp' in p.rule ? p.rule.ixp : undefined));
  return [...policiesInForce(date, policies).filter((p) => !replaced(p)), ...adopted];
}
