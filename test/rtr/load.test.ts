// Load: 200 concurrent routers (half v0, half v1) follow several serial changes, some back to back,
// and all end with exactly the cache's set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRtrService, type PushSource, type Vrp } from '../../src/rtr/index.js';
import { RtrClient } from '../../src/rtr/client.js';
import { vrpKey } from '../../src/rtr/records.js';
import { makeVrps, waitFor } from './helpers.js';

test('200 concurrent clients converge through several serial changes', async () => {
  let current: Vrp[] = makeVrps(3000, 1);
  const listeners: (() => void)[] = [];
  const source: PushSource = { name: 'test', current: () => current, onChange: (cb) => void listeners.push(cb) };
  const change = (next: Vrp[]) => {
    current = next;
    for (const l of listeners) l();
  };
  const svc = await startRtrService({ extraSources: [source], historySize: 3 });
  const clients: RtrClient[] = [];
  try {
    for (let i = 0; i < 200; i++) clients.push(new RtrClient({ port: svc.port, version: (i % 2) as 0 | 1 }));
    await Promise.all(clients.map((c) => c.connect()));
    await Promise.all(clients.map((c) => c.reset()));
    for (const c of clients) assert.equal(c.records.size, 3000);

    const pool = makeVrps(6000, 1); // superset of the first 3000
    const steps = [pool.slice(100, 3100), pool.slice(100, 3000).concat(pool.slice(3500, 3600)), pool.slice(0, 2500), pool.slice(0, 2500).concat(pool.slice(5000, 6000))];
    const errors: Error[] = [];
    for (const c of clients) c.on('error', (e) => errors.push(e));
    const t0 = Date.now();
    for (const [i, step] of steps.entries()) {
      change(step);
      // the last two changes come back to back: clients still busy with one diff must catch up (or reset)
      if (i < 2) await new Promise((r) => setTimeout(r, 150));
    }
    // back-to-back changes may fold into one serial (sources are debounced)
    await waitFor(() => svc.vrps().length === steps[steps.length - 1]!.length, 5000, 'last set served');
    assert.ok(svc.serial() >= 3);
    await waitFor(() => clients.every((c) => c.serial === svc.serial()), 30_000, 'all clients at the last serial');
    const elapsed = Date.now() - t0;
    const want = new Set(steps[steps.length - 1]!.map((v) => vrpKey(v.prefix, v.maxLength, v.asn)));
    for (const c of clients) {
      assert.equal(c.records.size, want.size);
      for (const k of c.records) assert.ok(want.has(k));
    }
    assert.deepEqual(errors, []);
    assert.equal(svc.server.clients.size, 200);
    console.log(`# 200 clients converged through ${svc.serial()} serials in ${elapsed} ms`);
  } finally {
    for (const c of clients) c.close();
    await svc.close();
  }
});
