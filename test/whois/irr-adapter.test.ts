/**
 * The IRR on the WHOIS port through irr-adapter.ts: IRRd `!` commands from the Debian whois client and from
 * bgpq4 (multiple-command mode, pipelined), and the IRR's route objects in RIPE-style answers.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { buildFixture } from './fixtures.js';
import { startWhoisService, type WhoisService } from '../../src/whois/index.js';
import { irrHooks } from '../../src/whois/irr-adapter.js';
import { IrrService } from '../../src/irr/service.js';
import { whois, whoisSkip } from './helpers.js';

const bgpq4Skip = existsSync('/usr/bin/bgpq4') ? false : 'bgpq4 not installed (apt-get install bgpq4)';
let t: TestDb;
let s: WhoisService;
before(async () => {
  t = await createTestDb();
  const f = await buildFixture(t.db);
  const irr = await IrrService.create(t.db, { refreshIntervalMs: 0 });
  await irr.ensureMirrorSource('RADB');
  const added = await irr.applyMirror('RADB', 'ADD', 'route:          192.0.2.0/24\ndescr:          Example route\norigin:         AS64500\nmnt-by:         EXAMPLE-MNT\nsource:         RADB\n', 1);
  assert.ok(added.ok, added.error);
  const hooks = await irrHooks(irr);
  s = await startWhoisService({ db: t.db, registry: f.registry, host: '127.0.0.1', port: 0, pollMs: 0, ...hooks });
});
after(async () => {
  await s?.close();
  await t?.close();
});

test('IRRd !g through the Debian whois client', { skip: whoisSkip }, async () => {
  const r = await whois(s.port, '!gAS64500');
  assert.equal(r.stdout, 'A13\n192.0.2.0/24\nC\n');
});

test('IRR route objects in RIPE-style answers', { skip: whoisSkip }, async () => {
  const r = await whois(s.port, '--', '-T route 192.0.2.1');
  assert.match(r.stdout, /^route:\s+192\.0\.2\.0\/24$/m);
  assert.match(r.stdout, /^source:\s+RADB( # Filtered)?$/m);
  const all = await whois(s.port, '--', '-r 192.0.2.1');
  assert.match(all.stdout, /^inetnum:/m);
  assert.match(all.stdout, /^route:/m);
  assert.match((await whois(s.port, '--', '-q sources')).stdout, /^RADB:3:N:0-0$/m);
});

test('bgpq4 builds a prefix list over the WHOIS port (!! multiple-command mode)', { skip: bgpq4Skip }, async () => {
  const out = await new Promise<string>((resolve, reject) => {
    execFile('/usr/bin/bgpq4', ['-h', `127.0.0.1:${s.port}`, '-S', 'RADB', '-p', '-l', 'pl4', 'AS64500'], { timeout: 15_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${String(err)} ${stderr}`));
      else resolve(stdout);
    });
  });
  assert.match(out, /ip prefix-list pl4 permit 192\.0\.2\.0\/24/);
});
