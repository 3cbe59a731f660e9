/**
 * RDAP `ip/` benchmark on PostgreSQL: a generated registry of ~5 million delegations (generate.ts), the real
 * RDAP routes on a real fastify listener (port 0), and a load generator in a child process (load.ts) that
 *  1. sends `ip/<address>` look-ups open-loop at a fixed rate (default 1,000 req/s) and reports p50/p99/max
 *     latency, measured from the scheduled send time (so queueing delay counts);
 *  2. sends them closed-loop with N connections to find the look-ups per second the machine sustains.
 * Target: p99 < 10 ms at 1,000 req/s. Last line: `rdap: <p99> ms p99 at <rate> req/s (<p99/10 ms> of target)`.
 *
 * Usage: npm run bench -- rdap [--per16 98] [--rate 1000] [--seconds 10] [--source view|sql] [--db numreg_bench_rdap] [--fresh]
 * For steady-state figures give PostgreSQL shared_buffers larger than the delegation table with its indexes
 * (2.5 GB at 5M; the bench prewarms them with pg_prewarm when there is room).
 * DATABASE_URL names the PostgreSQL server (default postgres://postgres@127.0.0.1:5433/postgres); the
 * benchmark database `numreg_bench_rdap` is generated once and reused while its size matches.
 */
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import Fastify from 'fastify';
import { openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { registerRdapRoutes } from '../../src/rdap/index.js';
import { RegistryView } from '../../src/registry/view.js';
import { generateRegistry, SLASH8S } from './generate.js';
import { watchOtherCpu, withCpu } from '../lib/cpu.js';
import { watchGc } from '../lib/gc.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const per16 = Number(arg('per16', '98'));
const rate = Number(arg('rate', '1000'));
const seconds = Number(arg('seconds', '10'));
const fresh = process.argv.includes('--fresh');
/** view: answers from the in-memory registry view, as `numreg serve` does; sql: one statement per look-up. */
const source = arg('source', 'view');
if (!['view', 'sql'].includes(source)) throw new Error('--source is view or sql');
const TARGET_P99_MS = 10;
const run = promisify(execFile);
const DB_NAME = arg('db', 'numreg_bench_rdap');

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5433/postgres';
const log = (s: string) => console.log(s);

async function prepareDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME])).rowCount === 1;
  const url = new URL(serverUrl);
  url.pathname = `/${DB_NAME}`;
  const expected = SLASH8S + SLASH8S * 256 + SLASH8S * 256 * per16;
  if (exists && !fresh) {
    const probe = new pg.Client({ connectionString: url.toString() });
    await probe.connect();
    const n = await probe.query<{ n: string }>("SELECT count(*)::text AS n FROM delegation").catch(() => ({ rows: [{ n: '0' }] }));
    await probe.end();
    if (Number(n.rows[0]!.n) === expected) {
      log(`reusing ${DB_NAME}: ${expected.toLocaleString('en')} delegations`);
      await admin.end();
      return url.toString();
    }
  }
  await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  const db = await openDatabase({ url: url.toString(), poolSize: 2 });
  await migrate(db);
  log(`generating ${expected.toLocaleString('en')} delegations with multi-row INSERT … SELECT`);
  const g = await generateRegistry(db, per16, log);
  log(`generated ${g.delegations.toLocaleString('en')} delegations in ${g.seconds.toFixed(0)} s`);
  await db.close();
  return url.toString();
}

/** Runs one load phase in a client process (load.ts) and returns its figures. */
async function load<T>(job: { port: number; mode: 'open' | 'closed'; rate?: number; seconds: number; connections?: number }): Promise<T> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./load.ts', import.meta.url)),
    JSON.stringify({ rate: 0, connections: 0, slash8s: SLASH8S, ...job })], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as T;
}
const closedLoop = async (port: number, connections: number, durationS: number) =>
  (await load<{ perSecond: number }>({ port, mode: 'closed', connections, seconds: durationS })).perSecond;
const openLoop = (port: number, perSecond: number, durationS: number) =>
  load<{ total: number; achieved: number; p50: number; p99: number; max: number; statuses: Record<string, number>; clientGc: string }>({ port, mode: 'open', rate: perSecond, seconds: durationS });

const dbUrl = await prepareDatabase();
const db = await openDatabase({ url: dbUrl, poolSize: 16 });

/**
 * Steady state, as on a serving registry: the tables and indexes an `ip/` answer reads are loaded into
 * PostgreSQL's shared buffers with pg_prewarm when the server has room for them (shared_buffers larger than
 * the relations); otherwise the look-ups measure the host's page cache and disk instead.
 */
async function prewarm(): Promise<string> {
  const { rows } = await db.query<{ buffers: string; needed: string }>(
    `SELECT current_setting('shared_buffers') AS buffers,
            pg_size_pretty(pg_total_relation_size('delegation') + pg_total_relation_size('organisation') + pg_total_relation_size('contact')) AS needed`);
  try {
    await db.exec('CREATE EXTENSION IF NOT EXISTS pg_prewarm');
    const rels = (await db.query<{ rel: string }>(
      `SELECT c.oid::regclass::text AS rel FROM pg_class c
        WHERE c.relname IN ('delegation', 'organisation', 'contact')
           OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN ('delegation'::regclass, 'organisation'::regclass, 'contact'::regclass))`)).rows;
    for (const r of rels) await db.query('SELECT pg_prewarm($1::regclass)', [r.rel]);
    return `prewarmed ${rels.length} relations (${rows[0]!.needed}) into shared_buffers = ${rows[0]!.buffers}`;
  } catch (error) {
    return `no prewarm (${(error as Error).message}); shared_buffers = ${rows[0]!.buffers}, relations ${rows[0]!.needed}`;
  }
}
log(await prewarm());
let view: RegistryView | undefined;
if (source === 'view') {
  const t0 = performance.now();
  view = new RegistryView(db);
  await view.load();
  log(`loaded the registry view (${view.delegations.size.toLocaleString('en')} delegations) in ${((performance.now() - t0) / 1000).toFixed(0)} s, heap ${(process.memoryUsage().heapUsed / 2 ** 30).toFixed(1)} GiB`);
}
const app = Fastify({ logger: false });
await registerRdapRoutes(app, { db, view, rateLimit: false, port43Host: 'whois.numreg.example' });
await app.listen({ host: '127.0.0.1', port: 0 });
const port = (app.server.address() as { port: number }).port;

// Sanity: a look-up answers an assignment with redacted person and role contacts.
const probe = await (await fetch(`http://127.0.0.1:${port}/rdap/ip/1.2.3.4`)).json() as { name: string; entities: unknown[] };
log(`probe ip/1.2.3.4 → ${probe.name} with ${probe.entities.length} entities`);

log('warming up (2 s closed loop)');
await closedLoop(port, 8, 2);
const closedSeconds = Math.max(3, Math.round(seconds / 2));
const closed = await withCpu(db, () => closedLoop(port, 16, closedSeconds));
const throughput = closed.value;
const perLookup = closed.cpu ? `; server CPU per look-up: node ${(closed.cpu.node / (throughput * closedSeconds) * 1000).toFixed(3)} ms, PostgreSQL ${(closed.cpu.server / (throughput * closedSeconds) * 1000).toFixed(3)} ms` : '';
log(`closed loop, 16 connections: ${throughput.toFixed(0)} ip/ look-ups per second${perLookup}`);
const gcs = watchGc();
const others = watchOtherCpu();
const r = await openLoop(port, rate, seconds);
gcs.stop();
log(`open loop at ${rate} req/s for ${seconds} s: ${r.total} requests, achieved ${r.achieved.toFixed(0)} req/s, statuses ${JSON.stringify(r.statuses)}`);
log(`GC during the open loop: server ${gcs.summary()}; client ${r.clientGc}`);
log(`other processes on the machine during the open loop: ${others.stop()}`);
log(`latency p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, max ${r.max.toFixed(2)} ms (target p99 < ${TARGET_P99_MS} ms)`);
await app.close();
await db.close();
console.log(`rdap (${source}): ${r.p99.toFixed(2)} ms p99 at ${rate} req/s (${(r.p99 / TARGET_P99_MS).toFixed(2)}x of the ${TARGET_P99_MS} ms target; ${throughput.toFixed(0)} look-ups/s closed-loop${perLookup}; load average ${loadavg()[0]!.toFixed(1)})`);
