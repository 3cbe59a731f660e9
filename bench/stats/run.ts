/**
 * Statistics benchmark on real PostgreSQL.
 *  1. import: the real APNIC statistics file (77,022 lines) into a fresh registry with the IANA level loaded,
 *     through importDelegated (validation, holder organisations, delegations under their IANA blocks with
 *     every index and constraint of the registry schema, change-feed rows) — lines per second.
 *  2. round trip: export that registry again and compare the record lines with the file; then import the
 *     same file again (a daily update with nothing new: every record compared, nothing written).
 *  3. export: 1,000,000 generated delegations of one registry written by exportDelegated — seconds.
 * Targets: import ≥ 100,000 lines/s; export of 1,000,000 delegations < 2 s.
 *
 *   DATABASE_URL=postgres://… npm run bench -- stats [--export-size 1000000]
 * Uses (and drops) database numreg_bench_stats on that server.
 */
import { readFileSync } from 'node:fs';
import { withCpu } from '../lib/cpu.js';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { importIana } from '../../src/stats/iana/import.js';
import { parseDelegated } from '../../src/stats/delegated/parse.js';
import { importDelegated } from '../../src/stats/delegated/import.js';
import { exportDelegated } from '../../src/stats/delegated/export.js';
import { freshBenchDatabase } from '../lib/database.js';

const SAMPLE = process.env.NUMREG_STATS_SAMPLE ?? '/work/shared/data/samples/delegated-apnic-20230629';
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const EXPORT_SIZE = Number(arg('export-size', '1000000'));
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.error('stats bench: set DATABASE_URL to a PostgreSQL server (the benchmark creates database numreg_bench_stats)');
  process.exit(2);
}

/** A Writable that keeps only a byte count and the text when asked. */
function sink(keep: boolean) {
  let bytes = 0;
  const parts: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (keep) parts.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, bytes: () => bytes, text: () => parts.join('') };
}

const seconds = (t0: number) => (performance.now() - t0) / 1000;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const { db, drop } = await freshBenchDatabase(serverUrl, 'numreg_bench_stats', 2);
try {
  console.log(`load average at start: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (${process.env.DATABASE_URL?.replace(/\/\/[^@]*@/, '//')})`);
  await importIana(db, join(import.meta.dirname, '../../data/iana'));

  // 1. import
  const text = readFileSync(SAMPLE, 'utf8');
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  let t0 = performance.now();
  const parsed = parseDelegated(text);
  const parseSeconds = seconds(t0);
  if (!parsed.file) throw new Error(`sample does not parse: ${parsed.errors[0]?.message}`);
  t0 = performance.now();
  const imp = await withCpu(db, () => importDelegated(db, SAMPLE));
  const result = imp.value;
  const importSeconds = seconds(t0);
  const importCpu = imp.cpu?.total;
  const importRate = lines / importSeconds;
  console.log(`parse + validate: ${fmt(lines / parseSeconds)} lines/s (${lines.toLocaleString()} lines in ${parseSeconds.toFixed(2)} s)`);
  console.log(`import ${SAMPLE.split('/').pop()}: ${fmt(importRate)} lines/s (${lines.toLocaleString()} lines, ${result.created.toLocaleString()} delegations + change rows, in ${importSeconds.toFixed(2)} s${imp.text})`);

  // 2. round trip
  const back = sink(true);
  await exportDelegated(db, back.stream, { registry: 'apnic' });
  const exported = new Set(back.text().split('\n').filter((l) => l && !l.endsWith('|summary')).slice(1));
  const fileLines = text.split('\n');
  const original = parsed.file.records.map((r) => fileLines[r.line - 1]!.replace(/\r$/, ''));
  const same = original.length === exported.size && original.every((l) => exported.has(l));
  console.log(`round trip: ${same ? 'identical' : 'DIFFERENT'} record lines (${original.length.toLocaleString()} in, ${exported.size.toLocaleString()} out)`);

  // 2b. the daily case: the registry's file imported again (best of three); every record is compared, none written.
  let again = Infinity;
  for (let i = 0; i < 3; i++) {
    t0 = performance.now();
    const r = await importDelegated(db, SAMPLE);
    if (r.created + r.modified + r.deleted !== 0) throw new Error(`re-import changed ${r.created + r.modified + r.deleted} delegations`);
    again = Math.min(again, seconds(t0));
  }
  console.log(`re-import of the same file (daily update, nothing to write; best of 3): ${fmt(lines / again)} lines/s (${again.toFixed(2)} s)`);

  // 3. export of generated delegations (top-level siblings; the generation itself is not what is measured).
  t0 = performance.now();
  const nAsn = Math.round(EXPORT_SIZE * 0.15), nV6 = Math.round(EXPORT_SIZE * 0.25), nV4 = EXPORT_SIZE - nAsn - nV6;
  const base6 = (0x2400n << 112n).toString();
  await db.exec(`
    TRUNCATE delegation, change CASCADE;
    INSERT INTO organisation (handle, name, role, registry, opaque_id)
      SELECT 'BENCH-' || i, 'Bench holder ' || i, 'lir', 'bench', 'B' || lpad(to_hex(i * 2654435761 % 4294967296), 8, '0')
        FROM generate_series(1, 1000) i;
    CREATE TEMP TABLE h AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM organisation WHERE registry = 'bench';
    INSERT INTO delegation (family, rng, holder_id, status, registry, country, delegated_on)
      SELECT 'asn', numrange(1000000 + 2 * i, 1000000 + 2 * i + (i % 5 = 0)::int, '[]'), h.id, 'allocated', 'bench', 'JP', date '2000-01-01' + (i % 9000)
        FROM generate_series(0, ${nAsn - 1}) i JOIN h ON h.k = i % 1000;
    INSERT INTO delegation (family, rng, holder_id, status, registry, country, delegated_on)
      SELECT 'ipv4', numrange(16777216::numeric * 64 + i * 1024, 16777216::numeric * 64 + i * 1024 + CASE WHEN i % 7 = 0 THEN 767 ELSE 255 END, '[]'),
             h.id, CASE WHEN i % 3 = 0 THEN 'allocated' ELSE 'assigned' END, 'bench', 'JP', date '2000-01-01' + (i % 9000)
        FROM generate_series(0, ${nV4 - 1}) i JOIN h ON h.k = i % 1000;
    INSERT INTO delegation (family, rng, holder_id, status, registry, country, delegated_on)
      SELECT 'ipv6', numrange(${base6}::numeric + i * ${(1n << 96n).toString()}::numeric,
                              ${base6}::numeric + i * ${(1n << 96n).toString()}::numeric + ${(1n << 96n).toString()}::numeric - 1, '[]'),
             h.id, 'allocated', 'bench', 'JP', date '2000-01-01' + (i % 9000)
        FROM generate_series(0, ${nV6 - 1}) i JOIN h ON h.k = i % 1000;
    ANALYZE delegation; ANALYZE organisation;
  `);
  console.log(`generated ${EXPORT_SIZE.toLocaleString()} delegations (${nAsn.toLocaleString()} asn, ${nV4.toLocaleString()} ipv4, ${nV6.toLocaleString()} ipv6) in ${seconds(t0).toFixed(1)} s`);
  let best = Infinity;
  let bestCpu = Infinity;
  for (const extended of [false, false, true]) {
    const out = sink(false);
    t0 = performance.now();
    const exp = await withCpu(db, () => exportDelegated(db, out.stream, { registry: 'bench', extended }));
    const r = exp.value;
    const s = seconds(t0);
    const cpu = exp.cpu?.total;
    if (!extended) {
      best = Math.min(best, s);
      bestCpu = Math.min(bestCpu, cpu ?? Infinity);
    }
    console.log(`export${extended ? ' extended' : ''}: ${r.records.toLocaleString()} records, ${(out.bytes() / 1e6).toFixed(1)} MB in ${s.toFixed(2)} s${exp.text} (${fmt(r.records / s)} records/s)`);
  }
  console.log(`load average at end: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  const exportRatio = 2 / best;
  const importRatio = importRate / 100000;
  const cpuNote = Number.isFinite(bestCpu) && importCpu !== undefined
    ? `; CPU time: export ${bestCpu.toFixed(2)} s (${(2 / bestCpu).toFixed(2)}x), import ${fmt(lines / importCpu)} lines/CPU-s (${(lines / importCpu / 100000).toFixed(2)}x)`
    : '';
  console.log(`stats: export ${EXPORT_SIZE.toLocaleString()} delegations in ${best.toFixed(2)} s, import ${fmt(importRate)} lines/s (${exportRatio.toFixed(2)}x export target 2 s, ${importRatio.toFixed(2)}x import target 100,000 lines/s${cpuNote})`);
} finally {
  await drop();
}
