import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ResourceSet, parseResource } from '../../src/core/index.js';
import { SYSTEM } from '../../src/registry/actor.js';
import { RegistryError } from '../../src/registry/errors.js';
import { delegationById } from '../../src/registry/lookup.js';
import { objectHistory } from '../../src/registry/feed.js';
import {
  evaluate, evaluateRequest, submitRequest, approveRequest, denyRequest, serveWaitingList, waitingList,
  policiesInForce, policiesWithProposals, whatIf, POLICIES, type WhatIfRequest,
} from '../../src/policy/index.js';
import { createTestDb, backendName, type TestDb } from '../helpers/db.js';
import { buildFixture, type Fixture } from '../helpers/registry-fixture.js';

test('policies in force depend on the date; prop-152 is not in force, prop-154 replaced the IXP /23 rule', () => {
  const ids = (date: string) => policiesInForce(date).map((p) => p.id);
  assert.ok(ids('2026-11-23').includes('ipv4-final-pool-23'));
  assert.ok(!ids('2026-11-23').includes('ipv4-max-24'));
  assert.ok(ids('2024-01-01').includes('ixp-ipv4-23'));
  assert.ok(!ids('2026-11-23').includes('ixp-ipv4-23'));
  assert.ok(ids('2026-11-23').includes('ixp-ipv4-26'));
  assert.ok(!ids('2024-01-01').includes('ipv6-associate-48'), 'prop-155 was not yet in force');
  const with152 = policiesWithProposals('2026-11-23', ['prop-152']).map((p) => p.id);
  assert.ok(with152.includes('ipv4-max-24') && !with152.includes('ipv4-final-pool-23'));
  assert.ok(with152.includes('ipv4-cap-24') && !with152.includes('ipv4-final-pool-cap-23'));
  for (const p of POLICIES) assert.ok(p.source.length > 0 && p.text.length > 0, `${p.id} cites its source`);
});

test('evaluate: every decision names the policies and reasons', () => {
  const base = { family: 'ipv4' as const, role: 'lir' as const, isIxp: false, holding: 0n, poolCanServe: true };
  const ok = evaluate(policiesInForce('2026-11-23'), { ...base, prefixLength: 23 });
  assert.equal(ok.outcome, 'approve');
  assert.ok(ok.reasons.some((r) => r.source === 'prop-127' && r.verdict === 'allows'));
  const tooBig = evaluate(policiesInForce('2026-11-23'), { ...base, prefixLength: 22 });
  assert.equal(tooBig.outcome, 'deny');
  assert.match(tooBig.reasons.find((r) => r.verdict === 'denies')!.reason, /\/22 is larger than the \/23 a lir may receive/);
  const with152 = evaluate(policiesWithProposals('2026-11-23', ['prop-152']), { ...base, prefixLength: 23 });
  assert.equal(with152.outcome, 'deny');
  assert.ok(with152.reasons.some((r) => r.source === 'prop-152' && r.verdict === 'denies'));
  const capped = evaluate(policiesInForce('2026-11-23'), { ...base, prefixLength: 24, holding: 512n });
  assert.equal(capped.outcome, 'deny');
  assert.match(capped.reasons.find((r) => r.verdict === 'denies')!.reason, /above the \/23 cap \(512\); already holds 512/);
  const ixp = evaluate(policiesInForce('2026-11-23'), { ...base, prefixLength: 26, isIxp: true });
  assert.equal(ixp.outcome, 'approve');
  assert.ok(ixp.reasons.some((r) => r.source === 'prop-154'));
  const ixpOld = evaluate(policiesInForce('2024-01-01'), { ...base, prefixLength: 26, isIxp: true });
  assert.equal(ixpOld.outcome, 'deny', 'before prop-154 the minimum IXP delegation was a /24');
  const assoc = evaluate(policiesInForce('2026-11-23'), { ...base, family: 'ipv6', role: 'associate', prefixLength: 48 });
  assert.equal(assoc.outcome, 'approve');
  assert.ok(assoc.reasons.some((r) => r.source === 'prop-155'));
  const assocV4 = evaluate(policiesInForce('2026-11-23'), { ...base, role: 'associate', prefixLength: 24 });
  assert.equal(assocV4.outcome, 'deny');
  const empty = evaluate(policiesInForce('2026-11-23'), { ...base, prefixLength: 24, poolCanServe: false });
  assert.equal(empty.outcome, 'waitlist');
  assert.ok(empty.reasons.some((r) => r.policyId === 'ipv4-waiting-list' && r.verdict === 'queues'));
});

test('what-if: the same requests under today\'s policies and with prop-152', () => {
  // A /22 pool: four /24s. Five new LIRs each ask for a /23 (under prop-152 they would ask for what they may get).
  const pool = ResourceSet.fromRanges([parseResource('192.0.0.0/22')]);
  const requests: WhatIfRequest[] = Array.from({ length: 5 }, (_, i) => ({
    org: `LIR-${i}`, role: 'lir', family: 'ipv4', prefixLength: 23, date: `2026-0${i + 1}-01`,
  }));
  const [today, with152] = whatIf(pool, requests, {
    today: policiesInForce('2026-11-23'),
    'with prop-152': policiesWithProposals('2026-11-23', ['prop-152']),
  });
  assert.equal(today!.served, 2);
  assert.equal(today!.waitlisted, 3);
  assert.equal(today!.addressesLeft.ipv4, 0n);
  assert.equal(today!.exhaustedOn, '2026-03-01');
  assert.equal(with152!.served, 0, 'a /23 request is denied under prop-152');
  assert.equal(with152!.denied, 5);
  const smaller = requests.map((r) => ({ ...r, prefixLength: 24 }));
  const [, served152] = whatIf(pool, smaller, { today: policiesInForce('2026-11-23'), 'with prop-152': policiesWithProposals('2026-11-23', ['prop-152']) });
  assert.equal(served152!.served, 4);
  assert.equal(served152!.waitlisted, 1);
  assert.equal(served152!.exhaustedOn, '2026-05-01');
});

let t: TestDb;
let f: Fixture;
before(async () => {
  t = await createTestDb();
  f = await buildFixture(t.db);
});
after(() => t.close());

test(`[${backendName}] request → evaluation stored → staff approval allocates best-fit from the NIR pool citing the decision`, async () => {
  const ev = await evaluateRequest(t.db, { orgId: f.orgs.lirA.id, family: 'ipv4', prefixLength: 23 });
  // LIR-A already holds a /16 from the fixture, so the /23 cap denies it.
  assert.equal(ev.outcome, 'deny');
  const newLir = await f.registry.createOrganisation({ handle: 'ORG-NEWLIR-JP', name: 'New LIR G.K.', role: 'lir', country: 'JP' }, SYSTEM);
  const newActor = { kind: 'member' as const, orgId: newLir.id, via: 'user:newlir' };
  await assert.rejects(submitRequest(f.registry, { orgId: f.orgs.lirA.id, family: 'ipv4', prefixLength: 23 }, newActor), /only request resources for its own organisation/);
  const { request, evaluation } = await submitRequest(f.registry, { orgId: newLir.id, family: 'ipv4', prefixLength: 23, purpose: 'new ISP' }, newActor);
  assert.equal(request.status, 'pending');
  assert.equal(evaluation.outcome, 'approve');
  assert.equal(evaluation.candidate, '203.2.0.0/23');
  await assert.rejects(approveRequest(f.registry, request.id, newActor), /only registry staff can decide requests/);
  const approved = await approveRequest(f.registry, request.id, f.staff, 'documents checked');
  assert.equal(approved.request.status, 'fulfilled');
  const d = (await delegationById(t.db, approved.delegation!.id))!;
  assert.equal(d.resource, '203.2.0.0/23');
  assert.equal(d.holderHandle, 'ORG-NEWLIR-JP');
  assert.equal(d.parentId, f.ids.nir4);
  assert.equal(d.decisionId, approved.request.decisionId);
  const { rows } = await t.db.query<{ outcome: string; reasons: Array<{ source: string }> }>('SELECT outcome, reasons FROM policy_decision WHERE id = $1', [d.decisionId]);
  assert.equal(rows[0]!.outcome, 'approve');
  assert.ok(rows[0]!.reasons.some((r) => r.source === 'prop-127'));
  const history = await objectHistory(t.db, 'resource-request', request.id);
  assert.deepEqual(history.map((h) => h.actor), ['user:newlir', 'staff:hostmaster']);
  await assert.rejects(approveRequest(f.registry, request.id, f.staff), (e: unknown) => e instanceof RegistryError && e.code === 'conflict');
  // A second /24 would exceed the /23 cap.
  const again = await submitRequest(f.registry, { orgId: newLir.id, family: 'ipv4', prefixLength: 24 }, newActor);
  assert.equal(again.evaluation.outcome, 'deny');
  await assert.rejects(approveRequest(f.registry, again.request.id, f.staff), (e: unknown) => e instanceof RegistryError && e.code === 'policy-denied' && /\/23 cap/.test(e.message));
  // Its own assignments inside the /23 are not more space: the holding stays 512 addresses.
  await f.registry.delegate({ range: parseResource('203.2.0.0/25'), holderHandle: 'ORG-NEWLIR-JP', status: 'assigned' }, newActor);
  await f.registry.delegate({ range: parseResource('203.2.0.128/26'), holderHandle: 'ORG-NEWLIR-JP', status: 'assigned' }, newActor);
  const afterAssignments = await evaluateRequest(t.db, { orgId: newLir.id, family: 'ipv4', prefixLength: 24 });
  assert.match(afterAssignments.reasons.find((r) => r.verdict === 'denies')!.reason, /already holds 512$/);
  const denied = await denyRequest(f.registry, again.request.id, f.staff, 'over the cap');
  assert.equal(denied.status, 'denied');
});

test(`[${backendName}] waiting list: FIFO when the pool is empty, served when space comes back`, async () => {
  // Fill the NIR's IPv4 pool completely (203.0.0.0/10 minus what is delegated) with a reserved block per free range.
  const { freePool } = await import('../../src/policy/free-pool.js');
  const free = await freePool(t.db, f.orgs.nir.id, 'ipv4');
  for (const r of free.ranges('ipv4')) {
    await f.registry.delegate({ range: r, holderHandle: 'JPNIC', status: 'reserved', parentId: f.ids.nir4 }, f.staff);
  }
  const lirs = [];
  for (const h of ['ORG-W1-JP', 'ORG-W2-JP']) {
    const org = await f.registry.createOrganisation({ handle: h, name: `${h} K.K.`, role: 'lir', country: 'JP' }, SYSTEM);
    const actor = { kind: 'member' as const, orgId: org.id, via: `user:${h}` };
    const { request, evaluation } = await submitRequest(f.registry, { orgId: org.id, family: 'ipv4', prefixLength: 24 }, actor);
    assert.equal(evaluation.outcome, 'waitlist');
    const res = await approveRequest(f.registry, request.id, f.staff);
    assert.equal(res.request.status, 'waitlisted');
    lirs.push(org);
  }
  assert.deepEqual((await waitingList(t.db)).map((w) => w.orgHandle), ['ORG-W1-JP', 'ORG-W2-JP']);
  assert.deepEqual(await serveWaitingList(f.registry, f.staff), []);
  // A /24 comes back to the pool: the first in line gets it.
  const reserved = (await (await import('../../src/registry/lookup.js')).childrenOf(t.db, f.ids.nir4)).find((c) => c.status === 'reserved')!;
  await f.registry.reclaim(reserved.id, f.staff, 'return to pool');
  const served = await serveWaitingList(f.registry, f.staff);
  assert.ok(served.length >= 1);
  assert.equal(served[0]!.holderHandle, 'ORG-W1-JP');
});
