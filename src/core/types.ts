export type Family = 'ipv4' | 'ipv6' | 'asn';
export type IpFamily = 'ipv4' | 'ipv6';

/** An inclusive range of integers of one family: addresses for ipv4/ipv6, AS numbers for asn. */
export interface NumberRange {
  readonly family: Family;
  readonly start: bigint;
  readonly end: bigint;
}

/** A CIDR prefix; `start` has no bits set beyond `length`. */
export interface Prefix {
  readonly family: IpFamily;
  readonly start: bigint;
  readonly length: number;
}

export const FAMILIES: readonly Family[] = ['ipv4', 'ipv6', 'asn'];

/** Width in bits of each family's number space. */
export const FAMILY_BITS: Readonly<Record<Family, number>> = { ipv4: 32, ipv6: 128, asn: 32 };

/** Largest value of each family (2^bits - 1). */
export const FAMILY_MAX: Readonly<Record<Family, bigint>> = {
  ipv4: (1n << 32n) - 1n,
  ipv6: (1n << 128n) - 1n,
  asn: (1n << 32n) - 1n,
};

export function isFamily(x: unknown): x is Family {
  return x === 'ipv4' || x === 'ipv6' || x === 'asn';
}
