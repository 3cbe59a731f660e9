/**
 * Interop with bgpq4 1.9: both its `!a4`/`!a6` path (the server answers the bare `!a` probe with
 * "F Missing required set name for A query") and its `!i<set>,1` + `!g`/`!6` path (a server mode that refuses
 * `!a`, like IRRd before 4.0). Documentation ASNs need `-p` on the !i path (bgpq4 drops private ASNs there).
 */
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
const BGPQ4 = '/usr/bin/bgpq4';
const skip = existsSync(BGPQ4) ? false : 'bgpq4 not installed (apt-get install bgpq4)';

let t: TestDb;
let withA: IrrWhoisServer;
let withoutA: IrrWhoisServer;
const seenA: string[] = [];
const seenNoA: string[] = [];

before(async () => {
  if (skip) return;
  t = await createTestDb();
  await loadRpsl(t.db, TEST_IRR);
  const service = await IrrService.create(t.db, { source: 'NUMREG', rovCheck: testRov });
  withA = await startIrrWhoisServer(service, { onQuery: (l) => seenA.push(l.trim()) });
  withoutA = await startIrrWhoisServer(service, { withoutA: true, onQuery: (l) => seenNoA.push(l.trim()) });
});
after(async () => {
  await withA?.close();
  await withoutA?.close();
  await t?.close();
});

async function bgpq4(server: IrrWhoisServer, args: string[]): Promise<string> {
  const { stdout } = await run(BGPQ4, ['-h', `127.0.0.1:${server.port}`, '-S', 'NUMREG', ...args], { timeout: 20_000 });
  return stdout;
}

const V4_LIST = [
  'no ip prefix-list pl4',
  'ip prefix-list pl4 permit 192.0.2.0/24',
  'ip prefix-list pl4 permit 198.51.100.0/25',
  'ip prefix-list pl4 permit 198.51.100.128/25',
  'ip prefix-list pl4 permit 203.0.113.0/24',
  '',
].join('\n');

test('bgpq4 as-set, IPv4, !a4 path: exact prefix list, RPKI-invalid 192.0.2.128/25 left out', { skip }, async () => {
  seenA.length = 0;
  assert.equal(await bgpq4(withA, ['-l', 'pl4', 'AS-EXAMPLE']), V4_LIST);
  assert.ok(seenA.includes('!a'), 'probe sent');
  assert.ok(seenA.includes('!a4AS-EXAMPLE'), `bgpq4 used !a4: ${seenA.join(' | ')}`);
});

test('bgpq4 as-set, IPv4, !i + !g path (-p for documentation ASNs): the same list', { skip }, async () => {
  seenNoA.length = 0;
  assert.equal(await bgpq4(withoutA, ['-p', '-l', 'pl4', 'AS-EXAMPLE']), V4_LIST);
  assert.ok(seenNoA.includes('!iAS-EXAMPLE,1'), seenNoA.join(' | '));
  assert.ok(seenNoA.includes('!gas64496') && seenNoA.includes('!gas64499'), seenNoA.join(' | '));
});

test('bgpq4 as-set, IPv6, both paths', { skip }, async () => {
  const want = 'no ipv6 prefix-list pl6\nipv6 prefix-list pl6 permit 2001:db8::/32\nipv6 prefix-list pl6 permit 2001:db8:1000::/36\n';
  assert.equal(await bgpq4(withA, ['-6', '-l', 'pl6', 'AS-EXAMPLE']), want);
  assert.equal(await bgpq4(withoutA, ['-p', '-6', '-l', 'pl6', 'AS-EXAMPLE']), want);
  assert.ok(seenA.includes('!a6AS-EXAMPLE'));
  assert.ok(seenNoA.includes('!6as64497'));
});

test('bgpq4 route-set (with range operators and an AS member), IPv4 and IPv6, JSON output', { skip }, async () => {
  const v4 = JSON.parse(await bgpq4(withA, ['-j', '-l', 'rs', 'RS-EXAMPLE']));
  assert.deepEqual(v4.rs.map((p: { prefix: string }) => p.prefix).sort(), ['192.0.2.0/24', '198.51.100.0/24', '198.51.100.0/25', '198.51.100.128/25', '203.0.113.0/24']);
  const v6 = JSON.parse(await bgpq4(withoutA, ['-6', '-j', '-l', 'rs', 'RS-EXAMPLE']));
  assert.deepEqual(v6.rs.map((p: { prefix: string }) => p.prefix).sort(), ['2001:db8:8000::/33', '2001:db8::/32', '2001:db8::/33']);
});

test('bgpq4 single ASNs (-p), AS-set to ASN list (-t), as-path list (-f), BIRD output, aggregation (-A)', { skip }, async () => {
  assert.equal(await bgpq4(withA, ['-p', '-l', 'a', 'AS64496', 'AS64497']),
    'no ip prefix-list a\nip prefix-list a permit 192.0.2.0/24\nip prefix-list a permit 198.51.100.0/25\nip prefix-list a permit 198.51.100.128/25\n');
  const asns = JSON.parse(await bgpq4(withA, ['-p', '-t', '-j', '-l', 'asset', 'AS-EXAMPLE']));
  assert.deepEqual(asns.asset, [64496, 64497, 64498, 64499]);
  assert.match(await bgpq4(withA, ['-p', '-f', '64511', '-l', 'asp', 'AS-EXAMPLE']), /ip as-path access-list asp permit \^64511\(_\[0-9\]\+\)\*_\(64496\|64497\|64498\|64499\)\$/);
  assert.match(await bgpq4(withA, ['-b', '-l', 'bird', 'AS-EXAMPLE']), /bird = \[\s*192\.0\.2\.0\/24,\s*198\.51\.100\.0\/25,\s*198\.51\.100\.128\/25,\s*203\.0\.113\.0\/24\s*\];/);
  assert.match(await bgpq4(withA, ['-A', '-l', 'agg', 'AS-EXAMPLE']), /permit 198\.51\.100\.0\/24 ge 25 le 25/);
});
