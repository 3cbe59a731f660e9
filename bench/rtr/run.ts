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
    if (proc.exitCode !== null) throw new Error('server exited during load');
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => s.write(Buffer.from([1, 2, 0, 0, 0, 0, 0, 8])));
      s.once('data', (d) => {
        s.destroy();
        resolve(d[1] === 3);
      });
      s.on('error', () => resolve(false));
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
  convergePdus: number;
}

type Starter = (file: string, port: number, mode: 'steady' | 'changes') => ChildProcess;

async function measure(name: string, start: Starter, base: string, restartForChanges: boolean): Promise<Figures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `numreg-bench-rtr-${name}-`));
  const file = path.join(dir, 'vrps.json');
  fs.copyFileSync(base, file);
  const port = await freePort();
  const t0 = performance.now();
  let proc = start(file, port, 'steady');
  let clients: RtrClient[] = [];
  try {
    const loadMs = await waitReady(port, t0, proc);
    console.log(`${name}: loaded in ${fmt(loadMs)}`);

    const syncs: number[] = [];
    let syncBytes = 0;
    let ref: { sessionId: number; serial: number } | undefined;
    for (let i = 0; i < SYNC_RUNS; i++) {
      const c = new RtrClient({ port, version: 1, keep: false, validate: false, follow: false });
      await c.connect();
      const t = performance.now();
      const r = await c.reset();
      syncs.push(performance.now() - t);
      syncBytes = r.bytes;
      ref = { sessionId: r.sessionId, serial: r.serial };
      if (r.pdus !== N + 2) throw new Error(`${name}: full sync gave ${r.pdus - 2} records, expected ${N}`);
      c.close();
    }
    const syncMs = median(syncs);
    console.log(`${name}: full sync (raw client, v1) median of ${SYNC_RUNS}: ${fmt(syncMs)} (${(syncBytes / 1e6).toFixed(1)} MB)`);

    let rtrdumpMs: number | undefined;
    if (have('rtrdump')) {
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        execFileSync('rtrdump', ['-connect', `127.0.0.1:${port}`, '-rtr.version', '1', '-file', path.join(dir, 'dump.json')], { stdio: 'ignore', cwd: dir });
        runs.push(performance.now() - t);
      }
      rtrdumpMs = median(runs);
      console.log(`${name}: full sync with rtrdump (median of 3): ${fmt(rtrdumpMs)}`);
    }
    await sleep(1000);
    const rss = rssMb(proc.pid!);
    console.log(`${name}: RSS after load and syncs: ${rss.toFixed(0)} MB`);

    if (restartForChanges) {
      // StayRTR only notices a changed file by polling (-refresh); its default (600 s) is kept for the
      // figures above, a 1 s poll for the convergence run.
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r(null) : proc.once('exit', r)));
      proc = start(file, port, 'changes');
      await waitReady(port, performance.now(), proc);
      const c = new RtrClient({ port, version: 1, keep: false, validate: false, follow: false });
      await c.connect();
      const r = await c.reset();
      ref = { sessionId: r.sessionId, serial: r.serial };
      c.close();
    }

    // 200 routers that are in sync: they join with a Serial Query at the current serial
    clients = Array.from({ length: CLIENTS }, () => new RtrClient({ port, version: 1, keep: false, validate: false }));
    await Promise.all(clients.map((c) => c.connect()));
    await Promise.all(clients.map((c) => c.serialQuery(ref!.sessionId, ref!.serial)));
    const target = (ref!.serial + 1) >>> 0;
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
    // 1,000 changes: withdraw CHANGES/2 VRPs, add CHANGES/2 new ones
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { roas: { prefix: string; maxLength: number; asn: number }[] };
    const half = CHANGES / 2;
    const added = doc.roas.slice(0, half).map((r, i) => ({ ...r, asn: 4_200_000_000 + i }));
    doc.roas = doc.roas.slice(half).concat(added);
    const text = JSON.stringify(doc);
    const t = performance.now();
    fs.writeFileSync(`${file}.tmp`, text);
    fs.renameSync(`${file}.tmp`, file);
    await Promise.race([converged, sleep(120_000).then(() => Promise.reject(new Error(`${name}: clients did not converge (${doneAt.length}/${clients.length})`)))]);
    const convergeMs = Math.max(...doneAt) - t;
    if (pdus !== CHANGES) throw new Error(`${name}: diff had ${pdus} records, expected ${CHANGES}`);
    console.log(`${name}: ${CLIENTS} clients converged after ${CHANGES} changes in ${fmt(convergeMs)} (first ${fmt(Math.min(...doneAt) - t)})`);
    return { loadMs, syncMs, syncBytes, rtrdumpMs, rssMb: rss, convergeMs, convergePdus: pdus };
  } finally {
    for (const c of clients) c.close();
    proc.kill('SIGTERM');
    await new Promise((r) => (proc.exitCode !== null ? r(null) : proc.once('exit', r)));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const base = vrpFile();
console.log(`input: ${base} (${(fs.statSync(base).size / 1e6).toFixed(1)} MB, ${N} VRPs); ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}`);

let stay: Figures | undefined;
if (have('stayrtr')) {
  stay = await measure('stayrtr', (file, port, mode) => {
    const metrics = 20000 + (port % 20000);
    const args = ['-bind', `127.0.0.1:${port}`, '-cache', file, '-checktime=false', '-metrics.addr', `127.0.0.1:${metrics}`, '-log.verbose=false'];
    if (mode === 'changes') args.push('-refresh', '1');
    return spawn('stayrtr', args, { stdio: 'ignore' });
  }, base, true);
} else console.log('stayrtr not installed: numreg figures only');

const ours = await measure('numreg', (file, port) => spawn(process.execPath, ['--import', 'tsx', path.join(here, 'serve.ts'), file, String(port)], { stdio: ['ignore', 'ignore', 'inherit'], cwd: path.join(here, '../..') }), base, false);

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
  'Load = process start until a Reset Query is answered with data. Full sync = Reset Query to End of Data for one raw client ' +
    `(median of ${SYNC_RUNS}). Convergence = from the atomic rewrite of the JSON file with ${CHANGES} changes (${CHANGES / 2} withdrawn, ${CHANGES / 2} added) until all ` +
    `${CLIENTS} clients (joined with a Serial Query at the current serial) got the End of Data of the new serial; it includes noticing the change ` +
    '(StayRTR, restarted for this run with -refresh 1, polls; numreg watches the file) and re-reading the whole file. ' +
    'StayRTR runs with its default -refresh 600 for the other figures. Absolute times depend on the machine\'s load; compare the ratios.',
  '',
].join('\n');
let results = fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, 'utf8') : '# Benchmark results\n\n';
const startIdx = results.indexOf('## RTR\n');
if (startIdx >= 0) {
  const next = results.indexOf('\n## ', startIdx + 1);
  results = results.slice(0, startIdx) + section + (next >= 0 ? results.slice(next + 1) : '');
} else results = results.replace(/\n*$/, '\n\n') + section;
fs.writeFileSync(resultsFile, results);

console.log('');
console.log(`rtr: full sync of ${N.toLocaleString('en')} VRPs ${fmt(ours.syncMs)} (${stay ? `${ratio(ours.syncMs, stay.syncMs)} StayRTR` : 'no StayRTR'}, RSS ${ratio(ours.rssMb, stay?.rssMb)})`);
