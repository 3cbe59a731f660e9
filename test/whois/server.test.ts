/**
 * The TCP server over real sockets: RFC 3912 closing, -k persistence, idle timeout, line-length and
 * per-client connection limits, binary input, the personal-data daily limit, bulk attribution (100,000
 * addresses under 2 s), IRRd `!` routing, the IRR hooks and freshness from the change feed.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import os from 'node:os';
import { once } from 'node:events';
import { rawQuery, startHarness, type Harness } from './helpers.js';
import { startWhoisService } from '../../src/whois/index.js';
import { Registry } from '../../src/registry/registry.js';
import { parseResource } from '../../src/core/index.js';
import type { IrrSession } from '../../src/whois/hooks.js';

const events: { level: string; obj: Record<string, unknown>; msg?: string }[] = [];
const logger = {
  info: (obj: object, msg?: string) => void events.push({ level: 'info', obj: obj as Record<string, unknown>, msg }),
  warn: (obj: object, msg?: string) => void events.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
  error: (obj: object, msg?: string) => void events.push({ level: 'error', obj: obj as Record<string, unknown>, msg }),
};

const sessions: { multi: boolean; line: string }[] = [];
let h: Harness;
before(async () => {
  h = await startHarness({
    logger,
    personalDataLimit: 3,
    limits: { idleTimeoutMs: 600, maxLineLength: 256, maxConnectionsPerClient: 5 },
    irrHandler: (session: IrrSession, line: string) => {
      sessions.push({ multi: session.multiCommand, line });
      return line.startsWith('!g') ? 'A13\n192.0.2.0/24\nC\n' : 'D\n';
    },
    rpslLookup: {
      search: (q) => (q.kind === 'address' || q.kind === 'prefix') && (!q.types || q.types.includes('route'))
        ? [{ className: 'route', key: '192.0.2.0/24AS64500', source: 'NUMREG', text: 'route:          192.0.2.0/24\norigin:         AS64500\nsource:         NUMREG' }]
        : [],
      originOf: (family, address) => (family === 'ipv4' && address >> 8n === 0xc00002n ? { prefix: '192.0.2.0/24', origin: 64511n } : undefined),
      sources: () => ['NUMREG', 'RADB'],
    },
  });
});
after(async () => {
  await h?.close();
});

/** Opens a socket and returns helpers to send lines and read everything until the server closes. */
async function open(port: number) {
  const socket = net.connect({ port, host: '127.0.0.1' });
  await once(socket, 'connect');
  let data = '';
  socket.on('data', (c) => (data += c.toString('utf8')));
  const closed = once(socket, 'close');
  return {
    socket,
    send: (text: string) => socket.write(text),
    get data() { return data; },
    async waitFor(re: RegExp, ms = 5000) {
      const end = Date.now() + ms;
      while (!re.test(data)) {
        if (Date.now() > end) throw new Error(`timeout waiting for ${re}; got ${JSON.stringify(data.slice(-300))}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    closed,
  };
}

test('RFC 3912: one answer, then the server closes', async () => {
  const r = await rawQuery(h.port, '-r AS64500\r\n');
  assert.ok(r.closedByServer);
  assert.match(r.text, /^aut-num:\s+AS64500$/m);
  const lf = await rawQuery(h.port, '-r as64500\n');
  assert.match(lf.text, /^aut-num:\s+AS64500$/m, 'bare LF works too');
  const half = await rawQuery(h.port, '-r AS64500', { halfClose: true });
  assert.match(half.text, /^aut-num:\s+AS64500$/m, 'a last line without line end is answered when the client half-closes');
});

test('-k: several queries on one connection, closed by a second -k', async () => {
  const c = await open(h.port);
  c.send('-k\r\n');
  c.send('-r AS64500\r\n');
  await c.waitFor(/aut-num:\s+AS64500[\s\S]*served by/);
  c.send('-r 192.0.2.1\r\nEXAMPLE-MNT\r\n');
  await c.waitFor(/mntner:\s+EXAMPLE-MNT[\s\S]*served by/);
  assert.match(c.data, /inetnum:\s+192\.0\.2\.0 - 192\.0\.2\.255/);
  assert.equal(c.socket.destroyed, false);
  c.send('-k\r\n');
  await c.closed;
  const k2 = await open(h.port);
  k2.send('-k -r AS64500\r\n');
  await k2.waitFor(/aut-num:/);
  k2.send('-r AS64496 - AS64511\r\n');
  await k2.waitFor(/as-block:/);
  k2.socket.end();
  await k2.closed;
});

test('idle timeout: %ERROR:305 and close', async () => {
  const started = Date.now();
  const r = await rawQuery(h.port, '');
  assert.ok(r.closedByServer);
  assert.match(r.text, /^%ERROR:305: connection has been closed$/m);
  assert.ok(Date.now() - started >= 550);
});

test('maximum line length: %ERROR:107, with or without a line end', async () => {
  const r = await rawQuery(h.port, 'a'.repeat(5000));
  assert.ok(r.closedByServer);
  assert.match(r.text, /^%ERROR:107: input line too long$/m);
  const r2 = await rawQuery(h.port, `${'b'.repeat(300)}\r\n`);
  assert.match(r2.text, /^%ERROR:107: input line too long$/m);
});

test('maximum concurrent connections per client address: %ERROR:306', async () => {
  const held = await Promise.all(Array.from({ length: 5 }, () => open(h.port)));
  for (const c of held) c.send('-k\r\n');
  await new Promise((r) => setTimeout(r, 50));
  const r = await rawQuery(h.port, 'AS64500\r\n');
  assert.match(r.text, /^%ERROR:306: connections exceeded$/m);
  assert.ok(events.some((e) => e.msg?.includes('connection limit')));
  for (const c of held) c.socket.destroy();
  await Promise.all(held.map((c) => c.closed));
  await new Promise((r) => setTimeout(r, 50));
  assert.match((await rawQuery(h.port, '-r AS64500\r\n')).text, /aut-num/, 'the slots are free again');
});

test('garbage and binary input get graceful %ERROR answers', async () => {
  assert.match((await rawQuery(h.port, Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x0d, 0x0a]))).text, /^%ERROR:108: bad character in input$/m);
  assert.match((await rawQuery(h.port, Buffer.from('AS64500\u0000\r\n'))).text, /^%ERROR:108/m);
  assert.match((await rawQuery(h.port, Buffer.from([0xc3, 0x28, 0x0a]))).text, /^%ERROR:108/m, 'invalid UTF-8');
  assert.match((await rawQuery(h.port, '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n')).text, /^%ERROR:108/m, 'a TLS ClientHello');
  assert.match((await rawQuery(h.port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n')).text, /^%ERROR:/m);
  assert.match((await rawQuery(h.port, '\r\n')).text, /^%ERROR:106: no search key specified$/m);
  assert.match((await rawQuery(h.port, '-r AS64500\r\n')).text, /aut-num/, 'still serving');
});

test('IRRd commands: single command closes; "!!" keeps the connection, answers framed by the handler', async () => {
  assert.equal((await rawQuery(h.port, '!gAS64500\n')).text, 'A13\n192.0.2.0/24\nC\n');
  assert.deepEqual(sessions.at(-1), { multi: false, line: '!gAS64500' });
  const c = await open(h.port);
  c.send('!!\n!gAS64500\n');
  await c.waitFor(/C\n$/);
  c.send('!nmyclient\n');
  await c.waitFor(/D\n$/);
  assert.equal(sessions.at(-1)?.multi, true);
  c.send('-r AS64500\n');
  await c.waitFor(/served by/);
  assert.equal(c.socket.destroyed, false, 'a WHOIS query inside "!!" mode keeps the connection');
  c.send('!q\n');
  await c.closed;
  assert.equal(c.data.startsWith('A13\n192.0.2.0/24\nC\nD\n'), true);
});

test('personal-data daily limit: %ERROR:201 and a logged event; -r still works', async () => {
  for (let i = 0; i < 3; i++) assert.match((await rawQuery(h.port, 'TY1-NUMREG\r\n')).text, /^person:/m);
  const denied = await rawQuery(h.port, 'TY1-NUMREG\r\n');
  assert.match(denied.text, /^%ERROR:201: access denied for 127\.0\.0\.1$/m);
  assert.doesNotMatch(denied.text, /^person:/m);
  const ev = events.find((e) => e.level === 'warn' && e.msg?.includes('personal-data daily limit'));
  assert.ok(ev, 'the refusal is logged');
  assert.equal(ev.obj.client, '127.0.0.1');
  assert.match((await rawQuery(h.port, '192.0.2.1\r\n')).text, /^%ERROR:201/m, 'recursion would return the person');
  assert.match((await rawQuery(h.port, '-r 192.0.2.1\r\n')).text, /^inetnum:/m);
  assert.match((await rawQuery(h.port, 'EXN-NOC\r\n')).text, /^role:/m, 'role objects are not personal data');
});

test('IRR hook: route objects in answers, -s with IRR sources, origin AS in bulk', async () => {
  const r = await rawQuery(h.port, '-r 192.0.2.1\r\n');
  assert.match(r.text, /^route:\s+192\.0\.2\.0\/24\norigin:\s+AS64500$/m);
  assert.match((await rawQuery(h.port, '-q sources\r\n')).text, /^RADB:3:N:0-0$/m);
  assert.doesNotMatch((await rawQuery(h.port, '-s RADB AS64500\r\n')).text, /%ERROR:102/);
  const bulk = await rawQuery(h.port, 'begin\nnoheader\n192.0.2.7\n192.0.2.200\nend\n');
  const lines = bulk.text.trim().split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /^AS64511\s+\| 192\.0\.2\.7\s+\| 192\.0\.2\.0\/24/);
});

test('bulk attribution: format, options, errors', async () => {
  const r = await rawQuery(h.port, 'begin\nverbose\n192.0.2.200\n2001:db8::5\n198.51.100.1\nnot-an-ip\nend\n');
  assert.ok(r.closedByServer);
  const lines = r.text.split('\n');
  assert.match(lines[0]!, /^Bulk mode; numreg whois \[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000\]$/);
  assert.equal(lines[1]!.split('|').map((s) => s.trim()).join('|'), 'AS|IP|prefix|CC|registry|allocated|holder|abuse-c email|status|net name|delegation');
  const cells = (l: string) => l.split('|').map((s) => s.trim());
  assert.deepEqual(cells(lines[2]!), ['AS64511', '192.0.2.200', '192.0.2.0/24', 'JP', 'jpnic', '2013-04-05', 'Example Customer Inc.', 'abuse@example.net', 'assigned', 'EXAMPLE-CUSTOMER', '192.0.2.128/25']);
  assert.deepEqual(cells(lines[3]!), ['AS64500', '2001:db8::5', '2001:db8::/48', 'JP', 'jpnic', '2014-05-06', 'Example Net K.K.', 'abuse@example.net', 'allocated', 'EXAMPLE-NET6', '2001:db8::/48']);
  assert.deepEqual(cells(lines[4]!), ['NA', '198.51.100.1', 'NA', 'NA', 'NA', 'NA', 'NA', 'NA', 'NA', 'NA', 'NA']);
  assert.match(lines[5]!, /^%ERROR:115: invalid search key$/);
});

test('bulk attribution: 100,000 addresses answered in under 2 seconds', async () => {
  const n = 100_000;
  const addrs: string[] = [];
  for (let i = 0; i < n; i++) addrs.push(i % 5 === 0 ? `2001:db8::${(i % 65536).toString(16)}` : `192.0.${i % 4}.${i % 256}`);
  const input = `begin\nnoheader\n${addrs.join('\n')}\nend\n`;
  const started = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const r = await rawQuery(h.port, input, { timeoutMs: 20_000 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const lines = r.text.trimEnd().split('\n');
  assert.equal(lines.length, n);
  assert.ok(lines.every((l) => !l.startsWith('%')));
  assert.match(lines[2]!, /\| 192\.0\.2\.2\s+\| 192\.0\.2\.0\/24\s+\| JP/);
  const load = os.loadavg()[0]!;
  console.log(`# bulk: ${n} addresses in ${seconds.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} CPU-seconds (server and test client), load average ${load.toFixed(1)}`);
  // The machine's 2 cores may be shared with other work: then the CPU time this process got is the measure.
  const overloaded = load > os.cpus().length * 1.5;
  assert.ok(seconds < 2 || (overloaded && cpuSeconds < 2), `took ${seconds.toFixed(2)} s (${cpuSeconds.toFixed(2)} CPU-seconds, load ${load.toFixed(1)})`);
});

test('fresh from the change feed: in-process notifications and polling for other writers', async () => {
  await h.f.registry.delegate({ range: parseResource('192.0.2.64/26'), holderHandle: 'ORG-CUST1', status: 'assigned', netName: 'FRESH-NET' }, { kind: 'system' });
  assert.match((await rawQuery(h.port, '-r 192.0.2.65\r\n')).text, /^netname:\s+FRESH-NET$/m, 'visible immediately after the write');
  // a writer in "another process": a second Registry whose notifications this server does not hear
  const polled = await startWhoisService({ db: h.t.db, host: '127.0.0.1', port: 0, pollMs: 100 });
  try {
    const other = new Registry(h.t.db);
    const d = await other.delegate({ range: parseResource('192.0.2.32/27'), holderHandle: 'ORG-CUST1', status: 'assigned', netName: 'POLLED-NET' }, { kind: 'system' });
    const deadline = Date.now() + 3000;
    let text = '';
    while (Date.now() < deadline) {
      text = (await rawQuery(polled.port, '-r 192.0.2.33\r\n')).text;
      if (/POLLED-NET/.test(text)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.match(text, /^netname:\s+POLLED-NET$/m);
    await other.returnDelegation(d.value.id, { kind: 'system' });
    await new Promise((r) => setTimeout(r, 300));
    assert.doesNotMatch((await rawQuery(polled.port, '-r 192.0.2.33\r\n')).text, /POLLED-NET/, 'deletions reach the view too');
  } finally {
    await polled.close();
  }
});
