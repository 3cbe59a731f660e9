/**
 * Registry look-up benchmark on real PostgreSQL: a generated registry of ~5 million IPv4 + IPv6 delegations
 * (IANA /8s → /16 allocations → /24 assignments; /12s → /32 allocations → /48 assignments), then
 * longest-match and more-specific look-ups through src/registry/lookup.ts (B-tree probe and walk up) from
 * several concurrent connections. Target: ≥ 20,000 longest-match look-ups/s.
 *
 *   DATABASE_URL=postgres://… npm run bench -- registry [--scale 1.0] [--seconds 10] [--keep] [--no-view]
 * The benchmark database is numreg_bench on the same server; --keep reuses it when it has the right size.
 */
import pg from 'pg';
import { openDatabase } from '../../src/db/database.js';
import { setAsideDelegationIndexes } from '../lib/bulk-load.js';
import { migrate } from '../../src/db/migrate.js';
import { longestMatch, moreSpecifics } from '../../src/registry/lookup.js';
import { RegistryView } from '../../src/registry/view.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const scale = Number(arg('scale', '1'));
const seconds = Number(arg('seconds', '10'));
const keep = process.argv.includes('--keep');
const withView = !process.argv.includes('--no-view');
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.error('registry bench: set DATABASE_URL to a PostgreSQL server (the benchmark creates database numreg_bench)');
  process.exit(2);
}

// Shape: v4 /8s × /16 per /8 × /24 per /16, v6 /12s × /32 per /12 × /48 per /32.
const V4_SLASH8 = 200, V4_16_PER_8 = 128, V4_24_PER_16 = Math.round(160 * scale);
const V6_SLASH12 = 16, V6_32_PER_12 = 320, V6_48_PER_32 = Math.round(160 * scale);
const expected = V4_SLASH8 * (1 + V4_16_PER_8 * (1 + V4_24_PER_16)) + V6_SLASH12 * (1 + V6_32_PER_12 * (1 + V6_48_PER_32));

async function prepare(): Promise<string> {
  const url = new URL(serverUrl!);
  url.pathname = '/numreg_bench';
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'numreg_bench'`)).rowCount! > 0;
  if (exists && keep) {
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    const n = Number((await c.query('SELECT count(*) AS n FROM delegation').catch(() => ({ rows: [{ n: -1 }] }))).rows[0].n);
    await c.end();
    if (n === expected) {
      await admin.end();
      const db = await openDatabase({ url: url.toString() });
      const applied = await migrate(db);
      await db.close();
      console.log(`reusing numreg_bench with ${n.toLocaleString()} delegations${applied.length ? ` (applied ${applied.join(', ')})` : ''}`);
      return url.toString();
    }
  }
  await admin.query('DROP DATABASE IF EXISTS numreg_bench WITH (FORCE)');
  await admin.query('CREATE DATABASE numreg_bench');
  await admin.end();
  const db = await openDatabase({ url: url.toString() });
  await migrate(db);
  const t0 = Date.now();
  // Bulk load without the secondary indexes, then build them once (what a real RIR-scale import does).
  await db.exec(`INSERT INTO organisation (id, handle, name, role) VALUES (1, 'BENCH-HOLDER', 'Bench holder', 'lir');
    SELECT setval('delegation_id_seq', 1000000);`);
  const setAside = await setAsideDelegationIndexes(db);
  const gen = (sql: string) => db.exec(sql);
  // IPv4: ids 1.. for /8s, then /16s, then /24s; ranges computed from the generated integers.
  await gen(`INSERT INTO delegation (id, family, rng, parent_id, holder_id, status, registry)
    SELECT a, 'ipv4', numrange((a::numeric) * 16777216, (a::numeric + 1) * 16777216 - 1, '[]'), NULL, 1, 'allocated', 'iana'
      FROM generate_series(1, ${V4_SLASH8}) a`);
  await gen(`INSERT INTO delegation (id, family, rng, parent_id, holder_id, status, registry)
    SELECT 1000 + a * 1000 + b, 'ipv4', numrange(a::numeric * 16777216 + b * 65536, a::numeric * 16777216 + (b + 1) * 65536 - 1, '[]'), a, 1, 'allocated', 'apnic'
      FROM generate_series(1, ${V4_SLASH8}) a, generate_series(0, ${V4_16_PER_8 - 1}) b`);
  await gen(`INSERT INTO delegation (family, rng, parent_id, holder_id, status, registry)
    SELECT 'ipv4', numrange(a::numeric * 16777216 + b * 65536 + c * 256, a::numeric * 16777216 + b * 65536 + (c + 1) * 256 - 1, '[]'), 1000 + a * 1000 + b, 1, 'assigned', 'jpnic'
      FROM generate_series(1, ${V4_SLASH8}) a, generate_series(0, ${V4_16_PER_8 - 1}) b, generate_series(0, ${V4_24_PER_16 - 1}) c`);
  // IPv6 under 2400::/12-like blocks: /12 = 2^116 addresses, /32 = 2^96, /48 = 2^80.
  const base = '42535295865117307932921825928971026432'; // 2000::
  // Integer literals: numeric powers would carry a decimal scale into the stored bounds.
  const [P116, P96, P80] = [116n, 96n, 80n].map((e) => (1n << e).toString());
  await gen(`INSERT INTO delegation (id, family, rng, parent_id, holder_id, status, registry)
    SELECT 900000000 + a, 'ipv6', numrange(${base} + a * ${P116}, ${base} + (a + 1) * ${P116} - 1, '[]'), NULL, 1, 'allocated', 'iana'
      FROM generate_series(0, ${V6_SLASH12 - 1}) a`);
  await gen(`INSERT INTO delegation (id, family, rng, parent_id, holder_id, status, registry)
    SELECT 910000000 + a * 10000 + b, 'ipv6', numrange(${base} + a * ${P116} + b * ${P96}, ${base} + a * ${P116} + (b + 1) * ${P96} - 1, '[]'), 900000000 + a, 1, 'allocated', 'apnic'
      FROM generate_series(0, ${V6_SLASH12 - 1}) a, generate_series(0, ${V6_32_PER_12 - 1}) b`);
  await gen(`INSERT INTO delegation (family, rng, parent_id, holder_id, status, registry)
    SELECT 'ipv6', numrange(${base} + a * ${P116} + b * ${P96} + c * ${P80}, ${base} + a * ${P116} + b * ${P96} + (c + 1) * ${P80} - 1, '[]'), 910000000 + a * 10000 + b, 1, 'assigned', 'jpnic'
      FROM generate_series(0, ${V6_SLASH12 - 1}) a, generate_series(0, ${V6_32_PER_12 - 1}) b, generate_series(0, ${V6_48_PER_32 - 1}) c`);
  const loaded = Date.now();
  const built = await setAside.restore();
  console.log(`generated ${expected.toLocaleString()} delegations in ${((loaded - t0) / 1000).toFixed(1)} s, indexes in ${built.seconds.toFixed(1)} s`);
  await db.close();
  return url.toString();
}

async function measure(name: string, url: string, concurrency: number, query: (db: Awaited<ReturnType<typeof openDatabase>>, i: number) => Promise<unknown>) {
  const db = await openDatabase({ url, poolSize: concurrency });
  for (let i = 0; i < 200; i++) await query(db, i); // warm-up
  let done = 0;
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: concurrency }, async (_, w) => {
    for (let i = w; performance.now() < until; i += concurrency) {
      const t = performance.now();
      await query(db, i);
      latencies.push(performance.now() - t);
      done++;
    }
  }));
  await db.close();
  latencies.sort((a, b) => a - b);
  const rate = done / seconds;
  console.log(`${name}: ${Math.round(rate).toLocaleString()} look-ups/s with ${concurrency} connections, p50 ${latencies[latencies.length >> 1]!.toFixed(2)} ms, p99 ${latencies[Math.floor(latencies.length * 0.99)]!.toFixed(2)} ms`);
  return rate;
}

const url = await prepare();
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const v4Addr = () => BigInt(Math.floor((1 + rnd() * V4_SLASH8) * 16777216));
const V6BASE = 0x2000n << 112n;
const v6Addr = () => V6BASE + (BigInt(Math.floor(rnd() * V6_SLASH12 * V6_32_PER_12 * 65536)) << 64n) + 1n;
const lm = await measure('longest-match (IPv4+IPv6 addresses)', url, 16, (db, i) => {
  const value = i % 2 === 0 ? v4Addr() : v6Addr();
  return longestMatch(db, { family: i % 2 === 0 ? 'ipv4' : 'ipv6', start: value, end: value });
});
await measure('more-specifics of a /16 allocation (~160 assignments each)', url, 16, (db) => {
  const a = BigInt(1 + Math.floor(rnd() * V4_SLASH8)), b = BigInt(Math.floor(rnd() * V4_16_PER_8));
  const start = a * 16777216n + b * 65536n;
  return moreSpecifics(db, { family: 'ipv4', start, end: start + 65535n });
});

// The views (WHOIS, bulk attribution) answer from an in-memory index of the same rows, loaded from
// PostgreSQL and kept current by the change feed; measure that path on the same registry (--no-view skips it).
let viewRate = 0;
if (withView) {
  const viewDb = await openDatabase({ url, poolSize: 4 });
  const loadStart = performance.now();
  const view = new RegistryView(viewDb, { pollMs: 0 });
  await view.load();
  console.log(`in-memory view: loaded ${view.delegations.size.toLocaleString()} delegations in ${((performance.now() - loadStart) / 1000).toFixed(1)} s, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
  let viewHits = 0;
  const viewStart = performance.now();
  const VIEW_QUERIES = 1_000_000;
  for (let i = 0; i < VIEW_QUERIES; i++) {
    const value = i % 2 === 0 ? v4Addr() : v6Addr();
    if (view.longestMatch({ family: i % 2 === 0 ? 'ipv4' : 'ipv6', start: value, end: value })) viewHits++;
  }
  viewRate = VIEW_QUERIES / ((performance.now() - viewStart) / 1000);
  console.log(`longest-match through the in-memory view: ${Math.round(viewRate).toLocaleString()} look-ups/s (${viewHits.toLocaleString()} hits)`);
  view.close();
  await viewDb.close();
}
console.log(`registry: ${Math.round(lm).toLocaleString()} longest-match look-ups/s on PostgreSQL (B-tree), ${withView ? `${Math.round(viewRate).toLocaleString()}/s through the view` : 'view not measured'} (${(lm / 20000).toFixed(2)}×${withView ? ` and ${(viewRate / 20000).toFixed(1)}×` : ''} the 20,000/s target)`);
