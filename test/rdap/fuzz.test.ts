/**
 * Fuzz test of paths, query strings and headers: 100,000 generated requests through fastify.inject against
 * the real service on a real (small) registry. Property: never a 5xx (501 only for the domain/nameserver
 * query types this registry does not serve), every error is an RDAP error object whose errorCode is the
 * HTTP status, every answer is JSON. Generation is seeded, so a failure names a reproducible request.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { buildFixture, buildServer, type Fixture } from './fixture.js';

const CASES = Number(process.env.RDAP_FUZZ_CASES ?? 100_000);
let fx: Fixture;
let app: FastifyInstance;

before(async () => {
  fx = await buildFixture();
  app = await buildServer(fx);
});
after(async () => {
  await app.close();
  await fx.testDb.close();
});

const nasty = ['', '.', '..', '%', '%zz', '%00', '%2F', '%2e%2e', '\u00e9', '\ud83d\ude00', '*', '**', ':', '::', '/', '//', '?', '#', '&', '=', '+', ' ', '\t', "'", '"', '<', '>', '\\', '-', '_', '~', '0', '00', '-1', '1e9', 'NaN', '0x1f', 'AS', 'as-', 'NUMREG'];
const chars = fc.constantFrom(...'0123456789abcdefABCDEFxyzXYZ.:/-_*%?&=+ ~@!$\'"<>()[]{}|\\^`#,;'.split(''), '\u00e9', '\u3042', '\u0000', '\u007f');
const junk = fc.oneof(
  fc.constantFrom(...nasty),
  fc.string({ unit: chars, maxLength: 24 }),
  fc.string({ maxLength: 12 }),
  fc.nat({ max: 400 }).map((n) => 'x'.repeat(n)),
);
const octet = fc.oneof(fc.nat({ max: 300 }).map(String), fc.constantFrom('010', '-1', '', '255', '1.5'));
const ipv4ish = fc.tuple(octet, octet, octet, octet, fc.option(fc.integer({ min: -1, max: 40 }), { nil: undefined }))
  .map(([a, b, c, d, len]) => `${a}.${b}.${c}.${d}${len === undefined ? '' : `/${len}`}`);
const ipv6ish = fc.tuple(fc.array(fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFg'.split('')), maxLength: 5 }), fc.constant('')), { minLength: 1, maxLength: 10 }), fc.option(fc.integer({ min: -1, max: 140 }), { nil: undefined }))
  .map(([groups, len]) => `${groups.join(':')}${len === undefined ? '' : `/${len}`}`);
const known = fc.constantFrom('192.0.2.130', '192.0.2.0/23', '2001:db8:100::1', '2001:db8::/32', '64500', '64496', 'EXNET-NUMREG', 'TY1-JP-NUMREG', 'EXAMPLE*', 'Example*', 'rdap-up', 'rdap-down', 'rdap-top', 'rdap-bottom');
const segment = fc.oneof({ weight: 4, arbitrary: junk }, { weight: 3, arbitrary: ipv4ish }, { weight: 2, arbitrary: ipv6ish }, { weight: 2, arbitrary: known }, { weight: 1, arbitrary: fc.bigInt({ min: -1n, max: 1n << 40n }).map(String) });
const base = fc.constantFrom(
  '/rdap/ip/', '/rdap/autnum/', '/rdap/entity/', '/rdap/ips', '/rdap/autnums', '/rdap/entities', '/rdap/help', '/rdap/', '/rdap',
  '/rdap/ips/rirSearch1/', '/rdap/autnums/rirSearch1/', '/rdap/ips/reverse_search/', '/rdap/autnums/reverse_search/entity',
  '/rdap/ips/reverse_search/entity', '/rdap/domain/', '/rdap/domains', '/rdap/nameserver/', '/rdap/bootstrap/', '/rdap/bootstrap/ipv4.json',
  '/api/rdap/disclosures', '/rdap/ip', '/rdap/entity', '/rdap/ips/rirSearch1/rdap-up/', '/rdap/autnums/rirSearch1/rdap-down/',
);
const paramName = fc.oneof(fc.constantFrom('name', 'handle', 'fn', 'email', 'role', 'count', 'sort', 'cursor', 'fieldSet', 'status', 'purpose', 'key', 'object', 'since', 'until', 'limit'), junk);
const paramValue = fc.oneof(junk, known, fc.constantFrom('name:d', 'startAddress,handle:a', 'id', 'brief', 'full', 'active', 'registrant', '1', '500', '999999999', 'bzoy', 'b246MTA', '2026-01-01'));
const queryString = fc.array(fc.tuple(paramName, paramValue, fc.boolean()), { maxLength: 4 }).map((pairs) =>
  pairs.length === 0 ? '' : `?${pairs.map(([k, v, raw]) => (raw ? `${k}=${v}` : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)).join('&')}`);
const pathArb = fc.tuple(base, fc.array(segment, { maxLength: 3 }), fc.boolean(), queryString).map(([b, segs, encode, q]) => {
  const rest = segs.map((s) => (encode ? encodeURIComponent(s) : s)).join('/');
  return `${b}${rest}${q}`;
});
const headersArb = fc.oneof(
  { weight: 8, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: fc.record({ authorization: fc.oneof(junk.map((j) => `Bearer ${j}`), junk, fc.constant('Bearer nrk_0123456789ab_' + 'A'.repeat(43))) }) },
  { weight: 1, arbitrary: fc.record({ 'rdap-purpose': junk, accept: fc.constantFrom('application/rdap+json', 'text/html', '*/*', '') }) },
);

/** Header values node's HTTP layer would refuse to send anyway (inject still accepts them). */
const sendable = (h: Record<string, string>) => Object.values(h).every((v) => /^[\t\x20-\x7e\x80-\xff]*$/.test(v));

test(`fuzz: ${CASES.toLocaleString('en')} generated paths and query strings never answer 5xx`, async () => {
  const requests = fc.sample(fc.tuple(pathArb, headersArb), { numRuns: CASES, seed: 20261123 });
  const statuses = new Map<number, number>();
  const failures: string[] = [];
  const started = Date.now();
  const BATCH = 64;
  for (let i = 0; i < requests.length; i += BATCH) {
    await Promise.all(requests.slice(i, i + BATCH).map(async ([url, headers]) => {
      const h = sendable(headers as Record<string, string>) ? (headers as Record<string, string>) : {};
      let r;
      try {
        r = await app.inject({ method: 'GET', url, headers: h });
      } catch (error) {
        // inject refuses some URLs before they reach the server (as a real HTTP client would); not a server answer.
        if (error instanceof TypeError || (error as Error).message?.includes('Invalid')) return;
        failures.push(`${url.slice(0, 120)} → threw ${(error as Error).message}`);
        return;
      }
      statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
      const unsupported = /^\/rdap\/(domains?|nameservers?|(ips|autnums)\/reverse_search\/(domain|nameserver))/.test(url) && r.statusCode === 501;
      const shown = url.length > 120 ? `${url.slice(0, 120)}…(${url.length} chars)` : url;
      if (r.statusCode >= 500 && !unsupported) failures.push(`${shown} ${JSON.stringify(h).slice(0, 80)} → ${r.statusCode} ${r.body.slice(0, 200)}`);
      // Errors the RDAP routes produce are RDAP error objects; the HTTP layer's own refusals (414 for an
      // over-long path segment) come before routing and are plain JSON, still 4xx.
      if (r.statusCode >= 400 && /^\/rdap(\/|\?|$)/.test(url) && String(r.headers['content-type']).startsWith('application/rdap+json')) {
        let body: { errorCode?: number };
        try {
          body = JSON.parse(r.body);
        } catch {
          failures.push(`${shown} → ${r.statusCode} with a body that is not JSON`);
          return;
        }
        if (body.errorCode !== r.statusCode) failures.push(`${shown} → ${r.statusCode} but errorCode ${body.errorCode}`);
      }
    }));
    if (failures.length > 20) break;
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(`rdap fuzz: ${requests.length} requests in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  assert.deepEqual(failures, []);
  assert.ok((statuses.get(200) ?? 0) > 100, 'the generator also reaches real answers');
  assert.ok((statuses.get(400) ?? 0) > CASES / 4, 'and mostly bad input');
});
