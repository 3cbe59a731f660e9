/**
 * numreg serve end to end: every service over one store. A change made through one entry point is seen,
 * consistently, by the others — WHOIS (Debian whois client), RDAP, RTR (rtrdump), IRR (bgpq4) — and
 * `numreg check` finds no disagreement.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RunningServer } from '../../src/serve.js';
import { runChecks, allChecks } from '../../src/check/checks.js';
import { backendName } from '../helpers/db.js';
import { startServe, waitFor, type ServeHarness } from '../helpers/serve.js';

const run = promisify(execFile);
const missing = ['/usr/bin/whois', '/usr/bin/rtrdump', '/usr/bin/bgpq4'].filter((b) => !existsSync(b));
const skip = missing.length ? `${missing.join(', ')} not installed` : false;

let h: ServeHarness;
let server: RunningServer;
let dir: string;
let lirKey: string;
let lines: string[];

before(async () => {
  h = await startServe();
  ({ server, dir, lirKey, lines } = h);
});
after(() => h?.close());

const http = async (method: string, path: string, body?: unknown, key?: string) => {
  const res = await fetch(`http://127.0.0.1:${server.ports.http}${path}`, {
    method, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  try { return { status: res.status, body: JSON.parse(text) }; } catch { return { status: res.status, body: text }; }
};
const whois = async (query: string) => (await run('whois', ['-h', '127.0.0.1', '-p', String(server.ports.whois), '--', query])).stdout;
async function rtrVrps(): Promise<string[]> {
  const file = join(dir, `dump-${Date.now()}.json`);
  await run('rtrdump', ['-connect', `127.0.0.1:${server.ports.rtr}`, '-rtr.version', '1', '-file', file], { timeout: 30_000 });
  return (JSON.parse(readFileSync(file, 'utf8')).roas as Array<{ prefix: string; maxLength: number; asn: number }>).map((r) => `${r.prefix}-${r.maxLength} AS${r.asn}`).sort();
}

test(`[${backendName}] serve prints one line per service in the contract's order, then ready`, () => {
  assert.deepEqual(lines.map((l) => l.replace(/\d+(\/repo\/)?$/, 'PORT$1')), [
    'http listening on http://127.0.0.1:PORT',
    'whois listening on 127.0.0.1:PORT',
    'rtr listening on 127.0.0.1:PORT',
    'rsync listening on rsync://127.0.0.1:PORT/repo/',
    'ready',
  ]);
});

test(`[${backendName}] one store: an assignment made over REST is in WHOIS and RDAP at once`, { skip }, async () => {
  const created = await http('POST', '/api/delegations', { operation: 'assign', resource: '202.208.77.0/24', holder: 'ORG-EXNET-JP', netName: 'EXNET-E2E', country: 'JP' }, lirKey);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const text = await waitFor('WHOIS to show the assignment', () => whois('202.208.77.9'), (s) => s.includes('EXNET-E2E'));
  assert.match(text, /inetnum:\s+202\.208\.77\.0 - 202\.208\.77\.255/);
  const rdap = await http('GET', '/rdap/ip/202.208.77.9');
  assert.equal(rdap.status, 200);
  assert.equal(rdap.body.name, 'EXNET-E2E');
  assert.equal(rdap.body.startAddress, '202.208.77.0');
});

test(`[${backendName}] one store: a ROA made over REST reaches routers over RTR; a route object reaches bgpq4`, { skip }, async () => {
  const before = await rtrVrps();
  assert.ok(before.includes('202.208.0.0/16-24 AS131072'), before.join(', '));
  const roa = await http('POST', '/api/roas', { prefix: '202.208.77.0/24', maxLength: 24, asn: 'AS131075' }, lirKey);
  assert.equal(roa.status, 201, JSON.stringify(roa.body));
  const history = await server.db.query<{ actor: string; action: string }>(`SELECT actor, action FROM change WHERE object_type = 'roa' AND object_key = $1`, [roa.body.roa.id]);
  assert.deepEqual(history.rows.map((r) => r.action), ['create'], 'the ROA is versioned in the change feed');
  assert.match(history.rows[0]!.actor, /^key:nrk_/);
  const after = await waitFor('rtrdump to list the new VRP', rtrVrps, (v) => v.includes('202.208.77.0/24-24 AS131075'));
  assert.equal(after.length, before.length + 1);

  const submitted = await http('POST', '/api/irr/submit', { objects: [{ object_text: 'route: 202.208.77.0/24\ndescr: e2e\norigin: AS131075\nmnt-by: MAINT-EXNET-JP\nsource: NUMREG' }], passwords: ['exnet-demo-password'] });
  assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
  const { stdout } = await run('bgpq4', ['-h', `127.0.0.1:${server.ports.whois}`, '-S', 'NUMREG', '-l', 'pl', 'AS131075']);
  assert.match(stdout, /permit 202\.208\.77\.0\/24/);
  // The route object carries its RPKI origin-validation state in WHOIS answers, as IRRd shows it.
  const route = await whois('-T route -x 202.208.77.0/24');
  assert.match(route, /route:\s+202\.208\.77\.0\/24[\s\S]*origin:\s+AS131075[\s\S]*rpki-ov-state:\s+valid/);
  // An RPKI-invalid route (origin not authorised by any covering ROA) is refused by the IRR.
  const invalid = await http('POST', '/api/irr/submit', { objects: [{ object_text: 'route: 202.208.78.0/24\ndescr: hijack\norigin: AS64500\nmnt-by: MAINT-EXNET-JP\nsource: NUMREG' }], passwords: ['exnet-demo-password'] });
  assert.notEqual(invalid.body.status, 'success');
  assert.match(JSON.stringify(invalid.body), /RPKI|invalid/i);
});

test(`[${backendName}] numreg check finds no disagreement after all that`, async () => {
  const checks = allChecks(dir);
  assert.ok(checks.some((c) => c.name === 'rpki-matches-registry'), 'the RPKI check runs once serve has a CA');
  const results = await runChecks({ db: server.db }, checks);
  assert.deepEqual(results.filter((r) => r.problems.length > 0), []);
});
