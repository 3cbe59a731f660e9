// The records an RTR cache serves (VRPs, BGPsec router keys, ASPAs) and their canonical key form.
//
// A key is a one-byte-per-char string that holds exactly the payload bytes of the record's PDU, led by
// the PDU type. Keys compare in a stable canonical order (type, address, lengths, ASN), dedupe through a
// Set, diff by a sorted merge, and encode to PDUs by copying bytes: no per-record objects are kept.
import { PDU } from './pdu-types.js';
import { formatBytePrefix, parseBytePrefix, PrefixError } from './prefix.js';

export interface Vrp {
  prefix: string;
  maxLength: number;
  asn: number;
}

export interface RouterKey {
  asn: number;
  /** Subject Key Identifier, 40 hex digits */
  ski: string;
  /** DER SubjectPublicKeyInfo, base64 */
  spki: string;
}

export interface Aspa {
  customer: number;
  providers: number[];
}

export type RtrRecord =
  | { kind: 'vrp'; vrp: Vrp }
  | { kind: 'routerKey'; key: RouterKey }
  | { kind: 'aspa'; aspa: Aspa };

export class RecordError extends Error {}

const MAX_ASN = 0xffffffff;

function checkAsn(asn: number, what = 'asn'): void {
  if (!Number.isInteger(asn) || asn < 0 || asn > MAX_ASN) throw new RecordError(`${what} ${asn} is not a 32-bit AS number`);
}

function asnChars(asn: number): string {
  return String.fromCharCode((asn >>> 24) & 0xff, (asn >>> 16) & 0xff, (asn >>> 8) & 0xff, asn & 0xff);
}

function readAsn(key: string, at: number): number {
  return ((key.charCodeAt(at) << 24) | (key.charCodeAt(at + 1) << 16) | (key.charCodeAt(at + 2) << 8) | key.charCodeAt(at + 3)) >>> 0;
}

/** Parses an ASN given as 64496, "64496" or "AS64496". */
export function parseAsnValue(value: unknown): number {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^(?:AS)?\d{1,10}$/i.test(value)) n = Number(value.replace(/^AS/i, ''));
  else throw new RecordError(`asn ${JSON.stringify(value)} is not an AS number`);
  checkAsn(n);
  return n;
}

export interface VrpKeyOptions {
  /** reject instead of clearing host bits */
  strictHostBits?: boolean;
}

/** Canonical key of a VRP: type, address bytes, prefix length, max length, ASN. */
export function vrpKey(prefix: string, maxLength: number, asn: number, opts: VrpKeyOptions = {}): string {
  let p;
  try {
    p = parseBytePrefix(prefix);
  } catch (e) {
    throw new RecordError((e as PrefixError).message);
  }
  if (opts.strictHostBits && p.hadHostBits) throw new RecordError(`prefix "${prefix}" has host bits set`);
  const bits = p.family === 4 ? 32 : 128;
  if (!Number.isInteger(maxLength) || maxLength < p.length || maxLength > bits) {
    throw new RecordError(`maxLength ${maxLength} is outside ${p.length}..${bits} for ${prefix}`);
  }
  checkAsn(asn);
  return prefixKey(p.family, p.bytes, p.length, maxLength, asn);
}

/** Builds the key in one flat string (a concatenation would leave V8 cons strings: more memory, slower compares). */
export function prefixKey(family: 4 | 6, b: ArrayLike<number>, length: number, maxLength: number, asn: number): string {
  const a0 = (asn >>> 24) & 0xff, a1 = (asn >>> 16) & 0xff, a2 = (asn >>> 8) & 0xff, a3 = asn & 0xff;
  if (family === 4) return String.fromCharCode(PDU.ipv4Prefix, b[0]!, b[1]!, b[2]!, b[3]!, length, maxLength, a0, a1, a2, a3);
  return String.fromCharCode(
    PDU.ipv6Prefix, b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!, b[6]!, b[7]!, b[8]!, b[9]!, b[10]!, b[11]!, b[12]!, b[13]!, b[14]!, b[15]!,
    length, maxLength, a0, a1, a2, a3,
  );
}

export function routerKeyKey(k: RouterKey): string {
  checkAsn(k.asn);
  if (!/^[0-9a-fA-F]{40}$/.test(k.ski)) throw new RecordError(`SKI "${k.ski}" is not 20 bytes of hex`);
  const spki = Buffer.from(k.spki, 'base64');
  if (spki.length === 0) throw new RecordError('router key has an empty SubjectPublicKeyInfo');
  return String.fromCharCode(PDU.routerKey) + asnChars(k.asn) + Buffer.from(k.ski, 'hex').toString('latin1') + spki.toString('latin1');
}

export function aspaKey(a: Aspa): string {
  checkAsn(a.customer, 'customer asn');
  const providers = [...new Set(a.providers)].sort((x, y) => x - y);
  for (const p of providers) checkAsn(p, 'provider asn');
  if (providers.length === 0) throw new RecordError(`ASPA for AS${a.customer} has no providers`);
  if (providers.length > 16380) throw new RecordError(`ASPA for AS${a.customer} has too many providers`);
  return String.fromCharCode(PDU.aspa) + asnChars(a.customer) + providers.map(asnChars).join('');
}

export function keyType(key: string): number {
  return key.charCodeAt(0);
}

/** Customer ASN of an ASPA key (an ASPA is replaced per customer). */
export function aspaCustomer(key: string): number {
  return readAsn(key, 1);
}

export function decodeVrpKey(key: string): Vrp {
  const type = key.charCodeAt(0);
  const n = type === PDU.ipv4Prefix ? 4 : 16;
  const bytes: number[] = [];
  for (let i = 0; i < n; i++) bytes.push(key.charCodeAt(1 + i));
  return {
    prefix: formatBytePrefix(n === 4 ? 4 : 6, bytes, key.charCodeAt(1 + n)),
    maxLength: key.charCodeAt(2 + n),
    asn: readAsn(key, 3 + n),
  };
}

export function decodeKey(key: string): RtrRecord {
  const type = key.charCodeAt(0);
  if (type === PDU.ipv4Prefix || type === PDU.ipv6Prefix) return { kind: 'vrp', vrp: decodeVrpKey(key) };
  if (type === PDU.routerKey) {
    return {
      kind: 'routerKey',
      key: {
        asn: readAsn(key, 1),
        ski: Buffer.from(key.slice(5, 25), 'latin1').toString('hex'),
        spki: Buffer.from(key.slice(25), 'latin1').toString('base64'),
      },
    };
  }
  const providers: number[] = [];
  for (let i = 5; i < key.length; i += 4) providers.push(readAsn(key, i));
  return { kind: 'aspa', aspa: { customer: readAsn(key, 1), providers } };
}

export function isVrpKey(key: string): boolean {
  const t = key.charCodeAt(0);
  return t === PDU.ipv4Prefix || t === PDU.ipv6Prefix;
}

export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
