/**
 * NRTM v3: the server answers -g from the change feed (IRRd's format and error texts), streams with -k, and
 * numreg's NRTM client mirrors one numreg into another's read-only source, following updates and deletes.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { IrrService } from '../../src/irr/service.js';
import { startIrrWhoisServer, type IrrWhoisServer } from '../../src/irr/server.js';
import { startNrtmMirror } from '../../src/irr/nrtm-client.js';
import { parseSubmissionText } from '../../src/irr/submission.js';
import { handleIrrdCommand, newIrrdSession } from '../../src/irr/irrd.js';
import { rawQuery } from './helpers.js';

const HASH = '$2b$04$GdAM/22IRcf7ue7o7tSlDu1RZpq9oVPFDc1pk2BRvy4D9XAduOrtS'; // irr-a-password
let a: TestDb;
let b: TestDb;
let origin: IrrService;
let mirror: IrrService;
let server: IrrWhoisServer;

const submit = (text: string) => origin.submit({ ...parseSubmissionText(`${text}password: irr-a-password\n`), override: 'irr-b-password' });
const route = (p: string, o: string) => `route: ${p}\norigin: ${o}\nmnt-by: NRTM-MNT\nsource: NUMREG\n`;

before(async () => {
  a = await createTestDb();
  b = await createTestDb();
  // the origin registry lets staff-free test data in through the override password
  origin = await IrrService.create(a.db, { source: 'NUMREG', overrideHash: '$2b$04$JwfcM5if7ZVxx5413PJIguUrIa.VYzmd0g0mniI1ePEaaNHRE.tey' });
  mirror = await IrrService.create(b.db, { source: 'LOCAL' });
  server = await startIrrWhoisServer(origin, { streamPollMs: 100 });
  const r = await origin.submit({
    ...parseSubmissionText(`mntner: NRTM-MNT\nadmin-c: PERSON-TEST\nupd-to: a@example.net\nauth: BCRYPT-PW ${HASH}\nmnt-by: NRTM-MNT\nsource: NUMREG\n\n${route('192.0.2.0/24', 'AS64496')}\n${route('198.51.100.0/24', 'AS64496')}\nas-set: AS-NRTM\nmembers: AS64496\nmnt-by: NRTM-MNT\nsource: NUMREG\n`),
    override: 'irr-b-password',
  });
  assert.equal(r.status, 'success', JSON.stringify(r));
});
after(async () => {
  await server?.close();
  await a?.close();
  await b?.close();
});

test('-g SOURCE:3:first-LAST answers in NRTM v3 format, auth hashes filtered', async () => {
  const r = await rawQuery(server.port, '-g NUMREG:3:1-LAST\n');
  const lines = r.split('\n');
  assert.match(lines[0], /^%START Version: 3 NUMREG 1-(\d+)$/);
  assert.equal(lines[1], '');
  assert.match(lines[2], /^ADD \d+$/);
  assert.equal(lines[3], '');
  assert.match(lines[4], /^mntner: +NRTM-MNT$/);
  assert.match(r, /auth: +BCRYPT-PW # Filtered/);
  assert.doesNotMatch(r, /\$2b\$/);
  assert.equal(r.match(/^ADD \d+$/gm)!.length, 4);
  assert.match(r, /\n\n%END NUMREG\n/);
  const last = Number(/1-(\d+)/.exec(lines[0])![1]);
  const next = await rawQuery(server.port, `-g NUMREG:3:${last + 1}-LAST\n`);
  assert.equal(next, '% Warning: there are no newer updates available\n\n');
});

test('NRTM error texts as in IRRd', async () => {
  assert.equal(await rawQuery(server.port, '-g NUMREG:9:1-LAST\n'), '%% ERROR: Invalid NRTM version: 9\n\n\n');
  assert.equal(await rawQuery(server.port, '-g NUMREG:3\n'), '%% ERROR: Invalid parameter: must contain three elements\n\n\n');
  assert.equal(await rawQuery(server.port, '-g UNKNOWN:3:1-LAST\n'), '%% ERROR: Unknown source: UNKNOWN\n\n\n');
  assert.equal(await rawQuery(server.port, '-g NUMREG:3:1-X\n'), '%% ERROR: Invalid serial range: 1-X\n\n\n');
  assert.match(await rawQuery(server.port, '-g NUMREG:3:5-2\n'), /^%% ERROR: Start of the serial range \(5\) must be lower or equal to end of the serial range \(2\)/);
  assert.match(await rawQuery(server.port, '-g NUMREG:3:1-999999\n'), /^%% ERROR: Serials \d+ - 999999 do not exist/);
});

test('NRTM client mirrors into a read-only source, then follows a -k stream (add, modify, delete)', async () => {
  const first = await startNrtmMirror(mirror, { host: '127.0.0.1', port: server.port, remoteSource: 'NUMREG', localSource: 'JPIRR' });
  const r1 = await first.done;
  assert.deepEqual(r1.errors, []);
  assert.equal(r1.applied, 4);
  const s = newIrrdSession();
  assert.equal(await handleIrrdCommand(mirror, s, '!s-lc'), 'A12\nLOCAL,JPIRR\nC\n');
  assert.equal(await handleIrrdCommand(mirror, s, '!gAS64496'), 'A29\n192.0.2.0/24 198.51.100.0/24\nC\n');
  // mirrored objects cannot be changed through submissions
  const ro = await mirror.submit({ ...parseSubmissionText(route('192.0.2.0/24', 'AS64496').replace('NUMREG', 'JPIRR')) });
  assert.match(ro.objects[0].errors[0], /source JPIRR is not authoritative here/);

  const seen: number[] = [];
  const live = await startNrtmMirror(mirror, { host: '127.0.0.1', port: server.port, remoteSource: 'NUMREG', localSource: 'JPIRR', keepalive: true, onOperation: (o) => seen.push(o.serial) });
  await new Promise((r) => setTimeout(r, 200));
  assert.equal((await submit(route('203.0.113.0/24', 'AS64496'))).status, 'success');
  assert.equal((await submit(`${route('198.51.100.0/24', 'AS64496')}delete: withdrawn\n`)).status, 'success');
  assert.equal((await submit('as-set: AS-NRTM\nmembers: AS64496, AS64497\nmnt-by: NRTM-MNT\nsource: NUMREG\n')).status, 'success');
  const deadline = Date.now() + 10_000;
  while (seen.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  live.stop();
  const r2 = await live.done;
  assert.deepEqual(r2.errors, []);
  assert.equal(r2.applied, 3);
  await mirror.refresh(true);
  assert.equal(await handleIrrdCommand(mirror, s, '!gAS64496'), 'A28\n192.0.2.0/24 203.0.113.0/24\nC\n');
  assert.equal(await handleIrrdCommand(mirror, s, '!iAS-NRTM'), 'A16\nAS64496 AS64497\nC\n');
  const { rows } = await b.db.query<{ serial: string }>(`SELECT serial::text AS serial FROM irr_source WHERE name = 'JPIRR'`);
  assert.equal(Number(rows[0].serial), r2.lastSerial);
});
