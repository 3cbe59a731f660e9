import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDelegated } from '../../src/stats/delegated/parse.js';
import { formatHeader, formatRecord, formatSummary } from '../../src/stats/delegated/format.js';

const file = (...lines: string[]) => `${lines.join('\n')}\n`;
const ok = (text: string) => {
  const { file: f, errors } = parseDelegated(text);
  assert.deepEqual(errors, []);
  return f!;
};
const errorsOf = (text: string) => parseDelegated(text).errors;

test('APNIC style: comment block, version line, summaries, records of every type', () => {
  const f = ok(file(
    '# conditions of use', '#', '',
    '2|apnic|20230629|3|19830613|20230628|+1000',
    'apnic|*|asn|*|1|summary', 'apnic|*|ipv4|*|1|summary', 'apnic|*|ipv6|*|1|summary',
    'apnic|JP|asn|2497|32|20020405|allocated',
    'apnic|AU|ipv4|1.0.0.0|256|20110811|assigned',
    'apnic|JP|ipv6|2001:200::|35|19990813|allocated',
  ));
  assert.equal(f.header.line, 4);
  assert.deepEqual({ ...f.header, line: 0 }, { version: '2', registry: 'apnic', serial: '20230629', records: 3, startDate: '19830613', endDate: '20230628', utcOffset: '+1000', line: 0 });
  assert.equal(f.summaries.length, 3);
  assert.equal(f.extended, false);
  const [asn, v4, v6] = f.records;
  assert.deepEqual([asn!.start, asn!.end, asn!.line], [2497n, 2528n, 8]);
  assert.deepEqual([v4!.start, v4!.end], [16777216n, 16777471n]);
  assert.equal(v6!.end - v6!.start + 1n, 1n << 93n);
  assert.equal(v6!.opaqueId, null);
});

test('RIPE NCC: Unix-time serial; AFRINIC: 00000000 start date and 00000 UTC offset; CRLF line ends', () => {
  const ripe = ok(file('2|ripencc|1700607599|1|19830705|20231121|+0100', 'ripencc|*|ipv4|*|1|summary', 'ripencc|FR|ipv4|2.0.0.0|1048576|20100712|allocated'));
  assert.equal(ripe.header.serial, '1700607599');
  const afrinic = ok('2|afrinic|20231122|1|00000000|20231122|00000\r\nafrinic|*|ipv4|*|1|summary\r\nafrinic|ZA|ipv4|41.0.0.0|2097152|20080507|allocated\r\n');
  assert.equal(afrinic.header.startDate, '00000000');
  assert.equal(afrinic.header.utcOffset, '00000');
  assert.equal(afrinic.records[0]!.status, 'allocated');
});

test('extended format: opaque id and extension fields; available space without a date', () => {
  const f = ok(file(
    '2.3|arin|20231122|3|19700101|20231121|-0500',
    'arin|US|ipv4|3.0.0.0|16777216|19880223|allocated|e5e3b9c13678dfd484d1d1e3f1e1d2e0',
    'arin|ZZ|ipv4|23.128.0.0|1024||available|',
    'arin|US|asn|1|1|19840801|assigned|7e9e4a1b|extra|fields',
  ));
  assert.equal(f.extended, true);
  assert.equal(f.records[0]!.opaqueId, 'e5e3b9c13678dfd484d1d1e3f1e1d2e0');
  assert.equal(f.records[1]!.opaqueId, '');
  assert.equal(f.records[1]!.date, '');
  assert.deepEqual(f.records[2]!.extensions, ['extra', 'fields']);
});

test('IPv4 counts need not be CIDR; IPv6 value is a prefix length; ASN value a count', () => {
  const f = ok(file('2|lacnic|20231122|3|19870101|20231122|+0000',
    'lacnic|BR|ipv4|200.0.0.0|768|20000101|allocated',
    'lacnic|BR|ipv6|2001:1200::|23|20021101|allocated',
    'lacnic|BR|asn|27648|1024|20021101|allocated'));
  assert.equal(f.records[0]!.end - f.records[0]!.start + 1n, 768n);
  assert.equal(f.records[1]!.end - f.records[1]!.start + 1n, 1n << 105n);
  assert.equal(f.records[2]!.end, 28671n);
});

const HEADER = '2|apnic|20230629|1|19830613|20230628|+1000';
const cases: [string, string, RegExp][] = [
  ['too few fields', 'apnic|JP|asn|173|1|20020801', /at least 7 fields/],
  ['bad country code', 'apnic|jp|asn|173|1|20020801|allocated', /country code "jp"/],
  ['bad type', 'apnic|JP|ipv5|173|1|20020801|allocated', /type "ipv5"/],
  ['bad status', 'apnic|JP|asn|173|1|20020801|delegated', /status "delegated"/],
  ['bad date', 'apnic|JP|asn|173|1|20020231|allocated', /not a calendar date/],
  ['date not YYYYMMDD', 'apnic|JP|asn|173|1|2002-08-01|allocated', /not YYYYMMDD/],
  ['bad IPv4 address', 'apnic|JP|ipv4|1.2.3|256|20020801|allocated', /not an IPv4 address/],
  ['IPv4 past the end', 'apnic|JP|ipv4|255.255.255.0|512|20020801|allocated', /runs past 255\.255\.255\.255/],
  ['zero count', 'apnic|JP|ipv4|1.0.0.0|0|20020801|allocated', /value 0/],
  ['IPv6 host bits', 'apnic|JP|ipv6|2001:200::1|32|20020801|allocated', /host bits set/],
  ['IPv6 length', 'apnic|JP|ipv6|2001:200::|129|20020801|allocated', /prefix length 129/],
  ['AS past the end', 'apnic|JP|asn|4294967295|2|20020801|allocated', /runs past AS4294967295/],
  ['AS not a number', 'apnic|JP|asn|AS173|1|20020801|allocated', /AS number "AS173"/],
];
for (const [name, line, message] of cases) {
  test(`rejects a record: ${name}, with its line number`, () => {
    const errors = errorsOf(file('# c', HEADER, line));
    assert.equal(errors.length >= 1, true);
    assert.equal(errors[0]!.line, 3);
    assert.match(errors[0]!.message, message);
  });
}

test('rejects header problems, count mismatches, misplaced summaries and overlaps, all at once', () => {
  assert.match(errorsOf(file('2|apnic|20230629|1'))[0]!.message, /version line must have 7 fields/);
  assert.match(errorsOf(file('2|apnic|2023x|0|19830613|20230628|+1000'))[0]!.message, /serial "2023x"/);
  assert.match(errorsOf(file('2|apnic|20230629|0|19830613|20230628|+10:00'))[0]!.message, /UTC offset/);
  assert.match(errorsOf('# only comments\n')[0]!.message, /no version line/);
  assert.deepEqual(errorsOf(file(HEADER, 'apnic|*|asn|*|2|summary', 'apnic|JP|asn|173|1|20020801|allocated')), [
    { line: 2, message: 'summary says 2 asn records, the file has 1' },
  ]);
  assert.deepEqual(errorsOf(file('2|apnic|20230629|2|19830613|20230628|+1000', 'apnic|JP|asn|173|1|20020801|allocated', 'apnic|*|asn|*|1|summary', 'apnic|JP|asn|174|1|20020801|allocated')),
    [{ line: 3, message: 'summary line after the first record' }]);
  assert.deepEqual(errorsOf(file('2|apnic|20230629|2|19830613|20230628|+1000', 'apnic|JP|ipv4|1.0.0.0|512|20020801|allocated', 'apnic|JP|ipv4|1.0.1.0|256|20020801|allocated')),
    [{ line: 3, message: 'ipv4 1.0.1.0|256 overlaps line 2 (1.0.0.0|512)' }]);
  const many = errorsOf(file(HEADER, 'apnic|JP|asn|x|1|20020801|allocated', 'apnic|JP|ipv9|1|1|20020801|allocated'));
  assert.deepEqual(many.map((e) => e.line), [2, 3]);
  assert.deepEqual(errorsOf(file('2|apnic|20230629|5|19830613|20230628|+1000', 'apnic|JP|asn|173|1|20020801|allocated')),
    [{ line: 1, message: 'version line says 5 records, the file has 1' }]);
});

test('formatter writes the lines the parser reads', () => {
  const h = { version: '2', registry: 'jpnic', serial: '20261123', records: 1, startDate: '20260101', endDate: '20261123', utcOffset: '+0900' };
  const r = { registry: 'jpnic', cc: 'JP', type: 'ipv4' as const, startText: '192.0.2.0', value: '384', date: '20260101', status: 'assigned' as const, opaqueId: 'ORG-X' };
  const text = file(formatHeader(h), formatSummary('jpnic', 'ipv4', 1), formatRecord(r));
  assert.equal(text, '2|jpnic|20261123|1|20260101|20261123|+0900\njpnic|*|ipv4|*|1|summary\njpnic|JP|ipv4|192.0.2.0|384|20260101|assigned|ORG-X\n');
  const f = ok(text);
  assert.equal(f.records[0]!.end - f.records[0]!.start + 1n, 384n);
  assert.equal(f.records[0]!.opaqueId, 'ORG-X');
});
