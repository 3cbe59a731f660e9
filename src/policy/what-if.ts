/**
 * What-if: replay a list of requests against a pool under several policy sets and report who is served,
 * what is left, and when the pool runs out — the question asked whenever distribution sizes are debated.
 * Runs in memory with the same `evaluate` as live requests, so the answers agree with the real engine.
 */
import { ResourceSet, formatRange, prefixToRange, type NumberRange } from '../core/index.js';
import type { OrganisationRole } from '../registry/organisations.js';
import { evaluate, type Outcome, type Reason } from './evaluate.js';
import { bestFit } from './free-pool.js';
import type { Policy } from './policies.js';

export interface WhatIfRequest {
  org: string;
  role: OrganisationRole;
  family: 'ipv4' | 'ipv6';
  prefixLength: number;
  date: string;
  isIxp?: boolean;
}

export interface WhatIfOutcome {
  request: WhatIfRequest;
  outcome: Outcome;
  block: string | null;
  reasons: Reason[];
}

export interface WhatIfResult {
  name: string;
  served: number;
  denied: number;
  waitlisted: number;
  addressesServed: bigint;
  addressesLeft: { ipv4: bigint; ipv6: bigint };
  /** Date of the first request that could not be served for lack of space, or null. */
  exhaustedOn: string | null;
  outcomes: WhatIfOutcome[];
}

export function replay(name: string, pool: ResourceSet, requests: readonly WhatIfRequest[], policies: readonly Policy[]): WhatIfResult {
  let free = pool;
  const holdings = new Map<string, bigint>();
  const result: WhatIfResult = { name, served: 0, denied: 0, waitlisted: 0, addressesServed: 0n, addressesLeft: { ipv4: 0n, ipv6: 0n }, exhaustedOn: null, outcomes: [] };
  const ordered = [...requests].sort((a, b) => a.date.localeCompare(b.date));
  for (const request of ordered) {
    const key = `${request.org}/${request.family}`;
    const fit = bestFit(free, request.family, request.prefixLength);
    const decision = evaluate(policies, {
      family: request.family, prefixLength: request.prefixLength, role: request.role, isIxp: request.isIxp ?? false,
      holding: holdings.get(key) ?? 0n, poolCanServe: fit !== undefined,
    });
    let block: NumberRange | undefined;
    if (decision.outcome === 'approve' && fit) {
      block = prefixToRange(fit);
      free = free.subtract(ResourceSet.fromRanges([block]));
      const size = block.end - block.start + 1n;
      holdings.set(key, (holdings.get(key) ?? 0n) + size);
      result.served++;
      result.addressesServed += size;
    } else if (decision.outcome === 'waitlist') {
      result.waitlisted++;
    } else {
      result.denied++;
    }
    if (!fit && result.exhaustedOn === null) result.exhaustedOn = request.date;
    result.outcomes.push({ request, outcome: decision.outcome, block: block ? formatRange(block) : null, reasons: decision.reasons });
  }
  result.addressesLeft = { ipv4: free.size('ipv4'), ipv6: free.size('ipv6') };
  return result;
}

/** Runs the same requests under each named policy set. */
export function whatIf(pool: ResourceSet, requests: readonly WhatIfRequest[], policySets: Record<string, readonly Policy[]>): WhatIfResult[] {
  return Object.entries(policySets).map(([name, policies]) => replay(name, pool, requests, policies));
}
