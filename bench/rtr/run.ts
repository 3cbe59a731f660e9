// RTR benchmark: numreg against StayRTR in the same run, on the same 600,000-VRP JSON
// (/work/shared/peers/gen-vrps.py). Measures load time, full-sync time to one client (raw client and
// rtrdump), RSS after load, and the time for 200 synced clients to converge after 1,000 VRP changes.
// Usage: npm run bench -- rtr [--vrps N] [--clients N] [--changes N]
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RtrClient } from '../../src/rtr/client.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg('vrps', 600_000);
const CLIENTS = arg('clients', 200);
const CHANGES = arg('changes', 1000);
const SYNC_RUNS = arg('runs', 5);
const GEN = process.env.NUMREG_GEN_VRPS ?? '/work/shared/peers/gen-vrps.py';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

function have(bin: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** The generated file (cached: gen-vrps.py takes ~40 s for 600k; entries expire after 7 days). */
function vrpFile(): string {
  const dir = path.join(os.tmpdir(), 'numreg-bench-rtr');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `vrps-${N}.json`);
  if (!fs.existsSync(file) || Date.now() - fs.statSync(file).mtimeMs > 5 * 86400_000) {
    console.log(`generating ${N} VRPs with ${GEN} ...`);
    execFileSync('python3', [GEN, String(N), `${file}.tmp`, '42'], { stdio: 'inherit' });
    fs.renameSync(`${file}.tmp`, file);
  }
  return file;
}

/** Polls with Reset Queries until the cache answers with data; returns ms since `t0`. */
async function waitReady(port: number, t0: number, proc: ChildProcess): Promise<number> {
  for (;;) {
    if (exited(proc)) throw new Error('server exited during load');
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => s.write(Buffer.from([1, 2, 0, 0, 0, 0, 0, 8])));
      s.once('data', (d) => {
        s.destroy();
        resolve(d[1] === 3);
      });
      s.on('error', () => resolve(false));
      s.on('close', () => resolve(false));
      s.setTimeout(20_000, () => {
        s.destroy();
        resolve(false);
      });
    });
    if (ok) return performance.now() - t0;
    await sleep(20);
  }
}

interface Figures {
  loadMs: number;
  syncMs: number;
  syncBytes: number;
  rtrdumpMs?: number;
  rssMb: number;
  convergeMs: number;
}

type Starter = (file: string, port: number, mode: 'steady' | 'changes') => ChildProcess;

interface Server {
  name: string;
  dir: string;
  file: string;
  port: number;
  proc: ChildProcess;
  start: Starter;
}

async function launch(name: string, start: Starter, base: string, mode: 'steady' | 'changes', dir?: string): Promise<{ srv: Server; loadMs: number }> {
  dir ??= fs.mkdtempSync(path.join(os.tmpdir(), `numreg-bench-rtr-${name}-`));
  const file = path.join(dir, 'vrps.json');
  if (!fs.existsSync(file)) fs.copyFileSync(base, file);
  const port = await freePort();
  const t0 = performance.now();
  const proc = start(file, port, mode);
  const loadMs = await waitReady(port, t0, proc);
  return { srv: { name, dir, file, port, proc, start }, loadMs };
}

const exited = (p: ChildProcess) => p.exitCode !== null || p.signalCode !== null;

async function stop(srv: Server): Promise<void> {
  if (exited(srv.proc)) return;
  const gone = new Promise((r) => srv.proc.once('exit', r));
  srv.proc.kill('SIGTERM');
  await gone;
}

async function rawSync(srv: Server): Promise<{ ms: number; bytes: number; sessionId: number; serial: number }> {
  const c = new RtrClient({ port: srv.port, version: 1, keep: false, validate: false, follow: false });
  await c.connect();
  const t = performance.now();
  const r = await c.reset();
  const ms = performance.now() - t;
  c.close();
  if (r.pdus !== N + 2) throw new Error(`${srv.name}: full sync gave ${r.pdus - 2} records, expected ${N}`);
  return { ms, bytes: r.bytes, sessionId: r.sessionId, serial: r.serial };
}

function rtrdumpSync(srv: Server): number {
  const t = performance.now();
  execFileSync('rtrdump', ['-connect', `127.0.0.1:${srv.port}`, '-rtr.version', '1', '-file', path.join(srv.dir, 'dump.json')], { stdio: 'ignore', cwd: srv.dir });
  return performance.now() - t;
}

/** 200 synced routers (joined by a Serial Query at the current serial); time until all have the diff. */
async function converge(srv: Server): Promise<number> {
  const ref = await rawSync(srv);
  const clients = Array.from({ length: CLIENTS }, () => new RtrClient({ port: srv.port, version: 1, keep: false, validate: false }));
  try {
    await Promise.all(clients.map((c) => c.connect()));
    await Promise.all(clients.map((c) => c.serialQuery(ref.sessionId, ref.serial)));
    const target = (ref.serial + 1) >>> 0;
    const doneAt: number[] = [];
    let pdus = 0;
    const converged = new Promise<void>((resolve) => {
      for (const c of clients) {
        c.on('sync', (r: { serial: number; pdus: number }) => {
          if (r.serial !== target) return;
          pdus = r.pdus - 2;
          doneAt.push(performance.now());
          if (doneAt.length === clients.length) resolve();
        });
      }
    });
    // CHANGES changes: withdraw half of them, add as many new ones
    const doc = JSON.parse(fs.readFileSync(srv.file, 'utf8')) as { roas: { prefix: string; maxLength: number; asn: number }[] };
    const half = CHANGES / 2;
    const added = doc.roas.slice(0, half).map((r, i) => ({ ...r, asn: 4_200_000_000 + i }));
    doc.roas = doc.roas.slice(half).concat(added);
    const text = JSON.stringify(doc);
    const t = performance.now();
    fs.writeFileSync(`${srv.file}.tmp`, text);
    fs.renameSync(`${srv.file}.tmp`, srv.file);
    await Promise.race([converged, sleep(180_000).then(() => Promise.reject(new Error(`${srv.name}: clients did not converge (${doneAt.length}/${clients.length})`)))]);
    if (pdus !== CHANGES) throw new Error(`${srv.name}: diff had ${pdus} records, expected ${CHANGES}`);
    const ms = Math.max(...doneAt) - t;
    console.log(`${srv.name}: ${CLIENTS} clients converged after ${CHANGES} changes in ${fmt(ms)} (first ${fmt(Math.min(...doneAt) - t)})`);
    return ms;
  } finally {
    for (const c of clients) c.close();
  }
}

const startStay: Starter = (file, port, mode) => {
  const metrics = 20000 + (port % 20000);
  const args = ['-bind', `127.0.0.1:${port}`, '-cache', file, '-checktime=false', '-metrics.addr', `127.0.0.1:${metrics}`, '-log.verbose=false'];
  // StayRTR notices a changed file only by polling; default -refresh 600 except for the convergence run
  if (mode === 'changes') args.push('-refresh', '1');
  return spawn('stayrtr', args, { stdio: 'ignore' });
};
const startOurs: Starter = (file, port) =>
  spawn(process.execPath, ['--import', 'tsx', path.join(here, 'serve.ts'), file, String(port)], { stdio: ['ignore', 'ignore', 'inherit'], cwd: path.join(here, '../..') });

const base = vrpFile();
console.log(`input: ${base} (${(fs.statSync(base).size / 1e6).toFixed(1)} MB, ${N} VRPs); ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}`);
const haveStay = have('stayrtr');
const haveDump = have('rtrdump');
if (!haveStay) console.log('stayrtr not installed: numreg figures only');

const servers: Server[] = [];
const figures = new Map<string, Partial<Figures>>();
try {
  // load, one after the other (each alone on the machine)
  for (const [name, start] of [['stayrtr', startStay], ['numreg', startOurs]] as const) {
    if (name === 'stayrtr' && !haveStay) continue;
    const { srv, loadMs } = await launch(name, start, base, 'steady');
    servers.push(srv);
    figures.set(name, { loadMs });
    console.log(`${name}: loaded in ${fmt(loadMs)}`);
  }
  // full syncs, interleaved so that both see the same background load
  const syncs = new Map<string, number[]>(servers.map((s) => [s.name, []]));
  const dumps = new Map<string, number[]>(servers.map((s) => [s.name, []]));
  for (let i = 0; i < SYNC_RUNS; i++) {
    for (const srv of servers) {
      const r = await rawSync(srv);
      syncs.get(srv.name)!.push(r.ms);
      figures.get(srv.name)!.syncBytes = r.bytes;
    }
  }
  if (haveDump) for (let i = 0; i < 3; i++) for (const srv of servers) dumps.get(srv.name)!.push(rtrdumpSync(srv));
  await sleep(1000);
  for (const srv of servers) {
    const f = figures.get(srv.name)!;
    f.syncMs = median(syncs.get(srv.name)!);
    if (haveDump) f.rtrdumpMs = median(dumps.get(srv.name)!);
    f.rssMb = rssMb(srv.proc.pid!);
    console.log(`${srv.name}: full sync (raw client, v1, median of ${SYNC_RUNS}) ${fmt(f.syncMs)} [${syncs.get(srv.name)!.map(fmt).join(', ')}]` +
      (haveDump ? `; with rtrdump (median of 3) ${fmt(f.rtrdumpMs!)}` : '') + `; RSS ${f.rssMb.toFixed(0)} MB`);
  }
  // convergence, one at a time
  for (const srv of servers.slice()) await stop(srv);
  const ours = await launch('numreg', startOurs, base, 'changes', servers.find((s) => s.name === 'numreg')!.dir);
  servers.push(ours.srv);
  figures.get('numreg')!.convergeMs = await converge(ours.srv);
  await stop(ours.srv);
  if (haveStay) {
    const st = await launch('stayrtr', startStay, base, 'changes', servers.find((s) => s.name === 'stayrtr')!.dir);
    servers.push(st.srv);
    figures.get('stayrtr')!.convergeMs = await converge(st.srv);
    await stop(st.srv);
  }
} finally {
  for (const srv of servers) {
    await stop(srv);
    fs.rmSync(srv.dir, { recursive: true, force: true });
  }
}
const ours = figures.get('numreg') as Figures;
const stay = figures.get('stayrtr') as Figures | undefined;

const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}×` : 'n/a');
const rows: [string, string, string, string][] = [
  ['load (start to first answer)', fmt(ours.loadMs), stay ? fmt(stay.loadMs) : '-', ratio(ours.loadMs, stay?.loadMs)],
  ['full sync, one client (raw, v1)', fmt(ours.syncMs), stay ? fmt(stay.syncMs) : '-', ratio(ours.syncMs, stay?.syncMs)],
  ['full sync with rtrdump', ours.rtrdumpMs ? fmt(ours.rtrdumpMs) : '-', stay?.rtrdumpMs ? fmt(stay.rtrdumpMs) : '-', ours.rtrdumpMs ? ratio(ours.rtrdumpMs, stay?.rtrdumpMs) : 'n/a'],
  ['RSS after load', `${ours.rssMb.toFixed(0)} MB`, stay ? `${stay.rssMb.toFixed(0)} MB` : '-', ratio(ours.rssMb, stay?.rssMb)],
  [`${CLIENTS} clients converge after ${CHANGES} changes`, fmt(ours.convergeMs), stay ? fmt(stay.convergeMs) : '-', ratio(ours.convergeMs, stay?.convergeMs)],
];
console.log('');
console.log('| figure | numreg | StayRTR | numreg / StayRTR |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);

const resultsFile = path.join(here, '..', 'RESULTS.md');
const section = [
  '## RTR',
  '',
  `\`npm run bench -- rtr\` on ${new Date().toISOString().slice(0, 10)}: ${N.toLocaleString('en')} VRPs from gen-vrps.py (${(fs.statSync(base).size / 1e6).toFixed(1)} MB JSON, ` +
    `${(ours.syncBytes / 1e6).toFixed(1)} MB on the wire), numreg and StayRTR (Debian stayrtr 0.5.1) started one after the other in the same run, ` +
    `${os.cpus().length} CPUs shared with other work (load average ${os.loadavg()[0]!.toFixed(1)}). Targets: full sync ≤ 0.25×, RSS ≤ 0.5× StayRTR.`,
  '',
  '| figure | numreg | StayRTR | numreg / StayRTR |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
  '',
  'Load = process start until a Reset Query is answered with data (each server loads alone). Full sync = Reset Query to End of Data for one raw client ' +
    `(median of ${SYNC_RUNS}) and for rtrdump (median of 3), runs alternating between the two servers so both see the same background load. ` +
    'rtrdump\'s figure includes its own decoding and JSON output, which take most of the time once the cache is fast. ' +
    'RSS = VmRSS after those syncs. ' +
    `Convergence = from the atomic rewrite of the JSON file with ${CHANGES} changes (${CHANGES / 2} withdrawn, ${CHANGES / 2} added) until all ` +
    `${CLIENTS} clients (joined with a Serial Query at the current serial) got the End of Data of the new serial; it includes noticing the change ` +
    '(StayRTR, restarted for this run with -refresh 1, polls; numreg watches the file) and re-reading the whole file. ' +
    'StayRTR runs with its default -refresh 600 for the other figures. Absolute times depend on the machine\'s load; compare the ratios.',
  '',
].join('\n');
let results = fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, 'utf8') : '# Benchmark results\n\n';
const startIdx = results.indexOf('## RTR\n');
if (startIdx >= 0) {
  const next = results.indexOf('\n## ', startIdx + 1);
  results = results.slice(0, startIdx) + section + (next >= 0 ? `\n${results.slice(next + 1)}` : '');
} else results = results.replace(/\n*$/, '\n\n') + section;
fs.writeFileSync(resultsFile, results);

console.log('');
console.log(`rtr: full sync of ${N.toLocaleString('en')} VRPs ${fmt(ours.syncMs)} (${stay ? `${ratio(ours.syncMs, stay.syncMs)} StayRTR` : 'no StayRTR'}, RSS ${ratio(ours.rssMb, stay?.rssMb)})`);
