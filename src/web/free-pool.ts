/**
 * The registry's free pool: the blocks the registry organisation holds (allocated to it), minus what it
 * has delegated from them. Allocation picks the first aligned prefix of the asked size (first fit, lowest
 * address), the way a hostmaster would take the next block from the top of the list.
 */
import type { Queryable } from '../db/database.js';
import { ResourceSet, type NumberRange, type Prefix } from '../core/index.js';
import { childrenOf, delegationsOfHolder } from '../registry/lookup.js';
import type { Delegation } from '../registry/delegation-model.js';

export interface PoolBlock { block: Delegation; free: ResourceSet }

export async function freePool(db: Queryable, registryOrgId: string, family: 'ipv4' | 'ipv6' | 'asn'): Promise<PoolBlock[]> {
  const blocks = (await delegationsOfHolder(db, registryOrgId, family)).filter((d) => ['allocated', 'legacy', 'sub-allocated'].includes(d.status));
  const out: PoolBlock[] = [];
  for (const block of blocks) {
    const children = await childrenOf(db, block.id);
    out.push({ block, free: ResourceSet.of(block.range).subtract(ResourceSet.fromRanges(children.map((c) => c.range))) });
  }
  return out;
}

const BITS = { ipv4: 32, ipv6: 128 } as const;

/** First aligned prefix of `length` inside the free ranges, with the block it comes from. */
export function firstFit(pool: PoolBlock[], family: 'ipv4' | 'ipv6', length: number): { prefix: Prefix; range: NumberRange; parent: Delegation } | undefined {
  const size = 1n << BigInt(BITS[family] - length);
  for (const { block, free } of pool) {
    for (const r of free.ranges(family)) {
      const start = ((r.start + size - 1n) / size) * size;
      if (start + size - 1n <= r.end) return { prefix: { family, start, length }, range: { family, start, end: start + size - 1n }, parent: block };
    }
  }
  return undefined;
}
