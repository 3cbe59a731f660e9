/**
 * Interop over a real socket: numreg's RDAP service on a real port, read by RDAP clients nobody here wrote.
 *  - 20C's `rdap` (PyPI "rdap", the client behind PeeringDB's RIR look-ups): bootstraps AS numbers from
 *    our RFC 9224 asn.json, follows entity self links, parses jCards. Skips when not installed (PyPI is not
 *    reachable from every machine that runs these tests).
 *  - npm "node-rdap": matches addresses against our ipv4/ipv6 bootstrap file entries and fetches the
 *    objects. It hard-codes IANA's bootstrap URL (unreachable offline), so its cache is filled from our
 *    bootstrap files first. Skips when not installed.
 *  - Plain HTTP semantics every client relies on (always runs): media type, CORS, HEAD, 404/400 bodies.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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

const python = spawnSync('python3', ['-c', 'import rdap, sys; sys.stdout.write(rdap.__version__)'], { encoding: 'utf8' });
const pythonSkip = python.status === 0 ? false : '20C rdap client not installed (pip install rdap==1.7.0)';

const PY_SCRIPT = String.raw`
import json, sys, rdap
base = sys.argv[1]
client = rdap.RdapClient({
    "bootstrap_url": base,
    "self_bootstrap": True,
    "bootstrap_data_url": base + "/bootstrap/",
    "recurse_roles": ["administrative", "technical"],
    "timeout": 20,
})
out = {"version": rdap.__version__}
net = client.get_ip("192.0.2.130")
out["ip"] = {"handle": net.handle, "name": net.name, "org_name": net.org_name, "emails": net.emails}
asn = client.get_asn(64500)
out["asn"] = {"handle": asn.handle, "name": asn.name, "org_name": asn.org_name, "emails": asn.emails}
ent = client.get_entity("EXNET-NUMREG")
out["entity"] = {"handle": ent.handle, "parsed": ent.parsed()}
try:
    client.get_ip("10.9.9.9")
    out["missing"] = "found"
except rdap.RdapNotFoundError:
    out["missing"] = "not found"
out["requests"] = [u for u, _ in client.history]
print(json.dumps(out, default=list))
`;

test('20C rdap (Python) bootstraps from our files and parses networks, autnums and entities', { skip: pythonSkip }, () => {
  const r = spawnSync('python3', ['-c', PY_SCRIPT, base], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.ip.handle, `NET-${fx.ids.v4cust}`);
  assert.equal(out.ip.name, 'EXAMPLE-CUSTOMER');
  assert.equal(out.ip.org_name, 'Example Customer Co.');
  assert.deepEqual(out.ip.emails, ['abuse@example.net', 'noc@example.net'], 'role e-mails shown, the person (HS2-JP) redacted');
  assert.equal(out.asn.handle, 'AS64500');
  assert.equal(out.asn.org_name, 'Example Net K.K.');
  assert.equal(out.entity.handle, 'EXNET-NUMREG');
  assert.equal(out.missing, 'not found');
  assert.ok(out.requests.some((u: string) => u.endsWith('/bootstrap/asn.json')), 'AS look-up used our RFC 9224 file');
  assert.ok(out.requests.some((u: string) => u.includes('/entity/')), 'followed entity self links');
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
