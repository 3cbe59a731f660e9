/**
 * Interop over a real socket: numreg's RDAP service on a real port, read by RDAP clients nobody here wrote.
 *  - npm "node-rdap": matches addresses against our ipv4/ipv6 bootstrap file entries and fetches the
 *    objects. It hard-codes IANA's bootstrap URL (unreachable offline), so its cache is filled from our
 *    bootstrap files first. Skips when not installed.
 *  - Plain HTTP semantics every client relies on (always runs): media type, CORS, HEAD, 404/400 bodies.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildFixture, buildServer, type Fixture } from './fixture.js';
import { assertRdap } from './validate.js';

let fx: Fixture;
let app: FastifyInstance;
let base = '';

before(async () => {
  fx = await buildFixture();
  app = await buildServer(fx);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  base = `${address}/rdap`;
});
after(async () => {
  await app.close();
  await fx.testDb.close();
});

test('HTTP over a real socket: media type, CORS, HEAD, errors', async () => {
  const r = await fetch(`${base}/ip/192.0.2.130`, { headers: { accept: 'application/rdap+json', origin: 'https://example.org' } });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /^application\/rdap\+json/);
  assert.equal(r.headers.get('access-control-allow-origin'), '*');
  const body = (await r.json()) as { links: { rel: string; href: string }[] };
  assertRdap(body, 'socket ip');
  assert.ok(body.links.find((l) => l.rel === 'self')!.href.startsWith(base));
  const head = await fetch(`${base}/autnum/64500`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.match(head.headers.get('content-type') ?? '', /^application\/rdap\+json/);
  const missing = await fetch(`${base}/ip/10.1.2.3`);
  assert.equal(missing.status, 404);
  assertRdap(await missing.json(), 'socket 404');
  const bootstrap = (await (await fetch(`${base}/bootstrap/asn.json`)).json()) as { services: string[][][] };
  assert.deepEqual(bootstrap.services[0][1], [`${base}/`]);
});

let nodeRdap: { ip: (a: string) => Promise<Record<string, unknown>>; autnum: (n: number) => Promise<Record<string, unknown>> } | undefined;
let nodeRdapCache: Record<string, { maskCache?: { set: (k: string, v: string) => void }; rangeCache?: { set: (k: string, v: string) => void } }> | undefined;
try {
  nodeRdap = await import('node-rdap' as string);
  nodeRdapCache = await import('node-rdap/dist/tsc/cache/index.js' as string);
} catch {
  nodeRdap = undefined;
}

test('node-rdap (npm) finds our server through our bootstrap entries and reads the objects', { skip: nodeRdap ? false : 'node-rdap not installed (npm i -D node-rdap@0.5.0)' }, async () => {
  for (const [kind, cache, key] of [['ipv4', 'ipv4Cache', 'maskCache'], ['ipv6', 'ipv6Cache', 'maskCache'], ['asn', 'autnumCache', 'rangeCache']] as const) {
    const file = (await (await fetch(`${base}/bootstrap/${kind}.json`)).json()) as { services: [string[], string[]][] };
    for (const [entries, urls] of file.services) {
      for (const e of entries) nodeRdapCache![cache]![key]!.set(e, urls[0]!.replace(/\/$/, ''));
    }
  }
  const net = await nodeRdap!.ip('192.0.2.130');
  assert.equal(net.handle, `NET-${fx.ids.v4cust}`);
  assertRdap(net, 'node-rdap ip');
  const v6 = await nodeRdap!.ip('2001:db8:100::1');
  assert.equal(v6.name, 'EXAMPLE-V6');
  const as = await nodeRdap!.autnum(64500);
  assert.equal(as.handle, 'AS64500');
});
