/**
 * `ip/` and `autnum/` answered from the registry's in-memory view (as `numreg serve` does) must be the same
 * answers the database statement gives, for every tier, and must follow writes: at once for writes through
 * this process's Registry, after the next feed poll for writes made elsewhere.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { parseResource } from '../../src/core/index.js';
import { SYSTEM } from '../../src/registry/actor.js';
import { Registry } from '../../src/registry/registry.js';
import { RegistryView } from '../../src/registry/view.js';
import { buildFixture, buildServer, type Fixture } from './fixture.js';
import { assertRdap } from './validate.js';

let fx: Fixture;
let view: RegistryView;
let fromView: FastifyInstance;
let fromSql: FastifyInstance;

before(async () => {
  fx = await buildFixture();
  view = new RegistryView(fx.testDb.db, { notifier: fx.registry.changes });
  await view.load();
  fromView = await buildServer(fx, { view });
  fromSql = await buildServer(fx);
});
after(async () => {
  view.close();
  await fromView.close();
  await fromSql.close();
  await fx.testDb.close();
});

const legit = () => ({ authorization: `Bearer ${fx.keys.legit}`, 'rdap-purpose': 'CSIRT incident 2026-118: scanning from this network' });

async function both(url: string, headers: Record<string, string> = {}) {
  const [v, s] = await Promise.all([fromView.inject({ url, headers }), fromSql.inject({ url, headers })]);
  const body = JSON.parse(v.body);
  assertRdap(body, url);
  return { view: { status: v.statusCode, body }, sql: { status: s.statusCode, body: JSON.parse(s.body) } };
}

async function assertSame(url: string, headers: Record<string, string> = {}) {
  const r = await both(url, headers);
  assert.equal(r.view.status, r.sql.status, `${url}: status`);
  assert.deepEqual(r.view.body, r.sql.body, `${url}: the view's answer differs from the database's`);
  return r.view;
}

const LOOKUPS = [
  // longest match at every level, first and last addresses, ranges that are not one prefix, prefixes as queries
  '192.0.2.1', '192.0.2.0', '192.0.2.127', '192.0.2.128', '192.0.2.255', '192.0.3.0', '192.0.3.99', '192.0.3.100',
  '192.1.0.1', '192.200.0.1', '192.0.2.0/23', '192.0.2.128/26', '192.0.2.0/26', '192.0.0.0/8', '192.0.0.0/12',
  '2001:db8::1', '2001:db8:100::1', '2001:db8:100::/48', '2001:db8:2000::1', '2001:db8::/32',
  // not in the registry
  '10.0.0.1', '2001:db9::1', '192.0.0.0/7',
].map((q) => `/rdap/ip/${q}`);
const AUTNUMS = [64496, 64500, 64503, 64504, 64511, 64512, 1].map((n) => `/rdap/autnum/${n}`);

describe('answers from the in-memory view', () => {
  test('ip/ and autnum/ equal the database answers for the public', async () => {
    let found = 0;
    for (const url of [...LOOKUPS, ...AUTNUMS]) if ((await assertSame(url)).status === 200) found++;
    assert.ok(found >= 20, `most look-ups find a delegation (${found})`);
  });

  test('ip/ and autnum/ equal the database answers for a legitimate-interest requester, unredacted', async () => {
    const r = await assertSame('/rdap/ip/192.0.2.200', legit());
    assert.equal(r.body.redacted, undefined);
    await assertSame('/rdap/ip/192.0.2.1', legit());
    await assertSame('/rdap/autnum/64500', legit());
  });

  test('a write through this process is in the very next answer', async () => {
    await fx.registry.modify(fx.ids.v4cust!, { netName: 'RENAMED-CUSTOMER', description: 'renamed just now' }, SYSTEM);
    const r = await assertSame('/rdap/ip/192.0.2.200');
    assert.equal(r.body.name, 'RENAMED-CUSTOMER');

    assert.equal((await assertSame('/rdap/ip/192.0.3.200')).body.handle, `NET-${fx.ids.v4lir}`);
    const added = await fx.registry.delegate({
      range: parseResource('192.0.3.128/26'), holderHandle: 'EXCUST', status: 'assigned', registry: 'jpnic', netName: 'NEW-MORE-SPECIFIC', techC: ['EXNET-NOC'],
    }, SYSTEM);
    const more = await assertSame('/rdap/ip/192.0.3.130');
    assert.equal(more.body.handle, `NET-${added.value.id}`);
    assert.equal(more.body.parentHandle, `NET-${fx.ids.v4lir}`);

    await fx.registry.updateContact('EXNET-NOC', { name: 'Example Net Operations' }, SYSTEM);
    const contact = await assertSame('/rdap/ip/192.0.3.130');
    const noc = (contact.body.entities as { handle: string; vcardArray: [string, unknown[][]] }[]).find((e) => e.handle.startsWith('EXNET-NOC'))!;
    assert.ok(noc.vcardArray[1].some((p) => p[0] === 'fn' && p[3] === 'Example Net Operations'));

    await fx.registry.returnDelegation(added.value.id, SYSTEM, 'test: returned');
    assert.equal((await assertSame('/rdap/ip/192.0.3.130')).body.handle, `NET-${fx.ids.v4lir}`);
  });

  test('a block passed down whole answers with the deepest holder, also after its parent changes', async () => {
    const upper = await fx.registry.delegate({
      range: parseResource('2001:db8:8000::/33'), holderHandle: 'JPNIC', status: 'allocated', registry: 'apnic', netName: 'JPNIC-V6-SECOND',
    }, SYSTEM);
    const whole = await fx.registry.delegate({
      range: parseResource('2001:db8:8000::/33'), holderHandle: 'EXNET', status: 'allocated', registry: 'jpnic', netName: 'EXAMPLE-WHOLE-V6',
    }, SYSTEM);
    await fx.registry.modify(upper.value.id, { netName: 'JPNIC-V6-SECOND-RENAMED' }, SYSTEM);
    const r = await assertSame('/rdap/ip/2001:db8:8001::1');
    assert.equal(r.body.handle, `NET-${whole.value.id}`);
    assert.equal(r.body.parentHandle, `NET-${upper.value.id}`);
    assert.equal((await assertSame('/rdap/ip/2001:db8:8000::/33')).body.handle, `NET-${whole.value.id}`);
  });

  test('a write from another process shows once the view has read the change feed', async () => {
    const elsewhere = new Registry(fx.testDb.db); // its commits are not announced to this view
    await elsewhere.modify(fx.ids.v6lir!, { netName: 'WRITTEN-ELSEWHERE' }, SYSTEM);
    const stale = await both('/rdap/ip/2001:db8:100::1');
    assert.equal(stale.view.body.name, 'EXAMPLE-V6', 'not yet polled');
    assert.equal(stale.sql.body.name, 'WRITTEN-ELSEWHERE');
    await view.sync(); // what the poll timer runs
    assert.equal((await assertSame('/rdap/ip/2001:db8:100::1')).body.name, 'WRITTEN-ELSEWHERE');
  });
});
