/**
 * RFC 3779 IP address and AS identifier extensions: hand-built DER (no kept library knows them), decoded
 * with asn1js.
 * Encoding is canonical (§2.2.3.6 and §3.2.3.4): sorted, merged, a prefix where the range is one,
 * otherwise a range with trailing zero (min) / one (max) bits removed.
 */
import * as asn1js from 'asn1js';
import { rangeToPrefix } from '../../core/prefix.js';
import { ResourceSet } from '../../core/resource-set.js';
import { FAMILY_BITS, type IpFamily, type NumberRange } from '../../core/types.js';
import { bitsToAddress, expect, familyFromAfi, integerValue, parseDer } from '../asn1/util.js';
import { derAddressBits, derInteger, encodeDer, node, seq, type DerNode } from '../asn1/der.js';

export type Inheritable = ResourceSet | 'inherit';

function trailing(value: bigint, width: number, bit: 0n | 1n): number {
  let n = 0;
  while (n < width && ((value >> BigInt(n)) & 1n) === bit) n++;
  return n;
}

function ipAddressOrRange(r: NumberRange): Uint8Array | DerNode {
  const family = r.family as IpFamily;
  const width = FAMILY_BITS[family];
  const p = rangeToPrefix(r);
  if (p) return derAddressBits(p.start, width, p.length);
  return seq([derAddressBits(r.start, width, width - trailing(r.start, width, 0n)), derAddressBits(r.end, width, width - trailing(r.end, width, 1n))]);
}

const NULL = Uint8Array.of(0x05, 0x00);
const AFI = { ipv4: Uint8Array.of(0x04, 0x02, 0x00, 0x01), ipv6: Uint8Array.of(0x04, 0x02, 0x00, 0x02) };

/** DER of IPAddrBlocks, or undefined when there are no IP resources (the extension is then left out). */
export function encodeIpAddrBlocks(ip: Inheritable): Uint8Array | undefined {
  const n = ipAddrBlocksNode(ip);
  return n && encodeDer(n);
}

export function ipAddrBlocksNode(ip: Inheritable): DerNode | undefined {
  const families: DerNode[] = [];
  for (const family of ['ipv4', 'ipv6'] as const) {
    let choice: Uint8Array | DerNode;
    if (ip === 'inherit') choice = NULL;
    else {
      const ranges = ip.ranges(family);
      if (!ranges.length) continue;
      choice = seq(ranges.map(ipAddressOrRange));
    }
    families.push(seq([AFI[family], choice]));
  }
  return families.length ? seq(families) : undefined;
}

/** DER of ASIdentifiers (asnum only, never rdi), or undefined when there are no AS resources. */
export function encodeAsIdentifiers(asn: Inheritable): Uint8Array | undefined {
  const n = asIdentifiersNode(asn);
  return n && encodeDer(n);
}

export function asIdentifiersNode(asn: Inheritable): DerNode | undefined {
  let choice: Uint8Array | DerNode;
  if (asn === 'inherit') choice = NULL;
  else {
    const ranges = asn.ranges('asn');
    if (!ranges.length) return undefined;
    choice = seq(ranges.map((r) => (r.start === r.end ? derInteger(r.start) : seq([derInteger(r.start), derInteger(r.end)]))));
  }
  return seq([node(0xa0, [choice])]);
}

export interface DecodedIp {
  ipv4?: NumberRange[] | 'inherit';
  ipv6?: NumberRange[] | 'inherit';
}

export function decodeIpAddrBlocks(der: Uint8Array): DecodedIp {
  const seq = expect(parseDer(der), asn1js.Sequence, 'IPAddrBlocks');
  const out: DecodedIp = {};
  let last = 0;
  for (const fam of seq.valueBlock.value) {
    const f = expect(fam, asn1js.Sequence, 'IPAddressFamily').valueBlock.value;
    const afi = expect(f[0], asn1js.OctetString, 'addressFamily').valueBlock.valueHexView;
    if (afi.length !== 2) throw new Error('RFC 3779: SAFI not allowed in RPKI (RFC 6487 §4.8.10)');
    const family = familyFromAfi(afi);
    const order = family === 'ipv4' ? 1 : 2;
    if (order <= last) throw new Error('RFC 3779: address families out of order or repeated');
    last = order;
    if (f[1] instanceof asn1js.Null) {
      out[family] = 'inherit';
      continue;
    }
    const ranges: NumberRange[] = [];
    for (const item of expect(f[1], asn1js.Sequence, 'addressesOrRanges').valueBlock.value) {
      if (item instanceof asn1js.BitString) {
        const { value, length } = bitsToAddress(family, item, 0);
        ranges.push({ family, start: value, end: value | ((1n << BigInt(FAMILY_BITS[family] - length)) - 1n) });
      } else {
        const [min, max] = expect(item, asn1js.Sequence, 'IPAddressRange').valueBlock.value;
        ranges.push({
          family,
          start: bitsToAddress(family, expect(min, asn1js.BitString, 'min'), 0).value,
          end: bitsToAddress(family, expect(max, asn1js.BitString, 'max'), 1).value,
        });
      }
    }
    for (let i = 1; i < ranges.length; i++) {
      if (ranges[i]!.start <= ranges[i - 1]!.end + 1n) throw new Error('RFC 3779: address ranges not sorted, overlapping or adjacent');
    }
    out[family] = ranges;
  }
  return out;
}

export function decodeAsIdentifiers(der: Uint8Array): NumberRange[] | 'inherit' {
  const seq = expect(parseDer(der), asn1js.Sequence, 'ASIdentifiers');
  const first = seq.valueBlock.value[0];
  if (!first || first.idBlock.tagClass !== 3 || first.idBlock.tagNumber !== 0 || seq.valueBlock.value.length !== 1) {
    throw new Error('ASIdentifiers: only asnum [0] allowed (RFC 6487 §4.8.11)');
  }
  const choice = (first as asn1js.Constructed).valueBlock.value[0];
  if (choice instanceof asn1js.Null) return 'inherit';
  const ranges: NumberRange[] = [];
  for (const item of expect(choice, asn1js.Sequence, 'asIdsOrRanges').valueBlock.value) {
    if (item instanceof asn1js.Integer) {
      const v = integerValue(item);
      ranges.push({ family: 'asn', start: v, end: v });
    } else {
      const [a, b] = expect(item, asn1js.Sequence, 'ASRange').valueBlock.value;
      ranges.push({ family: 'asn', start: integerValue(expect(a, asn1js.Integer, 'min')), end: integerValue(expect(b, asn1js.Integer, 'max')) });
    }
  }
  return ranges;
}
