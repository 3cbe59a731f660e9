/**
 * Golden files, one or more per output format (RPSL, JPNIC Japanese, JPNIC English), answered over a real
 * socket. Timestamps are replaced by placeholders; everything else must match byte for byte.
 * Regenerate after an intended change with UPDATE_GOLDEN=1.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rawQuery, startHarness, type Harness } from './helpers.js';
import { jpnicLine } from '../../src/whois/format-jpnic.js';

const dir = fileURLToPath(new URL('./golden/', import.meta.url));
const samples = fileURLToPath(new URL('../../../shared/data/samples/', import.meta.url));

const CASES: [file: string, query: string][] = [
  ['rpsl-inetnum.txt', '192.0.2.1'],
  ['rpsl-inet6num-unfiltered.txt', '-B 2001:db8::1'],
  ['rpsl-aut-num-norecursion.txt', '-r AS64500'],
  ['rpsl-mntner.txt', 'EXAMPLE-MNT'],
  ['rpsl-error.txt', '-T nosuchtype 192.0.2.1'],
  ['jpnic-ja-network.txt', '192.0.2.0/24/j'],
  ['jpnic-ja-as.txt', 'AS64500/j'],
  ['jpnic-ja-contact.txt', 'EXN-NOC/j'],
  ['jpnic-en-network.txt', '2001:db8::/48/e'],
  ['jpnic-en-as.txt', 'AS64500/e'],
  ['jpnic-en-contact.txt', 'TY1-NUMREG/e'],
];

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

const normalise = (text: string) => text
  .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, '<TIME>')
  .replace(/\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\(JST\)/g, '<JST>');

for (const [file, query] of CASES) {
  test(`golden ${file}: "${query}"`, async () => {
    const { text, closedByServer } = await rawQuery(h.port, `${query}\r\n`);
    assert.ok(closedByServer);
    const got = normalise(text);
    if (process.env.UPDATE_GOLDEN) writeFileSync(dir + file, got);
    assert.equal(got, readFileSync(dir + file, 'utf8'));
  });
}

test('JPNIC layout reproduces the real JPNIC samples column for column', () => {
  let checked = 0;
  for (const name of ['jpnic-whois-192.41.192.0-ja.txt', 'jpnic-whois-2001_dc2-ja.txt', 'jpnic-whois-27.80.0.0-ja.txt']) {
    for (const line of readFileSync(samples + name, 'utf8').split(/\r?\n/)) {
      const m = /^((?:[a-z]\. )?\[[^\]]+\])\s*(.*)$/.exec(line);
      if (!m) continue;
      assert.equal(jpnicLine(m[1]!, m[2]!), line.trimEnd(), `${name}: ${line}`);
      checked++;
    }
  }
  assert.ok(checked >= 30, `checked ${checked} lines`);
});

test('JPNIC banner lines are 79 columns like JPNIC\'s', async () => {
  const { text } = await rawQuery(h.port, 'AS64500/j\r\n');
  const banner = text.split('\n').filter((l) => l.startsWith('[ '));
  assert.equal(banner.length, 3);
  for (const l of banner) assert.equal(l.length, 79, l);
});
