/**
 * Portal security: CSRF synchroniser tokens, session fixation, cookie attributes, TOTP, and the
 * authorisation matrix (every role × every write endpoint → expected status), over fastify.inject.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPortalFixture, MAINT_PASSWORDS, PASSWORDS, startPortal, type PortalFixture, type PortalServer } from './portal-fixture.js';
import { PortalClient } from './client.js';
import { WRITE_ENDPOINTS, createPortalUser } from '../../src/web/index.js';
import { SESSION_COOKIE } from '../../src/web/auth/sessions.js';
import { newTotpSecret, totp } from '../../src/web/auth/totp.js';
import { parseResource } from '../../src/core/index.js';
import { createApiKey } from '../../src/registry/api-keys.js';
import { submitRequest } from '../../src/policy/index.js';

let f: PortalFixture;
let s: PortalServer;

before(async () => {
  f = await buildPortalFixture();
  s = await startPortal(f);
});
after(async () => {
  await s?.close();
  await f?.t.close();
});

const count = async (sql: string, params: unknown[] = []) => Number((await f.t.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM (${sql}) x`, params)).rows[0]!.n);

test('mounts on numreg\'s own HTTP app (which registers cookie and form parsers at its root)', async () => {
  const { buildHttpApp } = await import('../../src/http/app.js');
  const { createMetrics } = await import('../../src/http/metrics.js');
  const { registerWebRoutes } = await import('../../src/web/index.js');
  const app = await buildHttpApp({ db: f.t.db, registry: f.registry, metrics: createMetrics(f.t.db), logger: false, plugins: [async (a) => { await registerWebRoutes(a, { db: f.t.db, registry: f.registry }); }] });
  try {
    const c = new PortalClient(app);
    assert.equal((await c.get('/')).statusCode, 200);
    assert.equal((await c.login('exnet', PASSWORDS.exnet)).statusCode, 303);
    assert.equal((await c.get('/lir')).statusCode, 200);
    const r = await c.get('/');
    assert.match(String(r.headers['content-security-policy']), /default-src 'self'/);
    assert.equal(r.headers['x-frame-options'], 'DENY');
  } finally {
    await app.close();
  }
});

test('every page renders for the roles that may see it (no server errors)', async () => {
  const pages: Record<'anon' | 'lirA' | 'staff', string[]> = {
    anon: ['/', '/stats', '/login', '/rov?prefix=203.0.0.0%2F24&origin=AS131072', '/search?q=203.0.0.130', '/search?q=2001:dc0::1', '/search?q=AS131072',
      '/search?q=ORG-EXNET-JP', '/search?q=Example', '/search?q=Taro+Example', '/search?q=TE1-JP', '/search?q=bogus%2F99', '/search?q=%3Cscript%3E', '/?lang=ja'],
    lirA: ['/lir', `/lir/delegations/${f.ids.lirA4}`, `/lir/delegations/${f.ids.infra}`, '/lir/contacts', '/lir/maintainers', '/lir/routes', '/lir/roas',
      '/lir/roas?prefix=203.0.0.0%2F24&maxLength=24&asn=AS131072', '/lir/api-keys', '/lir/requests', '/lir/requests?family=asn', '/lir/requests?family=ipv6&prefixLength=32',
      '/lir/transfers', '/account', '/lir?lang=ja', '/lir?lang=en'],
    staff: ['/staff', '/staff/pool', '/staff/waiting-list', '/staff/transfers', '/staff/audit', '/staff/audit?type=delegation', '/search?q=TE1-JP'],
  };
  const clients = { anon: new PortalClient(s.app), lirA: new PortalClient(s.app), staff: new PortalClient(s.app) };
  await clients.lirA.login('exnet', PASSWORDS.exnet);
  await clients.staff.login('hanako', PASSWORDS.hanako);
  const bad: string[] = [];
  for (const [role, urls] of Object.entries(pages) as [keyof typeof pages, string[]][]) {
    for (const url of urls) {
      const r = await clients[role].get(url);
      if (r.statusCode !== 200 || !r.body.startsWith('<!doctype html>')) bad.push(`${role} ${url} → ${r.statusCode}`);
    }
  }
  assert.deepEqual(bad, []);
  const anonPerson = await clients.anon.get('/search?q=TE1-JP');
  assert.doesNotMatch(anonPerson.body, /Taro Example|taro@example\.net|\+81-3/);
  assert.doesNotMatch((await clients.anon.get('/search?q=Taro+Example')).body, /TE1-JP/, 'a name search does not reveal natural persons');
  assert.doesNotMatch((await clients.anon.get('/search?q=%3Cscript%3E')).body, /<script>/);
  const staffPerson = await clients.staff.get('/search?q=TE1-JP');
  assert.match(staffPerson.body, /Taro Example/);
  assert.ok(await count(`SELECT 1 FROM portal_disclosure WHERE viewer = 'staff:hanako' AND contact_handle = 'TE1-JP'`) >= 1, 'staff look-up of a person is logged');
  assert.match((await clients.staff.get('/staff/audit')).body, /staff:hanako[\s\S]*TE1-JP/);
});

describe('CSRF', () => {
  test('a form post without, with a wrong, or with another session\'s token is refused and changes nothing', async () => {
    const a = new PortalClient(s.app);
    assert.equal((await a.login('exnet', PASSWORDS.exnet)).statusCode, 303);
    const b = new PortalClient(s.app);
    await b.login('sample', PASSWORDS.sample);
    const form = { handle: 'CSRF1-JP', kind: 'role', name: 'CSRF test' };
    const missing = await a.post('/lir/contacts', form, { csrf: null });
    assert.equal(missing.statusCode, 403);
    assert.match(missing.body, /did not come from this site/);
    assert.equal((await a.post('/lir/contacts', form, { csrf: 'x'.repeat(43) })).statusCode, 403);
    assert.equal((await a.post('/lir/contacts', form, { csrf: b.csrf })).statusCode, 403);
    assert.equal(await count(`SELECT 1 FROM contact WHERE handle = 'CSRF1-JP'`), 0);
    assert.equal((await a.post('/lir/contacts', form)).statusCode, 303);
    assert.equal(await count(`SELECT 1 FROM contact WHERE handle = 'CSRF1-JP'`), 1);
  });

  test('the sign-in form itself needs the token of the session that rendered it', async () => {
    const c = new PortalClient(s.app);
    const r = await c.post('/login', { username: 'exnet', password: PASSWORDS.exnet }, { csrf: null });
    assert.equal(r.statusCode, 403);
    assert.equal(r.cookies.some((x) => x.name === SESSION_COOKIE), false);
  });
});

describe('sessions', () => {
  test('signing in issues a new session id and the pre-login id stops working (fixation)', async () => {
    const c = new PortalClient(s.app);
    await c.get('/login');
    const before = c.cookies.get(SESSION_COOKIE)!;
    assert.ok(before);
    const r = await c.post('/login', { username: 'exnet', password: PASSWORDS.exnet });
    assert.equal(r.statusCode, 303);
    const afterId = c.cookies.get(SESSION_COOKIE)!;
    assert.notEqual(afterId, before);
    // An attacker who planted `before` in the victim's browser gets nothing.
    const attacker = await s.app.inject({ method: 'GET', url: '/lir', headers: { cookie: `${SESSION_COOKIE}=${before}` } });
    assert.equal(attacker.statusCode, 303);
    assert.match(String(attacker.headers.location), /^\/login/);
    assert.equal((await c.get('/lir')).statusCode, 200);
    // The table holds only digests of session ids.
    assert.equal(await count('SELECT 1 FROM portal_session WHERE id_hash = $1 OR id_hash = $2', [before, afterId]), 0);
  });

  test('session cookie is HttpOnly and SameSite=Lax; Secure only over HTTPS (or when configured)', async () => {
    const r = await s.app.inject({ method: 'GET', url: '/login' });
    const cookie = r.cookies.find((x) => x.name === SESSION_COOKIE)!;
    assert.equal(cookie.httpOnly, true);
    assert.equal(String(cookie.sameSite).toLowerCase(), 'lax');
    assert.ok(!cookie.secure, 'plain HTTP: no Secure attribute (the browser would drop the cookie)');
    const secure = await startPortal(f, { secureCookies: true });
    try {
      const r2 = await secure.app.inject({ method: 'GET', url: '/login' });
      assert.equal(r2.cookies.find((x) => x.name === SESSION_COOKIE)!.secure, true);
    } finally {
      await secure.close();
    }
  });

  test('sign-out deletes the session on the server', async () => {
    const c = new PortalClient(s.app);
    await c.login('exnet', PASSWORDS.exnet);
    const id = c.cookies.get(SESSION_COOKIE)!;
    assert.equal((await c.post('/logout', {})).statusCode, 303);
    const reuse = await s.app.inject({ method: 'GET', url: '/lir', headers: { cookie: `${SESSION_COOKIE}=${id}` } });
    assert.equal(reuse.statusCode, 303);
  });

  test('TOTP: a user with a secret needs the current code, and a code works only once', async () => {
    const secret = newTotpSecret();
    await createPortalUser(f.t.db, { username: 'totpuser', password: 'totp-user-password', orgHandle: 'ORG-EXNET-JP', role: 'member', totpSecret: secret });
    assert.equal((await new PortalClient(s.app).login('totpuser', 'totp-user-password')).statusCode, 401);
    assert.equal((await new PortalClient(s.app).login('totpuser', 'totp-user-password', '000000')).statusCode, 401);
    const code = totp(secret);
    assert.equal((await new PortalClient(s.app).login('totpuser', 'totp-user-password', code)).statusCode, 303);
    assert.equal((await new PortalClient(s.app).login('totpuser', 'totp-user-password', code)).statusCode, 401, 'replayed code');
  });

  test('wrong passwords get the same answer as unknown users', async () => {
    const a = await new PortalClient(s.app).login('exnet', 'wrong-password-123');
    const b = await new PortalClient(s.app).login('nobody-here', 'wrong-password-123');
    assert.equal(a.statusCode, 401);
    assert.equal(b.statusCode, 401);
    assert.match(a.body, /User name or password is wrong/);
    assert.match(b.body, /User name or password is wrong/);
  });
});

type Role = 'anon' | 'lirA' | 'lirB' | 'staff';
const ROLES: Role[] = ['anon', 'staff', 'lirB', 'lirA'];

interface Case {
  /** Path of the endpoint as registered, and the concrete URL and form for one role. */
  path: string;
  prepare: () => Promise<(role: Role) => { url: string; form: Record<string, string> }>;
  expect: Record<Role, number>;
}

const member = (owner: number, other: number) => ({ anon: 401, staff: 403, lirB: other, lirA: owner });
const staffOnly = (ok: number) => ({ anon: 401, lirA: 403, lirB: 403, staff: ok });
const anyUser = (ok: number) => ({ anon: 401, lirA: ok, lirB: ok, staff: ok });

async function newAssignment(prefix: string): Promise<string> {
  return (await f.registry.delegate({ range: parseResource(prefix), holderHandle: 'ORG-EXNET-JP', status: 'assigned', netName: 'MATRIX' }, f.actors.lirA)).value.id;
}

const CASES: Case[] = [
  { path: '/login', prepare: async () => () => ({ url: '/login', form: { username: 'exnet', password: 'not-the-password' } }), expect: { anon: 401, lirA: 401, lirB: 401, staff: 401 } },
  { path: '/account/totp/start', prepare: async () => () => ({ url: '/account/totp/start', form: {} }), expect: anyUser(303) },
  { path: '/account/totp/confirm', prepare: async () => () => ({ url: '/account/totp/confirm', form: { code: '000000' } }), expect: anyUser(400) },
  // Assigning inside LIR A's block: LIR B is refused by the registry (not the holder).
  { path: '/lir/assignments', prepare: async () => (role) => ({ url: '/lir/assignments', form: { prefix: '203.0.0.16/28', netName: `M-${role}`, status: 'assigned' } }), expect: member(303, 403) },
  { path: '/lir/delegations/:id/modify', prepare: async () => { const id = await newAssignment('203.0.0.32/28'); return () => ({ url: `/lir/delegations/${id}/modify`, form: { netName: 'CHANGED', country: 'JP' } }); }, expect: member(303, 404) },
  { path: '/lir/delegations/:id/return', prepare: async () => { const id = await newAssignment('203.0.0.48/28'); return () => ({ url: `/lir/delegations/${id}/return`, form: {} }); }, expect: member(303, 404) },
  { path: '/lir/delegations/:id/transfer', prepare: async () => () => ({ url: `/lir/delegations/${f.ids.lirA6}/transfer`, form: { to: 'ORG-SAMPLE-JP' } }), expect: member(303, 404) },
  { path: '/lir/contacts', prepare: async () => (role) => ({ url: '/lir/contacts', form: { handle: `MX-${role}-JP`, kind: 'role', name: 'Matrix' } }), expect: member(303, 303) },
  { path: '/lir/maintainers', prepare: async () => (role) => ({ url: '/lir/maintainers', form: { handle: `MAINT-MX-${role}` } }), expect: member(303, 303) },
  { path: '/lir/api-keys', prepare: async () => () => ({ url: '/lir/api-keys', form: { label: 'matrix', 'scope_registry:write': '1' } }), expect: member(200, 200) },
  {
    path: '/lir/api-keys/:keyId/revoke',
    prepare: async () => { const { info } = await f.registry.write((tx) => createApiKey(tx, { orgId: f.orgs.lirA.id, scopes: ['registry:write'] }, f.actors.lirA)); return () => ({ url: `/lir/api-keys/${info.keyId}/revoke`, form: {} }); },
    expect: member(303, 404),
  },
  {
    // LIR B proposes; only the recipient (LIR A) may approve — LIR B itself is refused by the registry.
    path: '/lir/transfers/:id/approve',
    prepare: async () => {
      const d = (await f.registry.delegate({ range: parseResource('203.0.8.0/24'), holderHandle: 'ORG-SAMPLE-JP', status: 'allocated' }, f.actors.staff)).value;
      const { transfer } = await f.registry.proposeTransfer(d.id, 'ORG-EXNET-JP', f.actors.lirB);
      return () => ({ url: `/lir/transfers/${transfer.id}/approve`, form: {} });
    },
    expect: member(303, 403),
  },
  { path: '/lir/routes', prepare: async () => () => ({ url: '/lir/routes', form: { prefix: '203.0.0.0/24', origin: 'AS131072', mntBy: 'MAINT-EXNET', password: MAINT_PASSWORDS['MAINT-EXNET'] } }), expect: member(303, 403) },
  { path: '/lir/roas', prepare: async () => () => ({ url: '/lir/roas', form: { prefix: '203.0.0.0/25', maxLength: '25', asn: 'AS131072' } }), expect: member(303, 422) },
  {
    path: '/lir/roas/:id/delete',
    prepare: async () => { const roa = await s.integrations.roas!.create({ prefix: '203.0.0.128/25', maxLength: 25, asn: 'AS131072' }, f.actors.lirA); return () => ({ url: `/lir/roas/${roa.id}/delete`, form: {} }); },
    expect: member(303, 404),
  },
  { path: '/lir/requests', prepare: async () => () => ({ url: '/lir/requests', form: { family: 'ipv4', prefixLength: '24' } }), expect: member(303, 303) },
  {
    path: '/staff/requests/:id/approve',
    prepare: async () => { const { request } = await submitRequest(f.registry, { orgId: f.orgs.lirB.id, family: 'ipv4', prefixLength: 24 }, f.actors.lirB); return () => ({ url: `/staff/requests/${request.id}/approve`, form: { comment: 'ok' } }); },
    expect: staffOnly(303),
  },
  {
    path: '/staff/requests/:id/deny',
    prepare: async () => { const { request } = await submitRequest(f.registry, { orgId: f.orgs.lirA.id, family: 'ipv4', prefixLength: 23 }, f.actors.lirA); return () => ({ url: `/staff/requests/${request.id}/deny`, form: { comment: 'no' } }); },
    expect: staffOnly(303),
  },
  { path: '/staff/waiting-list/serve', prepare: async () => () => ({ url: '/staff/waiting-list/serve', form: {} }), expect: staffOnly(303) },
  { path: '/staff/allocate', prepare: async () => () => ({ url: '/staff/allocate', form: { holder: 'ORG-SAMPLE-JP', family: 'ipv4', prefixLength: '24', netName: 'SAMPLE-NET-2' } }), expect: staffOnly(303) },
  { path: '/logout', prepare: async () => () => ({ url: '/logout', form: {} }), expect: anyUser(303) },
];

describe('authorisation matrix', () => {
  test('every write endpoint has a case', () => {
    const covered = new Set(CASES.map((c) => c.path));
    const missing = WRITE_ENDPOINTS.map((e) => e.path).filter((p) => !covered.has(p));
    assert.deepEqual(missing, []);
  });

  test('role × endpoint → status', async () => {
    const clients: Record<Role, PortalClient> = { anon: new PortalClient(s.app), lirA: new PortalClient(s.app), lirB: new PortalClient(s.app), staff: new PortalClient(s.app) };
    await clients.anon.get('/login');
    await clients.lirA.login('exnet', PASSWORDS.exnet);
    await clients.lirB.login('sample', PASSWORDS.sample);
    await clients.staff.login('hanako', PASSWORDS.hanako);
    const got: string[] = [];
    const want: string[] = [];
    for (const c of CASES.filter((x) => WRITE_ENDPOINTS.some((e) => e.path === x.path))) {
      const request = await c.prepare();
      for (const role of ROLES) {
        const { url, form } = request(role);
        const r = await clients[role].post(url, form);
        got.push(`${role} POST ${c.path} → ${r.statusCode}`);
        want.push(`${role} POST ${c.path} → ${c.expect[role]}`);
      }
    }
    assert.deepEqual(got, want);
  });
});
