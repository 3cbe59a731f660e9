import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuery } from '../../src/whois/query-parser.js';
import { FLAGS, helpText } from '../../src/whois/flags.js';
import { WhoisQueryError } from '../../src/whois/messages.js';
import { classifyKey } from '../../src/whois/keys.js';

function code(line: string): number | undefined {
  try {
    parseQuery(line);
    return undefined;
  } catch (e) {
    assert.ok(e instanceof WhoisQueryError, `${line}: ${String(e)}`);
    return e.code;
  }
}

test('every flag of the table parses in short and long form', () => {
  for (const f of FLAGS) {
    const arg = f.arg === 'list' ? (f.long === 'select-types' ? ' inetnum' : f.long === 'sources' ? ' NUMREG' : ' mnt-by') : f.arg === 'int' ? ' 1' : f.arg === 'info' ? ' version' : f.arg === 'format' ? ' jpnic' : f.arg ? ' x' : '';
    for (const form of [f.short ? `-${f.short}` : null, `--${f.long}`]) {
      if (!form) continue;
      const q = parseQuery(`${form}${arg} 192.0.2.1`);
      assert.deepEqual(q.given, [f.long], form);
    }
  }
});

test('grouped flags, attached arguments and options', () => {
  const q = parseQuery('-rBGTinetnum,aut-num 192.0.2.1');
  assert.equal(q.options.noRecursion, true);
  assert.equal(q.options.unfiltered, true);
  assert.equal(q.options.noGrouping, true);
  assert.deepEqual(q.options.types, ['inetnum', 'aut-num']);
  assert.equal(q.classified?.kind, 'address');
  const q2 = parseQuery('-T inetnum -T inet6num --show-version=2 ORG-EXN1');
  assert.deepEqual(q2.options.types, ['inetnum', 'inet6num']);
  assert.equal(q2.options.showVersion, 2);
  assert.equal(q2.classified?.kind, 'organisation');
});

test('RIPE error codes for bad queries', () => {
  assert.equal(code(''), 106);
  assert.equal(code('-r'), 106);
  assert.equal(code('-Z 192.0.2.1'), 111);
  assert.equal(code('--nonsense 192.0.2.1'), 111);
  assert.equal(code('-T'), 111);
  assert.equal(code('-q whatever'), 111);
  assert.equal(code('-T nonsense x'), 103);
  assert.equal(code('-i nonsense x'), 104);
  assert.equal(code('-i netname x'), 105);
  assert.equal(code('-r -r x'), 110);
  assert.equal(code('-x -M 192.0.2.0/24'), 901);
  assert.equal(code('-b -B 192.0.2.1'), 109);
  assert.equal(code('--list-versions --show-version 1 x'), 109);
  assert.equal(code('-i mnt-by -x x'), 109);
  assert.equal(code('192.0.2.256'), 115);
  assert.equal(code('as99999999999'), 115);
  assert.equal(code('192.0.2.1\u0000'), 108);
  assert.equal(code('\u001b[31m'), 108);
  assert.equal(code('abc\ufffd'), 108);
});

test('key classification', () => {
  const kinds: [string, string][] = [
    ['192.0.2.1', 'address'], ['2001:db8::1', 'address'], ['192.0.2.0/24', 'prefix'], ['2001:DB8::/32', 'prefix'],
    ['192.0.2.0 - 192.0.2.255', 'range'], ['AS64496', 'as'], ['as64496', 'as'], ['AS1.10', 'as'], ['AS64496 - AS64511', 'as-range'],
    ['AS-EXAMPLE', 'set-name'], ['as64496:as-customers', 'set-name'], ['ORG-EXN1', 'organisation'], ['example-mnt', 'maintainer'],
    ['TY1-NUMREG', 'handle'], ['EXAMPLE-NET', 'handle'], ['Taro Yamada', 'name'], ['10/8', 'prefix'],
  ];
  for (const [key, kind] of kinds) assert.equal(classifyKey(key).kind, kind, key);
});

test('JPNIC suffixes and case-insensitive keys', () => {
  assert.equal(parseQuery('192.0.2.1/e').format, 'jpnic-en');
  assert.equal(parseQuery('192.0.2.1/E').key, '192.0.2.1');
  assert.equal(parseQuery('2001:db8::/32/j').format, 'jpnic');
  assert.equal(parseQuery('2001:db8::/32/j').key, '2001:db8::/32');
  assert.equal(parseQuery('192.0.2.0/24').format, 'rpsl');
  assert.equal(parseQuery('--format jpnic-en as64500').format, 'jpnic-en');
  assert.equal(parseQuery('example-mnt').classified?.upper, 'EXAMPLE-MNT');
});

test('help lists every flag', () => {
  const help = helpText();
  for (const f of FLAGS) assert.ok(help.includes(`--${f.long}`), f.long);
});

test('the plain-key fast path parses exactly as the general parser does (same query or same error)', async () => {
  const fc = (await import('fast-check')).default;
  const outcome = (line: string) => {
    try {
      return { q: parseQuery(line, 'jpnic-en') };
    } catch (e) {
      assert.ok(e instanceof WhoisQueryError, `${line}: ${String(e)}`);
      return { error: e.code, text: e.render() };
    }
  };
  const octet = fc.integer({ min: 0, max: 300 });
  const key = fc.oneof(
    fc.stringMatching(/^[0-9A-Za-z.:_]{1,40}$/),
    fc.tuple(octet, octet, octet, octet).map((o) => o.join('.')),
    fc.array(fc.integer({ min: 0, max: 0xfffff }).map((n) => n.toString(16)), { minLength: 1, maxLength: 9 }).map((g) => g.join(':')),
    fc.integer({ min: 0, max: 2 ** 33 }).map((n) => `AS${n}`),
    fc.constantFrom('help', 'AS1.10', '192.0.2', '2001:db8::', '::', 'EXAMPLE-MNT'.replace('-', '_'), 'TY1_NUMREG', 'a.b', 'dead.beef'),
  );
  fc.assert(fc.property(key, (k) => {
    // "-- key" takes the general path (flags end, then the key) and must mean the same query
    assert.deepEqual(outcome(k), outcome(`-- ${k}`), k);
  }), { numRuns: 3000 });
});
