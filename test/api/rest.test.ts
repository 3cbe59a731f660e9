import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backendName, type TestDb } from '../helpers/db.js';
import { startApiFixture, type ApiFixture } from '../helpers/api-fixture.js';
import type { Fixture } from '../helpers/registry-fixture.js';
import type { TestServer } from '../helpers/http.js';

let t: TestDb;
let f: Fixture;
let s: TestServer;
let keys: Record<string, string>;
let api: ApiFixture;

before(async () => {
  api = await startApiFixture({
    staff: { org: 'nir', scopes: ['staff'] },
    lirA: { org: 'lirA', scopes: ['registry:write'] },
    lirB: { org: 'lirB', scopes: ['registry:write'] },
    lirAread: { org: 'lirA', scopes: ['irr:write'] },
  });
  ({ t, f, s, keys } = api);
});
after(() => api.close());

/** Number of changes in the feed: every rejected write must leave it unchanged. */
const feedLength = async () => Number((await t.db.query<{ n: string }>('SELECT count(*)::text AS n FROM change')).rows[0]!.n);

test(`[${backendName}] REST: a LIR assigns, modifies, reads history and returns through the API`, async () => {
  const created = await s.request('POST', '/api/delegations', { key: keys.lirA, body: { operation: 'assign', resource: '203.0.50.0/24', holder: 'ORG-EXNET-JP', netName: 'EXNET-API-1', country: 'JP', reason: 'customer' } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.resource, '203.0.50.0/24');
  assert.equal(created.body.status, 'assigned');
  const patched = await s.request('PATCH', `/api/delegations/${created.body.id}`, { key: keys.lirA, body: { description: 'renamed', reason: 'typo' } });
  assert.equal(patched.status, 200);
  assert.equal(patched.body.version, 2);
  const history = await s.request('GET', `/api/delegations/${created.body.id}/history`);
  assert.deepEqual(history.body.map((h: { action: string }) => h.action), ['create', 'modify']);
  assert.match(history.body[0].actor, /^key:nrk_[0-9a-f]{12}$/);
  const found = await s.request('GET', '/api/delegations?resource=203.0.50.7&match=longest');
  assert.equal(found.body[0].id, created.body.id);
  const more = await s.request('GET', '/api/delegations?resource=203.0.0.0/16&match=more');
  assert.ok(more.body.some((d: { id: string }) => d.id === created.body.id));
  const returned = await s.request('POST', `/api/delegations/${created.body.id}/return`, { key: keys.lirA, body: { reason: 'done' } });
  assert.equal(returned.status, 200);
  assert.equal((await s.request('GET', `/api/delegations/${created.body.id}`)).status, 404);
});

test(`[${backendName}] REST: bad input gets a specific 400 and changes nothing`, async () => {
  const before = await feedLength();
  const cases: Array<[string, string, unknown, RegExp]> = [
    ['POST', '/api/delegations', { operation: 'assign', resource: '203.0.300.0/24', holder: 'ORG-EXNET-JP' }, /octet 3 is 300|203\.0\.300\.0/],
    ['POST', '/api/delegations', { operation: 'assign', resource: '203.0.51.1/24', holder: 'ORG-EXNET-JP' }, /host bits|203\.0\.51\.1\/24/],
    ['POST', '/api/delegations', { operation: 'donate', resource: '203.0.51.0/24', holder: 'ORG-EXNET-JP' }, /^operation: /],
    ['POST', '/api/delegations', { operation: 'assign', resource: '203.0.51.0/24', holder: 'ORG-EXNET-JP', country: 'jp' }, /^country: must be an ISO 3166/],
    ['POST', '/api/delegations', { operation: 'assign', resource: '203.0.51.0/24', holder: 'ORG-EXNET-JP', colour: 'red' }, /colour|unrecognized/i],
    ['POST', '/api/delegations', { operation: 'assign', holder: 'ORG-EXNET-JP' }, /^resource: /],
    ['POST', '/api/delegations', { operation: 'assign', resource: '203.0.51.0/24', holder: 'ORG-NOBODY' }, /organisation ORG-NOBODY does not exist/],
    ['PATCH', `/api/delegations/${f.ids.lirA4}`, { netName: 'bad name with spaces' }, /net name "bad name with spaces" is not valid/],
    ['POST', '/api/transfers', { delegationId: 'x', to: 'ORG-SAMPLE-JP' }, /^delegationId: /],
    ['POST', '/api/requests', { family: 'ipv4', prefixLength: 99 }, /prefix length must be an integer between 1 and 32|prefixLength/],
  ];
  for (const [method, path, body, message] of cases) {
    const res = await s.request(method, path, { key: keys.lirA, body });
    assert.ok(res.status === 400 || res.status === 404, `${method} ${path} ${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
    assert.match(res.body.message, message, JSON.stringify(res.body));
    assert.ok(typeof res.body.error === 'string');
  }
  const malformed = await fetch(`${s.base}/api/delegations`, { method: 'POST', headers: { authorization: `Bearer ${keys.lirA}`, 'content-type': 'application/json' }, body: '{"operation":' });
  assert.equal(malformed.status, 400);
  assert.equal((await s.request('GET', '/api/delegations/abc')).status, 400);
  assert.equal((await s.request('GET', '/api/nothing-here')).status, 404);
  assert.equal(await feedLength(), before, 'no rejected request reached the change feed');
});

test(`[${backendName}] REST: authentication and authorisation matrix for every write endpoint`, async () => {
  const before = await feedLength();
  const writes: Array<[string, string, unknown]> = [
    ['POST', '/api/organisations', { handle: 'ORG-X-JP', name: 'X', role: 'lir' }],
    ['POST', '/api/contacts', { handle: 'XX1-JP', kind: 'role', name: 'X NOC', organisation: 'ORG-SAMPLE-JP' }],
    ['POST', '/api/maintainers', { handle: 'MAINT-X', organisation: 'ORG-SAMPLE-JP' }],
    ['POST', '/api/delegations', { operation: 'assign', resource: '203.1.9.0/24', holder: 'ORG-SAMPLE-JP' }],
    ['PATCH', `/api/delegations/${f.ids.lirB4}`, { description: 'hijacked' }],
    ['POST', `/api/delegations/${f.ids.lirB4}/return`, {}],
    ['POST', `/api/delegations/${f.ids.lirB4}/reclaim`, {}],
    ['POST', '/api/transfers', { delegationId: f.ids.lirB4, to: 'ORG-EXNET-JP' }],
    ['POST', '/api/requests', { organisation: 'ORG-SAMPLE-JP', family: 'ipv4', prefixLength: 24 }],
    ['POST', '/api/requests/1/approve', {}],
    ['POST', '/api/requests/1/deny', { comment: 'no' }],
    ['POST', '/api/waiting-list/serve', undefined],
    ['POST', '/api/keys', { scopes: ['staff'] }],
  ];
  for (const [method, path, body] of writes) {
    const anonymous = await s.request(method, path, { body });
    assert.equal(anonymous.status, 401, `anonymous ${method} ${path}`);
    const bogus = await s.request(method, path, { body, key: 'nrk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    assert.equal(bogus.status, 401, `bogus key ${method} ${path}`);
    // LIR A acting on LIR B's objects, on staff endpoints, or granting itself staff scope.
    const other = await s.request(method, path, { body, key: keys.lirA });
    assert.equal(other.status, 403, `LIR A ${method} ${path} → ${other.status} ${JSON.stringify(other.body)}`);
  }
  // A key without the registry:write scope cannot write even its own objects.
  const noScope = await s.request('POST', '/api/delegations', { key: keys.lirAread, body: { operation: 'assign', resource: '203.0.60.0/24', holder: 'ORG-EXNET-JP' } });
  assert.equal(noScope.status, 403);
  assert.match(noScope.body.message, /lacks the "registry:write" scope/);
  assert.equal(await feedLength(), before);
});

test(`[${backendName}] REST: request → staff approval → delegation; transfer with both sides`, async () => {
  const org = await s.request('POST', '/api/organisations', { key: keys.staff, body: { handle: 'ORG-NEWAPI-JP', name: 'New API K.K.', role: 'lir', country: 'JP', parent: 'JPNIC' } });
  assert.equal(org.status, 201, JSON.stringify(org.body));
  const key = await s.request('POST', '/api/keys', { key: keys.staff, body: { scopes: ['registry:write'], organisation: 'ORG-NEWAPI-JP' } });
  assert.equal(key.status, 201);
  const newKey: string = key.body.key;
  const evaluation = await s.request('POST', '/api/policy/evaluate', { key: newKey, body: { family: 'ipv4', prefixLength: 23 } });
  assert.equal(evaluation.body.outcome, 'approve');
  assert.ok(evaluation.body.reasons.some((r: { source: string }) => r.source === 'prop-127'));
  const req = await s.request('POST', '/api/requests', { key: newKey, body: { family: 'ipv4', prefixLength: 23, purpose: 'launch' } });
  assert.equal(req.status, 201);
  const approved = await s.request('POST', `/api/requests/${req.body.request.id}/approve`, { key: keys.staff, body: { comment: 'ok' } });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  assert.equal(approved.body.delegation.holderHandle, 'ORG-NEWAPI-JP');
  const proposed = await s.request('POST', '/api/transfers', { key: newKey, body: { delegationId: approved.body.delegation.id, to: 'ORG-SAMPLE-JP', reason: 'sale' } });
  assert.equal(proposed.status, 201);
  const wrongSide = await s.request('POST', `/api/transfers/${proposed.body.id}/approve`, { key: newKey });
  assert.equal(wrongSide.status, 403);
  const done = await s.request('POST', `/api/transfers/${proposed.body.id}/approve`, { key: keys.lirB });
  assert.equal(done.status, 200);
  assert.equal(done.body.delegation.holderHandle, 'ORG-SAMPLE-JP');
  const whatIf = await s.request('POST', '/api/policy/what-if', { body: { pool: ['192.0.2.0/24', '198.51.100.0/24'], proposals: ['prop-152'], requests: [{ org: 'A', role: 'lir', family: 'ipv4', prefixLength: 24, date: '2026-01-01' }, { org: 'A', role: 'lir', family: 'ipv4', prefixLength: 24, date: '2026-02-01' }] } });
  assert.equal(whatIf.status, 200);
  assert.deepEqual(whatIf.body.map((r: { served: number }) => r.served), [2, 1]);
});

test(`[${backendName}] OpenAPI document lists every route and is served as JSON`, async () => {
  const doc = await s.request('GET', '/api/openapi.json');
  assert.equal(doc.status, 200);
  assert.equal(doc.body.openapi, '3.1.0');
  assert.ok(doc.body.paths['/api/delegations/{id}/history'].get);
  assert.ok(doc.body.paths['/api/delegations'].post.requestBody.content['application/json'].schema.properties.operation);
  const metrics = await fetch(`${s.base}/metrics`).then((r) => r.text());
  assert.match(metrics, /numreg_change_serial \d+/);
  assert.match(metrics, /numreg_delegations\{family="ipv4",status="allocated"\} \d+/);
});
