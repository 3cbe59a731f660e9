import { ResourceParseError } from './errors.js';
import { FAMILY_MAX, type IpFamily } from './types.js';

export interface IpAddress {
  readonly family: IpFamily;
  readonly value: bigint;
}

const DECIMAL = /^[0-9]+$/;
const HEX = /^[0-9a-fA-F]+$/;

/** Parses an IPv4 or IPv6 address (IPv6 if the text contains a colon). Surrounding blanks are ignored. */
export function parseIp(text: string): IpAddress {
  const t = text.trim();
  if (t === '') throw new ResourceParseError(text, 'empty address');
  if (t.includes(':')) return { family: 'ipv6', value: parseIpv6(text) };
  return { family: 'ipv4', value: parseIpv4(text) };
}

/**
 * Strict dotted-quad IPv4: exactly four decimal octets 0-255 without leading zeros ("010" is octal to some
 * tools and decimal to others, so it is refused rather than guessed).
 */
export function parseIpv4(text: string, input: string = text): bigint {
  const t = text.trim();
  const parts = t.split('.');
  if (parts.length !== 4) {
    throw new ResourceParseError(input, `an IPv4 address has 4 dot-separated octets, found ${parts.length}`);
  }
  let value = 0n;
  for (let i = 0; i < 4; i++) {
    value = (value << 8n) | BigInt(parseOctet(parts[i]!, i + 1, input));
  }
  return value;
}

function parseOctet(part: string, position: number, input: string): number {
  if (part === '') throw new ResourceParseError(input, `octet ${position} is empty`);
  if (!DECIMAL.test(part)) throw new ResourceParseError(input, `octet ${position} ${JSON.stringify(part)} is not a decimal number`);
  if (part.length > 1 && part[0] === '0') {
    throw new ResourceParseError(input, `octet ${position} ${JSON.stringify(part)} has a leading zero (ambiguous: octal or decimal)`);
  }
  const n = Number(part);
  if (n > 255) throw new ResourceParseError(input, `octet ${position} is ${part}, above 255`);
  return n;
}

/**
 * RFC 4291 section 2.2 text: eight groups of 1-4 hex digits, at most one "::" standing for one or more zero
 * groups, optionally ending in a dotted-quad IPv4 address (which counts as two groups). Zone indexes
 * ("%eth0") are refused: they name an interface, not a number resource.
 */
export function parseIpv6(text: string, input: string = text): bigint {
  const t = text.trim();
  if (t === '') throw new ResourceParseError(input, 'empty address');
  if (t.includes('%')) throw new ResourceParseError(input, 'zone index ("%…") is not allowed in a number resource');
  if (t.includes(':::')) throw new ResourceParseError(input, '":::" is not valid (at most two colons in a row)');
  const halves = t.split('::');
  if (halves.length > 2) throw new ResourceParseError(input, '"::" may appear only once');
  const compressed = halves.length === 2;
  const head = splitGroups(halves[0]!, input, compressed ? 'head' : 'whole');
  const tail = compressed ? splitGroups(halves[1]!, input, 'tail') : [];
  const groups = [...head, ...tail];
  // A dotted quad is allowed only as the very last element.
  const words: number[] = [];
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    if (g.includes('.')) {
      if (i !== groups.length - 1) throw new ResourceParseError(input, `embedded IPv4 address ${JSON.stringify(g)} must come last`);
      const v4 = Number(parseIpv4(g, input));
      words.push(v4 >>> 16, v4 & 0xffff);
      continue;
    }
    if (!HEX.test(g)) throw new ResourceParseError(input, `group ${JSON.stringify(g)} is not hexadecimal`);
    if (g.length > 4) throw new ResourceParseError(input, `group ${JSON.stringify(g)} has more than 4 hex digits`);
    words.push(parseInt(g, 16));
  }
  const headWords = countWords(head);
  if (compressed) {
    if (words.length > 7) {
      throw new ResourceParseError(input, `"::" stands for at least one zero group, but ${words.length} groups are already present`);
    }
    words.splice(headWords, 0, ...new Array<number>(8 - words.length).fill(0));
  } else if (words.length !== 8) {
    throw new ResourceParseError(input, `an IPv6 address has 8 groups (or uses "::"), found ${words.length}`);
  }
  let value = 0n;
  for (const w of words) value = (value << 16n) | BigInt(w);
  return value;
}

function splitGroups(s: string, input: string, part: 'whole' | 'head' | 'tail'): string[] {
  if (s === '') return [];
  const groups = s.split(':');
  // "::" is split off already, so an empty first or last group here can only be a lone colon at an end.
  if (groups[0] === '' && part !== 'tail') throw new ResourceParseError(input, 'starts with a single ":"');
  if (groups[groups.length - 1] === '' && part !== 'head') throw new ResourceParseError(input, 'ends with a single ":"');
  if (groups.some((g) => g === '')) throw new ResourceParseError(input, 'empty group');
  return groups;
}

function countWords(groups: string[]): number {
  return groups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
}

function checkValue(family: IpFamily, value: bigint): void {
  if (value < 0n || value > FAMILY_MAX[family]) throw new RangeError(`${value} is not a valid ${family} value`);
}

export function formatIpv4(value: bigint): string {
  checkValue('ipv4', value);
  const n = Number(value);
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

const HEX_ZEROS = '0'.repeat(32);
const MAPPED_HEX_PREFIX = '00000000000000000000ffff';

/**
 * RFC 5952 canonical text: lower case, no leading zeros, the longest run (first if tied) of two or more zero
 * groups compressed to "::". IPv4-mapped addresses (::ffff:0:0/96) keep the dotted quad (RFC 5952 section 5).
 * Works on the 32-digit hex text (one BigInt conversion): exports and WHOIS/RDAP answers format an address
 * per object, and 16 BigInt shifts and masks per address cost three times as much.
 */
export function formatIpv6(value: bigint): string {
  checkValue('ipv6', value);
  let hex = value.toString(16);
  if (hex.length < 32) hex = HEX_ZEROS.slice(hex.length) + hex;
  if (hex.startsWith(MAPPED_HEX_PREFIX)) return `::ffff:${formatIpv4(value & 0xffffffffn)}`;
  const groups: string[] = new Array(8);
  let bestStart = -1;
  let bestLen = 1; // runs of one zero group are not compressed
  let runStart = -1;
  for (let g = 0; g < 8; g++) {
    let i = g * 4;
    while (i < g * 4 + 3 && hex.charCodeAt(i) === 48 /* 0 */) i++;
    const group = hex.slice(i, g * 4 + 4);
    groups[g] = group;
    if (group !== '0') { runStart = -1; continue; }
    if (runStart < 0) runStart = g;
    if (g - runStart + 1 > bestLen) { bestStart = runStart; bestLen = g - runStart + 1; }
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLen).join(':')}`;
}

export function formatIp(family: IpFamily, value: bigint): string {
  return family === 'ipv4' ? formatIpv4(value) : formatIpv6(value);
}
