// WHOIS address look-ups per second on a large generated registry (PostgreSQL).
// Usage: node --import tsx bench/whois/run.ts [delegations=5000000]   (WHOIS_BENCH_GENERATE_ONLY=1: only make the database;
//   WHOIS_BENCH_WORKERS=2: also measure cluster mode with that many worker processes; WHOIS_BENCH_DEPTH: pipelining depth)
//   DATABASE_URL (default postgres://postgres@127.0.0.1:5433/postgres) names the server; the bench uses its own
//   database numreg_bench_whois_<n> and keeps it between runs (generation is the slow part).
// Prints the generation and load times, in-process engine q/s, TCP q/s over persistent (-k) connections and
// with one connection per query (RFC 3912 default); the last line is `whois: <q/s> (<ratio> of 20,000 target)`.
import pg from 'pg';
import v8 from 'node:v8';
import net from 'node:net';
import { once } from 'node:events';
import { fork, spawnSync } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import { writeFileSync, mkdtempSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { startWhoisService, startWhoisCluster } from '../../src/whois/index.js';
import { parseQuery } from '../../src/whois/query-parser.js';
import { mulberry32 } from '../../src/core/prng.js';
import { processCpuSeconds } from '../lib/cpu.js';
import { setAsideDelegationIndexes } from '../lib/bulk-load.js';

const TARGET = 20_000;
const N = Number(process.argv[2] ?? process.env.WHOIS_BENCH_DELEGATIONS ?? 5_000_000);
/** /24 assignments per /16 so that 200 /8s hold 90 % of N. */
const PER_SLASH16 = Math.max(1, Math.min(256, Math.ceil((Math.floor(N * 0.9) - 200 - 51_200) / 51_200)));
const SLASH32S = Math.max(1, Math.floor((N - Math.floor(N * 0.9)) / 65));

// Re-run with room beyond node's default heap for generating millions of rows in this process;
// WHOIS_BENCH_SEMI_SPACE=<MB> tries another young generation than node's default (which `npm start` keeps).
const SEMI = process.env.WHOIS_BENCH_SEMI_SPACE;
const HEAP_FLAGS = ['--max-old-space-size=12000', ...(SEMI ? [`--max-semi-space-size=${SEMI}`] : [])];
if (v8.getHeapStatistics().heap_size_limit < 6e9 && !process.env.WHOIS_BENCH_CHILD) {
  const r = spawnSync(process.execPath, [...HEAP_FLAGS, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit', env: { ...process.env, WHOIS_BENCH_CHILD: '1' },
  });
  process.exit(r.status ?? 1);
}

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5433/postgres';
const dbName = `numreg_bench_whois_${N}`;
const secs = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const fmt = (n: number) => Math.round(n).toLocaleString('en');

// deterministic PRNG (mulberry32)
const rnd = mulberry32(7);

async function ensureDatabase(): Promise<string> {
  const u = new URL(serverUrl);
  u.pathname = `/${dbName}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  let exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName])).rowCount;
  if (exists) {
    // keep a complete earlier generation; anything else (e.g. an interrupted run without its indexes) starts over
    const c = new pg.Client({ connectionString: u.toString() });
    await c.connect();
    // the marker table is written last, after the indexes are rebuilt
    const complete = await c.query(`SELECT count(*)::bigint >= $1 AS ok FROM delegation`, [N]).then((r) => r.rows[0].ok, () => false)
      && (await c.query(`SELECT to_regclass('whois_bench_complete') IS NOT NULL AS ok`)).rows[0].ok;
    await c.end();
    if (!complete) {
      await admin.query(`DROP DATABASE ${dbName} WITH (FORCE)`);
      exists = 0;
    }
  }
  if (!exists) await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  return u.toString();
}

/**
 * The registry shape of an RIR/NIR at scale: IPv4 /8s held by RIRs, /16 allocations to LIRs, /24 assignments
 * below them (90 %); IPv6 /12s, /32 allocations, /48 assignments (10 %); AS numbers for the LIRs.
 * Written with COPY FROM STDIN, 50,000 rows per statement.
 */
async function generate(url: string): Promise<void> {
  const db = await openDatabase({ url, poolSize: 4 });
  await migrate(db);
  const have = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM delegation')).rows[0]!.n);
  if (have >= N) {
    console.log(`registry: ${fmt(have)} delegations already in ${dbName}`);
    await db.close();
    return;
  }
  const t0 = process.hrtime.bigint();
  const LIRS = 2000;
  const orgRows = ['(1, \'ORG-IANA\', \'Internet Assigned Numbers Authority\', \'iana\', \'US\')'];
  for (let i = 0; i < 5; i++) orgRows.push(`(${2 + i}, 'ORG-RIR${i}', 'Regional Registry ${i}', 'rir', 'JP')`);
  for (let i = 0; i < LIRS; i++) orgRows.push(`(${10 + i}, 'ORG-LIR${i}', 'Example LIR ${i} K.K.', 'lir', 'JP')`);
  await db.exec(`INSERT INTO organisation (id, handle, name, role, country) VALUES ${orgRows.join(',')}`);
  const contacts: string[] = [];
  for (let i = 0; i < LIRS; i++) contacts.push(`('NOC${i}-BENCH', 'role', 'LIR ${i} NOC', 'noc${i}@lir${i}.example', 'abuse@lir${i}.example', ${10 + i})`);
  await db.exec(`INSERT INTO contact (handle, kind, name, email, abuse_mailbox, org_id) VALUES ${contacts.join(',')}`);
  await db.exec(`SELECT setval('organisation_id_seq', ${10 + LIRS})`);

  // Index maintenance and foreign-key checks make row-by-row loading ~20x slower: set them aside for the load
  // and rebuild the indexes afterwards from their own definitions.
  const setAside = await setAsideDelegationIndexes(db, { foreignKeys: false });
  let id = 0;
  let batch: string[] = [];
  let written = 0;
  const flush = async (force = false) => {
    if (batch.length < 50_000 && !(force && batch.length)) return;
    await db.copyFrom('COPY delegation (id, family, rng, parent_id, holder_id, status, registry, country, net_name, delegated_on, admin_c, tech_c, abuse_c, mnt_by) FROM STDIN', batch);
    written += batch.length;
    batch = [];
    if (written % 250_000 < 50_000) process.stdout.write(`\r  ${fmt(written)} delegations, ${fmt(written / secs(t0))}/s   `);
  };
  const row = (family: string, start: bigint, end: bigint, parent: number | null, holder: number, status: string, registry: string, lir: number | null) => {
    id++;
    // COPY text format: tab-separated, \\N for NULL (no value here needs escaping)
    const c = lir === null ? '{}\t{}\t\\N\t{}' : `{NOC${lir}-BENCH}\t{NOC${lir}-BENCH}\tNOC${lir}-BENCH\t{LIR${lir}-MNT}`;
    const name = lir === null ? '\\N' : `NET-${id}`;
    batch.push(`${id}\t${family}\t[${start},${end}]\t${parent ?? '\\N'}\t${holder}\t${status}\t${registry}\tJP\t${name}\t2020-01-01\t${c}\n`);
    return id;
  };
  const v4Target = Math.floor(N * 0.9);
  const v6Target = N - v4Target - LIRS;
  // IPv4
  const slash8 = Array.from({ length: 200 }, (_, i) => i + 1);
  const perSlash16 = PER_SLASH16;
  let v4 = 0;
  outer: for (const a of slash8) {
    const p8 = row('ipv4', BigInt(a) << 24n, (BigInt(a) << 24n) + 0xffffffn, null, 2 + (a % 5), 'allocated', 'iana', null);
    v4++;
    for (let b = 0; b < 256; b++) {
      const lir = Math.floor(rnd() * LIRS);
      const s16 = (BigInt(a) << 24n) | (BigInt(b) << 16n);
      const p16 = row('ipv4', s16, s16 + 0xffffn, p8, 10 + lir, 'allocated', 'apnic', lir);
      v4++;
      for (let c = 0; c < perSlash16; c++) {
        if (v4 >= v4Target) { await flush(true); break outer; }
        const s24 = s16 | (BigInt(c) << 8n);
        row('ipv4', s24, s24 + 0xffn, p16, 10 + lir, 'assigned', 'jpnic', lir);
        v4++;
        await flush();
      }
    }
  }
  await flush(true);
  // IPv6: 2400::/12 … /32 allocations … /48 assignments
  const top = 0x2400n << 112n;
  const p12 = row('ipv6', top, top + (1n << 116n) - 1n, null, 2, 'allocated', 'iana', null);
  let v6 = 1;
  const per32 = 64;
  for (let k = 0; v6 < v6Target; k++) {
    const lir = k % LIRS;
    const s32 = top | (BigInt(k) << 96n);
    const p32 = row('ipv6', s32, s32 + (1n << 96n) - 1n, p12, 10 + lir, 'allocated', 'apnic', lir);
    v6++;
    for (let j = 0; j < per32 && v6 < v6Target; j++) {
      const s48 = s32 | (BigInt(j) << 80n);
      row('ipv6', s48, s48 + (1n << 80n) - 1n, p32, 10 + lir, 'assigned', 'jpnic', lir);
      v6++;
      await flush();
    }
  }
  // AS numbers, one per LIR
  for (let i = 0; i < LIRS; i++) row('asn', 131072n + BigInt(i), 131072n + BigInt(i), null, 10 + i, 'assigned', 'jpnic', i);
  await flush(true);
  process.stdout.write('\n');
  console.log(`registry: generated ${fmt(id)} delegations (${fmt(v4)} IPv4, ${fmt(v6)} IPv6, ${LIRS} AS) in ${secs(t0).toFixed(1)} s`);
  const built = await setAside.restore();
  await db.exec('CREATE TABLE whois_bench_complete ()');
  console.log(`registry: indexes rebuilt in ${built.seconds.toFixed(1)} s`);
  await db.close();
}

/** Random addresses inside the generated space (90 % IPv4, 10 % IPv6), as query lines. */
function addresses(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    if (rnd() < 0.9) out.push(`${1 + Math.floor(rnd() * 200)}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * PER_SLASH16)}.${Math.floor(rnd() * 256)}`);
    else out.push(`2400:${Math.floor(rnd() * SLASH32S).toString(16)}:${Math.floor(rnd() * 64).toString(16)}::${Math.floor(rnd() * 65536).toString(16)}`);
  }
  return out;
}

// The load generator runs in its own process (the machine's second core), so the server's CPU time can be
// measured apart from the client's.
const CLIENT = `
const net = require('node:net');
process.once('message', (workerData) => {
const { port, queries, connections, persistent, depth, spread } = workerData;
let next = 0, done = 0, errors = 0, notFound = 0, conn = 0;
const count = (buf) => { if (buf.includes('%ERROR:101')) notFound++; else if (buf.includes('%ERROR')) errors++; };
const t0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
// -k connections with up to depth queries in flight (depth 1: send the next query when the answer is in)
function persistentClient() {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1', localAddress: spread ? '127.0.0.' + (1 + (conn++ % spread)) : undefined });
    s.setNoDelay(true);
    let buf = '';
    let first = true;
    let inflight = 0;
    const send = () => {
      let out = '';
      while (inflight < depth && next < queries.length) {
        out += (first ? '-k ' : '') + queries[next++] + '\\r\\n';
        first = false;
        inflight++;
      }
      if (out) s.write(out);
      else if (inflight === 0) s.end('-k\\r\\n');
    };
    s.on('connect', send);
    s.on('data', (c) => {
      buf += c;
      for (;;) {
        const i = buf.indexOf('% This query was served by ');
        if (i < 0) break;
        const j = buf.indexOf('\\n\\n\\n', i);
        if (j < 0) break;
        count(buf.slice(0, j));
        buf = buf.slice(j + 3);
        done++;
        inflight--;
      }
      send();
    });
    s.on('error', () => { errors++; resolve(); });
    s.on('close', resolve);
  });
}
function oneShotClient() {
  return new Promise((resolve) => {
    const go = () => {
      if (next >= queries.length) return resolve();
      const q = queries[next++];
      const s = net.connect({ port, host: '127.0.0.1' });
      let buf = '';
      s.on('connect', () => s.write(q + '\\r\\n'));
      s.on('data', (c) => (buf += c));
      s.on('error', () => { errors++; });
      s.on('close', () => { if (!buf.includes('served by')) errors++; else count(buf); done++; go(); });
    };
    go();
  });
}
Promise.all(Array.from({ length: connections }, persistent ? persistentClient : oneShotClient)).then(() => {
  const c = process.cpuUsage(cpu0);
  process.send({ done, errors, notFound, seconds: Number(process.hrtime.bigint() - t0) / 1e9, clientCpu: (c.user + c.system) / 1e6 }, () => process.exit(0));
});
});
`;
const clientFile = join(mkdtempSync(join(tmpdir(), 'whois-bench-')), 'client.cjs');
writeFileSync(clientFile, CLIENT);

interface ClientResult { done: number; errors: number; notFound: number; seconds: number; clientCpu: number; serverCpu: number }

/** Runs the load generator; serverCpu is this (server) process's CPU seconds meanwhile. */
function runClients(port: number, queries: string[], connections: number, persistent: boolean, depth = 1, serverPids?: number[]): Promise<ClientResult> {
  const child = fork(clientFile, [], { stdio: 'inherit' });
  const cpu0 = process.cpuUsage();
  const pids0 = serverPids?.map(processCpuSeconds);
  // cluster workers are chosen by client address: spread the connections over 8 loopback addresses
  child.send({ port, queries, connections, persistent, depth, spread: serverPids ? 8 : 0 });
  return new Promise((resolve, reject) => {
    child.once('message', (m: Omit<ClientResult, 'serverCpu'>) => {
      const c = process.cpuUsage(cpu0);
      const serverCpu = serverPids ? serverPids.reduce((sum, pid, i) => sum + processCpuSeconds(pid) - pids0![i]!, 0) : (c.user + c.system) / 1e6;
      resolve({ ...m, serverCpu });
    });
    child.once('error', reject);
  });
}

const perCpu = (n: number, cpu: number) => `${fmt(n / cpu)} q/s per server CPU-second`;

const url = await ensureDatabase();
await generate(url);
if (process.env.WHOIS_BENCH_GENERATE_ONLY) process.exit(0);
const WORKERS = Number(process.env.WHOIS_BENCH_WORKERS ?? 0);
const DEPTH = Number(process.env.WHOIS_BENCH_DEPTH ?? 8);
const loadavg = () => (os.loadavg()[0] ?? 0).toFixed(1);
const tcpQueries = addresses(200_000);

if (WORKERS <= 1) {
  const db = await openDatabase({ url, poolSize: 4 });
  const t1 = process.hrtime.bigint();
  const service = await startWhoisService({ db, host: '127.0.0.1', port: 0, pollMs: 0, personalDataLimit: 1e9, limits: { maxConnectionsPerClient: 10_000 } });
  const heap = process.memoryUsage();
  console.log(`view: ${fmt(service.view.delegations.size)} delegations loaded in ${secs(t1).toFixed(1)} s (load average ${os.loadavg()[0]!.toFixed(1)}), heap ${fmt(heap.heapUsed / 1e6)} MB, rss ${fmt(heap.rss / 1e6)} MB`);

  // 1. the engine alone: parse + look-up + policy + RPSL text, no sockets
  const engineQueries = addresses(100_000);
  let t = process.hrtime.bigint();
  let cpu = process.cpuUsage();
  let bytes = 0;
  for (const q of engineQueries) bytes += (await service.engine.execute(parseQuery(q), '127.0.0.1')).length;
  const engineRate = engineQueries.length / secs(t);
  const engineCpu = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1e6;
  console.log(`engine (in-process, full answers): ${fmt(engineRate)} q/s wall, ${perCpu(engineQueries.length, engineCpu)}, ${fmt(bytes / engineQueries.length)} bytes/answer; load average ${os.loadavg()[0]!.toFixed(1)}`);

  // 2. TCP, persistent connections (-k), client in its own process: one query in flight per connection (each
  // answer awaited before the next query), then pipelined (DEPTH queries in flight per connection, as a script
  // writing its queries onto a -k connection does)
  await runClients(service.port, tcpQueries.slice(0, 5000), 16, true); // warm-up
  // WHOIS_PROFILE=<file>: a CPU profile of the server process during this run only
  const session = process.env.WHOIS_PROFILE ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const k = await runClients(service.port, tcpQueries, 32, true);
  if (session) writeFileSync(process.env.WHOIS_PROFILE!, JSON.stringify((await session.post('Profiler.stop')).profile));
  const kRate = k.done / k.seconds;
  const kLoad = loadavg();
  console.log(`tcp -k (32 persistent connections, 1 query in flight each): ${fmt(k.done)} queries in ${k.seconds.toFixed(2)} s = ${fmt(kRate)} q/s wall, ${perCpu(k.done, k.serverCpu)}, client ${fmt(k.done / k.clientCpu)} q/s per CPU-second, ${k.errors} errors, ${k.notFound} not found; load average ${kLoad}`);
  const p = await runClients(service.port, addresses(200_000), 32, true, DEPTH);
  const pRate = p.done / p.seconds;
  const pLoad = loadavg();
  console.log(`tcp -k pipelined (32 persistent connections, ${DEPTH} queries in flight each): ${fmt(p.done)} queries in ${p.seconds.toFixed(2)} s = ${fmt(pRate)} q/s wall, ${perCpu(p.done, p.serverCpu)}, client ${fmt(p.done / p.clientCpu)} q/s per CPU-second, ${p.errors} errors, ${p.notFound} not found; load average ${pLoad}`);

  // 3. TCP, one connection per query (RFC 3912 default, as the Debian client does)
  const one = await runClients(service.port, addresses(20_000), 32, false);
  console.log(`tcp one query per connection (32 in parallel): ${fmt(one.done)} in ${one.seconds.toFixed(2)} s = ${fmt(one.done / one.seconds)} q/s wall, ${perCpu(one.done, one.serverCpu)}, ${one.errors} errors, ${one.notFound} not found; load average ${loadavg()}`);

  // 4. bulk attribution
  const bulkLines = addresses(100_000);
  t = process.hrtime.bigint();
  cpu = process.cpuUsage();
  const sock = net.connect({ port: service.port, host: '127.0.0.1' });
  let got = 0;
  sock.on('data', (c) => (got += c.length));
  await once(sock, 'connect');
  sock.write(`begin\nnoheader\n${bulkLines.join('\n')}\nend\n`);
  await once(sock, 'close');
  const bulkCpu = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1e6;
  console.log(`bulk: 100,000 addresses in ${secs(t).toFixed(2)} s wall, ${bulkCpu.toFixed(2)} CPU-seconds (client and server) (${fmt(got / 1e6)} MB answered)`);

  await service.close();
  await db.close();

  const kPerCpu = k.done / k.serverCpu;
  const pPerCpu = p.done / p.serverCpu;
  console.log(`whois: ${fmt(kRate)} q/s (${(kRate / TARGET).toFixed(2)}x of the ${fmt(TARGET)} q/s target) wall-clock with 1 query in flight per -k connection, ${fmt(kPerCpu)} q/s per server CPU-second (${(kPerCpu / TARGET).toFixed(2)}x), load average ${kLoad}; pipelined ${DEPTH} deep: ${fmt(pRate)} q/s wall (${(pRate / TARGET).toFixed(2)}x), ${fmt(pPerCpu)} per server CPU-second (${(pPerCpu / TARGET).toFixed(2)}x), load average ${pLoad}; ${fmt(service.view.delegations.size)} delegations, PostgreSQL`);
}

// 5. several server processes (WHOIS_BENCH_WORKERS=n): each worker loads its own view
// (a separate run: the single-process view is not kept in memory meanwhile)
if (WORKERS > 1) {
  const t3 = process.hrtime.bigint();
  const cluster = await startWhoisCluster({
    databaseUrl: url, workers: WORKERS, host: '127.0.0.1', port: 0, pollMs: 0, personalDataLimit: 1e9,
    limits: { maxConnectionsPerClient: 10_000 }, execArgv: HEAP_FLAGS,
  });
  console.log(`cluster: ${WORKERS} workers loaded their views in ${secs(t3).toFixed(1)} s (load average ${loadavg()})`);
  await runClients(cluster.port, tcpQueries.slice(0, 5000), 16, true, 1, cluster.pids); // warm-up
  let kept: ClientResult | undefined;
  for (const depth of [1, DEPTH]) {
    const r = await runClients(cluster.port, addresses(200_000), 32, true, depth, cluster.pids);
    if (depth === 1) kept = r;
    console.log(`cluster tcp -k (${WORKERS} workers, 32 persistent connections from 8 addresses, ${depth} in flight each): ${fmt(r.done)} queries in ${r.seconds.toFixed(2)} s = ${fmt(r.done / r.seconds)} q/s wall, ${perCpu(r.done, r.serverCpu)} (all workers), client ${fmt(r.done / r.clientCpu)} q/s per CPU-second, ${r.errors} errors, ${r.notFound} not found; load average ${loadavg()}`);
  }
  await cluster.close();
  const r = kept!;
  console.log(`whois: ${fmt(r.done / r.seconds)} q/s (${(r.done / r.seconds / TARGET).toFixed(2)}x of the ${fmt(TARGET)} q/s target) wall-clock, ${WORKERS} worker processes, 1 query in flight per -k connection, ${fmt(r.done / r.serverCpu)} q/s per server CPU-second; ${fmt(N)} delegations, PostgreSQL`);
}
