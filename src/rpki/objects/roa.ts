/** Route Origin Authorizations (RFC 9582): the RouteOriginAttestation content and its signed object. */
import * as asn1js from 'asn1js';
import { ResourceSet } from '../../core/resource-set.js';
import { prefixToRange } from '../../core/prefix.js';
import { FAMILY_BITS, type Prefix } from '../../core/types.js';
import { OID, bitsToAddress, expect, familyFromAfi, integerValue, parseDer } from '../asn1/util.js';
import { derAddressBits, derInteger, encodeDer, seq, type DerNode } from '../asn1/der.js';

export interface RoaPrefix {
  prefix: Prefix;
  maxLength: number;
}

export interface RoaContent {
  asn: bigint;
  prefixes: RoaPrefix[];
}

const cmpPrefix = (a: RoaPrefix, b: RoaPrefix) =>
  a.prefix.start < b.prefix.start ? -1 : a.prefix.start > b.prefix.start ? 1 : a.prefix.length - b.prefix.length || a.maxLength - b.maxLength;

/** Hand-built DER (the content is RPKI-specific); decodeRoa reads it back with asn1js. */
export function encodeRoa(roa: RoaContent): Uint8Array {
  if (!roa.prefixes.length) throw new Error('ROA: at least one prefix');
  const families: DerNode[] = [];
  for (const family of ['ipv4', 'ipv6'] as const) {
    const list = roa.prefixes.filter((p) => p.prefix.family === family).sort(cmpPrefix);
    if (!list.length) continue;
    const width = FAMILY_BITS[family];
    const addresses = list.map((p) => {
      if (p.maxLength < p.prefix.length || p.maxLength > width) throw new Error(`ROA: maxLength ${p.maxLength} out of range`);
      const bits = derAddressBits(p.prefix.start, width, p.prefix.length);
      return p.maxLength === p.prefix.length ? seq([bits]) : seq([bits, derInteger(p.maxLength)]);
    });
    families.push(seq([family === 'ipv4' ? AFI_V4 : AFI_V6, seq(addresses)]));
  }
  return encodeDer(seq([derInteger(roa.asn), seq(families)]), true);
}

const AFI_V4 = Uint8Array.of(0x04, 0x02, 0x00, 0x01);
const AFI_V6 = Uint8Array.of(0x04, 0x02, 0x00, 0x02);

export function decodeRoa(der: Uint8Array): RoaContent {
  const seq = expect(parseDer(der), asn1js.Sequence, 'RouteOriginAttestation').valueBlock.value;
  let i = 0;
  if (seq[0] && seq[0].idBlock.tagClass === 3) {
    throw new Error('ROA: version must be absent (DER default 0)');
  }
  const asn = integerValue(expect(seq[i++], asn1js.Integer, 'asID'));
  const blocks = expect(seq[i++], asn1js.Sequence, 'ipAddrBlocks').valueBlock.value;
  if (i !== seq.length) throw new Error('ROA: trailing fields');
  if (blocks.length < 1 || blocks.length > 2) throw new Error('ROA: 1 or 2 address families');
  const prefixes: RoaPrefix[] = [];
  for (const b of blocks) {
    const [afi, addrs] = expect(b, asn1js.Sequence, 'ROAIPAddressFamily').valueBlock.value;
    const family = familyFromAfi(expect(afi, asn1js.OctetString, 'addressFamily').valueBlock.valueHexView);
    for (const a of expect(addrs, asn1js.Sequence, 'addresses').valueBlock.value) {
      const [bits, max] = expect(a, asn1js.Sequence, 'ROAIPAddress').valueBlock.value;
      const { value, length } = bitsToAddress(family, expect(bits, asn1js.BitString, 'address'), 0);
      const maxLength = max ? Number(integerValue(expect(max, asn1js.Integer, 'maxLength'))) : length;
      if (maxLength < length || maxLength > FAMILY_BITS[family]) throw new Error(`ROA: maxLength ${maxLength} out of range for /${length}`);
      prefixes.push({ prefix: { family, start: value, length }, maxLength });
    }
  }
  return { asn, prefixes };
}

/** The IP resources an ROA's EE certificate must carry: exactly its prefixes. */
export function roaResources(roa: RoaContent): ResourceSet {
  return ResourceSet.fromRanges(roa.prefixes.map((p) => prefixToRange(p.prefix)));
}

export const ROA_CONTENT_TYPE = OID.ctRoa;
