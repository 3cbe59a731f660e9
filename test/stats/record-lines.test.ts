import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecordLineWriter } from '../../src/stats/delegated/record-lines.js';

/** One COPY text row of the export query: family, start, end, country, date, status, opaque id, split mark. */
const row = (...fields: string[]) => `${fields.join('\t')}\n`;
const N = '\\N';
const V6 = (hex: string) => BigInt(`0x${hex}`).toString();

test('record lines: starts, values, dates and the four file statuses', () => {
  const w = new RecordLineWriter('jpnic|', false);
  const text = w.push(
    row('asn', '64496', '64511', 'JP', '2001-02-03', 'allocated', '', N)
    + row('ipv4', '3221225984', '3221226239', 'JP', '2010-12-31', 'assigned', '', N) // 192.0.2.0/24
    + row('ipv4', '3325256704', '3325257471', N, N, 'legacy', '', N) // 198.51.100.0 + 768, no country or date
    + row('ipv6', V6('20010db8000000000000000000000000'), V6('20010db8ffffffffffffffffffffffff'), 'JP', '2020-01-01', 'sub-allocated', '', N)
    + row('ipv6', V6('20010db9000000000000000000000000'), V6('20010db9000000000000000000000000'), 'JP', '2020-01-01', 'reserved', '', N)
    + row('ipv6', V6('20010dba000000000000000000000000'), V6('20010dba0000ffffffffffffffffffff'), 'JP', '2020-01-01', 'available', '', N),
  ) + w.end();
  assert.deepEqual(text.trimEnd().split('\n'), [
    'jpnic|JP|asn|64496|16|20010203|allocated',
    'jpnic|JP|ipv4|192.0.2.0|256|20101231|assigned',
    'jpnic||ipv4|198.51.100.0|768||allocated',
    'jpnic|JP|ipv6|2001:db8::|32|20200101|allocated',
    'jpnic|JP|ipv6|2001:db9::|128|20200101|reserved',
    'jpnic|JP|ipv6|2001:dba::|48|20200101|available',
  ]);
});

test('record lines: pieces of one split record join into one line, also across chunks', () => {
  const w = new RecordLineWriter('apnic|', true);
  const mark = 'part of asn 141576|100 (one record in the statistics file)';
  let text = w.push(row('asn', '141500', '141500', 'AU', '2020-05-05', 'assigned', 'A9\\t1', N) + row('asn', '141576', '141625', 'JP', '2021-01-01', 'allocated', 'A91', mark));
  assert.equal(text, 'apnic|AU|asn|141500|1|20200505|assigned|A9\t1\n', 'the split record waits for its other pieces');
  text = w.push(row('asn', '141626', '141675', 'JP', '2021-01-01', 'allocated', 'A91', mark) + row('asn', '141700', '141700', 'JP', '2021-01-01', 'allocated', 'A92', N));
  assert.equal(text, 'apnic|JP|asn|141576|100|20210101|allocated|A91\napnic|JP|asn|141700|1|20210101|allocated|A92\n');
  assert.equal(w.end(), '');
  w.push(row('ipv4', '16777216', '16777471', 'JP', '2021-01-01', 'allocated', 'A93', 'part of x'));
  assert.equal(w.end(), 'apnic|JP|ipv4|1.0.0.0|256|20210101|allocated|A93\n', 'a split record at the end of the output is written by end()');
});
