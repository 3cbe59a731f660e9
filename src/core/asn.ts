import { ResourceParseError } from './errors.js';
import { FAMILY_MAX } from './types.js';

const AS_PLAIN = /^[0-9]+$/;
const AS_DOT = /^([0-9]+)\.([0-9]+)$/;

/**
 * AS numbers as users type them: "AS64496", "as64496", "64496", asdot "1.10" / "AS1.10" (RFC 5396:
 * high.low, each 0-65535). Range 0-4294967295. "AS-FOO" is an RPSL as-set name, not a number.
 */
export function parseAsn(text: string): bigint {
  const t = text.trim();
  if (t === '') throw new ResourceParseError(text, 'empty AS number');
  let body = t;
  if (/^as/i.test(t)) {
    body = t.slice(2);
    if (body.startsWith('-') || body.startsWith(':')) {
      throw new ResourceParseError(text, 'this is an AS-set name, not an AS number');
    }
    if (body === '') throw new ResourceParseError(text, 'AS number is missing after "AS"');
    if (/^\s/.test(body)) throw new ResourceParseError(text, 'no blank allowed between "AS" and the number');
  }
  const dot = AS_DOT.exec(body);
  if (dot) {
    const high = checkNoLeadingZero(dot[1]!, text, 'asdot high part');
    const low = checkNoLeadingZero(dot[2]!, text, 'asdot low part');
    if (high > 65535n) throw new ResourceParseError(text, `asdot high part ${high} is above 65535`);
    if (low > 65535n) throw new ResourceParseError(text, `asdot low part ${low} is above 65535`);
    return (high << 16n) | low;
  }
  if (!AS_PLAIN.test(body)) {
    if (body.startsWith('-')) throw new ResourceParseError(text, 'AS numbers are not negative');
    if ((body.match(/\./g) ?? []).length > 1) throw new ResourceParseError(text, 'asdot notation has exactly one "." (high.low)');
    throw new ResourceParseError(text, 'not an AS number (expected AS64496, 64496 or asdot 1.10)');
  }
  const n = checkNoLeadingZero(body, text, 'AS number');
  if (n > FAMILY_MAX.asn) throw new ResourceParseError(text, `AS number ${n} is above 4294967295`);
  return n;
}

function checkNoLeadingZero(digits: string, input: string, what: string): bigint {
  if (digits.length > 1 && digits[0] === '0') throw new ResourceParseError(input, `${what} ${JSON.stringify(digits)} has a leading zero`);
  return BigInt(digits);
}

function checkAsn(n: bigint): void {
  if (n < 0n || n > FAMILY_MAX.asn) throw new RangeError(`${n} is not a valid AS number`);
}

export function formatAsn(n: bigint): string {
  checkAsn(n);
  return `AS${n}`;
}

/** RFC 5396 asdot: plain below 65536, high.low above. */
export function formatAsdot(n: bigint): string {
  checkAsn(n);
  return n < 65536n ? `AS${n}` : `AS${n >> 16n}.${n & 0xffffn}`;
}
