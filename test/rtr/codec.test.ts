// PDU codec against the wire layouts of RFC 6810 / RFC 8210 section 5 (and 8210bis for ASPA), written
// out byte by byte, plus the precise error each malformed PDU gets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RtrDecodeError,
  decodePdu,
  decodeStream,
  encodeCacheReset,
  encodeCacheResponse,
  encodeEndOfData,
  encodeErrorReport,
  encodeRecords,
  encodeResetQuery,
  encodeSerialNotify,
  encodeSerialQuery,
  type HeaderCheck,
} from '../../src/rtr/codec.js';
import { ERR } from '../../src/rtr/pdu-types.js';
import { aspaKey, routerKeyKey, vrpKey } from '../../src/rtr/records.js';

const hex = (s: string) => Buffer.from(s.replace(/[^0-9a-f]/gi, ''), 'hex');
const fromCache: HeaderCheck = { maxVersion: 2, from: 'cache', maxLength: 1 << 20 };
const fromRouter: HeaderCheck = { maxVersion: 2, from: 'router' };
const timers = { refresh: 3600, retry: 600, expire: 7200 };

test('Serial Notify (RFC 8210 5.2): version, type 0, session id, length 12, serial', () => {
  const wire = hex('01 00 1234 0000000c 00000007');
  assert.deepEqual(encodeSerialNotify(1, 0x1234, 7), wire);
  assert.deepEqual(decodePdu(wire, fromCache), { type: 0, version: 1, sessionId: 0x1234, serial: 7 });
});

test('Serial Query (5.3) and Reset Query (5.4)', () => {
  const sq = hex('00 01 abcd 0000000c ffffffff');
  assert.deepEqual(encodeSerialQuery(0, 0xabcd, 0xffffffff), sq);
  assert.deepEqual(decodePdu(sq, fromRouter), { type: 1, version: 0, sessionId: 0xabcd, serial: 0xffffffff });
  const rq = hex('01 02 0000 00000008');
  assert.deepEqual(encodeResetQuery(1), rq);
  assert.deepEqual(decodePdu(rq, fromRouter), { type: 2, version: 1 });
});

test('Cache Response (5.5) and Cache Reset (5.9)', () => {
  assert.deepEqual(encodeCacheResponse(1, 0x0102), hex('01 03 0102 00000008'));
  assert.deepEqual(encodeCacheReset(0), hex('00 08 0000 00000008'));
  assert.deepEqual(decodePdu(hex('01 08 0000 00000008'), fromCache), { type: 8, version: 1 });
});

test('IPv4 Prefix (5.6): flags, prefix length, max length, zero, prefix, ASN', () => {
  const wire = hex('01 04 0000 00000014  01 18 18 00  c0000200  0000fbf0');
  assert.deepEqual(encodeRecords(1, [], [vrpKey('192.0.2.0/24', 24, 64496)]), wire);
  assert.deepEqual(decodePdu(wire, fromCache), {
    type: 4, version: 1, announce: true, prefix: '192.0.2.0/24', prefixLength: 24, maxLength: 24, asn: 64496,
  });
  // withdrawal: flags 0
  assert.deepEqual(encodeRecords(0, [vrpKey('198.51.100.0/22', 24, 4200000000)], []), hex('00 04 0000 00000014  00 16 18 00  c6336400  fa56ea00'));
});

test('IPv6 Prefix (5.7): 16-byte prefix', () => {
  const wire = hex('01 06 0000 00000020  01 20 30 00  20010db8 00000000 00000000 00000000  0000fbf0');
  assert.deepEqual(encodeRecords(1, [], [vrpKey('2001:db8::/32', 48, 64496)]), wire);
  const d = decodePdu(wire, fromCache);
  assert.equal(d.type, 6);
  assert.equal((d as { prefix: string }).prefix, '2001:db8::/32');
});

test('End of Data: 12 bytes in version 0 (RFC 6810 5.8), 24 with timers in version 1 (RFC 8210 5.8)', () => {
  assert.deepEqual(encodeEndOfData(0, 0x4242, 9, timers), hex('00 07 4242 0000000c 00000009'));
  const v1 = hex('01 07 4242 00000018 00000009 00000e10 00000258 00001c20');
  assert.deepEqual(encodeEndOfData(1, 0x4242, 9, timers), v1);
  assert.deepEqual(decodePdu(v1, fromCache), { type: 7, version: 1, sessionId: 0x4242, serial: 9, timers });
});

test('Router Key (8210 5.10): flags in header byte 2, SKI, ASN, SubjectPublicKeyInfo', () => {
  const ski = '0102030405060708090a0b0c0d0e0f1011121314';
  const spki = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d03010703420004', 'hex');
  const wire = Buffer.concat([hex('01 09 01 00'), hex((8 + 20 + 4 + spki.length).toString(16).padStart(8, '0')), hex(ski), hex('0000fbf0'), spki]);
  assert.deepEqual(encodeRecords(1, [], [routerKeyKey({ asn: 64496, ski, spki: spki.toString('base64') })]), wire);
  assert.deepEqual(decodePdu(wire, fromCache), { type: 9, version: 1, announce: true, ski, asn: 64496, spki: spki.toString('base64') });
  // router keys do not exist in version 0
  assert.equal(encodeRecords(0, [], [routerKeyKey({ asn: 64496, ski, spki: spki.toString('base64') })]).length, 0);
});

test('Error Report (5.11): code, encapsulated PDU, text', () => {
  const bad = hex('01 02 0000 00000008');
  const wire = hex('01 0a 0003 0000001c 00000008 0102000000000008 00000004') ;
  const full = Buffer.concat([wire, Buffer.from('oops')]);
  assert.deepEqual(encodeErrorReport(1, ERR.invalidRequest, bad, 'oops'), full);
  const d = decodePdu(full, fromRouter);
  assert.equal(d.type, 10);
  assert.deepEqual(d, { type: 10, version: 1, errorCode: 3, pdu: bad, text: 'oops' });
});

test('ASPA (8210bis): flags in header, customer ASN, provider ASNs', () => {
  const wire = hex('02 0b 01 00 00000014 0000fbf0 0000fbf1 0000fbf2');
  assert.deepEqual(encodeRecords(2, [], [aspaKey({ customer: 64496, providers: [64498, 64497, 64497] })]), wire);
  assert.deepEqual(decodePdu(wire, fromCache), { type: 11, version: 2, announce: true, customer: 64496, providers: [64497, 64498] });
  // a withdrawal names only the customer
  assert.deepEqual(encodeRecords(2, [aspaKey({ customer: 64496, providers: [64497] })], []), hex('02 0b 00 00 0000000c 0000fbf0'));
  // absent below version 2
  assert.equal(encodeRecords(1, [], [aspaKey({ customer: 64496, providers: [1] })]).length, 0);
});

// malformed PDUs from a router: [bytes, expected Error Report code, offending field]
const malformed: [string, string, number, string][] = [
  ['version 3', '03 02 0000 00000008', ERR.unsupportedVersion, 'version'],
  ['unknown type 5', '01 05 0000 00000008', ERR.unsupportedPduType, 'type'],
  ['unknown type 200', '01 c8 0000 00000008', ERR.unsupportedPduType, 'type'],
  ['Router Key type in version 0', '00 09 0000 00000020', ERR.unsupportedPduType, 'type'],
  ['ASPA type in version 1', '01 0b 0000 0000000c', ERR.unsupportedPduType, 'type'],
  ['router sends Cache Response', '01 03 0000 00000008', ERR.invalidRequest, 'type'],
  ['router sends IPv4 Prefix', '01 04 0000 00000014 01181800 c0000200 0000fbf0', ERR.invalidRequest, 'type'],
  ['router sends Serial Notify', '01 00 0000 0000000c 00000001', ERR.invalidRequest, 'type'],
  ['Reset Query length 12', '01 02 0000 0000000c 00000000', ERR.corruptData, 'length'],
  ['Serial Query length 8', '01 01 0000 00000008', ERR.corruptData, 'length'],
  ['Reset Query non-zero reserved field', '01 02 0001 00000008', ERR.corruptData, 'zero'],
  ['Error Report shorter than 16', '01 0a 0000 0000000c 00000000', ERR.corruptData, 'length'],
  ['Error Report length 2^32-1', '01 0a 0000 ffffffff', ERR.corruptData, 'length'],
];

for (const [name, bytes, code, field] of malformed) {
  test(`strict decoding: ${name} -> ${code} (${field})`, () => {
    assert.throws(() => decodePdu(hex(bytes), { maxVersion: 1, from: 'router' }), (e: unknown) => {
      assert.ok(e instanceof RtrDecodeError, String(e));
      assert.equal(e.code, code, e.message);
      assert.equal(e.field, field, e.message);
      return true;
    });
  });
}

const cacheSide: [string, string, number, string][] = [
  ['prefix length 33', '01 04 0000 00000014 01 21 21 00 c0000200 0000fbf0', ERR.corruptData, 'prefixLength'],
  ['max length below prefix length', '01 04 0000 00000014 01 18 10 00 c0000200 0000fbf0', ERR.corruptData, 'maxLength'],
  ['IPv6 max length 129', '01 06 0000 00000020 01 20 81 00 20010db8 00000000 00000000 00000000 0000fbf0', ERR.corruptData, 'maxLength'],
  ['host bits set', '01 04 0000 00000014 01 18 18 00 c0000201 0000fbf0', ERR.corruptData, 'prefix'],
  ['undefined flag bit', '01 04 0000 00000014 03 18 18 00 c0000200 0000fbf0', ERR.corruptData, 'flags'],
  ['reserved byte after max length', '01 04 0000 00000014 01 18 18 01 c0000200 0000fbf0', ERR.corruptData, 'zero'],
  ['End of Data refresh 0', '01 07 0001 00000018 00000001 00000000 00000258 00001c20', ERR.corruptData, 'refresh'],
  ['End of Data expire below refresh', '01 07 0001 00000018 00000001 00000e10 00000258 00000258', ERR.corruptData, 'expire'],
  ['ASPA announcement without providers', '02 0b 01 00 0000000c 0000fbf0', ERR.aspaProviderListError, 'providers'],
  ['ASPA withdrawal with providers', '02 0b 00 00 00000010 0000fbf0 00000001', ERR.aspaProviderListError, 'providers'],
  ['ASPA odd length', '02 0b 01 00 0000000e 0000fbf0 0001', ERR.corruptData, 'length'],
  ['Error Report text length overrun', '01 0a 0002 00000014 00000000 00000009 6869 6869', ERR.corruptData, 'textLength'],
  ['Error Report encapsulated length overrun', '01 0a 0002 00000010 00000009 00000000', ERR.corruptData, 'encapsulatedLength'],
  ['Error Report bad UTF-8', '01 0a 0002 00000012 00000000 00000002 c328', ERR.corruptData, 'text'],
  ['Error Report unknown code', '01 0a 0063 00000010 00000000 00000000', ERR.corruptData, 'errorCode'],
  ['Error code 8 in version 0', '00 0a 0008 00000010 00000000 00000000', ERR.corruptData, 'errorCode'],
];

for (const [name, bytes, code, field] of cacheSide) {
  test(`strict decoding (cache PDUs): ${name} -> ${code} (${field})`, () => {
    assert.throws(() => decodePdu(hex(bytes), fromCache), (e: unknown) => {
      assert.ok(e instanceof RtrDecodeError, String(e));
      assert.equal(e.code, code, e.message);
      assert.equal(e.field, field, e.message);
      return true;
    });
  });
}

test('version change inside a session: Unexpected Protocol Version (8) in v1, code 4 in v0', () => {
  const rq0 = hex('00 02 0000 00000008');
  assert.throws(() => decodePdu(rq0, { maxVersion: 1, sessionVersion: 1, from: 'router' }), (e: RtrDecodeError) => e.code === ERR.unexpectedVersion);
  const rq1 = hex('01 02 0000 00000008');
  assert.throws(() => decodePdu(rq1, { maxVersion: 1, sessionVersion: 0, from: 'router' }), (e: RtrDecodeError) => e.code === ERR.unsupportedVersion);
});

test('decodeStream splits a batch and leaves a partial PDU', () => {
  const batch = Buffer.concat([encodeCacheResponse(1, 5), encodeRecords(1, [], [vrpKey('192.0.2.0/24', 24, 1), vrpKey('2001:db8::/32', 32, 2)]), encodeEndOfData(1, 5, 1, timers)]);
  const { pdus, used } = decodeStream(Buffer.concat([batch, batch.subarray(0, 5)]), fromCache);
  assert.equal(used, batch.length);
  assert.deepEqual(pdus.map((p) => p.type), [3, 4, 6, 7]);
});
