/**
 * IRR benchmark on real PostgreSQL: a generated IRR of 1M route objects (--routes N to scale), imported with
 * importRpsl --bulk (COPY batches through a staging table, indexes rebuilt at the end), then queried through
 * the IRR's TCP server:
 *   - import objects/s (target >= 50,000/s)
 *   - !g q/s for an origin with 10,000 routes (one pipelined connection)
 *   - !i<set>,1 and !a4<set> latency for a nested 10,000-member as-set (111 sets, with loops; target < 100 ms)
 *   - bgpq4 end-to-end time for that set (its !a4 path)
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5433/postgres npm run bench -- irr [--routes 1000000] [--keep]
 * Uses (and drops unless --keep) the database numreg_bench_irr on that server.
 */
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { importRpsl } from '../../src/irr/import.js';
import { IrrService } from '../../src/irr/service.js';
import { startIrrWhoisServer } from '../../src/irr/server.js';
import { handleIrrdCommand, newIrrdSession } from '../../src/irr/irrd.js';
import { backendCpu, backendCpuSince } from '../lib/cpu.js';
import { freshBenchDatabase } from '../lib/database.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const ROUTES = Number(arg('routes', '1000000'));
const keep = process.argv.includes('--keep');
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.error('irr bench: set DATABASE_URL to a PostgreSQL server (the benchmark creates database numreg_bench_irr)');
  process.exit(2);
}

const BIG_ORIGIN = 64600;          // the origin with 10,000 routes
const BIG_ROUTES = 10_000;
const SET_ASNS = 10_000;           // members of AS-BENCH (AS100000 … AS109999)
const ROUTES_PER_SET_ASN = 5;      // 4 IPv4 + 1 IPv6
const OTHER_PER_ASN = 10;

/** Writes the generated dump; returns the object count. */
async function generate(file: string): Promise<number> {
  const out = createWriteStream(file);
  let buf = '';
  let n = 0;
  let v4 = 1 << 24; // 1.0.0.0, one /24 after another
  const emit = async (text: string) => {
    buf += text;
    n++;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  };
  const v4Prefix = () => {
    const p = `${(v4 >>> 24) & 255}.${(v4 >>> 16) & 255}.${(v4 >>> 8) & 255}.0/24`;
    v4 += 256;
    return p;
  };
  await emit('mntner: BENCH-MNT\nadmin-c: BENCH-NOC\nupd-to: noc@example.net\nauth: BCRYPT-PW $2b$04$GdAM/22IRcf7ue7o7tSlDu1RZpq9oVPFDc1pk2BRvy4D9XAduOrtS\nmnt-by: BENCH-MNT\nsource: BENCH\n\n');
  // nested set: AS-BENCH -> 10 x AS-BENCH-Ai -> 10 x AS-BENCH-Bij (100 ASNs each, and a loop back to AS-BENCH)
  const a = Array.from({ length: 10 }, (_, i) => `AS-BENCH-A${i}`);
  await emit(`as-set: AS-BENCH\nmembers: ${a.join(', ')}\nmnt-by: BENCH-MNT\nsource: BENCH\n\n`);
  for (let i = 0; i < 10; i++) {
    const b = Array.from({ length: 10 }, (_, j) => `AS-BENCH-B${i}-${j}`);
    await emit(`as-set: AS-BENCH-A${i}\nmembers: ${b.join(', ')}\nmnt-by: BENCH-MNT\nsource: BENCH\n\n`);
    for (let j = 0; j < 10; j++) {
      const base = 100_000 + (i * 10 + j) * 100;
      const asns = Array.from({ length: 100 }, (_, k) => `AS${base + k}`);
      await emit(`as-set: AS-BENCH-B${i}-${j}\nmembers: ${asns.join(', ')}\nmembers: AS-BENCH\nmnt-by: BENCH-MNT\nsource: BENCH\n\n`);
    }
  }
  let routes = 0;
  for (let k = 0; k < BIG_ROUTES && routes < ROUTES; k++, routes++) await emit(`route: ${v4Prefix()}\norigin: AS${BIG_ORIGIN}\nmnt-by: BENCH-MNT\nsource: BENCH\n\n`);
  for (let s = 0; s < SET_ASNS && routes < ROUTES; s++) {
    const asn = 100_000 + s;
    for (let k = 0; k < ROUTES_PER_SET_ASN - 1 && routes < ROUTES; k++, routes++) await emit(`route: ${v4Prefix()}\norigin: AS${asn}\nmnt-by: BENCH-MNT\nsource: BENCH\n\n`);
    if (routes < ROUTES) {
      await emit(`route6: 2001:${(s >> 8).toString(16)}:${(s & 255).toString(16)}00::/40\norigin: AS${asn}\nmnt-by: BENCH-MNT\nsource: BENCH\n\n`);
      routes++;
    }
  }
  for (let asn = 200_000; routes < ROUTES; asn++) {
    for (let k = 0; k < OTHER_PER_ASN && routes < ROUTES; k++, routes++) await emit(`route: ${v4Prefix()}\norigin: AS${asn}\nmnt-by: BENCH-MNT\nsource: BENCH\n\n`);
  }
  out.write(buf);
  await new Promise<void>((r) => out.end(r));
  return n;
}

/** One IRRd-protocol connection in multiple-command mode; query() resolves with the data of the next answer. */
async function irrdClient(port: number) {
  const sock = connect(port, '127.0.0.1');
  await new Promise((r) => sock.once('connect', r));
  sock.write('!!\n');
  let buf = Buffer.alloc(0);
  const waiting: ((s: string) => void)[] = [];
  sock.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      if (!waiting.length || !buf.length) return;
      const nl = buf.indexOf(10);
      if (nl < 0) return;
      const head = buf.subarray(0, nl).toString();
      if (head.startsWith('A')) {
        const len = Number(head.slice(1));
        if (buf.length < nl + 1 + len + 2) return;
        const data = buf.subarray(nl + 1, nl + len).toString();
        buf = buf.subarray(nl + 1 + len + 2);
        waiting.shift()!(data);
      } else {
        buf = buf.subarray(nl + 1);
        waiting.shift()!(head);
      }
    }
  });
  return {
    query(q: string): Promise<string> {
      return new Promise((resolve) => {
        waiting.push(resolve);
        sock.write(q + '\n');
      });
    },
    close: () => sock.destroy(),
  };
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main() {
  console.log(`load average at start: ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')} on ${(await import('node:os')).cpus().length} CPUs`);
  const bench = await freshBenchDatabase(serverUrl!, 'numreg_bench_irr', 4);
  const db = bench.db;
  const dir = mkdtempSync(join(tmpdir(), 'irr-bench-'));
  const file = join(dir, 'bench.db');
  try {
    let t = performance.now();
    const objects = await generate(file);
    console.log(`generated ${fmt(objects)} RPSL objects (${fmt(ROUTES)} route/route6) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const pg0 = await backendCpu(db);
    const load0 = loadavg()[0];
    const cpu0 = process.cpuUsage();
    const imp = await importRpsl(db, file, { ownSource: 'NUMREG', bulk: true });
    const cpu = process.cpuUsage(cpu0);
    const cpuSec = (cpu.user + cpu.system) / 1e6;
    const pgSec = backendCpuSince(pg0, await backendCpu(db));
    if (imp.errors) throw new Error(`import errors: ${imp.errorSamples.join('; ')}`);
    console.log(`import: ${fmt(imp.objects)} objects in ${imp.seconds.toFixed(1)} s = ${fmt(imp.perSecond)} objects/s (target 50,000/s; load average ${load0.toFixed(1)} -> ${loadavg()[0].toFixed(1)}); numreg process CPU ${cpuSec.toFixed(1)} s = ${fmt(imp.objects / cpuSec)} objects per CPU-second; PostgreSQL backend CPU ${pgSec === undefined ? 'n/a' : `${pgSec.toFixed(1)} s`}`);
    console.log(`import steps (wall): ${imp.timings.map((x) => `${x.step} ${(x.ms / 1000).toFixed(1)} s`).join(', ')}`);

    t = performance.now();
    const service = await IrrService.create(db, { source: 'NUMREG', refreshIntervalMs: 60_000 });
    console.log(`index load: ${fmt(service.index.routeCount())} routes in ${((performance.now() - t) / 1000).toFixed(1)} s, heap ${fmt(process.memoryUsage().heapUsed / 2 ** 20)} MiB`);
    const server = await startIrrWhoisServer(service, {});
    const c = await irrdClient(server.port);
    await c.query('!sBENCH');

    // !g: pipelined queries on one connection
    const first = await c.query(`!gAS${BIG_ORIGIN}`);
    const gCount = first.split(' ').length;
    const G = 100;
    t = performance.now();
    await Promise.all(Array.from({ length: G }, () => c.query(`!gAS${BIG_ORIGIN}`)));
    const gSec = (performance.now() - t) / 1000;
    console.log(`!g AS${BIG_ORIGIN} (${fmt(gCount)} prefixes): ${fmt(G / gSec)} q/s (${(gSec * 1000 / G).toFixed(1)} ms each, ${fmt(first.length)} bytes per answer)`);

    const lat = async (q: string, runs = 9) => {
      const times: number[] = [];
      let answer = '';
      for (let i = 0; i < runs; i++) {
        const s = performance.now();
        answer = await c.query(q);
        times.push(performance.now() - s);
      }
      return { ms: median(times), items: answer.split(' ').length };
    };
    const i1 = await lat('!iAS-BENCH,1');
    console.log(`!iAS-BENCH,1: ${fmt(i1.items)} ASNs from 111 nested sets (with loops) in ${i1.ms.toFixed(1)} ms (median of 9)`);
    const a4 = await lat('!a4AS-BENCH');
    console.log(`!a4AS-BENCH: ${fmt(a4.items)} prefixes in ${a4.ms.toFixed(1)} ms (median of 9; target < 100 ms)`);
    const a6 = await lat('!a6AS-BENCH');
    console.log(`!a6AS-BENCH: ${fmt(a6.items)} prefixes in ${a6.ms.toFixed(1)} ms`);
    c.close();

    // The same answers computed in-process, as CPU time of this process (independent of other load on the host).
    const session = newIrrdSession();
    await handleIrrdCommand(service, session, '!sBENCH');
    const cpuMs = async (q: string, runs = 9) => {
      const xs: number[] = [];
      for (let i = 0; i < runs; i++) {
        const c0 = process.cpuUsage();
        await handleIrrdCommand(service, session, q);
        const d = process.cpuUsage(c0);
        xs.push((d.user + d.system) / 1000);
      }
      return median(xs);
    };
    const cpuG = await cpuMs(`!gAS${BIG_ORIGIN}`);
    const cpuI = await cpuMs('!iAS-BENCH,1');
    const cpuA = await cpuMs('!a4AS-BENCH');
    console.log(`CPU time per answer (in-process, median of 9): !g ${cpuG.toFixed(1)} ms (${fmt(1000 / cpuG)} q/s per core), !i,1 ${cpuI.toFixed(1)} ms, !a4 ${cpuA.toFixed(1)} ms`);

    if (existsSync('/usr/bin/bgpq4')) {
      const times: number[] = [];
      let lines = 0;
      for (let i = 0; i < 3; i++) {
        const s = performance.now();
        const { stdout } = await promisify(execFile)('/usr/bin/bgpq4', ['-h', `127.0.0.1:${server.port}`, '-S', 'BENCH', '-l', 'bench', 'AS-BENCH'], { maxBuffer: 1 << 28 });
        times.push(performance.now() - s);
        lines = stdout.split('\n').filter((l) => l.includes(' permit ')).length;
      }
      console.log(`bgpq4 -S BENCH AS-BENCH (!a4 path): ${fmt(lines)} prefix-list lines in ${(median(times) / 1000).toFixed(2)} s (median of 3)`);
    } else console.log('bgpq4: not installed, skipped');

    await server.close();
    console.log(`irr: !a4 of a 10,000-member as-set in ${a4.ms.toFixed(1)} ms wall / ${cpuA.toFixed(1)} ms CPU (${(100 / a4.ms).toFixed(2)}x / ${(100 / cpuA).toFixed(1)}x the 100 ms target); import ${fmt(imp.perSecond)} objects/s wall (${(imp.perSecond / 50_000).toFixed(2)}x the 50,000/s target)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await (keep ? bench.close() : bench.drop());
  }
}

await main();
