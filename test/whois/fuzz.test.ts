/**
 * Fuzzing: 100,000 random and mutated queries through the parser (only WhoisQueryError may come out), a
 * sample through the engine, and a sample of queries and raw byte strings through real sockets. No crash,
 * no hang (every connection is closed by the server within its timeout), bounded memory.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseQuery } from '../../src/whois/query-parser.js';
import { WhoisQueryError } from '../../src/whois/messages.js';
import { rawQuery, startHarness, type Harness } from './helpers.js';
import { mulberry32 } from '../../src/core/prng.js';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// deterministic PRNG (mulberry32), so a failure reproduces
const rnd = mulberry32(0x5eed);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

const CORPUS = [
  '192.0.2.1', '-r 192.0.2.0/24', '-B -T inetnum,inet6num 2001:db8::/32', 'AS64500', '-i mnt-by EXAMPLE-MNT', '-x -r 192.0.2.128/25',
  '-L 192.0.2.200', '-M 192.0.0.0/16', '--list-versions ORG-EXN1', '--show-version 1 192.0.2.0/24', '-k AS64500', '-q sources',
  '-s NUMREG -a EXN-NOC', '192.0.2.0/24/j', 'AS64500/e', 'Example Net NOC', 'AS64496 - AS64511', '192.0.2.0 - 192.0.2.255',
  '-rBGTaut-num as64500', '-b 192.0.2.1', '-K TY1-NUMREG', '--format jpnic-en 2001:db8::1', 'help', 'AS-EXAMPLE', '!gAS64500',
];
const TOKENS = ['-', '--', '-r', '-T', '-i', '-x', '-l', '-L', '-m', '-M', '-k', '-q', '-s', '/', '/e', '/j', ':', '::', '.', ',', ' ', '\t',
  'AS', 'as-', 'ORG-', '-MNT', '0', '255', '256', '4294967296', 'ffff', '%', '!', '\u0000', '\u00ff', '日本', '\ufffd', '\r', 'x'.repeat(300)];

function mutate(s: string): string {
  const ops = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < ops; i++) {
    const at = Math.floor(rnd() * (s.length + 1));
    switch (Math.floor(rnd() * 5)) {
      case 0: s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 3)); break;
      case 1: s = s.slice(0, at) + pick(TOKENS) + s.slice(at); break;
      case 2: s = s.slice(0, at) + String.fromCharCode(Math.floor(rnd() * 0x3000)) + s.slice(at); break;
      case 3: s = s + ' ' + pick(CORPUS); break;
      default: s = s.slice(0, at) + s.slice(at).toUpperCase(); break;
    }
  }
  return s;
}

function randomQuery(): string {
  const r = rnd();
  if (r < 0.6) return mutate(pick(CORPUS));
  if (r < 0.8) return Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => pick(TOKENS)).join(rnd() < 0.5 ? ' ' : '');
  return Array.from({ length: Math.floor(rnd() * 40) }, () => String.fromCharCode(Math.floor(rnd() * 256))).join('');
}

let h: Harness;
before(async () => {
  h = await startHarness({ personalDataLimit: 1_000_000, limits: { maxConnectionsPerClient: 1000, idleTimeoutMs: 1000 } });
});
after(async () => {
  await h?.close();
});

test('100,000 random and mutated queries through the parser: only WhoisQueryError, bounded memory', () => {
  gc();
  const before = process.memoryUsage().heapUsed;
  const codes = new Map<number, number>();
  let ok = 0;
  for (let i = 0; i < 100_000; i++) {
    const q = randomQuery();
    try {
      parseQuery(q);
      ok++;
    } catch (e) {
      if (!(e instanceof WhoisQueryError)) throw new Error(`query ${JSON.stringify(q)} threw ${String(e)}`);
      codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
      assert.match(e.render(), /^%ERROR:\d{3}: /);
    }
  }
  gc();
  const grown = (process.memoryUsage().heapUsed - before) / 1e6;
  console.log(`# parser: ${ok} parsed, errors by code ${JSON.stringify(Object.fromEntries(codes))}, heap +${grown.toFixed(1)} MB`);
  assert.ok(ok > 10_000, 'the fuzzer also produces valid queries');
  assert.ok(grown < 30, `heap grew ${grown.toFixed(1)} MB`);
});

test('2,000 fuzzed queries through the engine: always an answer, never an exception', async () => {
  const engine = h.s.engine;
  for (let i = 0; i < 2000; i++) {
    const line = randomQuery();
    let text: string;
    try {
      text = await engine.execute(parseQuery(line), '192.0.2.99');
    } catch (e) {
      if (!(e instanceof WhoisQueryError)) throw new Error(`${JSON.stringify(line)}: ${String(e)}`);
      text = engine.errorAnswer(e);
    }
    assert.ok(text.length > 0);
    assert.doesNotMatch(text, /%ERROR:100/, `internal error for ${JSON.stringify(line)}`);
  }
});

test('1,500 fuzzed queries and raw byte strings through real sockets: every one answered and closed, no leak', async () => {
  gc();
  const before = process.memoryUsage().heapUsed;
  const inputs: Buffer[] = [];
  for (let i = 0; i < 1000; i++) inputs.push(Buffer.from(`${randomQuery().replace(/[\r\n]/g, ' ')}\r\n`));
  for (let i = 0; i < 500; i++) {
    const bytes = Buffer.alloc(1 + Math.floor(rnd() * 2000));
    for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(rnd() * 256);
    bytes[bytes.length - 1] = 0x0a;
    inputs.push(bytes);
  }
  const concurrency = 25;
  let next = 0;
  let answered = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < inputs.length) {
      const input = inputs[next++]!;
      const r = await rawQuery(h.port, input, { timeoutMs: 8000 });
      // "-k" queries and "!!"/"begin" prefixes keep the connection until the idle timeout: still closed by the server
      assert.ok(r.closedByServer, `not closed: ${JSON.stringify(input.toString('latin1').slice(0, 80))}`);
      answered++;
    }
  }));
  assert.equal(answered, inputs.length);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(h.s.server.connections, 0, 'every connection was closed');
  assert.match((await rawQuery(h.port, '-r AS64500\r\n')).text, /aut-num/, 'still serving');
  gc();
  const grown = (process.memoryUsage().heapUsed - before) / 1e6;
  console.log(`# sockets: ${answered} inputs answered, heap +${grown.toFixed(1)} MB`);
  assert.ok(grown < 30, `heap grew ${grown.toFixed(1)} MB`);
});
