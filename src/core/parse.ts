import { formatAsn, parseAsn } from './asn.js';
import { ResourceParseError } from './errors.js';
import { formatIp, parseIpv4, parseIpv6 } from './ip.js';
import { parsePrefix, prefixToRange } from './prefix.js';
import type { Family, NumberRange } from './types.js';

/**
 * Every notation a user types for one number resource:
 *   prefix            192.0.2.0/24, 2001:db8::/32, abbreviated IPv4 10/8, 192.168/16
 *   range             192.0.2.0 - 192.0.3.127, 192.0.2.0-192.0.3.127, 2001:db8:: - 2001:db8::ff
 *   single address    192.0.2.1, 2001:db8::1
 *   AS number         AS64496, as64496, 64496, asdot 1.10 / AS1.10
 *   AS range          AS64496 - AS64511, AS64496-AS64511, 64496 - 64511
 *
 * Without a "/", text with exactly one dot ("1.10") is asdot, never an abbreviated IPv4 address: BSD
 * inet_aton reads "1.10" as 1.0.0.10, others as 1.10.0.0, so abbreviated IPv4 is accepted only as a prefix
 * ("10/8"), where the length says which octets were meant.
 */
export function parseResource(text: string): NumberRange {
  const t = text.trim();
  if (t === '') throw new ResourceParseError(text, 'empty input');
  if (/^as-/i.test(t) || /^as[0-9.]*:/i.test(t)) throw new ResourceParseError(text, 'this is an AS-set name, not an AS number');
  const dash = t.indexOf('-');
  if (dash >= 0) {
    if (t.indexOf('-', dash + 1) >= 0) throw new ResourceParseError(text, 'a range has exactly one "-"');
    const left = t.slice(0, dash).trim();
    const right = t.slice(dash + 1).trim();
    if (left === '') throw new ResourceParseError(text, 'range start is missing before "-"');
    if (right === '') throw new ResourceParseError(text, 'range end is missing after "-"');
    if (left.includes('/') || right.includes('/')) throw new ResourceParseError(text, 'range ends are single values, not prefixes');
    const a = rangeEnd(left, text, 'range start');
    const b = rangeEnd(right, text, 'range end');
    if (a.family !== b.family) throw new ResourceParseError(text, `range start is ${describe(a.family)} but end is ${describe(b.family)}`);
    if (a.value > b.value) {
      throw new ResourceParseError(text, `range start ${formatValue(a.family, a.value)} is above end ${formatValue(b.family, b.value)}`);
    }
    return { family: a.family, start: a.value, end: b.value };
  }
  if (t.includes('/')) return prefixToRange(parsePrefix(text, { abbreviated: true }));
  const v = parseEndpoint(t, text);
  return { family: v.family, start: v.value, end: v.value };
}

function rangeEnd(s: string, input: string, label: string): { family: Family; value: bigint } {
  try {
    return parseEndpoint(s, s);
  } catch (e) {
    if (e instanceof ResourceParseError) throw new ResourceParseError(input, `${label} ${JSON.stringify(s)}: ${e.reason}`);
    throw e;
  }
}

function parseEndpoint(s: string, input: string): { family: Family; value: bigint } {
  if (s.includes(':')) return { family: 'ipv6', value: parseIpv6(s, input) };
  const dots = s.split('.').length - 1;
  if (dots >= 2) return { family: 'ipv4', value: parseIpv4(s, input) };
  try {
    return { family: 'asn', value: parseAsn(s) };
  } catch (e) {
    if (!(e instanceof ResourceParseError)) throw e;
    const known = /^[0-9.]+$/.test(s) || /^as/i.test(s);
    throw new ResourceParseError(input, known ? e.reason : 'not a prefix, address, range or AS number');
  }
}

function describe(f: Family): string {
  return f === 'asn' ? 'an AS number' : f === 'ipv4' ? 'IPv4' : 'IPv6';
}

function formatValue(f: Family, v: bigint): string {
  return f === 'asn' ? formatAsn(v) : formatIp(f, v);
}

/** A comma- or newline-separated list of resources ("192.0.2.0/24, AS64496, 2001:db8::/32"). */
export function parseResourceList(text: string): NumberRange[] {
  return text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(parseResource);
}
