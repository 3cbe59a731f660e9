// The RTR cache over real sockets: sync, Serial Query from the diff ring, Cache Reset, Serial Notify,
// version negotiation, router keys and ASPA, and how it treats bad, partial and silent connections.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startRtrService } from '../../src/rtr/index.js';
import { RtrClient } from '../../src/rtr/client.js';
import { RtrServer } from '../../src/rtr/server.js';
import { decodeStream, encodeResetQuery, encodeSerialQuery } from '../../src/rtr/codec.js';
import { ERR, PDU } from '../../src/rtr/pdu-types.js';
import { decodeVrpKey, isVrpKey, vrpKey } from '../../src/rtr/records.js';
import { RecordSet } from '../../src/rtr/vrp-set.js';
import { exchange, makeVrps, tmpDir, vrpSetOf, waitFor, writeVrpJson } from './helpers.js';

const clientVrps = (c: RtrClient) => [...c.records].filter(isVrpKey).map(decodeVrpKey);
const hex = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');

test('full sync, then Serial Notify and Serial Query after add and withdraw (v0 and v1)', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'vrps.json');
  const vrps = makeVrps(300, 7);
  writeVrpJson(file, vrps);
  const svc = await startRtrService({ vrpJsonPath: file, pollMs: 200, timers: { refresh: 900, retry: 300, expire: 3600 } });
  try {
    const clients = [new RtrClient({ port: svc.port, version: 0 }), new RtrClient({ port: svc.port, version: 1 })];
    for (const c of clients) await c.connect();
    const r0 = await clients[0]!.reset();
    const r1 = await clients[1]!.reset();
    assert.equal(r0.timers, undefined, 'version 0 End of Data has no timers');
    assert.deepEqual(r1.timers, { refresh: 900, retry: 300, expire: 3600 });
    assert.equal(r1.pdus, 300 + 2);
    for (const c of clients) assert.deepEqual(vrpSetOf(clientVrps(c)), vrpSetOf(vrps));
    const serial0 = svc.serial();

    // rewriting identical content does not bump the serial
    writeVrpJson(file, vrps);
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(svc.serial(), serial0);

    const next = [...vrps.slice(20), ...makeVrps(15, 99)];
    const synced = clients.map((c) => new Promise((resolve) => c.once('sync', resolve)));
    writeVrpJson(file, next);
    await Promise.all(synced);
    assert.equal(svc.serial(), (serial0 + 1) >>> 0);
    for (const c of clients) {
      assert.equal(c.serial, svc.serial());
      assert.deepEqual(vrpSetOf(clientVrps(c)), vrpSetOf(next));
    }
    for (const c of clients) c.close();
  } finally {
    await svc.close();
  }
});

test('Serial Query: current serial -> empty response; old serial, other session or future -> Cache Reset', async () => {
  const server = new RtrServer({ historySize: 2, sessionId: 777 });
  const set = (n: number) => RecordSet.fromKeys(makeVrps(n, 5).map((v) => vrpKey(v.prefix, v.maxLength, v.asn)));
  server.update(set(10));
  const { port } = await server.listen();
  try {
    for (let i = 11; i <= 14; i++) server.update(set(i));
    assert.equal(server.state.serial, 4);
    const ask = async (session: number, serial: number) => {
      const { data } = await exchange(port, encodeSerialQuery(1, session, serial), 300);
      return decodeStream(data, { maxVersion: 1, from: 'cache' }).pdus;
    };
    assert.deepEqual((await ask(777, 4)).map((p) => p.type), [PDU.cacheResponse, PDU.endOfData]);
    // two diffs kept: from serial 2 the net diff is 2 announcements
    const d = await ask(777, 2);
    assert.equal(d.length, 4);
    assert.equal(d[0]!.type, PDU.cacheResponse);
    assert.ok(d.slice(1, 3).every((p) => (p.type === PDU.ipv4Prefix || p.type === PDU.ipv6Prefix) && p.announce));
    assert.equal(d[3]!.type, PDU.endOfData);
    assert.deepEqual((await ask(777, 1)).map((p) => p.type), [PDU.cacheReset], 'serial older than the history');
    assert.deepEqual((await ask(778, 4)).map((p) => p.type), [PDU.cacheReset], 'other session id');
    assert.deepEqual((await ask(777, 9)).map((p) => p.type), [PDU.cacheReset], 'serial from the future');
  } finally {
    await server.close();
  }
});

test('End of Data timers are checked against RFC 8210 section 6', () => {
  assert.throws(() => new RtrServer({ timers: { refresh: 0 } }), /refresh interval 0 s is outside 1..86400/);
  assert.throws(() => new RtrServer({ timers: { refresh: 7200, expire: 7200 } }), /expire interval must be longer/);
});

test('no data yet: "No Data Available" (non-fatal), then data once loaded', async () => {
  const server = new RtrServer();
  const { port } = await server.listen();
  try {
    const c = new RtrClient({ port, version: 1 });
    await c.connect();
    await assert.rejects(c.reset(), (e: { code?: number }) => e.code === ERR.noDataAvailable);
    assert.equal(c.closed, false, 'connection stays open');
    server.update(RecordSet.fromKeys([vrpKey('192.0.2.0/24', 24, 64496)]));
    const r = await c.reset();
    assert.equal(r.pdus, 3);
    c.close();
  } finally {
    await server.close();
  }
});

test('bad input: Error Report with the precise code, then close', async () => {
  const svc = await startRtrService({ extraSources: [{ name: 'static', current: () => [{ prefix: '192.0.2.0/24', maxLength: 24, asn: 64496 }], onChange: () => {} }] });
  try {
    const cases: [string, Buffer, number | null][] = [
      ['HTTP request', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), ERR.unsupportedVersion],
      ['TLS ClientHello', hex('16030100a5010000a10303'), ERR.unsupportedVersion],
      ['unknown PDU type', hex('0105000000000008'), ERR.unsupportedPduType],
      ['Cache Response from a router', hex('0103000000000008'), ERR.invalidRequest],
      ['version change after negotiation', Buffer.concat([encodeResetQuery(1), encodeResetQuery(0)]), ERR.unexpectedVersion],
      ['v0 session then v1', Buffer.concat([encodeResetQuery(0), encodeResetQuery(1)]), ERR.unsupportedVersion],
      ['huge length', hex('0101000000ffffff'), ERR.corruptData],
      ['Reset Query with length 9', hex('010200000000000900'), ERR.corruptData],
      ['Error Report from the router: close without answer', hex('010a0000000000100000000000000000'), null],
    ];
    for (const [name, bytes, code] of cases) {
      const { data, closed } = await exchange(svc.port, bytes, 3000);
      assert.ok(closed, `${name}: connection closed`);
      const { pdus } = decodeStream(data, { maxVersion: 2, from: 'cache' });
      const errors = pdus.filter((p) => p.type === PDU.errorReport);
      if (code === null) assert.equal(errors.length, 0, name);
      else {
        assert.equal(errors.length, 1, `${name}: one Error Report`);
        assert.equal((errors[0] as { errorCode: number }).errorCode, code, name);
        assert.equal(pdus[pdus.length - 1]!.type, PDU.errorReport, `${name}: Error Report is the last PDU`);
      }
    }
  } finally {
    await svc.close();
  }
});

test('a stalled partial PDU and a silent connection are closed', async () => {
  const svc = await startRtrService({ partialPduTimeoutMs: 200, handshakeTimeoutMs: 400 });
  try {
    const t0 = Date.now();
    const partial = await exchange(svc.port, hex('010200'), 5000);
    assert.ok(partial.closed);
    const { pdus } = decodeStream(partial.data, { maxVersion: 2, from: 'cache' });
    assert.equal((pdus[0] as { errorCode: number }).errorCode, ERR.corruptData);
    const silent = await exchange(svc.port, Buffer.alloc(0), 5000);
    assert.ok(silent.closed);
    assert.ok(Date.now() - t0 < 5000);
  } finally {
    await svc.close();
  }
});

test('version negotiation: a v2 query to a v0/v1 cache is answered in v1; v2 with ASPA behind enableV2', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'vrps.json');
  const ski = '0102030405060708090a0b0c0d0e0f1011121314';
  const pubkey = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200' + '04'.repeat(65), 'hex').toString('base64');
  writeVrpJson(file, [{ prefix: '192.0.2.0/24', maxLength: 24, asn: 64496 }], {
    bgpsec_keys: [{ asn: 64496, ski, pubkey }],
    aspas: [{ customer_asid: 64496, providers: [64498, 64497] }],
  });
  for (const enableV2 of [false, true]) {
    const svc = await startRtrService({ vrpJsonPath: file, enableV2 });
    try {
      const got = async (version: 0 | 1 | 2) => {
        const { data } = await exchange(svc.port, encodeResetQuery(version), 400);
        return decodeStream(data, { maxVersion: 2, from: 'cache' }).pdus;
      };
      const v2 = await got(2);
      assert.equal(v2[0]!.version, enableV2 ? 2 : 1);
      assert.deepEqual(v2.map((p) => p.type), enableV2 ? [3, 4, 9, 11, 7] : [3, 4, 9, 7]);
      assert.deepEqual((await got(1)).map((p) => p.type), [3, 4, 9, 7], 'router keys from v1');
      assert.deepEqual((await got(0)).map((p) => p.type), [3, 4, 7], 'v0 has prefixes only');
      if (enableV2) {
        const aspa = v2.find((p) => p.type === PDU.aspa) as { customer: number; providers: number[] };
        assert.deepEqual([aspa.customer, aspa.providers], [64496, [64497, 64498]]);
      }
    } finally {
      await svc.close();
    }
  }
  fs.rmSync(dir, { recursive: true });
});

test('a missing VRP file means "No Data Available" until it appears, never an empty set', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'later.json');
  const svc = await startRtrService({ vrpJsonPath: file, pollMs: 100 });
  try {
    const c = new RtrClient({ port: svc.port, version: 1 });
    await c.connect();
    await assert.rejects(c.reset(), (e: { code?: number }) => e.code === ERR.noDataAvailable);
    assert.match(svc.sources()[0]!.lastError ?? '', /cannot stat/);
    writeVrpJson(file, [{ prefix: '192.0.2.0/24', maxLength: 24, asn: 64496 }]);
    await waitFor(() => svc.server.ready(), 5000, 'data');
    const r = await c.reset();
    assert.equal(r.pdus, 3);
    c.close();
  } finally {
    await svc.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
