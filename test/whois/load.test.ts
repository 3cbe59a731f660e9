/**
 * Load on loopback: 1,000 concurrent connections, each making 10 queries on a persistent (-k) connection,
 * one after the other as an interactive client would. Every answer must arrive complete and error-free.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { startHarness, type Harness } from './helpers.js';

const CONNECTIONS = 1000;
const QUERIES = 10;
const KEYS = ['-r 192.0.2.1', '-r 2001:db8::1', '-r AS64500', 'EXN-NOC', '-r EXAMPLE-NET', 'ORG-EXN1', '-r -M 192.0.0.0/16', '-r 192.0.2.200', '-K 192.0.2.0/24', '-r AS64496 - AS64511'];
const END = /% This query was served by [^\n]*\n\n\n$/;

let h: Harness;
before(async () => {
  h = await startHarness({ personalDataLimit: 1_000_000, limits: { maxConnectionsPerClient: CONNECTIONS + 10, idleTimeoutMs: 60_000 } });
});
after(async () => {
  await h?.close();
});

async function client(id: number): Promise<number> {
  const socket = net.connect({ port: h.port, host: '127.0.0.1' });
  socket.setNoDelay(true);
  await once(socket, 'connect');
  let buffer = '';
  let wake: (() => void) | undefined;
  socket.on('data', (c) => {
    buffer += c.toString('utf8');
    wake?.();
  });
  let failed = '';
  socket.on('error', (e) => {
    failed = String(e);
    wake?.();
  });
  const answers: string[] = [];
  for (let i = 0; i < QUERIES; i++) {
    socket.write(`${i === 0 ? '-k ' : ''}${KEYS[(id + i) % KEYS.length]}\r\n`);
    while (!END.test(buffer) && !failed) await new Promise<void>((r) => (wake = r));
    if (failed) throw new Error(`connection ${id}: ${failed}`);
    answers.push(buffer);
    buffer = '';
  }
  socket.write('-k\r\n');
  await once(socket, 'close');
  for (const a of answers) {
    assert.doesNotMatch(a, /%ERROR/, `connection ${id}`);
    assert.match(a, /^[a-z-]+:\s+\S/m);
  }
  return answers.length;
}

test(`${CONNECTIONS} concurrent connections x ${QUERIES} queries, no errors`, async () => {
  const started = process.hrtime.bigint();
  const results = await Promise.all(Array.from({ length: CONNECTIONS }, (_, i) => client(i)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const total = results.reduce((a, b) => a + b, 0);
  assert.equal(total, CONNECTIONS * QUERIES);
  console.log(`# load: ${total} queries on ${CONNECTIONS} concurrent connections in ${seconds.toFixed(2)} s (${Math.round(total / seconds)} q/s)`);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(h.s.server.connections, 0);
});
