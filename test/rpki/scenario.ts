/**
 * The registry story the interop tests replay: an NIR with three LIRs, their ROAs, then a transfer,
 * a return and a key rollover. Expected VRPs are derived here independently of the CA code.
 */
import { parsePrefix, prefixToRange } from '../../src/core/prefix.js';
import { ResourceSet } from '../../src/core/resource-set.js';
import type { HolderInput, RoaInput, SyncInput } from '../../src/rpki/index.js';
import { vrpKey } from './peers.js';

export const NIR_RESOURCES = ResourceSet.parse('192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32, AS64496 - AS64511');

export const ROAS: RoaInput[] = [
  { holderHandle: 'LIR-A', prefix: '192.0.2.0/24', maxLength: 24, asn: 64496 },
  { holderHandle: 'LIR-A', prefix: '192.0.2.128/25', asn: 'AS64511' },
  { holderHandle: 'LIR-A', prefix: '2001:db8:1000::/36', maxLength: 48, asn: 64496 },
  { holderHandle: 'LIR-A', prefix: '198.51.100.0/24', asn: 64496 }, // not A's: never certified
  { holderHandle: 'LIR-B', prefix: '198.51.100.0/24', maxLength: 24, asn: 64497 },
  { holderHandle: 'LIR-B', prefix: '198.51.100.0/25', maxLength: 25, asn: 64497 },
  { holderHandle: 'LIR-C', prefix: '203.0.113.0/25', asn: 'AS64498' },
  { holderHandle: 'LIR-C', prefix: '198.51.100.0/25', asn: 64498 }, // valid once the /25 is transferred to C
];

export const STAGES: { name: string; holders: HolderInput[] }[] = [
  {
    name: 'initial',
    holders: [
      { handle: 'LIR-A', resources: ResourceSet.parse('192.0.2.0/24, 2001:db8:1000::/36, AS64496') },
      { handle: 'LIR-B', resources: ResourceSet.parse('198.51.100.0/24, AS64497') },
      { handle: 'LIR-C', resources: ResourceSet.parse('203.0.113.0/25, AS64498') },
    ],
  },
  {
    name: 'transfer 198.51.100.0/25 LIR-B → LIR-C',
    holders: [
      { handle: 'LIR-A', resources: ResourceSet.parse('192.0.2.0/24, 2001:db8:1000::/36, AS64496') },
      { handle: 'LIR-B', resources: ResourceSet.parse('198.51.100.128/25, AS64497') },
      { handle: 'LIR-C', resources: ResourceSet.parse('203.0.113.0/25, 198.51.100.0/25, AS64498') },
    ],
  },
  {
    name: 'return of 2001:db8:1000::/36 by LIR-A',
    holders: [
      { handle: 'LIR-A', resources: ResourceSet.parse('192.0.2.0/24, AS64496') },
      { handle: 'LIR-B', resources: ResourceSet.parse('198.51.100.128/25, AS64497') },
      { handle: 'LIR-C', resources: ResourceSet.parse('203.0.113.0/25, 198.51.100.0/25, AS64498') },
    ],
  },
];

export function input(stage: number): SyncInput {
  return { holders: STAGES[stage]!.holders, roas: ROAS };
}

/** The VRPs a correct CA publishes for a stage: each ROA row whose prefix its holder holds. */
export function expectedFor(stage: number): string[] {
  const held = new Map(STAGES[stage]!.holders.map((h) => [h.handle, h.resources]));
  return ROAS.filter((r) => held.get(r.holderHandle)?.contains(prefixToRange(parsePrefix(String(r.prefix)))))
    .map((r) => {
      const p = parsePrefix(String(r.prefix));
      return vrpKey(String(r.asn), String(r.prefix), r.maxLength ?? p.length);
    })
    .sort();
}
