import { IANA, rirByIanaName, type KnownRegistry } from '../registries.js';
import type { IanaRecord } from './types.js';

export type DelegationStatus = 'allocated' | 'legacy' | 'reserved' | 'available';

/** Who holds an IANA block in the registry, and with which status. */
export type Holder =
  | { kind: 'registry'; registry: KnownRegistry; status: DelegationStatus }
  | { kind: 'legacy'; name: string; status: 'legacy' };

/**
 * The counting rules of the NIR newsletter, as data:
 * - IPv4: "X" and "Administered by X" are RIR X (allocated); "IANA - …", "Multicast" and "Future use" are IANA
 *   (reserved); every other designation is a named legacy holder (legacy).
 * - IPv6: RIR rows are allocated to the RIR; IANA's own ALLOCATED row (2001::/23) is allocated to IANA; the
 *   rest (RESERVED rows, 6to4, Documentation) are reserved, held by IANA.
 * - AS numbers: "Assigned by X" is allocated to RIR X; reserved ranges are reserved and unallocated ranges
 *   available, both held by IANA.
 */
export function classify(record: IanaRecord): Holder {
  const iana = (status: DelegationStatus): Holder => ({ kind: 'registry', registry: IANA, status });
  const rirName = record.designation.replace(/^Administered by /, '');
  const rir = rirByIanaName(rirName);
  switch (record.family) {
    case 'ipv4':
      if (rir) return { kind: 'registry', registry: rir, status: 'allocated' };
      if (/^IANA\b/.test(record.designation) || record.designation === 'Multicast' || record.designation === 'Future use') {
        return iana('reserved');
      }
      return { kind: 'legacy', name: record.designation, status: 'legacy' };
    case 'ipv6':
      if (rir) return { kind: 'registry', registry: rir, status: 'allocated' };
      if (record.designation === 'IANA' && record.status === 'ALLOCATED') return iana('allocated');
      return iana('reserved');
    case 'asn':
      if (record.status === 'ASSIGNED' && rir) return { kind: 'registry', registry: rir, status: 'allocated' };
      if (record.status === 'UNALLOCATED') return iana('available');
      return iana('reserved');
  }
}

/** Organisation handle for a named legacy holder: "LEGACY-" and the name in letters, digits and dashes. */
export function legacyHandle(name: string): string {
  const slug = name.toUpperCase().replace(/[^A-Z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `LEGACY-${slug}`.slice(0, 63).replace(/-+$/, '');
}
