// ROV (RFC 6811) semantics, the REST routes on a real fastify instance, and the Prometheus metrics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { RovIndex, registerRovRoutes, startRtrService, type Vrp } from '../../src/rtr/index.js';
import { RtrClient } from '../../src/rtr/client.js';
import { vrpKey } from '../../src/rtr/records.js';
import { RecordSet } from '../../src/rtr/vrp-set.js';
import { makeVrps } from './helpers.js';

const VRPS: Vrp[] = [
  { prefix: '192.0.2.0/24', maxLength: 24, asn: 64496 },
  { prefix: '198.51.100.0/22', maxLength: 24, asn: 64497 },
  { prefix: '198.51.100.0/24', maxLength: 24, asn: 64498 },
  { prefix: '203.0.113.0/24', maxLength: 24, asn: 0 },
  { prefix: '2001:db8::/32', maxLength: 48, asn: 64496 },
];
const index = (v: Vrp[]) => new RovIndex(RecordSet.fromKeys(v.map((x) => vrpKey(x.prefix, x.maxLength, x.asn))).keys);

test('ROV: valid, invalid (origin or length), not-found, AS0, no origin', () => {
  const rov = index(VRPS);
  const st = (p: string, o: number | string | null) => rov.validateOrigin(p, o).state;
  assert.equal(st('192.0.2.0/24', 64496), 'valid');
  assert.equal(st('192.0.2.0/24', 'AS64499'), 'invalid');
  assert.equal(st('192.0.2.0/25', 64496), 'invalid', 'longer than maxLength');
  assert.equal(st('198.51.101.0/24', 64497), 'valid', 'covered by the /22 up to /24');
  assert.equal(st('198.51.100.0/24', 64498), 'valid');
  assert.equal(st('198.51.100.0/24', 64497), 'valid', 'the /22 also matches');
  assert.equal(st('198.51.96.0/21', 64497), 'not-found', 'less specific than every VRP');
  assert.equal(st('203.0.113.0/24', 0), 'invalid', 'AS0 VRPs never match');
  assert.equal(st('2001:db8:ff00::/40', 64496), 'valid');
  assert.equal(st('2001:db8::/49', 64496), 'invalid');
  assert.equal(st('2001:db9::/32', 64496), 'not-found');
  assert.equal(st('192.0.2.0/24', null), 'invalid', 'no single origin never matches');
  const r = rov.validateOrigin('198.51.100.0/24', 64498);
  assert.deepEqual(r.matched, [{ prefix: '198.51.100.0/24', maxLength: 24, asn: 64498 }]);
  assert.deepEqual(r.unmatched, [{ prefix: '198.51.100.0/22', maxLength: 24, asn: 64497 }]);
  assert.throws(() => rov.validateOrigin('192.0.2.1/24', 1), /host bits/);
  assert.throws(() => rov.validateOrigin('nope', 1), /no "\/length"/);
});

test('ROV agrees with a brute-force RFC 6811 check on random routes', () => {
  const set = makeVrps(3000, 9);
  const rov = index(set);
  const parse4 = (p: string) => {
    const [a, l] = p.split('/');
    const n = a!.split('.').reduce((x, o) => x * 256 + Number(o), 0);
    return { n, l: Number(l) };
  };
  const v4 = set.filter((v) => !v.prefix.includes(':'));
  for (let i = 0; i < 500; i++) {
    const base = v4[i % v4.length]!;
    const { n, l } = parse4(base.prefix);
    const len = Math.min(32, l + (i % 4));
    // a sub-prefix of the VRP's prefix (or the prefix itself), somewhere inside it
    const net = n + ((i * 7919) % 2 ** (len - l)) * 2 ** (32 - len);
    const prefix = `${[24, 16, 8, 0].map((s) => Math.floor(net / 2 ** s) % 256).join('.')}/${len}`;
    const origin = i % 2 === 0 ? base.asn : 77;
    const covering = v4.filter((v) => {
      const x = parse4(v.prefix);
      return x.l <= len && Math.floor(net / 2 ** (32 - x.l)) === Math.floor(x.n / 2 ** (32 - x.l));
    });
    const want = covering.length === 0 ? 'not-found' : covering.some((v) => v.asn === origin && v.asn !== 0 && len <= v.maxLength) ? 'valid' : 'invalid';
    assert.equal(rov.validateOrigin(prefix, origin).state, want, `${prefix} AS${origin}`);
  }
});

test('REST: GET and bulk POST /api/rov on a real fastify; 400 on bad input; metrics', async () => {
  const registry = new Registry();
  const svc = await startRtrService({ extraSources: [{ name: 'static', current: () => VRPS, onChange: () => {} }], metricsRegistry: registry });
  const app = Fastify();
  registerRovRoutes(app, svc);
  app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  try {
    let res = await fetch(`${base}/api/rov?prefix=192.0.2.0/24&origin=AS64496`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      serial: svc.serial(), prefix: '192.0.2.0/24', origin: 'AS64496', state: 'valid',
      matched: [{ prefix: '192.0.2.0/24', maxLength: 24, asn: 'AS64496' }], unmatched: [],
    });
    res = await fetch(`${base}/api/rov?prefix=198.51.100.0/24&origin=64499`);
    assert.equal(((await res.json()) as { state: string }).state, 'invalid');

    for (const [q, msg] of [
      ['origin=1', /prefix is required/],
      ['prefix=192.0.2.0/24', /origin is required/],
      ['prefix=192.0.2.0/33&origin=1', /length 33 exceeds 32/],
      ['prefix=192.0.2.1/24&origin=1', /host bits/],
      ['prefix=192.0.2.0/24&origin=ASX', /not an AS number/],
    ] as const) {
      res = await fetch(`${base}/api/rov?${q}`);
      assert.equal(res.status, 400, q);
      assert.match(((await res.json()) as { message: string }).message, msg);
    }

    res = await fetch(`${base}/api/rov`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ prefix: '192.0.2.0/24', origin: 64496 }, { prefix: '2001:db8::/48', origin: 'AS64496' }, { prefix: '10.0.0.0/8', origin: 1 }]),
    });
    assert.equal(res.status, 200);
    const bulk = (await res.json()) as { results: { state: string }[] };
    assert.deepEqual(bulk.results.map((r) => r.state), ['valid', 'valid', 'not-found']);
    res = await fetch(`${base}/api/rov`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ prefix: '192.0.2.0/24', origin: 1 }, { prefix: 'x', origin: 1 }]) });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { message: string }).message, /^routes\[1\]: /);
    res = await fetch(`${base}/api/rov`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"prefix": "192.0.2.0/24"}' });
    assert.equal(res.status, 400);

    const c = new RtrClient({ port: svc.port, version: 1 });
    await c.connect();
    await c.reset();
    const text = await (await fetch(`${base}/metrics`)).text();
    assert.match(text, /numreg_rtr_source_vrps\{source="static"\} 5/);
    assert.match(text, /numreg_rtr_vrps\{family="ipv4"\} 4/);
    assert.match(text, /numreg_rtr_vrps\{family="ipv6"\} 1/);
    assert.match(text, /numreg_rtr_serial 0/);
    assert.match(text, /numreg_rtr_clients 1/);
    assert.match(text, /numreg_rtr_pdus_sent_total 7/);
    assert.match(text, /numreg_rtr_queries_total\{kind="reset",answer="data"\} 1/);
    assert.match(text, /numreg_rtr_last_update_timestamp_seconds \d+/);
    c.close();
  } finally {
    await app.close();
    await svc.close();
  }
});
