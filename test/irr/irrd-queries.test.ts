/**
 * IRRd query compatibility: expectations taken from IRRd's query documentation (docs/users/queries/whois.rst)
 * and its tests (irrd/server/whois/tests/test_query_parser.py, query_response.py framing), run against
 * numreg's handler and its TCP server.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { IrrService } from '../../src/irr/service.js';
import { handleIrrdCommand, newIrrdSession } from '../../src/irr/irrd.js';
import { startIrrWhoisServer, type IrrWhoisServer } from '../../src/irr/server.js';
import { loadRpsl, rawQuery, TEST_IRR, testRov } from './helpers.js';

let t: TestDb;
let service: IrrService;
let server: IrrWhoisServer;

before(async () => {
  t = await createTestDb();
  await loadRpsl(t.db, TEST_IRR);
  service = await IrrService.create(t.db, { source: 'NUMREG', rovCheck: testRov });
  server = await startIrrWhoisServer(service, { host: '127.0.0.1', port: 0 });
});
after(async () => {
  await server?.close();
  await t?.close();
});

const q = (line: string, session = newIrrdSession()) => handleIrrdCommand(service, session, line);
/** the IRRd data frame for `data` */
const A = (data: string) => `A${Buffer.byteLength(data) + 1}\n${data}\nC\n`;

test('framing: A<n> counts the data plus its newline, then C; empty -> D; errors -> F', async () => {
  const r = await q('!gAS64496');
  assert.equal(r, A('192.0.2.0/24 198.51.100.0/25'));
  assert.equal(Buffer.byteLength('192.0.2.0/24 198.51.100.0/25') + 1, 29);
  assert.equal(await q('!gAS65547'), 'D\n');
  assert.equal(await q('!6AS65547'), 'D\n');
  assert.equal(await q('!gASfoobar'), 'F Invalid AS number ASFOOBAR: number part is not numeric\n');
  assert.equal(await q('!'), 'F Missing IRRD command\n');
  assert.equal(await q('!x'), 'F Unrecognised command: x\n');
  for (const c of 'tg6ijmnors') assert.equal(await q(`!${c}`), `F Missing parameter for ${c} query\n`);
  assert.equal(await q('!gAS64496\0'), 'F Queries may not contain null bytes\n');
});

test('!! gives no reply, !n and !t answer C, invalid timeouts are refused', async () => {
  const s = newIrrdSession();
  assert.equal(await q('!!', s), '');
  assert.equal(s.multiple, true);
  assert.equal(await q('!nbgpq4 1.9', s), 'C\n');
  assert.equal(await q('!t300', s), 'C\n');
  assert.equal(s.timeoutSeconds, 300);
  for (const v of ['foo', '-5', '1001']) assert.equal(await q(`!t${v}`, s), `F Invalid value for timeout: ${v}\n`);
  assert.match(await q('!v'), /^A\d+\nnumreg-irr .*\nC\n$/);
});

test('!g / !6 accept asplain, leading zeros and lower case; RPKI-invalid routes are hidden unless !fno-rpki-filter', async () => {
  assert.equal(await q('!gas064496'), A('192.0.2.0/24 198.51.100.0/25'));
  assert.equal(await q('!6as64496'), A('2001:db8::/32'));
  assert.equal(await q('!gAS64499'), 'D\n');
  const s = newIrrdSession();
  assert.match(await q('!fno-rpki-filter', s), /^A\d+\nFiltering out RPKI invalids is disabled/);
  assert.equal(await q('!gAS64499', s), A('192.0.2.128/25'));
});

test('!i: direct members sorted, recursive expansion is loop-safe and drops unknown sets', async () => {
  assert.equal(await q('!iAS-EXAMPLE'), A('AS-SUB AS64496'));
  assert.equal(await q('!ias-example,1'), A('AS64496 AS64497 AS64498 AS64499'));
  assert.equal(await q('!iAS-LOOP,1'), A('AS64496 AS64497 AS64498 AS64499'));
  assert.equal(await q('!iAS-SELF'), A('AS64497'));
  assert.equal(await q('!iAS-SELF,1'), A('AS64497'));
  assert.equal(await q('!iAS-NOPE'), 'D\n');
  assert.equal(await q('!iAS-NOPE,1'), 'D\n');
  // mbrs-by-ref / member-of
  assert.equal(await q('!iAS-BYREF,1'), A('AS64496 AS64511'));
  assert.equal(await q('!iRS-BYREF,1'), A('198.51.100.0/25'));
});

test('!i on a route-set: prefixes with range operators, AS members resolved to their routes', async () => {
  const r = await q('!iRS-EXAMPLE,1');
  assert.equal(r, A('192.0.2.0/24 198.51.100.0/24^24-25 2001:db8::/32^32-33 203.0.113.0/24'));
  assert.equal(await q('!iRS-EXAMPLE'), `A${'192.0.2.0/24 2001:db8::/32^32-33 AS64498 RS-OTHER'.length + 1}\n192.0.2.0/24 2001:db8::/32^32-33 AS64498 RS-OTHER\nC\n`);
});

test('!a probe answers the exact text bgpq4 looks for; !a4/!a6/!a combine expansion and routes', async () => {
  assert.equal(await q('!a'), 'F Missing required set name for A query\n');
  assert.equal(await q('!a4'), 'F Missing required set name for A query\n');
  const v4 = '192.0.2.0/24 198.51.100.0/25 198.51.100.128/25 203.0.113.0/24';
  assert.equal(await q('!a4AS-EXAMPLE'), A(v4));
  assert.equal(await q('!a6as-example'), A('2001:db8::/32 2001:db8:1000::/36'));
  assert.equal(await q('!aAS-EXAMPLE'), A(`${v4} 2001:db8::/32 2001:db8:1000::/36`));
  assert.equal(await q('!a6AS-BYREF'), A('2001:db8::/32'));
  assert.equal(await q('!a4AS-NOPE'), 'D\n');
  // numreg extension: ",a" aggregates (198.51.100.0/25 + .128/25 -> /24)
  const agg = '192.0.2.0/24 198.51.100.0/24 203.0.113.0/24';
  assert.equal(await q('!a4AS-EXAMPLE,a'), A(agg));
});

test('!s-lc, !s selection and unknown sources; !j serial ranges', async () => {
  const s = newIrrdSession();
  assert.equal(await q('!s-lc', s), A('NUMREG,MIRROR'));
  assert.equal(await q('!sMIRROR', s), 'C\n');
  assert.equal(await q('!gAS65000', s), 'D\n'); // RPKI-invalid in the mirror too
  assert.equal(await q('!gAS64496', s), 'D\n');
  assert.equal(await q('!sNUMREG,NOPE', s), 'F One or more selected sources are unavailable.\n');
  assert.equal(await q('!s-lc', s), A('MIRROR'));
  assert.match(await q('!jNUMREG,TEST-INVALID'), /^A\d+\nNUMREG:Y:(-|0-\d+)\nTEST-INVALID:X:Database unknown\nC\n$/);
});

test('!m exact key (route keys ignore spaces and dashes), !o by maintainer, auth hashes filtered', async () => {
  for (const key of ['192.0.2.0/24AS64496', '192.0.2.0/24 AS64496', '192.0.2.0/24-As64496']) {
    assert.match(await q(`!mroute,${key}`), /^A\d+\nroute: +192\.0\.2\.0\/24\norigin: +AS64496\n[^]*source: +NUMREG\nC\n$/);
  }
  assert.equal(await q('!mroute,192.0.2.0/25AS64496'), 'D\n');
  assert.equal(await q('!mfoo'), 'F Invalid argument for object lookup: foo\n');
  assert.match(await q('!maut-num,AS64496'), /as-name: +EXAMPLE-AS/);
  const o = await q('!oTEST-MNT');
  assert.match(o, /auth: +BCRYPT-PW # Filtered/);
  assert.doesNotMatch(o, /\$2b\$/);
  assert.equal(await q('!oMNT-NOT-EXISTING'), 'D\n');
});

test('!r exact, ,o origins, ,l one level less specific, ,L all less specific, ,M more specific', async () => {
  assert.match(await q('!r192.0.2.0/24'), /^A\d+\nroute: +192\.0\.2\.0\/24\norigin: +AS64496/);
  assert.equal(await q('!r192.0.2.0/24,o'), A('AS64496'));
  assert.equal(await q('!r192.0.2.0/32,o'), 'D\n');
  const l = await q('!r192.0.2.64/26,l');
  assert.match(l, /route: +192\.0\.2\.0\/24/);
  assert.doesNotMatch(l, /192\.0\.2\.128/);
  assert.equal((await q('!r192.0.2.0/24,L')).match(/^route:/gm)!.length, 1);
  const m = await q('!r192.0.2.0/23,M');
  assert.equal(m.match(/^route:/gm)!.length, 1, 'the RPKI-invalid /25 is hidden');
  const s = newIrrdSession();
  await q('!fno-rpki-filter', s);
  assert.equal((await q('!r192.0.2.0/23,M', s)).match(/^route:/gm)!.length, 3, 'plus the invalid /25 and the MIRROR route');
  assert.equal(await q('!rnot-a-prefix'), 'F Invalid input for route search: not-a-prefix\n');
  assert.equal(await q('!r192.0.2.0/24,z'), 'F Invalid route search option: z\n');
});

test('TCP: without !! the server answers one command and closes; with !! pipelined commands are answered in order', async () => {
  assert.equal(await rawQuery(server.port, '!gAS64496\n'), A('192.0.2.0/24 198.51.100.0/25'));
  const r = await rawQuery(server.port, '!!\n!nclient\n!gas64497\n!6as64497\n!gas65547\n!q\n');
  assert.equal(r, 'C\n' + A('198.51.100.128/25') + A('2001:db8:1000::/36') + 'D\n');
});

test('TCP: RIPE-style queries for RPSL objects (plain key, -i inverse, -T type, -s source)', async () => {
  const r = await rawQuery(server.port, 'as-example\r\n');
  assert.match(r, /^as-set: +AS-EXAMPLE\n/);
  assert.match(r, /\n\n$/);
  const inv = await rawQuery(server.port, '-i mnt-by -T route6 test-mnt\r\n');
  assert.equal(inv.match(/^route6:/gm)!.length, 2);
  assert.equal(await rawQuery(server.port, '-s MIRROR AS-EXAMPLE\n'), '%  No entries found for the selected source(s).\n\n\n');
  assert.equal(await rawQuery(server.port, '-z foo\n'), '%% ERROR: Unrecognised flag/search: z\n\n\n');
});

test('originsFor: origin of the most specific covering route object (for WHOIS bulk attribution)', async () => {
  assert.deepEqual(await service.originsFor('192.0.2.200'), { prefix: '192.0.2.0/24', origins: ['AS64496'] });
  assert.deepEqual(await service.originsFor('198.51.100.130'), { prefix: '198.51.100.128/25', origins: ['AS64497'] });
  assert.deepEqual(await service.originsFor('2001:db8:8000::1'), { prefix: '2001:db8::/32', origins: ['AS64496'] });
  assert.equal(await service.originsFor('10.0.0.1'), undefined);
});

test('the in-memory index keeps each route\'s mnt-by (other views list routes by maintainer)', () => {
  const routes = service.index.routesByOrigin(64496, ['NUMREG']);
  assert.deepEqual(routes.map((r) => [r.prefix, r.mntBy]), [['192.0.2.0/24', ['TEST-MNT']], ['198.51.100.0/25', ['TEST-MNT']], ['2001:db8::/32', ['TEST-MNT']]]);
});

test('new VRPs: setRovCheck re-evaluates the index, so answers follow the RPKI state', async () => {
  service.setRovCheck((prefix, origin) => (prefix === '198.51.100.0/25' && origin === 64496n ? 'invalid' : testRov(prefix, origin)));
  try {
    assert.equal(await q('!gAS64496'), A('192.0.2.0/24'));
  } finally {
    service.setRovCheck(testRov);
  }
  assert.equal(await q('!gAS64496'), A('192.0.2.0/24 198.51.100.0/25'));
});

test('!e excludes sets from deep resolving; !j-* lists every source', async () => {
  const s = newIrrdSession();
  assert.equal(await q('!eAS-LOOP', s), 'C\n');
  assert.equal(await q('!e-lc', s), A('AS-LOOP'));
  assert.equal(await q('!iAS-EXAMPLE,1', s), A('AS64496 AS64497'));
  assert.equal(await q('!a4AS-EXAMPLE', s), A('192.0.2.0/24 198.51.100.0/25 198.51.100.128/25'));
  assert.equal(await q('!e', s), 'C\n');
  assert.equal(await q('!iAS-EXAMPLE,1', s), A('AS64496 AS64497 AS64498 AS64499'));
  assert.match(await q('!j-*'), /^A\d+\nNUMREG:Y:[^\n]+\nMIRROR:N:-\nC\n$/);
});
