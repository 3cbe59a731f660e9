// Entry point of the RTR cache service for the rest of numreg. Prints nothing: the caller prints
// "numreg: rtr listening on HOST:PORT" from the returned host and port.
import fs from 'node:fs';
import path from 'node:path';
import type { Registry } from 'prom-client';
import type { Timers } from './codec.js';
import { registerRtrMetrics, type RtrMetrics } from './metrics.js';
import type { RtrVersion } from './pdu-types.js';
import { decodeVrpKey, isVrpKey, type Vrp } from './records.js';
import { RovIndex, type RovResult } from './rov.js';
import { RtrServer, silentLogger, type Logger } from './server.js';
import { JsonFileSource } from './sources/json-file.js';
import { JsonUrlSource } from './sources/json-url.js';
import { mergeSources } from './sources/merge.js';
import { PushKeySource } from './sources/push.js';
import { loadSlurmFile, type Slurm } from './sources/slurm.js';
import type { KeySource, PushSource, SourceStatus } from './sources/types.js';
import type { Diff } from './vrp-set.js';

export type { PushSource, SourceData, SourceStatus } from './sources/types.js';
export type { Vrp, RouterKey, Aspa } from './records.js';
export type { RovResult, RovState } from './rov.js';
export { RovIndex, RovInputError } from './rov.js';
export { RtrServer } from './server.js';
export { registerRovRoutes } from './http.js';
export { SlurmError, parseSlurm } from './sources/slurm.js';

export interface RtrServiceOptions {
  host?: string;
  port?: number;
  /** rpki-client -j JSON file, reloaded on change, or an http(s) URL (NUMREG_VRP_JSON) */
  vrpJsonPath?: string;
  /** the same JSON over http(s), re-fetched every `urlRefreshMs` */
  vrpJsonUrl?: string;
  urlRefreshMs?: number;
  /** SLURM file (NUMREG_SLURM), reloaded on change */
  slurmPath?: string;
  /** e.g. the hosted RPKI CA's own ROAs */
  extraSources?: PushSource[];
  metricsRegistry?: Registry;
  logger?: Logger;
  /** serve RTR version 2 (draft-ietf-sidrops-8210bis, ASPA); default off: versions 0 and 1 */
  enableV2?: boolean;
  timers?: Partial<Timers>;
  historySize?: number;
  sessionId?: number;
  /** stat interval of the file fallback check (default 5000 ms) */
  pollMs?: number;
  /** close connections that stall inside a PDU / never query (defaults 30 s / 60 s) */
  partialPduTimeoutMs?: number;
  handshakeTimeoutMs?: number;
}

export interface RtrService {
  host: string;
  port: number;
  server: RtrServer;
  /** ROV index over the currently served VRPs (built on first use after each change) */
  rov(): RovIndex;
  validateOrigin(prefix: string, origin: number | string | null): RovResult;
  serial(): number;
  sessionId(): number;
  /** the served VRPs (after SLURM) */
  vrps(): Vrp[];
  sources(): SourceStatus[];
  /** listener gets the new serial and the diff (as canonical keys); returns an unsubscribe function */
  onSerial(cb: (serial: number, diff: Diff) => void): () => void;
  /** recompute the served set now (normally automatic on any source change) */
  refresh(): void;
  close(): Promise<void>;
}

function watchFile(file: string, cb: () => void, pollMs: number): () => void {
  let sig = '';
  const check = () => {
    fs.stat(file, (err, s) => {
      const next = err ? 'missing' : `${s.ino}:${s.size}:${s.mtimeMs}`;
      if (sig && next !== sig) cb();
      sig = next;
    });
  };
  check();
  let w: fs.FSWatcher | undefined;
  try {
    w = fs.watch(path.dirname(file), (_e, name) => {
      if (name === null || name === path.basename(file)) setTimeout(check, 50).unref();
    });
    w.on('error', () => {});
  } catch {
    // polling only
  }
  const t = setInterval(check, pollMs);
  t.unref();
  return () => {
    w?.close();
    clearInterval(t);
  };
}

export async function startRtrService(opts: RtrServiceOptions = {}): Promise<RtrService> {
  const log = opts.logger ?? silentLogger;
  let metrics: RtrMetrics | undefined;
  const server = new RtrServer({
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 0,
    maxVersion: (opts.enableV2 ? 2 : 1) as RtrVersion,
    timers: opts.timers,
    historySize: opts.historySize,
    sessionId: opts.sessionId,
    logger: log,
    partialPduTimeoutMs: opts.partialPduTimeoutMs,
    handshakeTimeoutMs: opts.handshakeTimeoutMs,
    onEvent: (e) => {
      if (e.kind === 'query') metrics?.query(e.pdu, e.answer);
      else if (e.kind === 'error-sent') metrics?.errorSent(e.code);
    },
  });

  const sources: KeySource[] = [];
  // NUMREG_VRP_JSON may be a path or an http(s) URL
  if (opts.vrpJsonPath && /^https?:\/\//i.test(opts.vrpJsonPath)) sources.push(new JsonUrlSource(opts.vrpJsonPath, { refreshMs: opts.urlRefreshMs, logger: log }));
  else if (opts.vrpJsonPath) sources.push(new JsonFileSource(opts.vrpJsonPath, { pollMs: opts.pollMs, logger: log }));
  if (opts.vrpJsonUrl) sources.push(new JsonUrlSource(opts.vrpJsonUrl, { refreshMs: opts.urlRefreshMs, logger: log }));
  for (const s of opts.extraSources ?? []) sources.push(new PushKeySource(s));

  let slurm: Slurm | undefined = opts.slurmPath ? loadSlurmFile(opts.slurmPath) : undefined;
  let rovIndex: RovIndex | undefined;
  let served = { ipv4: 0, ipv6: 0, routerKeys: 0, aspas: 0 };

  const recompute = () => {
    // Until every source has loaded once, routers get "No Data Available" rather than an empty or
    // partial set that would make them drop valid routes' protection.
    if (sources.some((s) => s.status().lastLoad === undefined)) return;
    const set = mergeSources(sources.map((s) => s.keys()), slurm);
    served = set.counts();
    const diff = server.update(set);
    if (diff) {
      rovIndex = undefined;
      log.info({ serial: server.state.serial, announced: diff.announced.length, withdrawn: diff.withdrawn.length }, 'rtr: new serial');
    }
  };
  let pending: NodeJS.Timeout | undefined;
  const schedule = () => {
    if (pending) return;
    pending = setTimeout(() => {
      pending = undefined;
      recompute();
    }, 10);
  };

  await Promise.all(sources.map((s) => s.start()));
  for (const s of sources) s.onChange(schedule);
  const stopSlurmWatch = opts.slurmPath
    ? watchFile(opts.slurmPath, () => {
        try {
          slurm = loadSlurmFile(opts.slurmPath!);
          schedule();
        } catch (e) {
          log.warn({ err: (e as Error).message }, 'rtr: SLURM file rejected, keeping the previous one');
        }
      }, opts.pollMs ?? 5000)
    : () => {};
  // With no source at all the cache is valid and empty.
  recompute();

  if (opts.metricsRegistry) {
    metrics = registerRtrMetrics(opts.metricsRegistry, { server, sources: () => sources.map((s) => s.status()), served: () => served });
  }
  const addr = await server.listen();

  const rov = () => (rovIndex ??= new RovIndex(server.state.current.keys));
  return {
    host: addr.host,
    port: addr.port,
    server,
    rov,
    validateOrigin: (prefix, origin) => rov().validateOrigin(prefix, origin),
    serial: () => server.state.serial,
    sessionId: () => server.state.sessionId,
    vrps: () => server.state.current.keys.filter(isVrpKey).map(decodeVrpKey),
    sources: () => sources.map((s) => s.status()),
    onSerial: (cb) => server.onSerial(cb),
    refresh: recompute,
    async close() {
      if (pending) clearTimeout(pending);
      stopSlurmWatch();
      for (const s of sources) s.close();
      await server.close();
    },
  };
}
