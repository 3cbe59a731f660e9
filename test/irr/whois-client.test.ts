/** The Debian whois client against the IRR server: RIPE-style object queries and IRRd `!` commands. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { IrrService } from '../../src/irr/service.js';
import { startIrrWhoisServer, type IrrWhoisServer } from '../../src/irr/server.js';
import { loadRpsl, TEST_IRR, testRov } from './helpers.js';

const run = promisify(execFile);
const skip = existsSync('/usr/bin/whois') ? false : 'whois client not installed (apt-get install whois)';
let t: TestDb;
let server: IrrWhoisServer;

before(async () => {
  if (skip) return;
  t = await createTestDb();
  await loadRpsl(t.db, TEST_IRR);
  server = await startIrrWhoisServer(await IrrService.create(t.db, { source: 'NUMREG', rovCheck: testRov }));
});
after(async () => {
  await server?.close();
  await t?.close();
});

const whois = async (...args: string[]) => (await run('/usr/bin/whois', ['-h', '127.0.0.1', '-p', String(server.port), ...args], { timeout: 15_000 })).stdout;

test('whois AS-EXAMPLE (sent lower-cased with CRLF) finds the as-set', { skip }, async () => {
  const out = await whois('AS-EXAMPLE');
  assert.match(out, /^as-set: +AS-EXAMPLE$/m);
  assert.match(out, /^members: +AS64496, AS-SUB$/m);
});

test('whois with RIPE flags after --: -T route6 -i mnt-by', { skip }, async () => {
  const out = await whois('--', '-T route6 -i mnt-by TEST-MNT');
  assert.equal(out.match(/^route6:/gm)!.length, 2);
});

test('whois 192.0.2.200 finds the covering route objects (RPKI-invalid one hidden)', { skip }, async () => {
  const out = await whois('192.0.2.200');
  assert.match(out, /^route: +192\.0\.2\.0\/24$/m);
  assert.doesNotMatch(out, /192\.0\.2\.128\/25/);
});

test('whois "!gAS64496" gets the IRRd frame and the server closes the connection', { skip }, async () => {
  assert.equal(await whois('!gAS64496'), 'A29\n192.0.2.0/24 198.51.100.0/25\nC\n');
  assert.equal(await whois('!iAS-EXAMPLE,1'), 'A32\nAS64496 AS64497 AS64498 AS64499\nC\n');
});
