/**
 * The registry's free pool: what it holds minus what it has delegated, and best-fit selection of an
 * aligned block from it (the smallest free CIDR block that fits, lowest address first), which keeps large
 * blocks whole for as long as possible.
 */
import type { Queryable } from '../db/database.js';
import { ResourceSet, rangeToPrefixes, type NumberRange, type Prefix } from '../core/index.js';
import { childrenOf, delegationsOfHolder } from '../registry/lookup.js';

export async function freePool(db: Queryable, registryOrgId: string, family: 'ipv4' | 'ipv6' | 'asn'): Promise<ResourceSet> {
  let free = ResourceSet.fromRanges([]);
  for (const block of await delegationsOfHolder(db, registryOrgId, family)) {
    if (block.status !== 'allocated') continue;
    const used = (await childrenOf(db, block.id)).map((c) => c.range);
    free = free.union(ResourceSet.fromRanges([block.range]).subtract(ResourceSet.fromRanges(used)));
  }
  return free;
}

/** Best-fit aligned block of `prefixLength` from `free`, or undefined. */
export function bestFit(free: ResourceSet, family: 'ipv4' | 'ipv6', prefixLength: number): Prefix | undefined {
  let best: Prefix | undefined;
  for (const range of free.ranges(family)) {
    for (const p of rangeToPrefixes(range)) {
      if (p.length > prefixLength) continue;
      if (!best || p.length > best.length || (p.length === best.length && p.start < best.start)) best = p;
    }
  }
  return best && { family, start: best.start, length: prefixLength };
}

/** The first free AS number. */
export function firstFreeAsn(free: ResourceSet): NumberRange | undefined {
  const first = free.ranges('asn')[0];
  return first && { family: 'asn', start: first.start, end: first.start };
}

