/** Small asn1js helpers shared by the RPKI object encoders and decoders. */
import * as asn1js from 'asn1js';
import { FAMILY_BITS, type IpFamily, type Prefix } from '../../core/types.js';

export const OID = {
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  ctRoa: '1.2.840.113549.1.9.16.1.24',
  ctManifest: '1.2.840.113549.1.9.16.1.26',
  ctAspa: '1.2.840.113549.1.9.16.1.49',
  ipAddrBlocks: '1.3.6.1.5.5.7.1.7',
  autonomousSysIds: '1.3.6.1.5.5.7.1.8',
  rpkiPolicy: '1.3.6.1.5.5.7.14.2',
  sia: '1.3.6.1.5.5.7.1.11',
  aia: '1.3.6.1.5.5.7.1.1',
  adCaIssuers: '1.3.6.1.5.5.7.48.2',
  adCaRepository: '1.3.6.1.5.5.7.48.5',
  adRpkiManifest: '1.3.6.1.5.5.7.48.10',
  adSignedObject: '1.3.6.1.5.5.7.48.11',
  adRpkiNotify: '1.3.6.1.5.5.7.48.13',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  ski: '2.5.29.14',
  aki: '2.5.29.35',
  crlDp: '2.5.29.31',
  certPolicies: '2.5.29.32',
  crlNumber: '2.5.29.20',
  commonName: '2.5.4.3',
} as const;

/** DER INTEGER from a non-negative bigint (minimal two's complement). */
export function intFromBigInt(value: bigint): asn1js.Integer {
  return new asn1js.Integer({ valueHex: bigintToSignedBytes(value) });
}

export function bigintToSignedBytes(value: bigint): Uint8Array {
  if (value < 0n) throw new RangeError('negative');
  let hex = value.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = '00' + hex;
  return Buffer.from(hex, 'hex');
}

export function bytesToBigint(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  return BigInt('0x' + Buffer.from(bytes).toString('hex'));
}

export function integerValue(i: asn1js.Integer): bigint {
  const bytes = i.valueBlock.valueHexView;
  if (bytes.length && bytes[0]! & 0x80) throw new RangeError('negative INTEGER');
  return bytesToBigint(bytes);
}

/** AFI octets: IPv4 = 0001, IPv6 = 0002. */
export function afiBytes(family: IpFamily): Uint8Array {
  return Uint8Array.of(0, family === 'ipv4' ? 1 : 2);
}

export function familyFromAfi(bytes: Uint8Array): IpFamily {
  if (bytes.length < 2 || bytes[0] !== 0 || (bytes[1] !== 1 && bytes[1] !== 2)) throw new Error(`unknown AFI ${Buffer.from(bytes).toString('hex')}`);
  return bytes[1] === 1 ? 'ipv4' : 'ipv6';
}

/** The first `bits` bits of an address as a BIT STRING (RFC 3779 §2.1.1 IPAddress). */
export function addressBits(family: IpFamily, value: bigint, bits: number): asn1js.BitString {
  const width = FAMILY_BITS[family];
  const nbytes = Math.ceil(bits / 8);
  const bytes = new Uint8Array(nbytes);
  const shifted = value >> BigInt(width - nbytes * 8);
  for (let i = 0; i < nbytes; i++) bytes[i] = Number((shifted >> BigInt(8 * (nbytes - 1 - i))) & 0xffn);
  const unused = nbytes * 8 - bits;
  if (nbytes) bytes[nbytes - 1]! &= (0xff << unused) & 0xff;
  return new asn1js.BitString({ valueHex: bytes, unusedBits: unused });
}

export function prefixBits(p: Prefix): asn1js.BitString {
  return addressBits(p.family, p.start, p.length);
}

/** Decodes an IPAddress BIT STRING: the value with missing bits set to `fill` (0 for min, 1 for max). */
export function bitsToAddress(family: IpFamily, bs: asn1js.BitString, fill: 0 | 1): { value: bigint; length: number } {
  const bytes = bs.valueBlock.valueHexView;
  const unused = bs.valueBlock.unusedBits;
  const width = FAMILY_BITS[family];
  const length = bytes.length * 8 - unused;
  if (length > width) throw new Error(`${family} address of ${length} bits`);
  let v = bytesToBigint(bytes) >> BigInt(unused);
  v <<= BigInt(width - length);
  if (fill) v |= (1n << BigInt(width - length)) - 1n;
  return { value: v, length };
}

/** Whole seconds: RPKI times are DER GeneralizedTime/UTCTime without fractions. */
export function wholeSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

export function generalizedTime(d: Date): asn1js.GeneralizedTime {
  return new asn1js.GeneralizedTime({ valueDate: wholeSeconds(d) });
}

export function parseDer(bytes: Uint8Array | ArrayBuffer): asn1js.AsnType {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const res = asn1js.fromBER(view);
  if (res.offset === -1) throw new Error(`bad DER: ${res.result.error}`);
  if (res.offset !== view.byteLength) throw new Error('trailing bytes after DER object');
  return res.result;
}

export function toBytes(x: { toBER(): ArrayBuffer }): Uint8Array {
  return new Uint8Array(x.toBER());
}

export function expect<T>(value: unknown, cls: new (...a: never[]) => T, what: string): T {
  if (!(value instanceof cls)) throw new Error(`${what}: unexpected ASN.1 type ${(value as { constructor?: { name?: string } })?.constructor?.name}`);
  return value;
}
