/**
 * `numreg serve` with NUMREG_WHOIS_WORKERS=2: on PostgreSQL, WHOIS runs in two worker processes that answer
 * registry and IRR queries like the single-process server, route objects with the RPKI state of the primary's
 * RTR cache, and follow writes made through the primary (registry feed, IRR feed, new VRPs over RTR). On PGlite
 * the setting falls back to one process. Driven with the Debian whois client and bgpq4.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config.js';
import type { RunningServer } from '../../src/serve.js';
import { backendName } from '../helpers/db.js';
import { startServe, waitFor, type ServeHarness } from '../helpers/serve.js';

const run = promisify(execFile);
const missing = ['/usr/bin/whois', '/usr/bin/bgpq4'].filter((b) => !existsSync(b));
const skip = missing.length ? `${missing.join(', ')} not installed` : false;

let h: ServeHarness;
let server: RunningServer;
let lirKey: string;

before(async () => {
  h = await startServe({ NUMREG_LOG_LEVEL: 'error', NUMREG_WHOIS_WORKERS: '2' });
  ({ server, lirKey } = h);
});
after(() => h?.close());

const whois = async (query: string) => (await run('whois', ['-h', '127.0.0.1', '-p', String(server.ports.whois), '--', query])).stdout;
const post = async (path: string, body: unknown) => {
  const res = await fetch(`http://127.0.0.1:${server.ports.http}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${lirKey}` }, body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() as Record<string, unknown> };
};

test(`[${backendName}] registry and IRR answers through NUMREG_WHOIS_WORKERS=2, with the RTR cache's RPKI state`, { skip }, async () => {
  // PostgreSQL: two worker processes answer; PGlite: the setting falls back to the single-process server.
  const { stdout: children } = await run('ps', ['--ppid', String(process.pid), '-o', 'args=']);
  assert.equal(children.split('\n').filter((l) => l.includes('cluster-worker')).length, h.t ? 2 : 0, children);
  assert.match(await whois('202.208.0.1'), /inetnum:\s+202\.208\.0\.0 - 202\.208\.255\.255[\s\S]*netname:\s+EXNET-NET/);
  assert.match(await whois('-T route -x 202.208.0.0/16'), /route:\s+202\.208\.0\.0\/16[\s\S]*origin:\s+AS131072[\s\S]*rpki-ov-state:\s+valid/);
  const { stdout } = await run('bgpq4', ['-h', `127.0.0.1:${server.ports.whois}`, '-S', 'NUMREG', '-l', 'pl', 'AS131072']);
  assert.match(stdout, /permit 202\.208\.0\.0\/16/);
});

test(`[${backendName}] writes through the primary reach the WHOIS workers: a delegation, a ROA over RTR, a route object`, { skip }, async () => {
  const created = await post('/api/delegations', { operation: 'assign', resource: '202.208.88.0/24', holder: 'ORG-EXNET-JP', netName: 'EXNET-CLUSTER', country: 'JP' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  await waitFor('the workers to show the assignment', () => whois('202.208.88.9'), (s) => s.includes('EXNET-CLUSTER'));
  const roa = await post('/api/roas', { prefix: '202.208.88.0/24', maxLength: 24, asn: 'AS131075' });
  assert.equal(roa.status, 201, JSON.stringify(roa.body));
  // The IRR refuses the route as RPKI-invalid until the new ROA has reached the RTR cache (asynchronous).
  const route = { objects: [{ object_text: 'route: 202.208.88.0/24\ndescr: cluster e2e\norigin: AS131075\nmnt-by: MAINT-EXNET-JP\nsource: NUMREG' }], passwords: ['exnet-demo-password'] };
  await waitFor('the IRR to accept the route once the ROA is in the RTR cache', async () => JSON.stringify(await post('/api/irr/submit', route)),
    (s) => s.includes('"status":"success"'));
  // The route object comes from the IRR feed, its state from the VRPs the workers received over RTR.
  await waitFor('the workers to show the route object as RPKI-valid', () => whois('-T route -x 202.208.88.0/24'),
    (s) => /route:\s+202\.208\.88\.0\/24[\s\S]*origin:\s+AS131075[\s\S]*rpki-ov-state:\s+valid/.test(s));
});

test('NUMREG_WHOIS_WORKERS is validated at start-up', () => {
  assert.throws(() => loadConfig({ NUMREG_WHOIS_WORKERS: 'many' }), /NUMREG_WHOIS_WORKERS="many" is not a number of processes/);
  assert.equal(loadConfig({}).whoisWorkers, 1);
});
