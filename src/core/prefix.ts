import { ResourceParseError } from './errors.js';
import { formatIp, parseIp, parseIpv4 } from './ip.js';
import { FAMILY_BITS, type IpFamily, type NumberRange, type Prefix } from './types.js';

export interface ParsePrefixOptions {
  /** Mask off bits beyond the length ("192.0.2.1/24" → 192.0.2.0/24) instead of refusing them. */
  allowHostBits?: boolean;
  /**
   * Accept APNIC-style abbreviated IPv4 ("10/8", "192.168/16", "202.12.29/24"): missing trailing octets
   * are zero. Only when the octets given cover the whole length, so nothing beyond what was typed is
   * guessed ("10/16" is refused: write 10.0/16 or 10.0.0.0/16).
   */
  abbreviated?: boolean;
}

const LENGTH = /^(0|[1-9][0-9]*)$/;

/** Host-part mask of a prefix length: the bits beyond `length`. */
export function hostMask(family: IpFamily, length: number): bigint {
  return (1n << BigInt(FAMILY_BITS[family] - length)) - 1n;
}

export function parsePrefix(text: string, options: ParsePrefixOptions = {}): Prefix {
  const t = text.trim();
  const slash = t.indexOf('/');
  if (slash < 0) throw new ResourceParseError(text, 'a prefix needs "/length"');
  if (t.indexOf('/', slash + 1) >= 0) throw new ResourceParseError(text, 'more than one "/"');
  const addrText = t.slice(0, slash).trim();
  const lenText = t.slice(slash + 1).trim();
  if (lenText === '') throw new ResourceParseError(text, 'prefix length is missing after "/"');
  if (!LENGTH.test(lenText)) throw new ResourceParseError(text, `prefix length ${JSON.stringify(lenText)} is not a decimal number without leading zeros`);
  const length = Number(lenText);

  let family: IpFamily;
  let value: bigint;
  const dots = addrText.split('.').length - 1;
  if (!addrText.includes(':') && dots < 3 && addrText !== '') {
    if (!options.abbreviated) throw new ResourceParseError(text, `an IPv4 address has 4 dot-separated octets, found ${dots + 1}`);
    const given = dots + 1;
    if (length > given * 8) {
      throw new ResourceParseError(text, `abbreviated prefix gives ${given} octet${given > 1 ? 's' : ''}, too few for /${length}; write the full address`);
    }
    family = 'ipv4';
    value = parseIpv4([...addrText.split('.'), '0', '0', '0'].slice(0, 4).join('.'), text);
  } else {
    try {
      ({ family, value } = parseIp(addrText));
    } catch (e) {
      if (e instanceof ResourceParseError) throw new ResourceParseError(text, e.reason);
      throw e;
    }
  }
  const bits = FAMILY_BITS[family];
  if (length > bits) throw new ResourceParseError(text, `prefix length /${length} is above /${bits} for ${family === 'ipv4' ? 'IPv4' : 'IPv6'}`);
  const mask = hostMask(family, length);
  if ((value & mask) !== 0n) {
    const base = value & ~mask;
    if (!options.allowHostBits) {
      throw new ResourceParseError(text, `host bits set beyond /${length} (the prefix is ${formatIp(family, base)}/${length})`);
    }
    value = base;
  }
  return { family, start: value, length };
}

export function formatPrefix(p: Prefix): string {
  return `${formatIp(p.family, p.start)}/${p.length}`;
}

export function prefixToRange(p: Prefix): NumberRange {
  return { family: p.family, start: p.start, end: p.start + hostMask(p.family, p.length) };
}

/** The prefix covering exactly this range, or undefined when the range is not a CIDR block. */
export function rangeToPrefix(r: NumberRange): Prefix | undefined {
  if (r.family === 'asn') return undefined;
  const size = r.end - r.start + 1n;
  if (size <= 0n || (size & (size - 1n)) !== 0n) return undefined;
  if ((r.start & (size - 1n)) !== 0n) return undefined;
  const hostBits = size.toString(2).length - 1;
  return { family: r.family, start: r.start, length: FAMILY_BITS[r.family] - hostBits };
}

/** Whether `inner` lies within `outer` (equal counts). */
export function prefixContains(outer: Prefix, inner: Prefix): boolean {
  if (outer.family !== inner.family || inner.length < outer.length) return false;
  return (inner.start & ~hostMask(outer.family, outer.length)) === outer.start;
}
