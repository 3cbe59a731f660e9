import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIpv4AddressSpace } from '../../src/stats/iana/ipv4-address-space.js';
import { parseIpv6UnicastAssignments } from '../../src/stats/iana/ipv6-unicast.js';
import { parseAsNumbers } from '../../src/stats/iana/as-numbers.js';
import { parseIpv4SpecialRegistry } from '../../src/stats/iana/ipv4-special.js';
import { parseCsv } from '../../src/stats/iana/csv.js';
import { classify, legacyHandle } from '../../src/stats/iana/classify.js';

const dir = join(import.meta.dirname, '../../data/iana');
const read = (name: string) => readFileSync(join(dir, name), 'utf8');

test('IPv4 address space: 256 /8 rows with designation, date, WHOIS, both RDAP URLs, status and notes', () => {
  const rows = parseIpv4AddressSpace(read('ipv4-address-space.txt'));
  assert.equal(rows.length, 256);
  assert.deepEqual(rows[3], {
    family: 'ipv4', start: 3n << 24n, end: (4n << 24n) - 1n, label: '003/8', designation: 'Administered by ARIN',
    date: '1994-05', whois: 'whois.arin.net', rdap: ['https://rdap.arin.net/registry', 'http://rdap.arin.net/registry'],
    status: 'LEGACY', note: null, line: 34,
  });
  assert.equal(rows[0]!.designation, 'IANA - Local Identification');
  assert.equal(rows[0]!.note, '[2][3]');
  assert.equal(rows[0]!.whois, null);
  assert.equal(rows[38]!.designation, 'PSINet, Inc.');
  assert.equal(rows[255]!.status, 'RESERVED');
  const count = (f: (d: string) => boolean) => rows.filter((r) => f(r.designation)).length;
  assert.equal(count((d) => /^IANA - |^Multicast$|^Future use$/.test(d)), 35);
});

test('IPv4 address space: a missing or garbled row is reported with its line number', () => {
  const text = read('ipv4-address-space.txt');
  assert.throws(() => parseIpv4AddressSpace(text.replace(/^ {3}042\/8 .*\n/m, '')), /ipv4-address-space\.txt:\d+: expected 042\/8, found 043\/8/);
  const garbled = text.replace(/^( {3}042\/8 .*)ALLOCATED$/m, '$1ALLOCATD');
  assert.throws(() => parseIpv4AddressSpace(garbled), /ipv4-address-space\.txt:103: unrecognised line in the \/8 table: "042\/8/);
  assert.throws(() => parseIpv4AddressSpace('no table here\n'), /expected 256 \/8 rows, found 0/);
});

test('CSV: CRLF rows, quoted commas, doubled quotes and line breaks inside quotes', () => {
  assert.deepEqual(parseCsv('a,b\r\n"x, y","say ""hi""\r\nthere"\r\n,\r\n'), [
    { line: 1, fields: ['a', 'b'] },
    { line: 2, fields: ['x, y', 'say "hi"\r\nthere'] },
    { line: 4, fields: ['', ''] },
  ]);
  assert.throws(() => parseCsv('a,"b\n'), /unterminated quoted field starting on line 1/);
});

test('IPv6 unicast assignments: 50 rows, multi-line RDAP cells and notes joined', () => {
  const rows = parseIpv6UnicastAssignments(read('ipv6-unicast-address-assignments.csv'));
  assert.equal(rows.length, 50);
  const arin = rows.find((r) => r.label === '2001:400::/23')!;
  assert.deepEqual(arin.rdap, ['https://rdap.arin.net/registry', 'http://rdap.arin.net/registry']);
  assert.equal(arin.line, 4);
  const apnic = rows.find((r) => r.label === '2400::/12')!;
  assert.equal(apnic.end - apnic.start + 1n, 1n << 116n);
  assert.match(apnic.note!, /2400::\/19 was allocated on 2005-05-20\. .* incorporates all these previous allocations\.$/);
  assert.doesNotMatch(apnic.note!, /\n/);
  assert.equal(rows.find((r) => r.label === '2002::/16')!.designation, '6to4');
  assert.equal(rows.at(-1)!.label, '3fff::/20');
});

test('IPv6 unicast assignments: bad header, prefix, date and field count are rejected with line numbers', () => {
  const header = 'Prefix,Designation,Date,WHOIS,RDAP,Status,Note\r\n';
  assert.throws(() => parseIpv6UnicastAssignments('Prefix,Designation\r\n'), /:1: expected header/);
  assert.throws(() => parseIpv6UnicastAssignments(`${header}2001:zz::/23,APNIC,1999-07-01,,,ALLOCATED,\r\n`), /:2: bad prefix "2001:zz::\/23"/);
  assert.throws(() => parseIpv6UnicastAssignments(`${header}2001:200::/23,APNIC,July,,,ALLOCATED,\r\n`), /:2: bad date "July"/);
  assert.throws(() => parseIpv6UnicastAssignments(`${header}\r\n2001:200::/23,APNIC\r\n`), /:3: expected 7 fields, found 2/);
});

test('AS numbers: both tables, wrapped descriptions, statuses derived, cross-reference row left out', () => {
  const rows = parseAsNumbers(read('as-numbers.txt'));
  assert.equal(rows.length, 164);
  assert.deepEqual(
    { ...rows[1]!, rdap: rows[1]!.rdap.length },
    { family: 'asn', start: 1n, end: 1876n, label: '1-1876', designation: 'ARIN', status: 'ASSIGNED', date: null,
      whois: 'whois.arin.net', rdap: 2, note: null, line: 49 },
  );
  const doc32 = rows.find((r) => r.start === 65536n)!;
  assert.equal(doc32.designation, 'Reserved for use in documentation and sample code');
  assert.equal(doc32.date, '2008-12-03');
  assert.equal(doc32.note, '[RFC5398]');
  assert.equal(rows.find((r) => r.start === 23456n)!.status, 'RESERVED');
  assert.equal(rows.find((r) => r.start === 402333n)!.status, 'UNALLOCATED');
  assert.equal(rows.find((r) => r.start === 0n && r.end === 65535n), undefined);
  const reserved = (lo: bigint, hi: bigint) =>
    rows.filter((r) => r.status === 'RESERVED').reduce((n, r) => {
      const a = r.start > lo ? r.start : lo;
      const b = r.end < hi ? r.end : hi;
      return b >= a ? n + (b - a + 1n) : n;
    }, 0n);
  assert.equal(reserved(0n, 65535n), 1042n);
  assert.equal(reserved(65536n, 4294967295n), 95032832n);
});

test('AS numbers: overlapping or out-of-order ranges and missing tables are rejected', () => {
  const text = read('as-numbers.txt');
  assert.throws(() => parseAsNumbers(text.replace('    1877-1901  Assigned by RIPE NCC', '    1800-1901  Assigned by RIPE NCC')), /as-numbers\.txt:\d+: AS range 1800-1901 overlaps or is out of order/);
  assert.throws(() => parseAsNumbers(text.split(/^32-bit Autonomous System Numbers$/m)[0]!), /expected the 16-bit and 32-bit tables, found 1/);
});

test('IPv4 special-purpose registry: vertically centred multi-line cells land in the right rows', () => {
  const rows = parseIpv4SpecialRegistry(read('ipv4-special-registry.txt'));
  assert.equal(rows.length, 24);
  const by = (p: string) => rows.find((r) => r.prefixes.includes(p))!;
  assert.equal(by('0.0.0.0/32').name, '"This host on this network"');
  assert.equal(by('0.0.0.0/8').rfc, '[RFC791], Section 3.2');
  assert.equal(by('192.0.0.9/32').name, 'Port Control Protocol Anycast');
  assert.equal(by('192.0.0.10/32').name, 'Traversal Using Relays around NAT Anycast');
  assert.deepEqual(by('192.0.0.170/32').prefixes, ['192.0.0.170/32', '192.0.0.171/32']);
  assert.equal(by('192.0.0.170/32').end - by('192.0.0.170/32').start, 1n);
  assert.equal(by('192.88.99.0/24').terminated, '2015-03');
  assert.equal(by('192.88.99.0/24').source, null);
  const loop = by('127.0.0.0/8');
  assert.deepEqual([loop.source, loop.destination, loop.forwardable, loop.globallyReachable, loop.reservedByProtocol], [false, false, false, false, true]);
  assert.equal(by('255.255.255.255/32').rfc, '[RFC8190] [RFC919], Section 7');
  assert.equal(by('100.64.0.0/10').name, 'Shared Address Space');
  assert.throws(() => parseIpv4SpecialRegistry('nothing'), /table header .* not found/);
});

test('classification follows the newsletter counting rules', () => {
  const v4 = parseIpv4AddressSpace(read('ipv4-address-space.txt')).map(classify);
  const tally = new Map<string, number>();
  for (const h of v4) {
    const key = h.kind === 'legacy' ? 'other' : h.registry.handle;
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  assert.deepEqual(Object.fromEntries(tally), { IANA: 35, APNIC: 51, 'RIPE-NCC': 42, ARIN: 95, other: 17, AFRINIC: 6, LACNIC: 10 });
  assert.equal(legacyHandle('AT&T Bell Laboratories'), 'LEGACY-AT-T-BELL-LABORATORIES');
  assert.equal(legacyHandle('PSINet, Inc.'), 'LEGACY-PSINET-INC');
});

test("IANA's CSV downloads give the same records as the plain-text renderings", async () => {
  const { mkdtempSync, writeFileSync, copyFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { readIanaDirectory } = await import('../../src/stats/iana/import.js');
  const q = (s: string | null) => (s === null ? '' : /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const v4 = parseIpv4AddressSpace(read('ipv4-address-space.txt'));
  const as = parseAsNumbers(read('as-numbers.txt'));
  const tmp = mkdtempSync(join(tmpdir(), 'numreg-iana-csv-'));
  try {
    writeFileSync(join(tmp, 'ipv4-address-space.csv'), ['Prefix,Designation,Date,WHOIS,RDAP,Status [1],Note',
      ...v4.map((r) => [r.label, r.designation, r.date, r.whois, r.rdap.join('\n'), r.status, r.note].map(q).join(','))].join('\r\n') + '\r\n');
    const asCsv = (rows: typeof as) => ['Number,Description,WHOIS,RDAP,Reference,Registration Date',
      ...rows.map((r) => [r.label, r.status === 'ASSIGNED' ? `Assigned by ${r.designation}` : r.designation, r.whois, r.rdap.join('\n'), r.note, r.date].map(q).join(','))].join('\r\n') + '\r\n';
    writeFileSync(join(tmp, 'as-numbers-1.csv'), asCsv(as.filter((r) => r.end <= 65535n)));
    writeFileSync(join(tmp, 'as-numbers-2.csv'), asCsv(as.filter((r) => r.start > 65535n)));
    copyFileSync(join(dir, 'ipv6-unicast-address-assignments.csv'), join(tmp, 'ipv6-unicast-address-assignments.csv'));
    const got = readIanaDirectory(tmp);
    const strip = <T extends { line: number }>(rows: T[]) => rows.map(({ line: _line, ...r }) => r);
    assert.deepEqual(strip(got.ipv4), strip(v4));
    assert.deepEqual(strip(got.asn), strip(as));
    assert.deepEqual(got.ipv4Special, []);
    rmSync(join(tmp, 'as-numbers-2.csv'));
    assert.throws(() => readIanaDirectory(tmp), /no AS numbers \(looked for as-numbers\.txt, as-numbers-1\.csv \+ as-numbers-2\.csv\)/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
