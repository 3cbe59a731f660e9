/** Pure parts of the portal: escaping, language choice, TOTP (RFC 6238 vectors), charts, ROV preview. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { html, raw, escapeHtml } from '../../src/web/html.js';
import { negotiateLang, translator } from '../../src/web/i18n.js';
import { MESSAGES } from '../../src/web/messages.js';
import { base32Decode, base32Encode, hotp, verifyTotp, totp } from '../../src/web/auth/totp.js';
import { barChart, lineChart } from '../../src/web/svg.js';
import { previewRoa, previewRoaRemoval, rovState, parseAnnouncements } from '../../src/web/rov-preview.js';
import { parseAsn, parsePrefix } from '../../src/core/index.js';

test('html escapes every interpolation unless it is already Html', () => {
  const evil = `<script>alert("x")</script>' onmouseover=\`1\``;
  const out = html`<p title="${evil}">${evil}</p>${raw('<br>')}${[html`<i>${'&'}</i>`, '<b>']}${null}${false}${undefined}${0}`.value;
  assert.equal(out, `<p title="${escapeHtml(evil)}">${escapeHtml(evil)}</p><br><i>&amp;</i>&lt;b&gt;0`);
  assert.doesNotMatch(out, /<script>/);
  assert.equal(escapeHtml(`&<>"'\``), '&amp;&lt;&gt;&quot;&#39;&#96;');
});

test('Accept-Language picks ja or en by quality, English otherwise', () => {
  assert.equal(negotiateLang('ja,en-US;q=0.9,en;q=0.8'), 'ja');
  assert.equal(negotiateLang('en-GB,en;q=0.9,ja;q=0.8'), 'en');
  assert.equal(negotiateLang('fr-FR,ja;q=0.5'), 'ja');
  assert.equal(negotiateLang('fr-FR,de'), 'en');
  assert.equal(negotiateLang('ja;q=0'), 'en');
  assert.equal(negotiateLang(undefined), 'en');
});

test('every message has English and Japanese text with the same parameters', () => {
  for (const [key, [en, ja]] of Object.entries(MESSAGES)) {
    assert.ok(en.trim() && ja.trim(), key);
    const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    assert.deepEqual(params(en), params(ja), key);
  }
  assert.equal(translator('ja')('lir.used', { pct: 12.5 }), '12.5% 使用');
});

test('TOTP matches the RFC 6238 SHA-1 test vectors', () => {
  const key = Buffer.from('12345678901234567890');
  const vectors: [number, string][] = [[59, '94287082'], [1111111109, '07081804'], [1111111111, '14050471'], [1234567890, '89005924'], [2000000000, '69279037'], [20000000000, '65353130']];
  for (const [seconds, code] of vectors) assert.equal(hotp(key, BigInt(Math.floor(seconds / 30)), 8), code, `T=${seconds}`);
  const secret = base32Encode(key);
  assert.equal(secret, 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  assert.deepEqual(base32Decode(secret), key);
  const at = 1_700_000_000_000;
  const code = totp(secret, at);
  assert.ok(verifyTotp(secret, code, { atMs: at + 29_000 }) !== undefined, 'one step of drift');
  assert.equal(verifyTotp(secret, code, { atMs: at + 95_000 }), undefined, 'three steps later');
  const step = verifyTotp(secret, code, { atMs: at })!;
  assert.equal(verifyTotp(secret, code, { atMs: at, lastStep: step }), undefined, 'never twice');
});

test('charts are well-formed SVG with escaped labels and an accessible name', () => {
  const bar = barChart('IPv4 <by> RIR', [{ label: 'APNIC & co', value: 51 }, { label: 'ARIN', value: 95 }], 'b').value;
  assert.match(bar, /^<svg role="img" aria-labelledby="b-t b-d"/);
  assert.match(bar, /<title id="b-t">IPv4 &lt;by&gt; RIR<\/title>/);
  assert.match(bar, /APNIC &amp; co: 51/);
  assert.equal((bar.match(/<rect /g) ?? []).length, 2);
  const line = lineChart('LIRs', [{ name: 'LIR', points: [{ x: '2024-01', y: 1 }, { x: '2024-02', y: 5 }] }], 'l').value;
  assert.match(line, /<polyline [^>]*points="[\d.]+,[\d.]+ [\d.]+,[\d.]+"/);
  assert.match(line, />8<\/text>/, 'axis rounded up to four whole steps (0, 2, 4, 6, 8)');
});

test('ROV (RFC 6811) and the ROA preview list what changes', () => {
  const vrps = [{ p: parsePrefix('192.0.2.0/24'), maxLength: 24, asn: 64496n }];
  assert.equal(rovState(parsePrefix('192.0.2.0/24'), 64496n, vrps), 'valid');
  assert.equal(rovState(parsePrefix('192.0.2.0/25'), 64496n, vrps), 'invalid', 'too long');
  assert.equal(rovState(parsePrefix('192.0.2.0/24'), 64497n, vrps), 'invalid', 'wrong origin');
  assert.equal(rovState(parsePrefix('198.51.100.0/24'), 64496n, vrps), 'not-found');
  assert.equal(rovState(parsePrefix('192.0.2.0/24'), 0n, [{ p: parsePrefix('192.0.2.0/24'), maxLength: 24, asn: 0n }]), 'invalid', 'AS0');
  const rows = previewRoa({ prefix: '203.0.113.0/24', maxLength: 24, asn: 'AS64500' }, [], parseAnnouncements('203.0.113.0/24 AS64500\n203.0.113.0/25 AS64500\n203.0.113.0/24,64501\n198.51.100.0/24 AS1'));
  assert.deepEqual(rows.map((r) => `${r.prefix} ${r.origin} ${r.before}→${r.after}`), [
    '203.0.113.0/24 AS64500 not-found→valid',
    '203.0.113.0/25 AS64500 not-found→invalid',
    '203.0.113.0/24 64501 not-found→invalid',
  ]);
  assert.equal(parseAsn('64501'), 64501n);
  const current = [{ prefix: '203.0.113.0/24', maxLength: 24, asn: 'AS64500' }, { prefix: '203.0.113.0/24', maxLength: 25, asn: 'AS64501' }];
  const removal = previewRoaRemoval(current[0]!, current, parseAnnouncements('203.0.113.0/24 AS64500\n203.0.113.0/25 AS64501'));
  assert.deepEqual(removal.map((r) => `${r.prefix} ${r.origin} ${r.before}→${r.after}`), [
    '203.0.113.0/24 AS64500 valid→invalid',
    '203.0.113.0/25 AS64501 valid→valid',
  ]);
});
