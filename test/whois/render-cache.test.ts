/**
 * The render cache (src/whois/render-cache.ts) keeps organisation, contact and maintainer objects, their
 * policy-filtered forms and their text between queries. These tests prove that it never mixes variants
 * (-B or not, RPSL / JPNIC Japanese / English) and never outlives the data: answers show a change right after
 * the view applied it, whether it came from this process (change notifier) or from another one (feed sync).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rawQuery, startHarness, type Harness } from './helpers.js';
import { recordChange } from '../../src/registry/feed.js';
import { SYSTEM } from './fixtures.js';
import { parseResource } from '../../src/core/index.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

const ask = async (q: string) => (await rawQuery(h.port, `${q}\r\n`)).text;

test('a repeated answer is byte-identical and its organisation and contacts come from the cache', async () => {
  const first = await ask('192.0.2.1');
  assert.ok(h.s.engine.cache.size >= 3, `cache holds ${h.s.engine.cache.size} objects`);
  assert.equal(await ask('192.0.2.1'), first);
  assert.match(first, /^organisation: {3}ORG-EXN1$/m);
  assert.match(first, /^role: {11}Example Net NOC$/m);
});

test('-B and default answers never share cached text', async () => {
  for (let i = 0; i < 2; i++) {
    const unfiltered = await ask('-B 192.0.2.1');
    const filtered = await ask('192.0.2.1');
    assert.match(unfiltered, /^e-mail: {9}noc@example\.net$/m);
    assert.doesNotMatch(filtered, /noc@example\.net/);
    assert.match(filtered, /^source: {9}NUMREG # Filtered$/m);
    assert.match(unfiltered, /^source: {9}NUMREG$/m);
    // natural persons' details stay withheld with -B too
    assert.doesNotMatch(unfiltered, /taro@example\.net/);
  }
});

test('JPNIC Japanese, JPNIC English and RPSL answers of one contact never share cached text', async () => {
  for (let i = 0; i < 2; i++) {
    const ja = await ask('EXN-NOC/j');
    const en = await ask('EXN-NOC/e');
    const rpsl = await ask('EXN-NOC');
    assert.match(ja, /^a\. \[JPNICハンドル\] +EXN-NOC$/m);
    assert.match(en, /^a\. \[JPNIC Handle\] +EXN-NOC$/m);
    assert.doesNotMatch(en, /JPNICハンドル/);
    assert.match(rpsl, /^nic-hdl: {8}EXN-NOC$/m);
  }
});

test('a delegation modified through the registry shows right after the change, with its new contact', async () => {
  assert.match(await ask('192.0.2.1'), /^netname: {8}EXAMPLE-NET$/m); // warms the cache
  await h.f.registry.createContact({ handle: 'NEW-NOC', kind: 'role', name: 'Renamed NOC', email: 'new-noc@example.net', abuseMailbox: 'new-abuse@example.net', orgHandle: 'ORG-EXN1' }, SYSTEM);
  await h.f.registry.modify(h.f.ids['v4-lir']!, { netName: 'RENAMED-NET', techC: ['NEW-NOC'], abuseC: 'NEW-NOC' }, SYSTEM);
  const after = await ask('192.0.2.1');
  assert.match(after, /^netname: {8}RENAMED-NET$/m);
  assert.match(after, /^tech-c: {9}NEW-NOC$/m);
  assert.match(after, /^nic-hdl: {8}NEW-NOC$/m);
  assert.match(after, /Abuse contact for '192\.0\.2\.0 - 192\.0\.2\.255' is 'new-abuse@example\.net'/);
  const ja = await ask('192.0.2.0/24/j');
  assert.match(ja, /RENAMED-NET/);
});

test('a contact changed by another process shows once the view has synced from the feed', async () => {
  const before = await ask('EXN-NOC');
  assert.match(before, /^abuse-mailbox: {2}abuse@example\.net$/m);
  // another process writes the contact and its change record; this process only sees the feed
  await h.t.db.transaction(async (tx) => {
    await tx.query(`UPDATE contact SET abuse_mailbox = 'changed-abuse@example.net' WHERE handle = 'EXN-NOC'`);
    await recordChange(tx, { objectType: 'contact', objectKey: 'EXN-NOC', action: 'modify', version: 2, actor: SYSTEM, after: { abuseMailbox: 'changed-abuse@example.net' } });
  });
  assert.equal(await ask('EXN-NOC'), before, 'not yet synced: the view (and so the cache) still has the old contact');
  await h.s.view.sync();
  const after = await ask('EXN-NOC');
  assert.match(after, /^abuse-mailbox: {2}changed-abuse@example\.net$/m);
  // the role is also the abuse contact of the IPv6 block: its answer's comment and role object follow
  const v6 = await ask('2001:db8::1');
  assert.match(v6, /Abuse contact for '2001:db8::\/48' is 'changed-abuse@example\.net'/);
  assert.match(v6, /^abuse-mailbox: {2}changed-abuse@example\.net$/m);
});

test('a block passed down whole answers with the deepest holder, also after its parent is modified', async () => {
  const upper = await h.f.registry.delegate({ range: parseResource('192.0.3.0/24'), holderHandle: 'ORG-NIR1', status: 'allocated', registry: 'apnic', netName: 'NIR-WHOLE' }, SYSTEM);
  await h.f.registry.delegate({ range: parseResource('192.0.3.0/24'), holderHandle: 'ORG-EXN1', status: 'allocated', registry: 'jpnic', netName: 'LIR-WHOLE' }, SYSTEM);
  await h.f.registry.modify(upper.value.id, { netName: 'NIR-WHOLE-RENAMED' }, SYSTEM);
  for (const q of ['192.0.3.7', '192.0.3.0/24', '-x 192.0.3.0/24']) {
    const answer = await ask(q);
    assert.match(answer, /^netname: {8}LIR-WHOLE$/m, q);
    assert.doesNotMatch(answer, /NIR-WHOLE/, q);
  }
});
