// Fuzzing the router-facing side with seeded random malformed PDUs: 120,000 through the session state
// machine and 3,000 through real sockets. Every malformed input must end in an Error Report (or a plain
// close when the input was itself an Error Report), nothing may throw, and buffers stay bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RtrDecodeError, decodeStream, encodeErrorReport, encodeRecords, encodeResetQuery, encodeSerialQuery } from '../../src/rtr/codec.js';
import { MAX_ROUTER_PDU_LENGTH, PDU, type RtrVersion } from '../../src/rtr/pdu-types.js';
import { vrpKey } from '../../src/rtr/records.js';
import { RtrServer } from '../../src/rtr/server.js';
import { RtrSession, type CacheView } from '../../src/rtr/session.js';
import { RecordSet } from '../../src/rtr/vrp-set.js';
import { exchange } from './helpers.js';

function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

const keys = [vrpKey('192.0.2.0/24', 24, 64496), vrpKey('2001:db8::/32', 48, 64497)];
const cache: CacheView = {
  maxVersion: 1,
  timers: { refresh: 3600, retry: 600, expire: 7200 },
  sessionId: () => 4242,
  serial: () => 10,
  ready: () => true,
  snapshot: (v: RtrVersion) => encodeRecords(v, [], keys),
  delta: (v: RtrVersion, serial: number) => (serial === 9 ? encodeRecords(v, [], keys.slice(0, 1)) : serial === 10 ? Buffer.alloc(0) : 'reset'),
};

const seeds: Buffer[] = [
  encodeResetQuery(0),
  encodeResetQuery(1),
  encodeSerialQuery(0, 4242, 9),
  encodeSerialQuery(1, 4242, 10),
  encodeErrorReport(1, 3, encodeResetQuery(1), 'router says no'),
  encodeRecords(1, [], keys),
];

/** One malformed input. Mutations of valid PDUs may yield a valid one; the check below tells them apart. */
function malformed(r: (n: number) => number): Buffer {
  const kind = r(8);
  if (kind === 0) {
    const b = Buffer.alloc(1 + r(48));
    for (let i = 0; i < b.length; i++) b[i] = r(256);
    return b;
  }
  const base = Buffer.from(seeds[r(seeds.length)]!);
  switch (kind) {
    case 1: // flip bytes
      for (let i = 0, n = 1 + r(3); i < n; i++) base[r(base.length)] = r(256);
      return base;
    case 2: // version
      base[0] = r(4) === 0 ? r(256) : r(4);
      return base;
    case 3: // type
      base[1] = r(16);
      return base;
    case 4: // length field
      base.writeUInt32BE(r(4) === 0 ? r(0x100000000) : r(64), 4);
      return base;
    case 5: // truncated, then something else glued on
      return Buffer.concat([base.subarray(0, r(base.length)), seeds[r(seeds.length)]!]);
    case 6: // trailing garbage after a valid PDU
      return Buffer.concat([base, Buffer.from([r(256), r(256), r(256), r(256), r(256), r(256), r(256), r(256), r(256)])]);
    default: // reserved/flag fields
      base[2] = r(256);
      base[3] = r(256);
      return base;
  }
}

/** True when `b` is a sequence of valid router queries (so a normal answer is right). */
function validQueries(input: Buffer): boolean {
  const b = Buffer.from(input);
  // negotiation: a newer router's first query is answered in our version (RFC 8210 section 7)
  if (b.length >= 8 && b[0]! > 1 && ((b[1] === 2 && b.readUInt32BE(4) === 8) || (b[1] === 1 && b.readUInt32BE(4) === 12))) b[0] = 1;
  try {
    const { pdus, used } = decodeStream(b, { maxVersion: 1, from: 'router' });
    return used === b.length && pdus.length > 0 && pdus.every((p) => p.type === PDU.resetQuery || p.type === PDU.serialQuery) && new Set(pdus.map((p) => p.version)).size === 1;
  } catch (e) {
    if (e instanceof RtrDecodeError) return false;
    throw e;
  }
}

test('120,000 malformed PDUs into the session state machine: Error Report or close, never a crash', () => {
  const r = rng(20261123);
  const heapBefore = process.memoryUsage().heapUsed;
  const stats = { errorReport: 0, silentClose: 0, valid: 0, partial: 0 };
  for (let i = 0; i < 120_000; i++) {
    const input = malformed(r);
    const out: Buffer[] = [];
    let closed = false;
    const s = new RtrSession(cache, { write: (c) => out.push(...c), close: () => (closed = true) });
    // deliver in random-sized pieces, as TCP may
    for (let off = 0; off < input.length && !closed; ) {
      const n = 1 + r(input.length - off);
      s.feed(input.subarray(off, off + n));
      off += n;
    }
    assert.ok(s.pending <= MAX_ROUTER_PDU_LENGTH + 8, 'input buffer bounded');
    const { pdus, used } = decodeStream(Buffer.concat(out), { maxVersion: 1, from: 'cache' });
    assert.equal(used, Buffer.concat(out).length, 'output is whole, valid PDUs');
    if (closed) {
      const last = pdus[pdus.length - 1];
      if (last?.type === PDU.errorReport) stats.errorReport++;
      else {
        // only an Error Report from the router may be answered by silence
        assert.ok(input.includes(PDU.errorReport), `silent close on ${input.toString('hex')}`);
        stats.silentClose++;
      }
    } else if (s.pending > 0) {
      stats.partial++; // waiting for the rest of a PDU: the partial-PDU timer closes it (server test)
    } else {
      assert.ok(validQueries(input), `no Error Report for malformed input ${input.toString('hex')}`);
      assert.ok(pdus.length > 0 && pdus.every((p) => p.type !== PDU.errorReport));
      stats.valid++;
    }
  }
  assert.ok(stats.errorReport > 80_000, JSON.stringify(stats));
  const growth = process.memoryUsage().heapUsed - heapBefore;
  assert.ok(growth < 200 * 1024 * 1024, `heap grew by ${growth}`);
});

test('3,000 malformed inputs through real sockets; the server keeps serving', async () => {
  const server = new RtrServer({ partialPduTimeoutMs: 100, handshakeTimeoutMs: 100 });
  server.update(RecordSet.fromKeys(keys));
  const { port } = await server.listen();
  const r = rng(7);
  const rssBefore = process.memoryUsage().rss;
  try {
    let errors = 0;
    for (let batch = 0; batch < 60; batch++) {
      const results = await Promise.all(
        Array.from({ length: 50 }, async () => {
          const input = malformed(r);
          const { data, closed } = await exchange(port, input, validQueries(input) ? 200 : 3000);
          const { pdus } = decodeStream(data, { maxVersion: 1, from: 'cache' });
          if (!validQueries(input)) {
            assert.ok(closed || pdus.some((p) => p.type === PDU.errorReport), `malformed input left open: ${input.toString('hex')}`);
          }
          return pdus.some((p) => p.type === PDU.errorReport);
        }),
      );
      errors += results.filter(Boolean).length;
    }
    assert.ok(errors > 2000);
    const { data } = await exchange(port, encodeResetQuery(1), 300);
    assert.deepEqual(decodeStream(data, { maxVersion: 1, from: 'cache' }).pdus.map((p) => p.type), [3, 4, 6, 7]);
    await new Promise((res) => setTimeout(res, 50));
    assert.ok(server.clients.size <= 1, `connections left: ${server.clients.size}`);
    assert.ok(process.memoryUsage().rss - rssBefore < 200 * 1024 * 1024);
  } finally {
    await server.close();
  }
});
