/**
 * The RDAP service against a registry built through the Registry facade. Every RDAP response any test
 * here receives is validated against the RFC 9083 JSON schema, the re-expressed conformance rules and
 * the RFC 9537 path checks (validate.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildFixture, buildServer, type Fixture } from './fixture.js';
import { assertBootstrapSchema, assertRdap } from './validate.js';
import { query as jsonPath } from './jsonpath.js';

type J = Record<string, any>;
let fx: Fixture;
let app: FastifyInstance;
let checked = 0;

before(async () => {
  fx = await buildFixture();
  app = await buildServer(fx, { registryUrls: { apnic: 'https://rdap.apnic.example/' } });
});
after(async () => {
  await app.close();
  await fx.testDb.close();
});

/** A request that does not answer fails the test with its URL instead of stalling the run. */
async function withTimeout<T>(p: Promise<T>, what: string, ms = 20_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer to ${what} within ${ms} ms`)), ms); });
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: J; headers: Record<string, unknown> }> {
  const r = await withTimeout(app.inject({ url, headers }), url);
  const body = r.body ? JSON.parse(r.body) : undefined;
  if (url.startsWith('/rdap/') && !url.startsWith('/rdap/bootstrap/')) {
    assert.match(String(r.headers['content-type']), /^application\/rdap\+json/, `${url}: content type`);
    assert.equal(r.headers['access-control-allow-origin'], '*', `${url}: CORS`);
    assertRdap(body, url);
    if (r.statusCode >= 400) assert.equal(body.errorCode, r.statusCode, `${url}: errorCode matches HTTP status`);
    checked++;
  }
  return { status: r.statusCode, body, headers: r.headers };
}

const legit = () => ({ authorization: `Bearer ${fx.keys.legit}`, 'rdap-purpose': 'CSIRT incident 2026-117: phishing from this network' });
const entity = (b: J, handle: string) => (b.entities as J[]).find((e) => e.handle === handle)!;
const vcard = (e: J, prop: string) => (e.vcardArray[1] as unknown[][]).filter((p) => p[0] === prop).map((p) => p[3]);

describe('lookups (RFC 9082 §3.1)', () => {
  test('ip/<address> answers the most specific network with RFC 9083 members', async () => {
    const { status, body } = await get('/rdap/ip/192.0.2.130');
    assert.equal(status, 200);
    assert.equal(body.objectClassName, 'ip network');
    assert.equal(body.handle, `NET-${fx.ids.v4cust}`);
    assert.equal(body.startAddress, '192.0.2.128');
    assert.equal(body.endAddress, '192.0.2.255');
    assert.equal(body.ipVersion, 'v4');
    assert.equal(body.name, 'EXAMPLE-CUSTOMER');
    assert.equal(body.type, 'ASSIGNED PORTABLE');
    assert.equal(body.country, 'JP');
    assert.equal(body.parentHandle, `NET-${fx.ids.v4lir}`);
    assert.deepEqual(body.status, ['active']);
    assert.deepEqual(body.cidr0_cidrs, [{ v4prefix: '192.0.2.128', length: 25 }]);
    assert.equal(body.port43, 'whois.numreg.example');
    assert.deepEqual(body.events.map((e: J) => e.eventAction), ['registration', 'last changed']);
    assert.equal(body.events[0].eventDate, '2001-04-01T00:00:00Z');
    assert.deepEqual(entity(body, 'EXCUST-NUMREG').roles, ['registrant']);
    assert.deepEqual(entity(body, 'HS2-JP-NUMREG').roles, ['administrative']);
    assert.deepEqual(entity(body, 'EXNET-NOC-NUMREG').roles, ['technical']);
    for (const c of ['rdap_level_0', 'nro_rdap_profile_0', 'cidr0', 'rdap_objectTag_level_0', 'redacted']) assert.ok(body.rdapConformance.includes(c), c);
    const self = body.links.find((l: J) => l.rel === 'self');
    assert.equal(self.href, 'http://localhost/rdap/ip/192.0.2.128/25');
    assert.equal(self.value, 'http://localhost/rdap/ip/192.0.2.130');
  });

  test('ip/<prefix> and IPv6, a non-CIDR range with several cidr0 prefixes, reserved status', async () => {
    assert.equal((await get('/rdap/ip/192.0.2.0/23')).body.handle, `NET-${fx.ids.v4lir}`);
    assert.equal((await get('/rdap/ip/192.0.2.0/24')).body.handle, `NET-${fx.ids.v4lir}`, 'longest match covering the whole prefix');
    const v6 = (await get('/rdap/ip/2001:db8:100::1')).body;
    assert.equal(v6.ipVersion, 'v6');
    assert.equal(v6.startAddress, '2001:db8:100::');
    assert.deepEqual(v6.cidr0_cidrs, [{ v6prefix: '2001:db8:100::', length: 40 }]);
    const odd = (await get('/rdap/ip/192.0.3.50')).body;
    assert.equal(odd.endAddress, '192.0.3.99');
    assert.deepEqual(odd.cidr0_cidrs.map((c: J) => `${c.v4prefix}/${c.length}`), ['192.0.3.0/26', '192.0.3.64/27', '192.0.3.96/30']);
    const reserved = (await get('/rdap/ip/192.0.2.1')).body;
    assert.deepEqual(reserved.status, ['reserved']);
  });

  test('autnum/<n> returns the most specific AS block (hierarchical profile)', async () => {
    const { status, body } = await get('/rdap/autnum/64500');
    assert.equal(status, 200);
    assert.equal(body.objectClassName, 'autnum');
    assert.equal(body.handle, 'AS64500');
    assert.equal(body.startAutnum, 64500);
    assert.equal(body.endAutnum, 64500);
    assert.equal(body.parentHandle, 'AS64496-AS64503');
    assert.ok(body.rdapConformance.includes('nro_rdap_profile_asn_hierarchical_0'));
    const block = (await get('/rdap/autnum/64510')).body;
    assert.equal(block.handle, 'AS64496-AS64511');
    assert.equal((await get('/rdap/autnum/AS64501')).body.handle, 'AS64496-AS64503');
  });

  test('entity/<handle>: organisations with their networks and autnums; tagged and untagged handles', async () => {
    const { body } = await get('/rdap/entity/EXNET-NUMREG');
    assert.equal(body.handle, 'EXNET-NUMREG');
    assert.deepEqual(vcard(body, 'fn'), ['Example Net K.K.']);
    assert.deepEqual(vcard(body, 'kind'), ['org']);
    assert.deepEqual(body.networks.map((n: J) => n.name).sort(), ['EXAMPLE-NET', 'EXAMPLE-RESERVE', 'EXAMPLE-V6']);
    assert.deepEqual(body.autnums.map((n: J) => n.handle), ['AS64500']);
    assert.equal((await get('/rdap/entity/exnet')).body.handle, 'EXNET-NUMREG');
    const role = (await get('/rdap/entity/EXNET-NOC-NUMREG')).body;
    assert.deepEqual(vcard(role, 'email'), ['noc@example.net', 'abuse@example.net'], 'role contacts are not personal data');
    assert.equal(role.redacted, undefined);
  });

  test('help lists extensions and RFC 9536 reverse-search properties', async () => {
    const { status, body } = await get('/rdap/help');
    assert.equal(status, 200);
    for (const c of ['rirSearch1', 'ips', 'autnums', 'reverse_search', 'paging', 'sorting', 'subsetting', 'redacted']) assert.ok(body.rdapConformance.includes(c), c);
    assert.ok(body.reverse_search_properties.some((p: J) => p.searchableResourceType === 'ips' && p.property === 'handle'));
  });
});

describe('errors (RFC 9083 §6)', () => {
  const cases: [string, number][] = [
    ['/rdap/ip/192.0.2.256', 400], ['/rdap/ip/074.125.0.0', 400], ['/rdap/ip/192.0.2.1/24', 400], ['/rdap/ip/62.239.237.0%2F32x', 400],
    ['/rdap/ip/10.0.0.1', 404], ['/rdap/ip/2001:db9::1', 404], ['/rdap/autnum/4294967296', 400], ['/rdap/autnum/-1', 400],
    ['/rdap/autnum/1', 404], ['/rdap/entity/NOBODY-NUMREG', 404], ['/rdap/entity/%3Cscript%3E', 400], ['/rdap/domain/example.com', 501],
    ['/rdap/domains?name=example*', 501], ['/rdap/nameserver/ns1.example.com', 501], ['/rdap/nothing/here', 400],
    ['/rdap/ips?name=*', 400], ['/rdap/ips?name=E*X*', 400], ['/rdap/ips?name=a&handle=b', 400], ['/rdap/ips', 400],
    ['/rdap/ips?name=EXAMPLE*&count=0', 400], ['/rdap/ips?name=EXAMPLE*&sort=colour', 400], ['/rdap/ips?name=EXAMPLE*&cursor=zzz', 400],
    ['/rdap/ips?name=EXAMPLE*&fieldSet=tiny', 400], ['/rdap/ips?name=A&name=B', 400], ['/rdap/ips/rirSearch1/rdap-sideways/192.0.2.0/24', 400],
    ['/rdap/ips/rirSearch1/rdap-up/10.0.0.0/8', 404], ['/rdap/ips/reverse_search/entity?role=owner&handle=X', 400],
    ['/rdap/ips/reverse_search/nameserver?ldhName=x', 501], ['/rdap/help?x=1', 400],
  ];
  for (const [url, status] of cases) {
    test(`${url} → ${status}`, async () => {
      assert.equal((await get(url)).status, status);
    });
  }
});

describe('redaction (RFC 9537) and tiered access', () => {
  test('anonymous: persons redacted, each removal declared with paths that resolve', async () => {
    const { body } = await get('/rdap/ip/192.0.2.70');
    const person = entity(body, 'TY1-JP-NUMREG');
    assert.deepEqual(person.roles, ['administrative', 'technical']);
    assert.deepEqual(vcard(person, 'fn'), ['']);
    assert.deepEqual(vcard(person, 'email'), []);
    assert.deepEqual(vcard(person, 'tel'), []);
    assert.deepEqual(vcard(person, 'adr'), []);
    assert.deepEqual(vcard(person, 'kind'), ['individual']);
    const noc = entity(body, 'EXNET-NOC-NUMREG');
    assert.deepEqual(vcard(noc, 'email'), ['noc@example.net', 'abuse@example.net']);
    const methods = body.redacted.map((r: J) => `${r.method}:${r.name.type ?? r.name.description}`);
    assert.ok(methods.includes('emptyValue:Tech Name'));
    assert.ok(methods.includes('removal:Tech Email'));
    const namePath = body.redacted.find((r: J) => r.method === 'emptyValue').postPath;
    assert.deepEqual(jsonPath(body, namePath), ['']);
    assert.ok(body.notices.some((n: J) => n.type === 'object redacted due to authorization'));

    const full = await get('/rdap/ip/192.0.2.70', legit());
    assert.equal(full.status, 200);
    assertRdap(body, 'redacted vs unredacted', full.body);
    assert.equal(full.body.redacted, undefined);
    assert.deepEqual(vcard(entity(full.body, 'TY1-JP-NUMREG'), 'fn'), ['Taro Yamada']);
    for (const r of body.redacted.filter((x: J) => x.prePath)) {
      assert.ok(jsonPath(full.body, r.prePath).length > 0, `${r.prePath} in the unredacted answer`);
    }
  });

  test('entity lookup of a person: redacted at the top level with $-rooted paths', async () => {
    const anon = (await get('/rdap/entity/HS2-JP-NUMREG')).body;
    assert.deepEqual(vcard(anon, 'fn'), ['']);
    assert.ok(anon.redacted.every((r: J) => (r.prePath ?? r.postPath).startsWith('$.vcardArray')));
    const full = (await get('/rdap/entity/HS2-JP-NUMREG', legit())).body;
    assertRdap(anon, 'person entity', full);
    assert.deepEqual(vcard(full, 'email'), ['hanako@example.com']);
  });

  test('legitimate interest needs a scoped key and a purpose; every disclosure is logged for staff', async () => {
    assert.equal((await get('/rdap/ip/192.0.2.70', { authorization: `Bearer ${fx.keys.legit}` })).status, 400, 'no purpose');
    assert.equal((await get('/rdap/ip/192.0.2.70', { authorization: `Bearer ${fx.keys.plain}`, 'rdap-purpose': 'curiosity' })).status, 403);
    const bad = await get('/rdap/ip/192.0.2.70', { authorization: 'Bearer nrk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    assert.equal(bad.status, 401);
    assert.match(String(bad.headers['www-authenticate']), /Bearer/);
    assert.equal((await get('/rdap/ip/192.0.2.70', { authorization: 'Basic Zm9vOmJhcg==' })).status, 401);
    const viaParam = await get(`/rdap/entity/TY1-JP-NUMREG?purpose=${encodeURIComponent('LEA case 42')}`, { authorization: `Bearer ${fx.keys.legit}` });
    assert.equal(viaParam.status, 200);
    assert.deepEqual(vcard(viaParam.body, 'email'), ['taro@example.net']);

    const denied = await withTimeout(app.inject({ url: '/api/rdap/disclosures', headers: { authorization: `Bearer ${fx.keys.legit}` } }), 'disclosures (legit key)');
    assert.equal(denied.statusCode, 403);
    assert.equal((await withTimeout(app.inject({ url: '/api/rdap/disclosures' }), 'disclosures (no key)')).statusCode, 401);
    const log = await withTimeout(app.inject({ url: '/api/rdap/disclosures?object=TY1-JP-NUMREG', headers: { authorization: `Bearer ${fx.keys.staff}` } }), 'disclosures (staff)');
    assert.equal(log.statusCode, 200);
    const { disclosures } = JSON.parse(log.body);
    assert.ok(disclosures.length >= 2);
    const entry = disclosures.find((d: J) => d.objectKey === 'TY1-JP');
    assert.equal(entry.keyId, fx.keys.legitId);
    assert.equal(entry.orgHandle, 'CSIRT');
    assert.equal(entry.purpose, 'LEA case 42');
    assert.deepEqual(entry.disclosed, ['TY1-JP']);
    assert.equal(entry.objectType, 'entity');
    assert.ok(entry.clientIp);
    assert.ok(Date.now() - Date.parse(entry.at) < 120_000);
    const network = disclosures.find((d: J) => d.objectType === 'ip network');
    assert.equal(network.purpose, 'CSIRT incident 2026-117: phishing from this network');
    const byKey = JSON.parse((await app.inject({ url: `/api/rdap/disclosures?key=${fx.keys.legitId}&limit=1`, headers: { authorization: `Bearer ${fx.keys.staff}` } })).body);
    assert.equal(byKey.disclosures.length, 1);
  });
});

describe('searches, paging, sorting, field sets', () => {
  test('ips?name= with "*" pages through every result by cursor (RFC 8977)', async () => {
    const names: string[] = [];
    let url: string | undefined = '/rdap/ips?name=EXAMPLE*&count=2';
    let total = -1;
    while (url) {
      const { status, body } = await get(url);
      assert.equal(status, 200);
      total = body.paging_metadata.totalCount;
      names.push(...body.ipSearchResults.map((n: J) => n.name));
      const next = body.paging_metadata.links?.find((l: J) => l.rel === 'next');
      url = next ? new URL(next.href).pathname + new URL(next.href).search : undefined;
    }
    assert.equal(total, 5);
    assert.deepEqual([...names].sort(), ['EXAMPLE-CUSTOMER', 'EXAMPLE-NET', 'EXAMPLE-ODD', 'EXAMPLE-RESERVE', 'EXAMPLE-V6']);
  });

  test('sort and fieldSet (RFC 8977, RFC 8982)', async () => {
    const desc = (await get('/rdap/ips?name=EXAMPLE*&sort=name:d')).body;
    assert.deepEqual(desc.ipSearchResults.map((n: J) => n.name), ['EXAMPLE-V6', 'EXAMPLE-RESERVE', 'EXAMPLE-ODD', 'EXAMPLE-NET', 'EXAMPLE-CUSTOMER']);
    assert.equal(desc.sorting_metadata.currentSort, 'name:d');
    for (const s of desc.sorting_metadata.availableSorts) assert.ok(jsonPath(desc, s.jsonPath).length > 0 || s.property === 'country', `${s.jsonPath} resolves`);
    const ids = (await get('/rdap/ips?name=EXAMPLE*&fieldSet=id')).body;
    assert.deepEqual(Object.keys(ids.ipSearchResults[0]).sort(), ['cidr0_cidrs', 'endAddress', 'handle', 'ipVersion', 'links', 'objectClassName', 'startAddress']);
    assert.equal(ids.subsetting_metadata.currentFieldSet, 'id');
    const brief = (await get('/rdap/ips?name=EXAMPLE*&fieldSet=brief')).body;
    assert.ok(brief.ipSearchResults.every((n: J) => n.entities === undefined && n.name));
    const full = (await get('/rdap/ips?name=EXAMPLE-NET')).body;
    assert.ok(full.ipSearchResults[0].entities.length >= 3);
    assert.ok(full.redacted.every((r: J) => (r.prePath ?? r.postPath).startsWith(`$.ipSearchResults[?(@.handle=='NET-${fx.ids.v4lir}')]`)));
    assert.equal((await get('/rdap/ips?handle=NET-' + fx.ids.v6lir)).body.ipSearchResults[0].name, 'EXAMPLE-V6');
    assert.deepEqual((await get('/rdap/autnums?name=*ASBLOCK'.replace('*ASBLOCK', 'JPNIC*'))).body.autnumSearchResults.map((a: J) => a.handle), ['AS64496-AS64503']);
    assert.deepEqual((await get('/rdap/autnums?handle=AS64500')).body.autnumSearchResults.map((a: J) => a.name), ['EXAMPLE-AS']);
  });

  test('entities?fn= does not find natural persons for anonymous requests, does for legitimate interest', async () => {
    const orgs = (await get('/rdap/entities?fn=Example*')).body;
    assert.deepEqual(orgs.entitySearchResults.map((e: J) => e.handle).sort(), ['CSIRT-NUMREG', 'EXCUST-NUMREG', 'EXNET-NOC-NUMREG', 'EXNET-NUMREG']);
    assert.equal((await get('/rdap/entities?fn=Taro*')).body.entitySearchResults.length, 0);
    const found = (await get('/rdap/entities?fn=Taro*', legit())).body;
    assert.deepEqual(found.entitySearchResults.map((e: J) => e.handle), ['TY1-JP-NUMREG']);
    const byHandle = (await get('/rdap/entities?handle=TY1*')).body;
    assert.deepEqual(byHandle.entitySearchResults.map((e: J) => e.handle), ['TY1-JP-NUMREG']);
    assert.deepEqual(vcard(byHandle.entitySearchResults[0], 'fn'), [''], 'a handle search still redacts');
  });

  test('reverse search (RFC 9536): networks and autnums by registrant or contact', async () => {
    const reg = (await get('/rdap/ips/reverse_search/entity?handle=EXNET-NUMREG&role=registrant')).body;
    assert.deepEqual(reg.ipSearchResults.map((n: J) => n.name).sort(), ['EXAMPLE-NET', 'EXAMPLE-RESERVE', 'EXAMPLE-V6']);
    assert.ok(reg.rdapConformance.includes('reverse_search'));
    const tech = (await get('/rdap/ips/reverse_search/entity?handle=EXNET-NOC-NUMREG&role=technical')).body;
    assert.deepEqual(tech.ipSearchResults.map((n: J) => n.name).sort(), ['EXAMPLE-CUSTOMER', 'EXAMPLE-NET', 'EXAMPLE-ODD', 'EXAMPLE-V6']);
    const any = (await get('/rdap/autnums/reverse_search/entity?handle=TY1-JP-NUMREG')).body;
    assert.deepEqual(any.autnumSearchResults.map((a: J) => a.handle), ['AS64500']);
    assert.equal((await get('/rdap/ips/reverse_search/entity?fn=Taro*')).body.ipSearchResults.length, 0, 'no search on redacted names');
    assert.equal((await get('/rdap/ips/reverse_search/entity?fn=Taro*', legit())).body.ipSearchResults.length, 2);
    assert.equal((await get('/rdap/ips/reverse_search/entity?email=noc@example.net')).body.ipSearchResults.length, 4);
  });

  test('RIR search (RFC 9910): up, down, top, bottom and the links that lead there', async () => {
    const handles = async (url: string) => (await get(url)).body.ipSearchResults.map((n: J) => n.handle);
    const net = (k: string) => `NET-${fx.ids[k]}`;
    assert.deepEqual(await handles('/rdap/ips/rirSearch1/rdap-up/192.0.2.128/25'), [net('v4lir')]);
    assert.deepEqual(await handles('/rdap/ips/rirSearch1/rdap-top/192.0.2.128/25'), [net('v4top')]);
    assert.deepEqual(await handles('/rdap/ips/rirSearch1/rdap-down/192.0.2.0/23'), [net('v4res'), net('v4cust'), net('v4odd')]);
    assert.deepEqual(await handles('/rdap/ips/rirSearch1/rdap-down/192.0.2.0/23?status=active'), [net('v4cust'), net('v4odd')]);
    assert.deepEqual(await handles('/rdap/ips/rirSearch1/rdap-bottom/192.0.0.0/8'), [net('v4res'), net('v4cust'), net('v4odd')]);
    assert.deepEqual(await handles('/rdap/ips/rirSearch1/rdap-bottom/192.0.2.128/25'), [net('v4cust')]);
    assert.deepEqual(await handles('/rdap/ips/rirSearch1/rdap-down/192.0.0.0/8'), [net('v4nir')]);
    const as = (await get('/rdap/autnums/rirSearch1/rdap-up/64500')).body;
    assert.deepEqual(as.autnumSearchResults.map((a: J) => a.handle), ['AS64496-AS64503']);
    assert.ok(as.rdapConformance.includes('rirSearch1') && as.rdapConformance.includes('autnums'));

    // Every up / rdap-* link of a lookup answers.
    const { body } = await get('/rdap/ip/192.0.2.130');
    for (const l of body.links.filter((x: J) => x.rel !== 'self')) {
      const u = new URL(l.href);
      assert.equal((await get(u.pathname + u.search)).status, 200, l.href);
    }
  });

  test('up links climb the delegation tree from LIR to NIR to RIR; related links point to the other registry', async () => {
    let path: string | undefined = '/rdap/ip/192.0.2.130';
    const chain: string[] = [];
    while (path) {
      const { body } = await get(path);
      chain.push(body.name);
      const up = body.links.find((l: J) => l.rel === 'up');
      path = up ? new URL(up.href).pathname : undefined;
      if (body.name === 'JPNIC-NET-JP') {
        const related = body.links.find((l: J) => l.rel === 'related');
        assert.equal(related.href, 'https://rdap.apnic.example/ip/192.0.0.0/12');
      }
    }
    assert.deepEqual(chain, ['EXAMPLE-CUSTOMER', 'EXAMPLE-NET', 'JPNIC-NET-JP', 'APNIC-192']);
  });
});

describe('bootstrap files (RFC 9224, RFC 8521)', () => {
  test('ipv4, ipv6, asn and object tags', async () => {
    const files: Record<string, J> = {};
    for (const f of ['ipv4', 'ipv6', 'asn', 'object-tags']) {
      const r = await app.inject({ url: `/rdap/bootstrap/${f}.json` });
      assert.equal(r.statusCode, 200);
      files[f] = JSON.parse(r.body);
      if (f !== 'object-tags') assertBootstrapSchema(files[f]);
    }
    assert.deepEqual(files.ipv4!.services, [[['192.0.0.0/8'], ['http://localhost/rdap/']]]);
    assert.deepEqual(files.ipv6!.services, [[['2001:db8::/32'], ['http://localhost/rdap/']]]);
    assert.deepEqual(files.asn!.services, [[['64496-64511'], ['http://localhost/rdap/']]]);
    assert.deepEqual(files['object-tags']!.services[0].slice(1), [['NUMREG'], ['http://localhost/rdap/']]);
    const jp = await buildServer(fx, { operator: 'JPNIC', baseUrl: 'https://rdap.numreg.example/rdap' });
    const nir = JSON.parse((await jp.inject({ url: '/rdap/bootstrap/ipv4.json' })).body);
    assert.deepEqual(nir.services, [[['192.0.0.0/12'], ['https://rdap.numreg.example/rdap/']]]);
    await jp.close();
  });
});

describe('rate limiting and CORS', () => {
  test('429 with Retry-After once a client spends its burst; preflight allows Authorization', async () => {
    const limited = await buildServer(fx, { rateLimit: { perSecond: 0.5, burst: 3 } });
    const codes: number[] = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last = await limited.inject({ url: '/rdap/autnum/64500', remoteAddress: '198.51.100.7' });
      codes.push(last.statusCode);
    }
    assert.deepEqual(codes, [200, 200, 200, 429, 429]);
    assert.ok(Number(last!.headers['retry-after']) >= 1);
    const body = JSON.parse(last!.body);
    assertRdap(body, '429');
    assert.equal(body.errorCode, 429);
    assert.equal(last!.headers['access-control-allow-origin'], '*');
    assert.equal((await limited.inject({ url: '/rdap/autnum/64500', remoteAddress: '198.51.100.8' })).statusCode, 200, 'other clients unaffected');
    const pre = await limited.inject({ method: 'OPTIONS', url: '/rdap/ip/192.0.2.1', headers: { origin: 'https://example.org', 'access-control-request-method': 'GET' } });
    assert.equal(pre.statusCode, 204);
    assert.match(String(pre.headers['access-control-allow-headers']), /Authorization/);
    await limited.close();
  });

  test(`every response above passed the schema`, () => {
    assert.ok(checked > 60, `${checked} responses validated`);
  });
});
