/**
 * The portal in a real browser: Debian's headless Chromium driven by playwright-core against a real
 * fastify server on port 0. A LIR signs in, registers an assignment, creates a route object (and a ROA
 * when the RPKI module offers one), and finds them in the public search; staff approve the LIR's request;
 * a second LIR can neither see nor change the first one's objects. Screenshots go to test/artifacts/.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildPortalFixture, MAINT_PASSWORDS, PASSWORDS, startPortal, type PortalFixture, type PortalServer } from './portal-fixture.js';

const CHROMIUM = process.env.NUMREG_CHROMIUM ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `chromium not installed (${CHROMIUM}); install Debian's chromium package`;
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts', 'web');

let f: PortalFixture;
let s: PortalServer;
let browser: Browser;

before(async () => {
  if (skip) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  f = await buildPortalFixture();
  s = await startPortal(f);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await s?.close();
  await f?.t.close();
});

async function newPage(lang = 'en-GB'): Promise<Page> {
  const context = await browser.newContext({ locale: lang, viewport: { width: 1200, height: 900 } });
  return context.newPage();
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto(`${s.url}/login`);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/(lir|staff)$/);
}

let assignmentId = '';

test('LIR signs in, registers an assignment, a route object and sees them in the public search', { skip }, async (t) => {
  const home = await newPage();
  await home.goto(s.url);
  await shot(home, 'home');
  // Keyboard: the first Tab stop is the skip link.
  await home.keyboard.press('Tab');
  assert.equal(await home.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string | null } | null } }).document.activeElement?.textContent), 'Skip to content');
  await shot(await (async () => { await home.goto(`${s.url}/login`); return home; })(), 'login');

  const lir = await newPage();
  await signIn(lir, 'exnet', PASSWORDS.exnet);
  assert.ok(await lir.locator('meter').count() >= 2, 'utilisation bars on the resource tree');
  await lir.getByLabel('Prefix or range').fill('203.0.0.64/26');
  await lir.getByLabel('Network name').fill('EXNET-CUST1');
  await lir.getByLabel('Description').fill('Customer one');
  await lir.getByLabel('admin-c').fill('TE1-JP');
  await lir.getByLabel('tech-c').fill('EXNET-NOC');
  await lir.getByRole('button', { name: 'Register' }).click();
  await lir.waitForURL(/\/lir\/delegations\/\d+/);
  assert.match(await lir.getByRole('status').innerText(), /assignment is registered/);
  assignmentId = /delegations\/(\d+)/.exec(lir.url())![1]!;
  await lir.goto(`${s.url}/lir`);
  assert.match(await lir.locator('.tree').innerText(), /203\.0\.0\.64\/26/);
  await shot(lir, 'lir-resources');
  // Switching to Japanese is remembered for this user.
  await lir.goto(`${s.url}/lir?lang=ja`);
  assert.equal(await lir.locator('h1').innerText(), '資源');
  await shot(lir, 'lir-resources-ja');
  await lir.goto(`${s.url}/lir?lang=en`);

  if (s.integrations.routes) {
    await lir.goto(`${s.url}/lir/routes`);
    await lir.getByLabel('Prefix', { exact: true }).fill('203.0.0.0/24');
    await lir.getByLabel('Origin AS').fill('AS131072');
    await lir.getByLabel('Password').fill(MAINT_PASSWORDS['MAINT-EXNET']);
    await lir.getByRole('button', { name: 'Create' }).click();
    await lir.waitForURL(/done=done\.created/);
    assert.match(await lir.locator('table').first().innerText(), /203\.0\.0\.0\/24\s+AS131072/);
    await shot(lir, 'lir-routes');
  } else t.diagnostic('IRR module not present: route object step left out');

  if (s.integrations.roas) {
    await lir.goto(`${s.url}/lir/roas`);
    await lir.getByLabel('Prefix', { exact: true }).fill('203.0.0.0/24');
    await lir.getByLabel('Max length').fill('24');
    await lir.getByLabel('Origin AS').fill('AS131072');
    await lir.getByLabel(/Announced routes/).fill('203.0.0.0/24 AS64500');
    await lir.getByRole('button', { name: /Preview/ }).click();
    assert.match(await lir.getByRole('status').first().innerText(), /INVALID/);
    await shot(lir, 'lir-roa-preview');
    await lir.getByRole('button', { name: 'Create ROA' }).click();
    await lir.waitForURL(/done=done\.created/);
    assert.match(await lir.locator('table').first().innerText(), /203\.0\.0\.0\/24\s+24\s+AS131072/);
    await shot(lir, 'lir-roas');
    // Deleting shows what would break too: the IRR route loses its valid state (the ROA is kept).
    await lir.getByRole('link', { name: /Delete… 203\.0\.0\.0\/24/ }).click();
    assert.match(await lir.getByRole('status').first().innerText(), /1 route\(s\) would lose their valid state/);
    await shot(lir, 'lir-roa-delete-preview');
  } else t.diagnostic('RPKI ROA store not present: ROA step left out');

  // The public, signed out, in Japanese by Accept-Language.
  const pub = await newPage('ja-JP');
  await pub.goto(s.url);
  assert.equal(await pub.locator('h1').innerText(), '番号資源レジストリ');
  await shot(pub, 'home-ja');
  await pub.goto(`${s.url}/?lang=en`);
  await pub.getByLabel(/Address, prefix/).fill('203.0.0.64/26');
  await pub.getByRole('button', { name: 'Search' }).click();
  const text = await pub.locator('main').innerText();
  assert.match(text, /EXNET-CUST1/);
  assert.match(text, /Customer one/);
  assert.match(text, /TE1-JP/);
  assert.match(text, /Redacted \(natural person\)/);
  assert.doesNotMatch(text, /Taro Example|taro@example\.net/);
  assert.match(text, /Example Net NOC/, 'role contacts are not redacted');
  if (s.integrations.routes) assert.match(text, /route\s+203\.0\.0\.0\/24\s+AS131072/);
  if (s.integrations.roas) assert.match(text, /ROAs/);
  await shot(pub, 'search');
  if (s.integrations.rov) {
    await pub.goto(`${s.url}/rov`);
    await pub.getByLabel('Prefix').fill('203.0.0.0/24');
    await pub.getByLabel('Origin AS').fill('AS64500');
    await pub.getByRole('button', { name: 'Check' }).click();
    assert.match(await pub.locator('main section').innerText(), s.integrations.roas ? /Invalid[\s\S]*AS131072/ : /Not found/);
    await shot(pub, 'rov');
  }
  await pub.goto(`${s.url}/stats`);
  assert.ok(await pub.locator('figure svg').count() >= 4);
  await shot(pub, 'stats');
});

test('staff approve a LIR request after seeing the policy answer', { skip }, async (t) => {
  if (!s.integrations.policy) return t.skip('policy module not present');
  // LIR B asks (LIR A's own assignments already count against the /23 cap in the policy engine).
  const lir = await newPage();
  await signIn(lir, 'sample', PASSWORDS.sample);
  await lir.goto(`${s.url}/lir/requests`);
  await lir.getByLabel('Address family').selectOption('ipv4');
  await lir.getByLabel('Prefix length').fill('24');
  await lir.getByLabel('Purpose').fill('FTTH customers');
  await lir.getByRole('button', { name: 'Check against policy' }).click();
  const answer = await lir.locator('section').innerText();
  assert.match(answer, /Approve/);
  assert.match(answer, /prop-127/);
  await shot(lir, 'lir-request');
  await lir.getByRole('button', { name: 'Submit this request' }).click();
  await lir.waitForURL(/done=done\.requested/);
  const id = (await f.t.db.query<{ id: string }>(`SELECT id::text AS id FROM resource_request WHERE purpose = 'FTTH customers'`)).rows[0]!.id;

  const staff = await newPage();
  await signIn(staff, 'hanako', PASSWORDS.hanako);
  const item = staff.locator('article', { has: staff.locator(`#req-${id}`) });
  assert.match(await item.innerText(), /Sample Networks G\.K\.[\s\S]*prop-127/);
  await shot(staff, 'staff-queue');
  await item.getByLabel('Comment').first().fill('Approved: FTTH plan reviewed');
  await item.getByRole('button', { name: /^Approve/ }).click();
  await staff.waitForURL(/done=done\.approved/);
  const row = (await f.t.db.query<{ status: string; delegation_id: string | null; staff_comment: string }>('SELECT status, delegation_id::text AS delegation_id, staff_comment FROM resource_request WHERE id = $1', [id])).rows[0]!;
  assert.equal(row.status, 'fulfilled');
  assert.ok(row.delegation_id);
  assert.equal(row.staff_comment, 'Approved: FTTH plan reviewed');
  await staff.goto(`${s.url}/staff/audit`);
  const audit = await staff.locator('main').innerText();
  assert.match(audit, /user:exnet/);
  assert.match(audit, /user:sample/);
  assert.match(audit, /staff:hanako/);
  await shot(staff, 'staff-audit');
  await staff.goto(`${s.url}/staff/pool`);
  await shot(staff, 'staff-pool');
});

test('a second LIR can neither see nor change the first one\'s objects', { skip }, async () => {
  assert.ok(assignmentId, 'the first test registered an assignment');
  const other = await newPage();
  await signIn(other, 'sample', PASSWORDS.sample);
  assert.doesNotMatch(await other.locator('main').innerText(), /EXNET|203\.0\.0\./);
  await other.goto(`${s.url}/lir/contacts`);
  assert.doesNotMatch(await other.locator('main').innerText(), /TE1-JP|Taro/);
  if (s.integrations.roas) {
    await other.goto(`${s.url}/lir/roas`);
    assert.doesNotMatch(await other.locator('main').innerText(), /AS131072/);
    const roaId = (await f.t.db.query<{ id: string }>('SELECT id::text AS id FROM roa WHERE org_id = $1', [f.orgs.lirA.id])).rows[0]!.id;
    const token = await other.locator('input[name=_csrf]').first().inputValue();
    const del = await other.evaluate(async ({ id, token }) => (await fetch(`/lir/roas/${id}/delete`, { method: 'POST', body: new URLSearchParams({ _csrf: token }) })).status, { id: roaId, token });
    assert.equal(del, 404);
    assert.equal((await f.t.db.query('SELECT 1 FROM roa WHERE id = $1', [roaId])).rows.length, 1);
  }
  const view = await other.goto(`${s.url}/lir/delegations/${assignmentId}`);
  assert.equal(view!.status(), 404);
  // A hand-made form post with the second LIR's own valid CSRF token.
  await other.goto(`${s.url}/lir`);
  const csrf = await other.locator('input[name=_csrf]').first().inputValue();
  const status = await other.evaluate(async ({ id, token }) => {
    const r = await fetch(`/lir/delegations/${id}/modify`, { method: 'POST', body: new URLSearchParams({ _csrf: token, netName: 'HIJACKED' }) });
    return r.status;
  }, { id: assignmentId, token: csrf });
  assert.equal(status, 404);
  // Registering inside the first LIR's block through the form is refused by the registry.
  await other.getByLabel('Prefix or range').fill('203.0.0.192/26');
  await other.getByLabel('Network name').fill('SAMPLE-STEAL');
  await other.getByRole('button', { name: 'Register' }).click();
  assert.match(await other.getByRole('alert').innerText(), /user:sample does not hold 203\.0\.0\.128\/25 \(held by ORG-EXNET-JP\)/);
  await shot(other, 'second-lir-refused');
  const d = (await f.t.db.query<{ net_name: string }>('SELECT net_name FROM delegation WHERE id = $1', [assignmentId])).rows[0]!;
  assert.equal(d.net_name, 'EXNET-CUST1');
  assert.equal((await f.t.db.query(`SELECT 1 FROM delegation WHERE net_name = 'SAMPLE-STEAL'`)).rows.length, 0);
});
