/**
 * Helpers that run the real relying parties (rpki-client, FORT) against a numreg repository and return the
 * VRPs they output plus every line that is a warning or an error.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { formatPrefix } from '../../src/core/prefix.js';
import type { Vrp } from '../../src/rpki/index.js';

export function which(bin: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
}

export const HAVE = {
  rpkiClient: which('rpki-client'),
  fort: which('fort'),
  rsync: which('rsync'),
  openssl: which('openssl'),
};

export const vrpKey = (asn: bigint | number | string, prefix: string, max: number) => `AS${String(asn).replace(/^AS/, '')} ${prefix} ${max}`;

export function expectedVrps(vrps: Vrp[]): string[] {
  return vrps.map((v) => vrpKey(v.asn, formatPrefix(v.prefix), v.maxLength)).sort();
}

/** A temporary directory readable by the unprivileged users rsync and rpki-client switch to. */
export function publicTempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(d, 0o755);
  return d;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += String(d)));
    p.stderr.on('data', (d) => (stderr += String(d)));
    const t = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.once('error', reject);
    p.once('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface RpResult {
  vrps: string[];
  /** Lines that report a problem (empty when the repository validated cleanly). */
  problems: string[];
  output: string;
  metadata?: Record<string, unknown>;
  cacheDir: string;
}

/** rpki-client state that persists between runs (cache and output dirs owned by _rpki-client). */
export function rpkiClientDirs(base: string): { cache: string; out: string } {
  const cache = join(base, 'rc-cache');
  const out = join(base, 'rc-out');
  for (const d of [cache, out]) {
    mkdirSync(d, { recursive: true });
    if (process.getuid?.() === 0) {
      const pw = execFileSync('id', ['-u', '_rpki-client']).toString().trim();
      const gr = execFileSync('id', ['-g', '_rpki-client']).toString().trim();
      chownSync(d, Number(pw), Number(gr));
    }
  }
  return { cache, out };
}

export async function runRpkiClient(opts: { tal: string; base: string; rsyncOnly: boolean; env?: NodeJS.ProcessEnv }): Promise<RpResult> {
  const { cache, out } = rpkiClientDirs(opts.base);
  // rpki-client only reads TALs it can open after dropping privileges
  const tal = join(opts.base, 'numreg.tal');
  cpSync(opts.tal, tal);
  chmodSync(tal, 0o644);
  const args = [...(opts.rsyncOnly ? ['-R'] : []), '-j', '-s', '45', '-t', tal, '-d', cache, out];
  const r = await run('rpki-client', args, { ...process.env, ...opts.env });
  const json = JSON.parse(readFileSync(join(out, 'json'), 'utf8')) as { metadata: Record<string, unknown>; roas: { asn: number; prefix: string; maxLength: number }[] };
  const problems = r.stderr.split('\n').filter((l) => l.trim() !== '');
  if (r.code !== 0) problems.push(`exit status ${r.code}`);
  const m = json.metadata;
  for (const k of ['failedroas', 'invalidroas', 'invalidcertificates', 'invalidtals', 'failedmanifests', 'stalemanifests', 'failedaspas', 'invalidaspas']) {
    if (m[k] !== undefined && m[k] !== 0) problems.push(`metadata ${k} = ${String(m[k])}`);
  }
  return {
    vrps: json.roas.map((v) => vrpKey(v.asn, v.prefix, v.maxLength)).sort(),
    problems,
    output: r.stdout + r.stderr,
    metadata: m,
    cacheDir: cache,
  };
}

/** FORT's normal progress lines; everything else at WRN/ERR/CRIT is a problem. */
const FORT_OK = [/The validation has begun/, /The validation has successfully ended/, /Console log output configured/, /Validation Logs will be sent/, /Operation Logs will be sent/];

export async function runFort(opts: { tal: string; base: string; mode: 'rsync' | 'rrdp'; capath?: string }): Promise<RpResult> {
  const cache = join(opts.base, 'fort-cache');
  mkdirSync(cache, { recursive: true });
  const outFile = join(opts.base, 'fort-roas.csv');
  rmSync(outFile, { force: true });
  const args = [
    '--mode=standalone',
    `--tal=${opts.tal}`,
    `--local-repository=${cache}`,
    '--rsync.retry.count=0',
    '--http.retry.count=0',
    `--output.roa=${outFile}`,
    '--output.format=csv',
    '--log.output=console',
    '--validation-log.enabled=true',
    '--validation-log.output=console',
    '--validation-log.level=warning',
    '--log.level=warning',
  ];
  if (opts.mode === 'rsync') args.push('--http.enabled=false');
  else args.push('--rsync.enabled=false', `--http.ca-path=${opts.capath}`);
  const r = await run('fort', args);
  const problems = (r.stdout + r.stderr)
    .split('\n')
    .filter((l) => l.trim() !== '' && !FORT_OK.some((re) => re.test(l)));
  if (r.code !== 0) problems.push(`exit status ${r.code}`);
  let vrps: string[] = [];
  try {
    vrps = readFileSync(outFile, 'utf8')
      .split('\n')
      .slice(1)
      .filter(Boolean)
      .map((l) => {
        const [asn, prefix, max] = l.split(',');
        return vrpKey(asn!, prefix!, Number(max));
      })
      .sort();
  } catch {
    problems.push('no ROA output written');
  }
  return { vrps, problems, output: r.stdout + r.stderr, cacheDir: cache };
}

export interface TestTls {
  caCert: string;
  cert: string;
  key: string;
  /** System bundle + the test CA, for SSL_CERT_FILE. */
  bundle: string;
  /** Hashed directory with the test CA, for FORT's --http.ca-path. */
  capath: string;
}

/** A throwaway local CA and a server certificate for 127.0.0.1 (as ../shared/peers/README.md shows). */
export function makeTestTls(dir: string): TestTls {
  mkdirSync(dir, { recursive: true });
  const o = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  o('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=numreg test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  o('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=localhost');
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  o('x509', '-req', '-in', 'srv.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'srv.crt', '-days', '2', '-extfile', 'ext.cnf');
  const system = '/etc/ssl/certs/ca-certificates.crt';
  let bundleText = readFileSync(join(dir, 'ca.crt'), 'utf8');
  try {
    bundleText = readFileSync(system, 'utf8') + bundleText;
  } catch {
    /* no system bundle */
  }
  writeFileSync(join(dir, 'bundle.pem'), bundleText);
  const capath = join(dir, 'capath');
  mkdirSync(capath, { recursive: true });
  cpSync(join(dir, 'ca.crt'), join(capath, 'ca.crt'));
  o('rehash', capath);
  for (const f of readdirSync(dir)) if (statSync(join(dir, f)).isFile()) chmodSync(join(dir, f), 0o644);
  chmodSync(capath, 0o755);
  return { caCert: join(dir, 'ca.crt'), cert: join(dir, 'srv.crt'), key: join(dir, 'srv.key'), bundle: join(dir, 'bundle.pem'), capath };
}
