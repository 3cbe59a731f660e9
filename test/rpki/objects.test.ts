/**
 * The hand-built RPKI structures round-trip through their decoders (asn1js/pkijs), are canonical, and the
 * decoders reject what the profiles forbid. openssl asn1parse is the independent reader of the bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import * as asn1js from 'asn1js';
import { parsePrefix } from '../../src/core/prefix.js';
import { ResourceSet } from '../../src/core/resource-set.js';
import type { NumberRange } from '../../src/core/types.js';
import { decodeAspa, encodeAspa } from '../../src/rpki/objects/aspa.js';
import { decodeManifest, encodeManifest } from '../../src/rpki/objects/mft.js';
import { decodeRoa, encodeRoa } from '../../src/rpki/objects/roa.js';
import { decodeAsIdentifiers, decodeIpAddrBlocks, encodeAsIdentifiers, encodeIpAddrBlocks } from '../../src/rpki/objects/resources3779.js';
import { makeTal, parseTal } from '../../src/rpki/publish/tal.js';
import { HAVE } from './peers.js';
import { derAddressBits } from '../../src/rpki/asn1/der.js';
import { OID, addressBits, generalizedTime, intFromBigInt, toBytes } from '../../src/rpki/asn1/util.js';

const asn1parse = (der: Uint8Array) => execFileSync('openssl', ['asn1parse', '-inform', 'DER'], { input: der }).toString();

const range = (family: 'ipv4' | 'ipv6' | 'asn', bits: number) =>
  fc.tuple(fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n }), fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n })).map(
    ([a, b]): NumberRange => ({ family, start: a < b ? a : b, end: a < b ? b : a }),
  );
const resourceSet = fc
  .tuple(fc.array(range('ipv4', 32), { maxLength: 6 }), fc.array(range('ipv6', 128), { maxLength: 6 }), fc.array(range('asn', 32), { maxLength: 6 }))
  .map(([a, b, c]) => ResourceSet.fromRanges([...a, ...b, ...c]));

test('RFC 3779 extensions round-trip for any resource set, canonically', () => {
  fc.assert(
    fc.property(resourceSet, (set) => {
      const ip = encodeIpAddrBlocks(set);
      const as = encodeAsIdentifiers(set);
      const decodedIp = ip ? decodeIpAddrBlocks(ip) : {};
      const decodedAs = as ? decodeAsIdentifiers(as) : [];
      const back = ResourceSet.fromRanges([...((decodedIp.ipv4 ?? []) as NumberRange[]), ...((decodedIp.ipv6 ?? []) as NumberRange[]), ...(decodedAs as NumberRange[])]);
      assert.ok(back.equals(set), `${set} → ${back}`);
      // canonical: the decoded list is already merged (no adjacent or overlapping entries)
      assert.equal(((decodedIp.ipv4 ?? []) as NumberRange[]).length, set.ranges('ipv4').length);
      assert.equal(ip === undefined, set.isEmpty('ipv4') && set.isEmpty('ipv6'));
    }),
    { numRuns: 300 },
  );
});

test('RFC 3779 examples: prefixes, ranges with trimmed bits, inherit', { skip: HAVE.openssl ? false : 'openssl not installed' }, () => {
  // RFC 3779 §2.1.2: 10.5.0.4 - 10.5.0.23 is a range; min trims trailing zero bits, max trailing one bits
  const der = encodeIpAddrBlocks(ResourceSet.parse('10.5.0.4 - 10.5.0.23, 10.64.0.0/12, 2001:db8::/32'))!;
  const text = asn1parse(der);
  assert.match(text, /OCTET STRING\s+\[HEX DUMP\]:0001/);
  assert.match(text, /OCTET STRING\s+\[HEX DUMP\]:0002/);
  const dec = decodeIpAddrBlocks(der);
  assert.deepEqual((dec.ipv4 as NumberRange[]).map((r) => [r.start, r.end]), [
    [0x0a050004n, 0x0a050017n],
    [0x0a400000n, 0x0a4fffffn],
  ]);
  // the exact bytes of RFC 3779 §2.1.2's example: min 30 bits (2 trailing zeros cut), max 29 bits (3 trailing ones cut)
  assert.ok(Buffer.from(der).toString('hex').includes('300e' + '0305020a050004' + '0305030a050010'));
  assert.deepEqual(decodeIpAddrBlocks(encodeIpAddrBlocks('inherit')!), { ipv4: 'inherit', ipv6: 'inherit' });
  assert.equal(decodeAsIdentifiers(encodeAsIdentifiers('inherit')!), 'inherit');
  assert.deepEqual(decodeAsIdentifiers(encodeAsIdentifiers(ResourceSet.parse('AS64496, AS64500 - AS64510, AS4294967295'))!), [
    { family: 'asn', start: 64496n, end: 64496n },
    { family: 'asn', start: 64500n, end: 64510n },
    { family: 'asn', start: 4294967295n, end: 4294967295n },
  ]);
});

test('ROA content (RFC 9582): round-trip, sorted families, maxLength only when it differs, rejects bad input', { skip: HAVE.openssl ? false : 'openssl not installed' }, () => {
  const roa = {
    asn: 4294967295n,
    prefixes: [
      { prefix: parsePrefix('2001:db8::/32'), maxLength: 48 },
      { prefix: parsePrefix('192.0.2.0/24'), maxLength: 24 },
      { prefix: parsePrefix('10.0.0.0/8'), maxLength: 16 },
    ],
  };
  const der = encodeRoa(roa);
  const text = asn1parse(der);
  assert.match(text.split('\n')[1]!, /INTEGER\s+:FFFFFFFF/, 'asID first, version absent');
  assert.equal((text.match(/INTEGER\s+:10$/gm) ?? []).length, 1, 'maxLength 16 for 10/8');
  assert.equal((text.match(/INTEGER\s+:30$/gm) ?? []).length, 1, 'maxLength 48 for the IPv6 prefix');
  const back = decodeRoa(der);
  assert.equal(back.asn, roa.asn);
  assert.deepEqual(back.prefixes.map((p) => `${p.prefix.family} ${p.prefix.start} /${p.prefix.length}-${p.maxLength}`), [
    'ipv4 167772160 /8-16',
    'ipv4 3221225984 /24-24',
    `ipv6 ${0x20010db8n << 96n} /32-48`,
  ]);
  assert.throws(() => encodeRoa({ asn: 1n, prefixes: [] }), /at least one prefix/);
  assert.throws(() => encodeRoa({ asn: 1n, prefixes: [{ prefix: parsePrefix('192.0.2.0/24'), maxLength: 23 }] }), /maxLength/);
  // a version field [0] is refused (DER: the default 0 must be absent)
  const withVersion = new asn1js.Sequence({
    value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.Integer({ value: 0 })] }), ...(asn1js.fromBER(der).result as asn1js.Sequence).valueBlock.value],
  });
  assert.throws(() => decodeRoa(new Uint8Array(withVersion.toBER())), /version/);
});

test('manifest content (RFC 9286): round-trip, whole-second GeneralizedTime, SHA-256, file name rules', { skip: HAVE.openssl ? false : 'openssl not installed' }, () => {
  const m = {
    number: 123456789012345678901234567890n,
    thisUpdate: new Date('2026-11-23T18:48:07.999Z'),
    nextUpdate: new Date('2026-11-24T18:48:07Z'),
    files: [
      { name: 'ABCDEF.crl', hash: new Uint8Array(32).fill(1) },
      { name: '64496-0123456789abcdef.roa', hash: new Uint8Array(32).fill(2) },
    ],
  };
  const der = encodeManifest(m);
  const text = asn1parse(der);
  assert.match(text, /GENERALIZEDTIME\s+:20261123184807Z/);
  assert.match(text, /OBJECT\s+:sha256/);
  assert.match(text, /IA5STRING\s+:64496-0123456789abcdef\.roa/);
  const back = decodeManifest(der);
  assert.equal(back.number, m.number);
  assert.equal(back.thisUpdate.toISOString(), '2026-11-23T18:48:07.000Z');
  assert.deepEqual(back.files.map((f) => f.name), ['ABCDEF.crl', '64496-0123456789abcdef.roa']);
  assert.throws(() => encodeManifest({ ...m, files: [{ name: '../x.roa', hash: new Uint8Array(32) }] }), /bad file name/);
  assert.throws(() => encodeManifest({ ...m, files: [{ name: 'x.txt.roa', hash: new Uint8Array(32) }] }), /bad file name/);
});

test('ASPA content (current SIDROPS profile): version 1, sorted unique providers', () => {
  const der = encodeAspa({ customer: 64496n, providers: [65000n, 64500n, 65000n] });
  assert.deepEqual(decodeAspa(der), { customer: 64496n, providers: [64500n, 65000n], profile: 'current' });
  // the earlier draft profile (what rpki-client 8.x reads): no version, providers as SEQUENCE { providerASID }
  const v0 = encodeAspa({ customer: 64496n, providers: [65000n, 64500n] }, 'v0');
  assert.equal(v0[2], 0x02, 'customerASID first: no version field');
  assert.equal(Buffer.from(v0).toString('hex'), '3015' + '020300fbf0' + '300e' + '3005020300fbf4' + '3005020300fde8');
  assert.deepEqual(decodeAspa(v0), { customer: 64496n, providers: [64500n, 65000n], profile: 'v0' });
  assert.throws(() => encodeAspa({ customer: 1n, providers: [1n] }), /own provider/);
  assert.throws(() => encodeAspa({ customer: 1n, providers: [] }), /at least one/);
});

test('TAL (RFC 8630): URIs, blank line, base64 key; comments ignored', () => {
  const spki = new Uint8Array(294).map((_, i) => i & 255);
  const text = makeTal(['https://h/rpki/ta.cer', 'rsync://h/repo/ta.cer'], spki, 'numreg');
  assert.match(text, /^# numreg\nhttps:\/\/h\/rpki\/ta\.cer\nrsync:\/\/h\/repo\/ta\.cer\n\n[A-Za-z0-9+/]{64}\n/);
  assert.deepEqual(parseTal(text), { uris: ['https://h/rpki/ta.cer', 'rsync://h/repo/ta.cer'], spki });
});

test('hand-built DER equals the asn1js encoding: address bit strings, manifests (incl. a 70,000-entry one)', () => {
  fc.assert(
    fc.property(fc.constantFrom(32, 128), fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.nat(128), (width, v, n) => {
      const value = v & ((1n << BigInt(width)) - 1n);
      const bits = n % (width + 1);
      const ours = derAddressBits(value, width, bits);
      const ref = toBytes(addressBits(width === 32 ? 'ipv4' : 'ipv6', value, bits));
      assert.equal(Buffer.from(ours).toString('hex'), Buffer.from(ref).toString('hex'));
    }),
  );
  const reference = (m: { number: bigint; thisUpdate: Date; nextUpdate: Date; files: { name: string; hash: Uint8Array }[] }) =>
    toBytes(
      new asn1js.Sequence({
        value: [
          intFromBigInt(m.number),
          generalizedTime(m.thisUpdate),
          generalizedTime(m.nextUpdate),
          new asn1js.ObjectIdentifier({ value: OID.sha256 }),
          new asn1js.Sequence({
            value: m.files.map((f) => new asn1js.Sequence({ value: [new asn1js.IA5String({ value: f.name }), new asn1js.BitString({ valueHex: f.hash })] })),
          }),
        ],
      }),
    );
  for (const count of [0, 1, 3, 70_000]) {
    const m = {
      number: BigInt(count) * 1_000_003n + 1n,
      thisUpdate: new Date('2026-11-23T18:48:07Z'),
      nextUpdate: new Date('2026-11-24T18:48:07Z'),
      files: Array.from({ length: count }, (_, i) => ({ name: `${64496 + (i % 16)}-${i.toString(16).padStart(16, '0')}.roa`, hash: new Uint8Array(32).fill(i & 255) })),
    };
    assert.ok(Buffer.from(encodeManifest(m)).equals(Buffer.from(reference(m))), `${count} entries`);
  }
});
