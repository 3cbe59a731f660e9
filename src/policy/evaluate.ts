/**
 * Pure evaluation of a resource request against a set of policies. The decision always carries the
 * policies that made it and why, so staff, the LIR and the audit log read the same reasons.
 */
import type { OrganisationRole } from '../registry/organisations.js';
import type { Policy, PolicyRule } from './policies.js';

export type Outcome = 'approve' | 'deny' | 'waitlist';

export interface RequestFacts {
  family: 'ipv4' | 'ipv6' | 'asn';
  /** Requested prefix length (IP) — absent for AS numbers. */
  prefixLength?: number;
  role: OrganisationRole;
  isIxp: boolean;
  /** Addresses of `family` the organisation already holds from this registry. */
  holding: bigint;
  /** Whether the free pool has a block of the requested size. */
  poolCanServe: boolean;
}

export interface Reason {
  policyId: string;
  source: string;
  verdict: 'allows' | 'denies' | 'queues';
  reason: string;
}

export interface Decision {
  outcome: Outcome;
  reasons: Reason[];
}

type RuleCheck<K extends PolicyRule['kind']> = (rule: Extract<PolicyRule, { kind: K }>, facts: RequestFacts) => Omit<Reason, 'policyId' | 'source'> | undefined;

const appliesTo = (rule: { roles: OrganisationRole[]; ixp?: boolean }, f: RequestFacts) =>
  rule.roles.includes(f.role) && (rule.ixp === undefined || rule.ixp === f.isIxp);

const addresses = (family: 'ipv4' | 'ipv6', length: number) => 1n << BigInt((family === 'ipv4' ? 32 : 128) - length);

/** One check per rule kind; `undefined` means the rule does not apply to this request. */
const CHECKS: { [K in PolicyRule['kind']]: RuleCheck<K> } = {
  eligibility: (rule, f) => {
    if (rule.family !== f.family) return undefined;
    return rule.roles.includes(f.role)
      ? { verdict: 'allows', reason: `${f.role} organisations are eligible for ${f.family}` }
      : { verdict: 'denies', reason: `${f.role} organisations are not eligible for ${f.family} (eligible: ${rule.roles.join(', ')})` };
  },
  'size-limit': (rule, f) => {
    if (rule.family !== f.family || !appliesTo(rule, f) || f.prefixLength === undefined) return undefined;
    const who = rule.ixp ? 'an IXP' : `a ${f.role}`;
    if (f.prefixLength < rule.shortest) return { verdict: 'denies', reason: `/${f.prefixLength} is larger than the /${rule.shortest} ${who} may receive` };
    if (f.prefixLength > rule.longest) return { verdict: 'denies', reason: `/${f.prefixLength} is smaller than the minimum delegation /${rule.longest}` };
    return { verdict: 'allows', reason: `/${f.prefixLength} is within /${rule.shortest}–/${rule.longest} for ${who}` };
  },
  'total-cap': (rule, f) => {
    if (rule.family !== f.family || !appliesTo(rule, f) || f.prefixLength === undefined) return undefined;
    const cap = addresses('ipv4', rule.prefixLength);
    const after = f.holding + addresses('ipv4', f.prefixLength);
    return after > cap
      ? { verdict: 'denies', reason: `holding would become ${after} addresses, above the /${rule.prefixLength} cap (${cap}); already holds ${f.holding}` }
      : { verdict: 'allows', reason: `holding after delegation ${after} of at most ${cap} addresses` };
  },
  'waiting-list': (rule, f) => {
    if (rule.family !== f.family || f.poolCanServe || f.prefixLength === undefined) return undefined;
    return f.prefixLength >= rule.longestQueued
      ? { verdict: 'queues', reason: `the free pool has no /${f.prefixLength}; the request joins the waiting list` }
      : { verdict: 'denies', reason: `the free pool has no /${f.prefixLength} and only requests up to a /${rule.longestQueued} are queued` };
  },
};

export function evaluate(policies: readonly Policy[], facts: RequestFacts): Decision {
  const reasons: Reason[] = [];
  for (const policy of policies) {
    const check = CHECKS[policy.rule.kind] as RuleCheck<PolicyRule['kind']>;
    const finding = check(policy.rule as never, facts);
    if (finding) reasons.push({ policyId: policy.id, source: policy.source, ...finding });
  }
  const needsSize = facts.family !== 'asn';
  if (needsSize && !reasons.some((r) => r.verdict !== 'denies' && policies.find((p) => p.id === r.policyId)?.rule.kind === 'size-limit')
      && !reasons.some((r) => r.verdict === 'denies')) {
    reasons.push({ policyId: 'no-applicable-size-policy', source: 'numreg', verdict: 'denies', reason: `no policy in force sets a ${facts.family} size for ${facts.isIxp ? 'IXPs' : `${facts.role} organisations`}` });
  }
  if (reasons.some((r) => r.verdict === 'denies')) return { outcome: 'deny', reasons };
  if (!facts.poolCanServe) {
    if (reasons.some((r) => r.verdict === 'queues')) return { outcome: 'waitlist', reasons };
    reasons.push({ policyId: 'free-pool', source: 'numreg', verdict: 'denies', reason: `the free pool has no block of the requested size and no waiting list applies` });
    return { outcome: 'deny', reasons };
  }
  return { outcome: 'approve', reasons };
}
