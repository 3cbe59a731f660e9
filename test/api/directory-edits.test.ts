/** Contacts and maintainers: modify and delete through the REST API, with history, ownership and references. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { objectHistory } from '../../src/registry/feed.js';
import { verifyMaintainerPassword } from '../../src/registry/maintainers.js';
import { backendName, type TestDb } from '../helpers/db.js';
import { startApiFixture, type ApiFixture } from '../helpers/api-fixture.js';
import type { TestServer } from '../helpers/http.js';

let t: TestDb;
let s: TestServer;
let keys: Record<string, string>;
let api: ApiFixture;

before(async () => {
  api = await startApiFixture({
    lirA: { org: 'lirA', scopes: ['registry:write'] },
    lirB: { org: 'lirB', scopes: ['registry:write'] },
    staff: { org: 'nir', scopes: ['staff'] },
  });
  ({ t, s, keys } = api);
});
after(() => api.close());

test(`[${backendName}] a LIR modifies its contact; history keeps both versions; another LIR may not`, async () => {
  const created = await s.request('POST', '/api/contacts', { key: keys.lirA, body: { handle: 'EDIT1-JP', kind: 'role', name: 'Exnet NOC', email: 'noc@exnet.example' } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const patched = await s.request('PATCH', '/api/contacts/edit1-jp', { key: keys.lirA, body: { email: 'hostmaster@exnet.example', phone: '+81-3-1234-5678' } });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.equal(patched.body.email, 'hostmaster@exnet.example');
  assert.equal(patched.body.name, 'Exnet NOC');
  const history = await objectHistory(t.db, 'contact', 'EDIT1-JP');
  assert.deepEqual(history.map((h) => [h.action, h.version]), [['create', 1], ['modify', 2]]);
  assert.equal((history[1]!.before as { email: string }).email, 'noc@exnet.example');

  const foreign = await s.request('PATCH', '/api/contacts/EDIT1-JP', { key: keys.lirB, body: { name: 'Hijacked' } });
  assert.equal(foreign.status, 403);
  assert.match(foreign.body.message, /only modify contacts of its own organisation/);
  const bad = await s.request('PATCH', '/api/contacts/EDIT1-JP', { key: keys.lirA, body: { email: 'not-an-address' } });
  assert.equal(bad.status, 400);
  assert.match(bad.body.message, /email "not-an-address" is not an e-mail address/);
  assert.equal((await s.request('PATCH', '/api/contacts/NOBODY-JP', { key: keys.lirA, body: { name: 'x' } })).status, 404);
  assert.equal((await objectHistory(t.db, 'contact', 'EDIT1-JP')).length, 2, 'refused edits leave no history');
});

test(`[${backendName}] a contact named by a delegation cannot be deleted until the delegation lets go`, async () => {
  await s.request('POST', '/api/contacts', { key: keys.lirA, body: { handle: 'EDIT2-JP', kind: 'person', name: 'Taro Example' } });
  const assigned = await s.request('POST', '/api/delegations', { key: keys.lirA, body: { operation: 'assign', resource: '203.0.60.0/24', holder: 'ORG-EXNET-JP', netName: 'EDIT-NET', adminC: ['EDIT2-JP'], techC: ['EDIT2-JP'] } });
  assert.equal(assigned.status, 201, JSON.stringify(assigned.body));
  const foreign = await s.request('DELETE', '/api/contacts/EDIT2-JP', { key: keys.lirB });
  assert.equal(foreign.status, 403, 'ownership is checked before anything else is said about the contact');
  assert.match(foreign.body.message, /only delete contacts of its own organisation/);
  const refused = await s.request('DELETE', '/api/contacts/EDIT2-JP', { key: keys.lirA });
  assert.equal(refused.status, 409);
  assert.match(refused.body.message, new RegExp(`contact EDIT2-JP is still referenced by delegation ${assigned.body.id}`));
  await s.request('POST', `/api/delegations/${assigned.body.id}/return`, { key: keys.lirA, body: { reason: 'done' } });
  const deleted = await s.request('DELETE', '/api/contacts/EDIT2-JP', { key: keys.lirA });
  assert.equal(deleted.status, 204, JSON.stringify(deleted.body));
  assert.equal((await s.request('GET', '/api/contacts/EDIT2-JP', { key: keys.lirA })).status, 404);
  const history = await objectHistory(t.db, 'contact', 'EDIT2-JP');
  assert.deepEqual(history.map((h) => [h.action, h.version]), [['create', 1], ['delete', 1]]);
});

test(`[${backendName}] a maintainer's password changes (old one stops working, the feed never holds a hash); delete checks references`, async () => {
  const created = await s.request('POST', '/api/maintainers', { key: keys.lirA, body: { handle: 'MAINT-EDIT-JP', password: 'first-password-123', description: 'edits' } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const patched = await s.request('PATCH', '/api/maintainers/MAINT-EDIT-JP', { key: keys.lirA, body: { password: 'second-password-456', description: 'rotated' } });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.equal(patched.body.description, 'rotated');
  assert.equal(await verifyMaintainerPassword(t.db, 'MAINT-EDIT-JP', 'first-password-123'), false);
  assert.equal(await verifyMaintainerPassword(t.db, 'MAINT-EDIT-JP', 'second-password-456'), true);
  const history = await objectHistory(t.db, 'maintainer', 'MAINT-EDIT-JP');
  assert.deepEqual(history.map((h) => h.action), ['create', 'modify']);
  assert.doesNotMatch(JSON.stringify(history), /\$2[aby]\$|password_hash|passwordHash/);
  assert.equal((await s.request('PATCH', '/api/maintainers/MAINT-EDIT-JP', { key: keys.lirA, body: { password: 'short' } })).status, 400);
  assert.equal((await s.request('PATCH', '/api/maintainers/MAINT-EDIT-JP', { key: keys.lirB, body: { description: 'x' } })).status, 403);
  assert.equal((await s.request('DELETE', '/api/maintainers/MAINT-EDIT-JP', { key: keys.lirB })).status, 403);
  const byStaff = await s.request('PATCH', '/api/maintainers/MAINT-EDIT-JP', { key: keys.staff, body: { description: 'checked by the hostmaster' } });
  assert.equal(byStaff.status, 200, JSON.stringify(byStaff.body));

  const assigned = await s.request('POST', '/api/delegations', { key: keys.lirA, body: { operation: 'assign', resource: '203.0.61.0/24', holder: 'ORG-EXNET-JP', netName: 'EDIT-NET-2', mntBy: ['MAINT-EDIT-JP'] } });
  assert.equal(assigned.status, 201, JSON.stringify(assigned.body));
  const refused = await s.request('DELETE', '/api/maintainers/MAINT-EDIT-JP', { key: keys.lirA });
  assert.equal(refused.status, 409);
  assert.match(refused.body.message, /maintainer MAINT-EDIT-JP is still referenced by delegation/);
  await s.request('POST', `/api/delegations/${assigned.body.id}/return`, { key: keys.lirA, body: { reason: 'done' } });
  assert.equal((await s.request('DELETE', '/api/maintainers/MAINT-EDIT-JP', { key: keys.lirA })).status, 204);
  assert.equal((await s.request('GET', '/api/maintainers/MAINT-EDIT-JP')).status, 404);
});
