/**
 * The real Debian `whois` client (5.5.x) against the server: every query type and flag. The client
 * lower-cases and punycodes the last word, sends CRLF and waits for the server to close, so each case also
 * proves case-insensitive keys and RFC 3912 closing.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, whois, whoisSkip, objectKeys, type Harness } from './helpers.js';
import { startWhoisService, type WhoisService } from '../../src/whois/index.js';

let h: Harness;
before(async () => {
  if (!whoisSkip) h = await startHarness();
});
after(async () => {
  await h?.close();
});

const q = async (...args: string[]) => {
  const r = await whois(h.port, ...args);
  assert.equal(r.code, 0, `whois ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
};
const keys = async (...args: string[]) => objectKeys(await q(...args));
const flags = (text: string) => ['--', text];

test('IPv4 address: most specific inetnum with its organisation and contacts', { skip: whoisSkip }, async () => {
  assert.deepEqual(await keys('192.0.2.200'), [
    ['inetnum', '192.0.2.128 - 192.0.2.255'], ['organisation', 'ORG-CUST1'], ['role', 'Example Net NOC'],
  ]);
  const out = await q('192.0.2.1');
  assert.match(out, /% Abuse contact for '192\.0\.2\.0 - 192\.0\.2\.255' is 'abuse@example\.net'/);
  assert.match(out, /^person:\s+Taro Yamada$/m);
  assert.doesNotMatch(out, /taro@example\.net|\+81 3 0000 0000/, 'natural person e-mail and phone are filtered');
  assert.doesNotMatch(out, /noc@example\.net/, 'role e-mail is filtered by default (RIPE)');
  assert.match(out, /^source:\s+NUMREG # Filtered$/m);
});

test('IPv6 address, prefix and range keys', { skip: whoisSkip }, async () => {
  assert.deepEqual((await keys('2001:DB8::1'))[0], ['inet6num', '2001:db8::/48']);
  assert.deepEqual((await keys('2001:db8::/32'))[0], ['inet6num', '2001:db8::/32']);
  assert.deepEqual((await keys('192.0.2.0/24'))[0], ['inetnum', '192.0.2.0 - 192.0.2.255']);
  assert.deepEqual((await keys('192.0.2.0', '-', '192.0.2.255'))[0], ['inetnum', '192.0.2.0 - 192.0.2.255']);
  assert.deepEqual((await keys('192.0.2.0/26'))[0], ['inetnum', '192.0.2.0 - 192.0.2.255'], 'no exact match: the smallest enclosing block');
});

test('AS number (upper-case key lower-cased by the client) and AS range', { skip: whoisSkip }, async () => {
  assert.deepEqual((await keys('AS64500'))[0], ['aut-num', 'AS64500']);
  assert.deepEqual((await keys('AS64501'))[0], ['as-block', 'AS64496 - AS64511']);
  assert.deepEqual((await keys('AS64496', '-', 'AS64511'))[0], ['as-block', 'AS64496 - AS64511']);
});

test('handles: person, role, organisation, maintainer, net name, name', { skip: whoisSkip }, async () => {
  assert.deepEqual(await keys('TY1-NUMREG'), [['person', 'Taro Yamada']]);
  assert.deepEqual(await keys('EXN-NOC'), [['role', 'Example Net NOC']]);
  assert.deepEqual(await keys('ORG-EXN1'), [['organisation', 'ORG-EXN1']]);
  assert.deepEqual(await keys('EXAMPLE-MNT'), [['mntner', 'EXAMPLE-MNT']]);
  assert.deepEqual((await keys('EXAMPLE-NET'))[0], ['inetnum', '192.0.2.0 - 192.0.2.255']);
  assert.deepEqual(await keys('Example', 'Net', 'NOC'), [['role', 'Example Net NOC']]);
  const mnt = await q('EXAMPLE-MNT');
  assert.doesNotMatch(mnt, /\$2[aby]\$/, 'password hashes never leave the server');
});

test('no entries: %ERROR:101', { skip: whoisSkip }, async () => {
  assert.match(await q('198.51.100.1'), /^%ERROR:101: no entries found$/m);
  assert.match(await q('NOSUCH-HANDLE'), /^%ERROR:101: no entries found$/m);
});

test('-r: no referenced objects', { skip: whoisSkip }, async () => {
  assert.deepEqual(await keys(...flags('-r 192.0.2.1')), [['inetnum', '192.0.2.0 - 192.0.2.255']]);
});

test('-B: unfiltered as far as policy allows anonymous users', { skip: whoisSkip }, async () => {
  const out = await q(...flags('-B 192.0.2.1'));
  assert.match(out, /^e-mail:\s+noc@example\.net$/m, 'role e-mail shown with -B');
  assert.doesNotMatch(out, /taro@example\.net|\+81 3 0000 0000/, 'natural persons stay filtered');
  assert.match(out, /^role:[\s\S]*?source:\s+NUMREG\n/m);
  assert.doesNotMatch(out, /Note: this output has been filtered/);
  assert.match(out, /^% Note: contact details of natural persons are withheld, with or without "-B"\.$/m);
  assert.match(out, /^remarks:\s+address, phone, fax and e-mail of natural persons are not published$/m);
});

test('-T: only the given types', { skip: whoisSkip }, async () => {
  assert.deepEqual(await keys(...flags('-T role 192.0.2.1')), [['role', 'Example Net NOC']]);
  assert.deepEqual(await keys(...flags('-T organisation,inetnum 192.0.2.200')), [['inetnum', '192.0.2.128 - 192.0.2.255'], ['organisation', 'ORG-CUST1']]);
  assert.match(await q(...flags('-T bogus 192.0.2.1')), /^%ERROR:103: unknown object type$/m);
});

test('-i: inverse look-ups', { skip: whoisSkip }, async () => {
  assert.deepEqual((await keys(...flags('-i admin-c TY1-NUMREG'))).map((k) => k[1]).sort(), ['192.0.2.0 - 192.0.2.255', '2001:db8::/48', 'AS64500', 'EXAMPLE-MNT']);
  assert.deepEqual((await keys(...flags('-i abuse-c EXN-NOC'))).length, 3);
  assert.deepEqual((await keys(...flags('-i org ORG-CUST1'))), [['inetnum', '192.0.2.128 - 192.0.2.255']]);
  assert.ok((await keys(...flags('-i mnt-by EXAMPLE-MNT'))).some(([c]) => c === 'mntner'));
  assert.match(await q(...flags('-i descr foo')), /^%ERROR:105: attribute is not searchable$/m);
});

test('-x, -l, -L, -m, -M: exact, less and more specific', { skip: whoisSkip }, async () => {
  assert.deepEqual(await keys(...flags('-r -x 192.0.2.128/25')), [['inetnum', '192.0.2.128 - 192.0.2.255']]);
  assert.match(await q(...flags('-x 192.0.2.0/26')), /%ERROR:101/);
  assert.deepEqual(await keys(...flags('-r -l 192.0.2.128/25')), [['inetnum', '192.0.2.0 - 192.0.2.255']]);
  assert.deepEqual((await keys(...flags('-r -L 192.0.2.128/25'))).map((k) => k[1]), ['192.0.0.0 - 192.255.255.255', '192.0.0.0 - 192.0.255.255', '192.0.2.0 - 192.0.2.255', '192.0.2.128 - 192.0.2.255']);
  assert.deepEqual((await keys(...flags('-r -m 192.0.0.0/16'))).map((k) => k[1]), ['192.0.2.0 - 192.0.2.255']);
  assert.deepEqual((await keys(...flags('-r -M 192.0.0.0/16'))).map((k) => k[1]), ['192.0.2.0 - 192.0.2.255', '192.0.2.128 - 192.0.2.255']);
  assert.match(await q(...flags('-x -M 192.0.0.0/16')), /^%ERROR:901: duplicate IP flags passed$/m);
});

test('-K: primary keys only; -G: no grouping comments; -b: brief abuse contact', { skip: whoisSkip }, async () => {
  const k = await q(...flags('-K 192.0.2.1'));
  assert.match(k, /^inetnum:\s+192\.0\.2\.0 - 192\.0\.2\.255\n\n/m);
  assert.doesNotMatch(k, /^netname:/m);
  assert.doesNotMatch(k, /^person:/m);
  assert.doesNotMatch(await q(...flags('-G 192.0.2.1')), /Information related to/);
  assert.equal(await q(...flags('-b 192.0.2.1')), 'inetnum:        192.0.2.0 - 192.0.2.255\nabuse-mailbox:  abuse@example.net\n\n');
});

test('--list-versions and --show-version', { skip: whoisSkip }, async () => {
  await h.f.registry.modify(h.f.ids['v4-cust']!, { description: 'Customer network, second version' }, { kind: 'system' });
  const list = await q(...flags('--list-versions 192.0.2.128/25'));
  assert.match(list, /^% Version history for INETNUM object "192\.0\.2\.128 - 192\.0\.2\.255"$/m);
  assert.match(list, /^1\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+ADD\/UPD\n2\s+/m);
  const v1 = await q(...flags('--show-version 1 192.0.2.128/25'));
  assert.match(v1, /^% Version 1 of object/m);
  assert.match(v1, /^descr:\s+Example Customer Inc\.$/m);
  const v2 = await q(...flags('--show-version 2 192.0.2.128/25'));
  assert.match(v2, /^% Version 2 \(current version\) of object/m);
  assert.match(v2, /^descr:\s+Customer network, second version$/m);
  assert.match(await q(...flags('--show-version 9 192.0.2.128/25')), /^%ERROR:117: version cannot exceed 2 for this object$/m);
  assert.match(await q(...flags('--list-versions TY1-NUMREG')), /^%ERROR:116: unsupported query$/m);
  assert.match(await q(...flags('--list-versions ORG-EXN1')), /^1\s+.*ADD\/UPD$/m);
});

test('-q version, types, sources; -s; -a', { skip: whoisSkip }, async () => {
  assert.match(await q(...flags('-q version')), /^% numreg-whois-\d/m);
  assert.match(await q(...flags('-q types')), /^inetnum\ninet6num\naut-num\n/m);
  assert.match(await q(...flags('-q sources')), /^NUMREG:3:N:0-\d+$/m);
  assert.deepEqual((await keys(...flags('-r -s NUMREG AS64500'))), [['aut-num', 'AS64500']]);
  assert.match(await q(...flags('-s RIPE AS64500')), /^%ERROR:102: unknown source$/m);
  assert.deepEqual((await keys(...flags('-r -a AS64500'))), [['aut-num', 'AS64500']]);
  assert.match(await q('help'), /--list-versions/);
});

test('JPNIC style: Japanese with /j, English with /e (the client lower-cases the suffix)', { skip: whoisSkip }, async () => {
  const ja = await q('192.0.2.0/24/j');
  assert.match(ja, /^Network Information: \[ネットワーク情報\]$/m);
  assert.match(ja, /^a\. \[IPネットワークアドレス\]     192\.0\.2\.0\/24$/m);
  assert.match(ja, /^f\. \[組織名\]                     株式会社エグザンプルネット$/m);
  const en = await q('192.0.2.0/24/E');
  assert.match(en, /^a\. \[Network Number\]             192\.0\.2\.0\/24$/m);
  assert.match(en, /^b\. \[Network Name\]               EXAMPLE-NET$/m);
  assert.doesNotMatch(en, /組織名/);
  assert.match(await q('AS64500/e'), /^a\. \[AS Number\]                  64500$/m);
});

test('garbage keys get RIPE errors, not silence', { skip: whoisSkip }, async () => {
  assert.match(await q('192.0.2.300'), /^%ERROR:115: invalid search key$/m);
  assert.match(await q(...flags('-Y 192.0.2.1')), /^%ERROR:111: invalid option supplied$/m);
  assert.match(await q('ÄBC'), /^%ERROR:101: no entries found$/m, 'punycoded key (xn--bc-uia) is a valid handle-shaped key');
});

test('IRRd command over plain whois: answered by the IRR handler, then closed', { skip: whoisSkip }, async () => {
  assert.equal(await q('!gAS64500'), 'F Unrecognized command\n');
});

test('-k through the Debian client: answer, connection kept until the idle timeout', { skip: whoisSkip }, async () => {
  let s: WhoisService | undefined;
  try {
    s = await startWhoisService({ db: h.t.db, host: '127.0.0.1', port: 0, pollMs: 0, limits: { idleTimeoutMs: 400 } });
    const started = Date.now();
    const r = await whois(s.port, '--', '-k -r AS64500');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^aut-num:\s+AS64500$/m);
    assert.match(r.stdout, /^%ERROR:305: connection has been closed$/m);
    assert.ok(Date.now() - started >= 400);
  } finally {
    await s?.close();
  }
});
