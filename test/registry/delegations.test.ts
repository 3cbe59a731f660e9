import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { parseResource } from '../../src/core/index.js';
import { SYSTEM } from '../../src/registry/actor.js';
import { RegistryError } from '../../src/registry/errors.js';
import { objectHistory, changesSince } from '../../src/registry/feed.js';
import { delegationById, lessSpecifics, longestMatch, moreSpecifics, exactMatch } from '../../src/registry/lookup.js';
import { createTestDb, backendName, type TestDb } from '../helpers/db.js';
import { buildFixture, type Fixture } from '../helpers/registry-fixture.js';

let t: TestDb;
let f: Fixture;
before(async () => {
  t = await createTestDb();
  f = await buildFixture(t.db);
});
after(() => t.close());

async function rejects(promise: Promise<unknown>, code: string, message: RegExp) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof RegistryError, `expected RegistryError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, message);
    return true;
  });
}

test(`[${backendName}] look-ups: longest match, less and more specifics`, async () => {
  const lm = await longestMatch(t.db, parseResource('203.0.113.7'));
  assert.equal(lm?.resource, '203.0.0.0/16');
  assert.equal(lm?.holderHandle, 'ORG-EXNET-JP');
  const less = await lessSpecifics(t.db, parseResource('203.0.0.0/16'));
  assert.deepEqual(less.map((d) => d.resource), ['203.0.0.0/8', '203.0.0.0/10']);
  const more = await moreSpecifics(t.db, parseResource('203.0.0.0/10'));
  assert.deepEqual(more.map((d) => d.resource), ['203.0.0.0/16', '203.1.0.0/16']);
  assert.equal((await exactMatch(t.db, parseResource('2001:dc0::/32')))?.holderHandle, 'JPNIC');
  assert.equal((await longestMatch(t.db, parseResource('AS131100')))?.resource, 'AS131072 - AS131199');
  assert.equal(await longestMatch(t.db, parseResource('198.51.100.1')), undefined);
});

test(`[${backendName}] a LIR assigns from its allocation; the assignment is versioned in the change feed`, async () => {
  const { value } = await f.registry.delegate(
    { range: parseResource('203.0.113.0/24'), holderHandle: 'ORG-EXNET-JP', status: 'assigned', netName: 'EXNET-CUST-1', country: 'JP', reason: 'customer network' },
    f.lirA,
  );
  assert.equal(value.parentId, f.ids.lirA4);
  assert.equal(value.status, 'assigned');
  assert.equal(value.registry, 'jpnic', 'the NIR records its LIRs\' assignments');
  const history = await objectHistory(t.db, 'delegation', value.id);
  assert.equal(history.length, 1);
  assert.equal(history[0]!.action, 'create');
  assert.equal(history[0]!.actor, 'user:exnet');
  assert.equal(history[0]!.reason, 'customer network');
  assert.equal((history[0]!.after as { resource: string }).resource, '203.0.113.0/24');

  const modified = await f.registry.modify(value.id, { netName: 'EXNET-CUST-ONE', techC: ['ex1-jp'] }, f.lirA, 'rename');
  assert.equal(modified.value.version, 2);
  assert.deepEqual(modified.value.techC, ['EX1-JP']);
  const h2 = await objectHistory(t.db, 'delegation', value.id);
  assert.equal(h2.length, 2);
  assert.equal((h2[1]!.before as { netName: string }).netName, 'EXNET-CUST-1');
  assert.equal((h2[1]!.after as { netName: string }).netName, 'EXNET-CUST-ONE');

  await f.registry.returnDelegation(value.id, f.lirA, 'customer left');
  assert.equal(await delegationById(t.db, value.id), undefined);
  const h3 = await objectHistory(t.db, 'delegation', value.id);
  assert.deepEqual(h3.map((c) => c.action), ['create', 'modify', 'delete']);
});

test(`[${backendName}] invariants: inside parent, no sibling overlap, only the holder delegates, status rules`, async () => {
  const serialBefore = (await changesSince(t.db, 0, 100000)).length;
  // Another LIR's space.
  await rejects(
    f.registry.delegate({ range: parseResource('203.1.5.0/24'), holderHandle: 'ORG-EXNET-JP', status: 'assigned' }, f.lirA),
    'forbidden', /does not hold 203\.1\.0\.0\/16 \(held by ORG-SAMPLE-JP\)/,
  );
  // Outside the explicit parent.
  await rejects(
    f.registry.delegate({ range: parseResource('203.2.0.0/24'), holderHandle: 'ORG-EXNET-JP', status: 'assigned', parentId: f.ids.lirA4 }, f.lirA),
    'invalid-input', /does not lie inside its parent 203\.0\.0\.0\/16/,
  );
  // Outside every block.
  await rejects(
    f.registry.delegate({ range: parseResource('198.51.100.0/24'), holderHandle: 'ORG-EXNET-JP', status: 'assigned' }, f.staff),
    'forbidden', /outside every block/,
  );
  // Sibling overlap (non-CIDR range overlapping an existing one).
  await f.registry.delegate({ range: parseResource('203.0.2.0 - 203.0.3.127'), holderHandle: 'ORG-EXNET-JP', status: 'assigned' }, f.lirA);
  await rejects(
    f.registry.delegate({ range: parseResource('203.0.3.0/24'), holderHandle: 'ORG-EXNET-JP', status: 'assigned' }, f.lirA),
    'conflict', /203\.0\.3\.0\/24 overlaps 203\.0\.2\.0 - 203\.0\.3\.127 \(ORG-EXNET-JP/,
  );
  // Assignments are leaves.
  const leaf = await f.registry.delegate({ range: parseResource('203.0.8.0/24'), holderHandle: 'ORG-EXNET-JP', status: 'assigned' }, f.lirA);
  await rejects(
    f.registry.delegate({ range: parseResource('203.0.8.0/25'), holderHandle: 'ORG-EXNET-JP', status: 'assigned', parentId: leaf.value.id }, f.lirA),
    'invalid-input', /a assigned block \(203\.0\.8\.0\/24\) cannot have a assigned delegation; allowed: none/,
  );
  // IPv6 must be a prefix.
  await rejects(
    f.registry.delegate({ range: { family: 'ipv6', start: 0x20010dc0n << 96n, end: (0x20010dc0n << 96n) + 5n }, holderHandle: 'ORG-EXNET-JP', status: 'assigned' }, f.lirA),
    'invalid-input', /IPv6 delegations must be a single prefix/,
  );
  // Bad attributes.
  await rejects(
    f.registry.delegate({ range: parseResource('203.0.9.0/24'), holderHandle: 'ORG-EXNET-JP', status: 'assigned', country: 'jpn' }, f.lirA),
    'invalid-input', /country "jpn" is not an ISO 3166 two-letter code/,
  );
  // A block with children cannot be returned; the LIR cannot reclaim from its parent's holder.
  await rejects(f.registry.returnDelegation(f.ids.lirA4, f.lirA), 'conflict', /still has 2 sub-delegation\(s\)/);
  await rejects(f.registry.reclaim(f.ids.lirB4, f.lirA), 'forbidden', /user:exnet holds no block enclosing 203\.1\.0\.0\/16/);
  // Only the two successful writes reached the feed.
  assert.equal((await changesSince(t.db, 0, 100000)).length, serialBefore + 2);
});

test(`[${backendName}] reclaim removes the whole subtree, deepest first, each removal in the feed`, async () => {
  const sub = await f.registry.delegate({ range: parseResource('203.1.128.0/17'), holderHandle: 'ORG-SAMPLE-JP', status: 'sub-allocated' }, f.lirB);
  await f.registry.delegate({ range: parseResource('203.1.130.0/24'), holderHandle: 'ORG-SAMPLE-JP', status: 'assigned' }, f.lirB);
  const before = (await changesSince(t.db, 0, 100000)).length;
  const { value: removed } = await f.registry.reclaim(sub.value.id, f.staff, 'LIR closed');
  assert.deepEqual(removed.map((d) => d.resource), ['203.1.130.0/24', '203.1.128.0/17']);
  const feed = await changesSince(t.db, 0, 100000);
  assert.equal(feed.length, before + 2);
  assert.ok(feed.slice(-2).every((c) => c.action === 'delete' && c.reason === 'LIR closed' && c.actor === 'staff:hostmaster'));
});

test(`[${backendName}] transfer needs both sides; both approvals are recorded`, async () => {
  const block = await f.registry.delegate({ range: parseResource('203.0.64.0/18'), holderHandle: 'ORG-EXNET-JP', status: 'sub-allocated' }, f.lirA);
  await rejects(f.registry.proposeTransfer(block.value.id, 'ORG-SAMPLE-JP', f.lirB), 'forbidden', /only the holder \(ORG-EXNET-JP\)/);
  const { transfer } = await f.registry.proposeTransfer(block.value.id, 'ORG-SAMPLE-JP', f.lirA, 'merger');
  assert.equal(transfer.status, 'proposed');
  assert.equal((await delegationById(t.db, block.value.id))?.holderHandle, 'ORG-EXNET-JP');
  await rejects(f.registry.approveTransfer(transfer.id, f.lirA), 'forbidden', /only the recipient organisation/);
  await rejects(f.registry.proposeTransfer(block.value.id, 'ORG-SAMPLE-JP', f.lirA), 'conflict', /already waiting for approval/);
  const done = await f.registry.approveTransfer(transfer.id, f.lirB);
  assert.equal(done.transfer.status, 'completed');
  assert.equal(done.transfer.fromApprovedBy, 'user:exnet');
  assert.equal(done.transfer.toApprovedBy, 'user:sample');
  assert.equal(done.delegation.holderHandle, 'ORG-SAMPLE-JP');
  const history = await objectHistory(t.db, 'delegation', block.value.id);
  assert.match(history.at(-1)!.reason!, /transfer \d+: proposed by user:exnet, approved by user:sample/);
  await rejects(f.registry.approveTransfer(transfer.id, f.lirB), 'conflict', /is completed/);
});

test(`[${backendName}] concurrent writers: two allocations of the same free block, exactly one wins`, async () => {
  const attempts = await Promise.allSettled([
    f.registry.delegate({ range: parseResource('203.2.0.0/16'), holderHandle: 'ORG-EXNET-JP', status: 'allocated' }, f.staff),
    f.registry.delegate({ range: parseResource('203.2.0.0/16'), holderHandle: 'ORG-SAMPLE-JP', status: 'allocated' }, f.staff),
  ]);
  const won = attempts.filter((a) => a.status === 'fulfilled');
  const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
  assert.equal(won.length, 1);
  assert.equal(lost.length, 1);
  assert.ok(lost[0]!.reason instanceof RegistryError);
  assert.equal(lost[0]!.reason.code, 'conflict');
  assert.match(lost[0]!.reason.message, /203\.2\.0\.0\/16 overlaps 203\.2\.0\.0\/16/);
  const stored = await moreSpecifics(t.db, parseResource('203.2.0.0/15'));
  assert.equal(stored.length, 1);
});

test(`[${backendName}] the change feed is gapless and ordered under concurrent writes`, async () => {
  const start = (await changesSince(t.db, 0, 100000)).at(-1)!.serial;
  await Promise.all(Array.from({ length: 20 }, (_, i) =>
    f.registry.delegate({ range: parseResource(`203.0.${200 + i}.0/24`), holderHandle: 'ORG-EXNET-JP', status: 'assigned' }, f.lirA)));
  const serials = (await changesSince(t.db, start, 1000)).map((c) => c.serial);
  assert.deepEqual(serials, Array.from({ length: 20 }, (_, i) => start + 1 + i));
});

test(`[${backendName}] organisations, contacts and maintainers validate their input`, async () => {
  await rejects(f.registry.createOrganisation({ handle: 'ORG EXNET', name: 'x', role: 'lir' }, SYSTEM), 'invalid-input', /organisation handle "ORG EXNET" is not valid/);
  await rejects(f.registry.createOrganisation({ handle: 'ORG-EXNET-JP', name: 'dup', role: 'lir' }, SYSTEM), 'conflict', /organisation ORG-EXNET-JP already exists/);
  await rejects(f.registry.createContact({ handle: 'EX1-JP', kind: 'person', name: 'Taro', email: 'not-an-address' }, SYSTEM), 'invalid-input', /email "not-an-address" is not an e-mail address/);
  await rejects(f.registry.createMaintainer({ handle: 'MAINT-EX', password: 'short' }, SYSTEM), 'invalid-input', /at least 12 characters/);
  const m = await f.registry.createMaintainer({ handle: 'maint-ex', orgHandle: 'ORG-EXNET-JP', password: 'correct horse battery' }, SYSTEM);
  assert.equal(m.handle, 'MAINT-EX');
  assert.equal(m.hasPassword, true);
  const { rows } = await t.db.query<{ password_hash: string }>('SELECT password_hash FROM maintainer WHERE handle = $1', ['MAINT-EX']);
  assert.match(rows[0]!.password_hash, /^\$2[aby]\$10\$/);
  const history = await objectHistory(t.db, 'maintainer', 'MAINT-EX');
  assert.ok(!JSON.stringify(history).includes('$2'), 'the change feed never carries password hashes');
});
