/**
 * numreg's RPKI service: the hosted CA tree (ca/), publication to the repository directory, RRDP files and
 * the TAL (publish/), and the rsync daemon. One entry point for `numreg serve`:
 *
 *   const rpki = await startRpkiService({ dataDir, host, rsyncPort, httpsBaseUrl, logger });
 *   registerRpkiRoutes(app, rpki);            // /rrdp/…, /rpki/ta.tal, /rpki/ta.cer
 *   await rpki.sync({ holders, roas });       // whenever the registry changes
 *   rpki.onVrpsChanged((vrps) => rtr.setSource('numreg-ca', vrps));
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ResourceSet } from '../core/resource-set.js';
import { CaTree, type SyncInput, type SyncReport, type Vrp } from './ca/tree.js';
import { toLogger, type Logger } from './ca/util.js';
import type { RsaKey } from './crypto.js';
import { openKeyVault } from './keystore.js';
import { KeyPool } from './ca/key-pool.js';
import { Publisher } from './publish/publisher.js';
import { freePort, rsyncAvailable, startRsyncDaemon, type RsyncDaemon } from './publish/rsyncd.js';
import { makeTal } from './publish/tal.js';

export type { SyncInput, SyncReport, Vrp, HolderInput, RoaInput, AspaInput } from './ca/tree.js';
export { registerRpkiRoutes } from './routes.js';
export { registerRoaRoutes, registerCaAdminRoutes, type RoaAuthFn, type RoaCaller } from './roa-routes.js';
export { apiKeyRoaAuth } from './roa-auth.js';
export { loadRegistryInput, holderResources } from './registry-source.js';
export { rtrSource } from './rtr-source.js';
export { checkRpki } from './check.js';

/** Everything: 0.0.0.0/0, ::/0 and every AS number (an IANA-like root). */
export const ALL_RESOURCES = ResourceSet.parse('0.0.0.0/0, ::/0, AS0 - AS4294967295');

export interface RpkiServiceOptions {
  dataDir: string;
  host?: string;
  /** rsync daemon port; 0 picks a free one. */
  rsyncPort?: number;
  /** Defaults to rsync://<host>:<rsyncPort>/repo/ */
  rsyncBaseUrl?: string;
  /** e.g. https://127.0.0.1:8443 — RRDP and the HTTPS TAL URI are advertised only when set. */
  httpsBaseUrl?: string;
  taResources?: ResourceSet;
  /** false: do not start rsync (RRDP only). */
  rsync?: boolean;
  logger?: { info: (...a: never[]) => void; warn: (...a: never[]) => void; error: (...a: never[]) => void };
  env?: NodeJS.ProcessEnv;
  /** How often to check whether manifests and CRLs need re-issuing (ms). */
  renewIntervalMs?: number;
  /** ASPA encoding: 'current' (default) or 'v0' for rpki-client 8.x (Debian 12). */
  aspaProfile?: 'current' | 'v0';
  /** Replaces the one-time-use EE key per signed object (bench only). */
  eeKey?: () => Promise<RsaKey>;
}

export interface RpkiService {
  sync(input: SyncInput): Promise<SyncReport>;
  vrps(): Vrp[];
  aspas(): ReturnType<CaTree['aspas']>;
  tal(): string;
  taCertificate(): Uint8Array;
  holders(): ReturnType<CaTree['holders']>;
  /** Port of the running rsync daemon, or null when rsync is not running. */
  rsyncPort: number | null;
  /** The one line `numreg serve` prints when rsync is missing (null when it runs or was not wanted). */
  rsyncNote: string | null;
  rsyncBaseUrl: string;
  httpsBaseUrl: string | null;
  repoDir: string;
  rrdpDir: string;
  talFile: string;
  rrdpSerial(): { sessionId: string; serial: number };
  onVrpsChanged(listener: (vrps: Vrp[]) => void): () => void;
  renew(): Promise<boolean>;
  startRollover(handle: string): Promise<void>;
  finishRollover(handle: string): Promise<void>;
  rollover(handle: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * One CA process per data directory: two writers would issue conflicting serials and manifests. The lock
 * file holds the owner's pid; a lock left by a process that no longer exists is taken over.
 */
function takeLock(file: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx', mode: 0o644 });
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(file, 'utf8'));
      let alive = false;
      try {
        alive = pid > 0 && pid !== process.pid ? (process.kill(pid, 0), true) : pid === process.pid;
      } catch {
        alive = false;
      }
      if (alive) throw new Error(`the RPKI CA in ${file.replace(/\/lock$/, '')} is in use by process ${pid}`);
      rmSync(file, { force: true });
    }
  }
  throw new Error(`cannot take ${file}`);
}

export async function startRpkiService(opts: RpkiServiceOptions): Promise<RpkiService> {
  const log: Logger = toLogger(opts.logger);
  const host = opts.host ?? '127.0.0.1';
  const root = join(opts.dataDir, 'rpki');
  const repoDir = join(root, 'repo');
  const rrdpDir = join(root, 'rrdp');
  mkdirSync(root, { recursive: true, mode: 0o755 });
  const releaseLock = takeLock(join(root, 'lock'));

  let daemon: RsyncDaemon | null = null;
  let port = opts.rsyncPort ?? 8873;
  const wantRsync = opts.rsync !== false;
  const haveRsync = wantRsync && rsyncAvailable();
  if (port === 0) port = await freePort(host);
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const rsyncBaseUrl = opts.rsyncBaseUrl ?? `rsync://${hostPart}:${port}/repo/`;
  const https = opts.httpsBaseUrl?.replace(/\/$/, '') ?? null;

  const vault = openKeyVault(opts.dataDir, opts.env);
  const keyPool = new KeyPool(2);
  const tree = await CaTree.open({
    stateFile: join(root, 'ca-state.json'),
    repoDir,
    vault,
    rsyncBase: rsyncBaseUrl,
    notifyUri: https ? `${https}/rrdp/notification.xml` : null,
    taResources: opts.taResources ?? ALL_RESOURCES,
    log,
    eeKey: opts.eeKey,
    oneTimeKey: () => keyPool.take(),
    aspaProfile: opts.aspaProfile,
  });
  const publisher = new Publisher({ repoDir, rrdpDir, rsyncBase: rsyncBaseUrl, rrdpBaseUrl: https ? `${https}/rrdp/` : undefined, log });
  publisher.publish(tree.files());

  const talUris = [...(https ? [`${https}/rpki/ta.cer`] : []), tree.taCertUri()];
  const tal = makeTal(talUris, tree.taKey().spki, 'numreg trust anchor');
  const talFile = join(root, 'ta.tal');
  writeFileSync(talFile, tal, { mode: 0o644 });

  let rsyncNote: string | null = null;
  if (haveRsync) {
    daemon = await startRsyncDaemon({ repoDir, confDir: root, host, port });
  } else if (wantRsync) {
    rsyncNote = 'numreg: rsync not installed; the RPKI repository is served over RRDP only';
    log.warn(rsyncNote);
  }

  keyPool.fill();
  const listeners = new Set<(vrps: Vrp[]) => void>();
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const p = queue.then(work);
    queue = p.catch(() => undefined);
    return p;
  };
  let lastVrps = '';
  const vrpKey = () =>
    JSON.stringify([
      tree.vrps().map((v) => `${v.asn}|${v.prefix.start}/${v.prefix.length}|${v.maxLength}`).sort(),
      tree.aspas().map((a) => `${a.customer}|${a.providers.join(',')}`).sort(),
    ]);
  lastVrps = vrpKey();
  const afterCommand = () => {
    publisher.publish(tree.files());
    const k = vrpKey();
    if (k !== lastVrps) {
      lastVrps = k;
      const v = tree.vrps();
      for (const l of listeners) {
        try {
          l(v);
        } catch (e) {
          log.error(`rpki: onVrpsChanged listener failed: ${(e as Error).message}`);
        }
      }
    }
  };

  const timer = setInterval(() => {
    void serial(async () => {
      if (await tree.renew()) afterCommand();
    }).catch((e) => log.error(`rpki: renew failed: ${(e as Error).message}`));
  }, opts.renewIntervalMs ?? 10 * 60_000);
  timer.unref();

  return {
    sync: (input) =>
      serial(async () => {
        const r = await tree.sync(input);
        afterCommand();
        return r;
      }),
    vrps: () => tree.vrps(),
    aspas: () => tree.aspas(),
    tal: () => tal,
    taCertificate: () => tree.taCertificate(),
    holders: () => tree.holders(),
    rsyncPort: daemon?.port ?? null,
    rsyncNote,
    rsyncBaseUrl,
    httpsBaseUrl: https,
    repoDir,
    rrdpDir,
    talFile,
    rrdpSerial: () => ({ sessionId: publisher.sessionId, serial: publisher.serial }),
    onVrpsChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    renew: () =>
      serial(async () => {
        const changed = await tree.renew();
        if (changed) afterCommand();
        return changed;
      }),
    startRollover: (h) => serial(async () => (await tree.startRollover(h), afterCommand())),
    finishRollover: (h) => serial(async () => (await tree.finishRollover(h), afterCommand())),
    rollover: (h) =>
      serial(async () => {
        await tree.startRollover(h);
        afterCommand();
        await tree.finishRollover(h);
        afterCommand();
      }),
    async close() {
      clearInterval(timer);
      await queue;
      keyPool.close();
      releaseLock();
      await daemon?.close();
    },
  };
}
