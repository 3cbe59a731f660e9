/**
 * Bench: issue N ROAs (default 100,000) in one hosted CA, with its manifest and CRL, and compare the RSA
 * signatures per second achieved with the machine's limit: `openssl speed rsa2048` sign/s × cores, measured in
 * the same run. Each ROA costs two RSA-2048 signatures (the CA signs the EE certificate, the EE key signs the
 * CMS signed attributes).
 *
 * EE keys: the service uses a fresh one-time key per object, but RSA-2048 key generation runs at only a few
 * keys/s per core (measured and printed below), so 100,000 fresh keys would take hours on any machine. The bench
 * therefore signs with a small pool of pre-generated EE keys, which measures the signing pipeline; the
 * key-generation rate is printed so that the cost of strict one-time keys can be computed from it.
 *
 * Usage: npm run bench -- rpki   [env ROAS=100000]
 * Last line: rpki: <ROAs/s> ROAs/s (<ratio>% of openssl sign/s × cores)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResourceSet } from '../../src/core/resource-set.js';
import { KeyPool } from '../../src/rpki/ca/key-pool.js';
import { CaTree } from '../../src/rpki/ca/tree.js';
import { generateRsaKey, signQueue, type RsaKey } from '../../src/rpki/crypto.js';
import { openKeyVault } from '../../src/rpki/keystore.js';
import { Publisher } from '../../src/rpki/publish/publisher.js';

const N = Number(process.env.ROAS ?? 100_000);
const cores = availableParallelism();
const load = () => loadavg().map((x) => x.toFixed(2)).join(', ');

/** CPU seconds of this process's main (JavaScript) thread, from /proc (Linux); NaN elsewhere. */
function mainThreadCpu(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

/** openssl's own figure: RSA-2048 signatures per CPU-second of one process (it divides by user CPU time). */
function opensslSignRate(): number {
  const out = execFileSync('openssl', ['speed', '-seconds', '3', 'rsa2048'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  const line = out.split('\n').find((l) => /^rsa\s+2048 bits/.test(l));
  if (!line) throw new Error(`cannot parse openssl speed output:\n${out}`);
  const cols = line.trim().split(/\s+/);
  return Number(cols[cols.length - 2]); // sign/s
}

async function keygenRate(): Promise<number> {
  const t = performance.now();
  const n = cores * 2;
  await Promise.all(Array.from({ length: n }, () => generateRsaKey()));
  return n / ((performance.now() - t) / 1000);
}

const dir = mkdtempSync(join(tmpdir(), 'numreg-bench-rpki-'));
try {
  console.log(`rpki bench: ${N.toLocaleString('en')} ROAs, ${cores} cores, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}; load average ${load()}`);
  const sslBefore = opensslSignRate();
  console.log(`openssl speed rsa2048 (before): ${sslBefore.toFixed(0)} sign/s per core`);
  const kg = await keygenRate();
  console.log(`RSA-2048 key generation: ${kg.toFixed(1)} keys/s on all cores (strict one-time EE keys would cap issuance at ≈${kg.toFixed(0)} ROAs/s)`);

  const pool: RsaKey[] = await Promise.all(Array.from({ length: 8 }, () => generateRsaKey()));
  let next = 0;
  // manifests get fresh one-time keys from a pool filled in the background, exactly as in the service
  const oneTime = new KeyPool(2);
  oneTime.fill();
  const vault = openKeyVault(dir, { NUMREG_RPKI_KEY: 'bench' });
  const tree = await CaTree.open({
    stateFile: join(dir, 'ca-state.json'),
    repoDir: join(dir, 'repo'),
    vault,
    rsyncBase: 'rsync://127.0.0.1:8873/repo/',
    taResources: ResourceSet.parse('0.0.0.0/0, ::/0, AS0 - AS4294967295'),
    eeKey: async () => pool[next++ % pool.length]!,
    oneTimeKey: () => oneTime.take(),
  });
  // one LIR holding 10.0.0.0/7; N distinct /24 ROAs in it
  const holders = [{ handle: 'LIR-BENCH', resources: ResourceSet.parse('10.0.0.0/7, AS64496 - AS64511') }];
  await tree.sync({ holders, roas: [] });
  const roas = Array.from({ length: N }, (_, i) => ({
    holderHandle: 'LIR-BENCH',
    prefix: `${10 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.0/24`,
    maxLength: 24,
    asn: 64496 + (i % 16),
  }));
  while (oneTime.size < 2) await new Promise((r) => setTimeout(r, 50));

  const loadStart = load();
  Object.assign(signQueue, { completed: 0, belowPool: 0 });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpu();
  const report = await tree.sync({ holders, roas });
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSecs = (cpu.user + cpu.system) / 1e6;
  const mainSecs = mainThreadCpu() - main0;
  const loadEnd = load();
  const queueStats = { ...signQueue };
  oneTime.close();
  const roaFiles = report.issued.filter((f) => f.endsWith('.roa')).length;
  if (roaFiles !== N) throw new Error(`issued ${roaFiles} ROAs, expected ${N}`);
  const mft = [...tree.files().keys()].find((f) => f.startsWith('ca/') && f.endsWith('.mft'))!;
  console.log(`issued ${N.toLocaleString('en')} ROAs + manifest (${tree.files().get(mft)!.length.toLocaleString('en')} bytes) + CRL in ${secs.toFixed(2)} s; load average ${loadStart} at the start, ${loadEnd} at the end`);

  const sslAfter = opensslSignRate();
  // the higher of the two openssl figures: the stricter limit
  const sslRate = Math.max(sslBefore, sslAfter);
  const limit = sslRate * cores;
  console.log(`openssl speed rsa2048 (after): ${sslAfter.toFixed(0)} sign/s per core → limit ${sslRate.toFixed(0)} × ${cores} = ${limit.toFixed(0)} sign/s (${(limit / 2).toFixed(0)} ROAs/s)`);
  const rate = N / secs;
  const sigRate = (2 * N) / secs;
  const ratio = sigRate / limit;
  console.log(`wall-clock: ${rate.toFixed(0)} ROAs/s = ${sigRate.toFixed(0)} signatures/s = ${(ratio * 100).toFixed(1)} % of ${limit.toFixed(0)} (target ≥ 70 %; meaningful only on an otherwise idle machine)`);
  // openssl's figure is per CPU-second, so it is what the process's own CPU time compares with when other
  // work shares the machine: signatures per CPU-second of this process (all threads) against openssl's
  const cpuRatio = (2 * N) / cpuSecs / sslRate;
  console.log(`per CPU-second: ${cpuSecs.toFixed(2)} s CPU on all threads = ${((cpuSecs * 1000) / N).toFixed(3)} ms per ROA (two signatures at openssl's rate: ${(2000 / sslRate).toFixed(3)} ms) → ${(cpuRatio * 100).toFixed(1)} %`);
  console.log(`  of which the JavaScript main thread (DER assembly, CA bookkeeping, GC): ${mainSecs.toFixed(2)} s = ${((mainSecs * 1000) / N).toFixed(3)} ms per ROA; cores busy on average ${(cpuSecs / secs).toFixed(2)} of ${cores}`);

  console.log(
    `thread pool: ${queueStats.completed.toLocaleString('en')} signatures, ${queueStats.belowPool} of them (${((queueStats.belowPool / queueStats.completed) * 100).toFixed(2)} %) finished with fewer than ${queueStats.poolSize} others queued (the ramp-up and the final manifest/CRL included)`,
  );
  const t1 = performance.now();
  const pub = new Publisher({ repoDir: join(dir, 'repo'), rrdpDir: join(dir, 'rrdp'), rsyncBase: 'rsync://127.0.0.1:8873/repo/', rrdpBaseUrl: 'https://127.0.0.1:8443/rrdp/' });
  pub.publish(tree.files());
  console.log(`publication (repository files + RRDP snapshot of ${tree.files().size.toLocaleString('en')} objects): ${((performance.now() - t1) / 1000).toFixed(2)} s`);
  console.log(
    `rpki: ${rate.toFixed(0)} ROAs/s (${(ratio * 100).toFixed(0)}% of openssl rsa2048 sign/s × ${cores} cores wall-clock; ${(cpuRatio * 100).toFixed(0)}% per CPU-second; load average ${loadEnd})`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
