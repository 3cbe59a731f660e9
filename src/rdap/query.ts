/**
 * Parsing of RFC 9082 path segments and search parameters. Everything a client sends passes through
 * here first; anything malformed becomes a 400 before the database is touched.
 */
import { parseIp, parsePrefix, prefixToRange, ResourceParseError, FAMILY_MAX, type NumberRange } from '../core/index.js';
import { badRequest } from './errors.js';

const MAX_SEGMENT = 200;

/** `ip/<address>` or `ip/<prefix>/<length>` (RFC 9082 §3.1.1) → the range asked for. */
export function parseIpPath(text: string): NumberRange {
  if (text.length === 0 || text.length > MAX_SEGMENT) throw badRequest('an ip query needs an IPv4 or IPv6 address or CIDR prefix');
  if (/\s/.test(text)) throw badRequest(`"${clip(text)}" is not an IP address or prefix: blanks are not allowed`);
  try {
    if (text.includes('/')) return prefixToRange(parsePrefix(text));
    const ip = parseIp(text);
    return { family: ip.family, start: ip.value, end: ip.value };
  } catch (error) {
    if (error instanceof ResourceParseError) throw badRequest(`"${clip(text)}" is not an IP address or prefix: ${error.reason}`);
    throw error;
  }
}

/** `autnum/<n>`: a plain decimal AS number 0-4294967295 (RFC 9082 §3.1.2; "AS" prefixes are accepted too). */
export function parseAutnumPath(text: string): bigint {
  const body = /^as/i.test(text) ? text.slice(2) : text;
  if (!/^(0|[1-9][0-9]{0,9})$/.test(body)) throw badRequest(`"${clip(text)}" is not an AS number: use a decimal number such as 64496`);
  const n = BigInt(body);
  if (n > FAMILY_MAX.asn) throw badRequest(`AS number ${n} is above 4294967295`);
  return n;
}

/** Entity handles: letters, digits, '-', '_', '.', as registries issue them. */
export function parseHandle(text: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/.test(text)) throw badRequest(`"${clip(text)}" is not a handle`);
  return text.toUpperCase();
}

/**
 * A search pattern (RFC 9082 §4.1): literal text, optionally ending in one `*` that matches zero or more
 * trailing characters. At least two literal characters before the `*` keep a pattern from listing the
 * whole registry. Returns a LIKE pattern with LIKE's own metacharacters escaped.
 */
export interface SearchPattern {
  text: string;
  like: string;
  partial: boolean;
}

export function parsePattern(value: string, what: string): SearchPattern {
  if (value.length === 0 || value.length > 255) throw badRequest(`${what} must be 1-255 characters`);
  if (/[\u0000-\u001f\u007f]/.test(value)) throw badRequest(`${what} contains control characters`);
  const stars = (value.match(/\*/g) ?? []).length;
  if (stars > 1 || (stars === 1 && !value.endsWith('*'))) {
    throw badRequest(`${what} "${clip(value)}": "*" is allowed once, as the last character (RFC 9082 partial match)`);
  }
  const literal = stars ? value.slice(0, -1) : value;
  if (stars && literal.length < 2) throw badRequest(`${what} "${clip(value)}": give at least two characters before "*"`);
  const escaped = literal.replace(/[\\%_]/g, (c) => `\\${c}`);
  return { text: value, like: stars ? `${escaped}%` : escaped, partial: stars === 1 };
}

export type FieldSet = 'id' | 'brief' | 'full';
export const FIELD_SETS: readonly FieldSet[] = ['id', 'brief', 'full'];

export interface SortKey {
  property: string;
  descending: boolean;
}

export interface PageParams {
  count: number;
  offset: number;
  sort: SortKey[];
  fieldSet: FieldSet;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** RFC 8977 `count`, `sort`, `cursor` and RFC 8982 `fieldSet`, checked against the sortable properties. */
export function parsePageParams(query: Record<string, string | undefined>, sortable: readonly string[]): PageParams {
  let count = DEFAULT_PAGE_SIZE;
  if (query.count !== undefined) {
    if (!/^[1-9][0-9]{0,5}$/.test(query.count)) throw badRequest(`count must be a positive integer, not "${clip(query.count)}"`);
    count = Math.min(Number(query.count), MAX_PAGE_SIZE);
  }
  const sort: SortKey[] = [];
  if (query.sort !== undefined) {
    for (const item of query.sort.split(',')) {
      const m = /^([A-Za-z]+)(?::([ad]))?$/.exec(item);
      if (!m || !sortable.includes(m[1]!)) {
        throw badRequest(`sort "${clip(item)}" is not supported; sortable properties: ${sortable.join(', ')} (optionally ":a" or ":d")`);
      }
      if (sort.some((s) => s.property === m[1])) throw badRequest(`sort names "${m[1]}" twice`);
      sort.push({ property: m[1]!, descending: m[2] === 'd' });
    }
  }
  let offset = 0;
  if (query.cursor !== undefined) offset = decodeCursor(query.cursor);
  let fieldSet: FieldSet = 'full';
  if (query.fieldSet !== undefined) {
    if (!(FIELD_SETS as readonly string[]).includes(query.fieldSet)) {
      throw badRequest(`fieldSet must be one of ${FIELD_SETS.join(', ')}, not "${clip(query.fieldSet)}"`);
    }
    fieldSet = query.fieldSet as FieldSet;
  }
  return { count, offset, sort, fieldSet };
}

/** Cursors are opaque to clients: base64url of "o:<offset>". */
export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(cursor)) throw badRequest('cursor is not one this server issued');
  const m = /^o:(0|[1-9][0-9]{0,8})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  if (!m) throw badRequest('cursor is not one this server issued');
  return Number(m[1]);
}

/** Exactly one of the allowed search parameters, or a 400 naming them. */
export function oneOf(query: Record<string, string | undefined>, names: readonly string[], kind: string): [string, string] {
  const given = names.filter((n) => query[n] !== undefined);
  if (given.length !== 1) throw badRequest(`a ${kind} search takes exactly one of: ${names.join(', ')}`);
  return [given[0]!, query[given[0]!]!];
}

export function clip(text: string, max = 60): string {
  const printable = text.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > max ? `${printable.slice(0, max)}…` : printable;
}
