// In-process engine loop for profiling (node --cpu-prof --import tsx bench/whois/engine-loop.ts [delegations] [queries]):
// loads the view from the bench database made by run.ts and answers random address queries, no sockets.
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { openDatabase } from '../../src/db/database.js';
import { startWhoisService } from '../../src/whois/index.js';
import { parseQuery } from '../../src/whois/query-parser.js';
import { mulberry32 } from '../../src/core/prng.js';

const N = Number(process.argv[2] ?? 1_000_000);
const Q = Number(process.argv[3] ?? 200_000);
const u = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5433/postgres');
u.pathname = `/numreg_bench_whois_${N}`;
const PER_SLASH16 = Math.max(1, Math.min(256, Math.ceil((Math.floor(N * 0.9) - 200 - 51_200) / 51_200)));
const SLASH32S = Math.max(1, Math.floor((N - Math.floor(N * 0.9)) / 65));
const rnd = mulberry32(11);
const lines: string[] = [];
for (let i = 0; i < Q; i++) {
  if (rnd() < 0.9) lines.push(`${1 + Math.floor(rnd() * 200)}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * PER_SLASH16)}.${Math.floor(rnd() * 256)}`);
  else lines.push(`2400:${Math.floor(rnd() * SLASH32S).toString(16)}:${Math.floor(rnd() * 64).toString(16)}::${Math.floor(rnd() * 65536).toString(16)}`);
}
const db = await openDatabase({ url: u.toString(), poolSize: 4 });
let t = process.hrtime.bigint();
const service = await startWhoisService({ db, host: '127.0.0.1', port: 0, pollMs: 0, personalDataLimit: 1e9 });
console.log(`view: ${service.view.delegations.size} in ${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(1)} s, heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
// WHOIS_PROFILE=<file>: a CPU profile of the query rounds only (not the load)
const session = process.env.WHOIS_PROFILE ? new Session() : undefined;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
let gcCount = 0;
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcCount++;
    gcMs += e.duration;
  }
}).observe({ entryTypes: ['gc'] });
for (let round = 0; round < 3; round++) {
  gcCount = 0;
  gcMs = 0;
  t = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  let bytes = 0;
  for (const q of lines) bytes += (await service.engine.execute(parseQuery(q), '127.0.0.1')).length;
  const c = process.cpuUsage(c0);
  const wall = Number(process.hrtime.bigint() - t) / 1e9;
  const cpu = (c.user + c.system) / 1e6;
  console.log(`engine round ${round}: ${Math.round(Q / wall)} q/s wall, ${Math.round(Q / cpu)} q/s per CPU-second, ${Math.round(bytes / Q)} bytes/answer; ${gcCount} GCs, ${Math.round(gcMs)} ms; heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB; load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)}`);
}
if (session) writeFileSync(process.env.WHOIS_PROFILE!, JSON.stringify((await session.post('Profiler.stop')).profile));
await service.close();
await db.close();
