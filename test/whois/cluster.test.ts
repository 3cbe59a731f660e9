/**
 * WHOIS served by several worker processes on one port (src/whois/cluster.ts), on real PostgreSQL (each worker
 * opens its own connection to the test database). PGlite lives inside one process, so on that backend the
 * suite checks only that cluster mode refuses it clearly; the worker tests are registered on PostgreSQL.
 * Proves: answers are byte-identical to the single-process server's; a registry write shows on the next
 * connection; one client always meets the same worker, so its connection limit and personal-data limit
 * stay exact; workers exit on close.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { rawQuery, startHarness, type Harness } from './helpers.js';
import { startWhoisCluster, type WhoisCluster } from '../../src/whois/cluster.js';
import { SYSTEM } from './fixtures.js';

const onPostgres = Boolean(process.env.DATABASE_URL);
/** `test` on PostgreSQL; on PGlite the worker tests do not apply (see above) and are not registered. */
const pgTest = (name: string, fn: () => Promise<void>) => (onPostgres ? test(name, fn) : undefined);

test('cluster mode refuses a store its workers cannot share, with a clear error', async () => {
  await assert.rejects(startWhoisCluster({ databaseUrl: '', workers: 2, host: '127.0.0.1', port: 0 }), /cluster mode needs PostgreSQL/);
  await assert.rejects(startWhoisCluster({ databaseUrl: './data/pglite', workers: 2, host: '127.0.0.1', port: 0 }), /cannot share an embedded PGlite/);
});

let h: Harness;
let cluster: WhoisCluster;
let strict: WhoisCluster;
before(async () => {
  if (!onPostgres) return;
  h = await startHarness();
  [cluster, strict] = await Promise.all([
    startWhoisCluster({ databaseUrl: h.t.url!, workers: 2, host: '127.0.0.1', port: 0, registry: h.f.registry, pollMs: 0 }),
    startWhoisCluster({ databaseUrl: h.t.url!, workers: 2, host: '127.0.0.1', port: 0, pollMs: 0, personalDataLimit: 1, limits: { maxConnectionsPerClient: 3 } }),
  ]);
});
after(async () => {
  await cluster?.close();
  await strict?.close();
  await h?.close();
});

const ask = async (port: number, q: string, localAddress?: string) => {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress });
  const chunks: Buffer[] = [];
  socket.on('data', (c) => chunks.push(c));
  socket.write(`${q}\r\n`);
  await new Promise((resolve) => socket.on('close', resolve));
  return Buffer.concat(chunks).toString('utf8');
};

pgTest('workers answer exactly as the single-process server does, from any client address', async () => {
  for (const q of ['192.0.2.1', '-B 2001:db8::1', 'AS64500/j', 'EXN-NOC/e', '-r -T inetnum 192.0.2.0/24', '-x 10.0.0.0/8', 'help']) {
    const one = (await rawQuery(h.port, `${q}\r\n`)).text;
    for (const local of ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4']) assert.equal(await ask(cluster.port, q, local), one, `${q} from ${local}`);
  }
});

pgTest('persistent (-k) connections work through a worker', async () => {
  const socket = net.connect({ port: cluster.port, host: '127.0.0.1' });
  let text = '';
  socket.on('data', (c) => (text += c));
  socket.write('-k 192.0.2.1\r\nAS64500\r\n-k\r\n');
  await new Promise((resolve) => socket.on('close', resolve));
  assert.equal(text.split('% This query was served by').length - 1, 2);
  assert.match(text, /^aut-num: +AS64500$/m);
});

pgTest('a registry write shows on the next connection (the primary nudges every worker)', async () => {
  assert.match(await ask(cluster.port, '192.0.2.1'), /^netname: +EXAMPLE-NET$/m);
  await h.f.registry.modify(h.f.ids['v4-lir']!, { netName: 'CLUSTER-NET' }, SYSTEM);
  for (const local of ['127.0.0.1', '127.0.0.2', '127.0.0.3']) assert.match(await ask(cluster.port, '192.0.2.1', local), /^netname: +CLUSTER-NET$/m);
  // a worker started without the primary's registry catches up through the feed
  await strict.settled();
  assert.match(await ask(strict.port, '-r 192.0.2.1'), /^netname: +CLUSTER-NET$/m);
});

pgTest('one client meets one worker: its personal-data and connection limits are exact', async () => {
  // 192.0.2.1's answer carries one natural person (admin-c TY1-NUMREG); the limit is 1 a day
  assert.match(await ask(strict.port, '192.0.2.1', '127.0.0.5'), /^person: +Taro Yamada$/m);
  for (let i = 0; i < 3; i++) assert.match(await ask(strict.port, '192.0.2.1', '127.0.0.5'), /%ERROR:201: access denied for 127\.0\.0\.5/);
  assert.match(await ask(strict.port, '192.0.2.1', '127.0.0.6'), /^person: +Taro Yamada$/m, 'another client has its own allowance');
  // three connections allowed per client, the fourth refused
  const held = await Promise.all([0, 1, 2].map(async () => {
    const s = net.connect({ port: strict.port, host: '127.0.0.1', localAddress: '127.0.0.7' });
    await new Promise((resolve) => s.on('connect', resolve));
    return s;
  }));
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.match(await ask(strict.port, '192.0.2.1', '127.0.0.7'), /%ERROR:306/);
  for (const s of held) s.destroy();
});
