/**
 * Several WHOIS server processes on one port, so address look-ups use every core. The primary listens and
 * hands each accepted connection to a worker chosen by the client's address, so all connections of one
 * client meet the same worker: the per-client connection limit and the personal-data daily limit stay exact
 * without shared state. Each worker loads its own RegistryView from PostgreSQL and keeps it current from the
 * change feed: polling every `pollMs`, and at once when the primary's registry announces a commit.
 * PostgreSQL only (every worker needs its own connection to the registry database).
 */
import net from 'node:net';
import { once } from 'node:events';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Registry } from '../registry/registry.js';
import type { Logger } from './engine.js';
import type { OutputFormat } from './flags.js';
import { normaliseAddress, type ServerLimits } from './server.js';

export interface WhoisClusterOptions {
  /** postgres://… of the registry database; each worker opens its own pool. */
  databaseUrl: string;
  /** Worker processes (default: 2). */
  workers?: number;
  host: string;
  port: number;
  /** The primary's registry: its commits are forwarded to the workers at once (they also poll). */
  registry?: Registry;
  logger?: Logger;
  irrSource?: string;
  personalDataLimit?: number;
  defaultFormat?: OutputFormat;
  /** Feed polling interval in each worker (default 2,000 ms). */
  pollMs?: number;
  limits?: Partial<ServerLimits>;
  /**
   * Module each worker imports for the IRR hooks: it must export
   * `whoisHooks(db: Db, args): Promise<{ irrHandler?: IrrHandler; rpslLookup?: RpslLookup }>`.
   */
  hooksModule?: string;
  /** JSON-serialisable second argument of `whoisHooks` (e.g. where the primary's RTR cache listens). */
  hooksArgs?: unknown;
  /** Extra node flags for the workers, e.g. ['--max-old-space-size=8192'] for millions of delegations. */
  execArgv?: string[];
}

export interface WhoisCluster {
  port: number;
  workers: number;
  /** Process ids of the workers (benchmarks read their CPU time). */
  pids: number[];
  /** Resolves once every worker has applied the feed up to now (tests). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** Messages between the primary and a worker. */
export type ToWorker =
  | { type: 'init'; options: Omit<WhoisClusterOptions, 'registry' | 'logger' | 'workers' | 'execArgv'> }
  | { type: 'conn' }
  | { type: 'sync'; id?: number }
  | { type: 'close' };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'synced'; id: number }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; obj: object; msg?: string }
  | { type: 'failed'; message: string };

const WORKER = fileURLToPath(new URL('./cluster-worker.ts', import.meta.url));

/** FNV-1a of the client address: the same client always meets the same worker. */
function pick(address: string, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < address.length; i++) h = Math.imul(h ^ address.charCodeAt(i), 0x01000193);
  return (h >>> 0) % n;
}

export async function startWhoisCluster(o: WhoisClusterOptions): Promise<WhoisCluster> {
  if (!/^postgres(ql)?:\/\//.test(o.databaseUrl ?? '')) {
    throw new Error('WHOIS cluster mode needs PostgreSQL (a postgres:// URL): its workers are separate processes and cannot share an embedded PGlite store');
  }
  const n = Math.max(1, o.workers ?? 2);
  const logger = o.logger;
  const { registry: _r, logger: _l, workers: _w, execArgv, ...shared } = o;
  const children: ChildProcess[] = [];
  let syncId = 0;
  const waiting = new Map<number, { left: number; resolve: () => void }>();
  const stopAll = () => {
    for (const c of children) if (c.exitCode === null) c.kill();
  };
  try {
    await Promise.all(Array.from({ length: n }, async (_, i) => {
      const child = fork(WORKER, [], { execArgv: [...process.execArgv.filter((a) => !a.startsWith('--cpu-prof') && !a.startsWith('--inspect')), ...(execArgv ?? [])], stdio: 'inherit' });
      children[i] = child;
      child.on('message', (m: FromWorker) => {
        if (m.type === 'log') logger?.[m.level]({ ...m.obj, worker: i }, m.msg);
        if (m.type === 'synced') {
          const w = waiting.get(m.id);
          if (w && --w.left === 0) {
            waiting.delete(m.id);
            w.resolve();
          }
        }
      });
      child.send({ type: 'init', options: shared } satisfies ToWorker);
      const [m] = (await Promise.race([once(child, 'message'), once(child, 'exit').then(() => [{ type: 'failed', message: `worker ${i} exited` }])])) as [FromWorker];
      if (m.type !== 'ready') throw new Error(`whois worker ${i} did not start: ${m.type === 'failed' ? m.message : m.type}`);
    }));
  } catch (error) {
    stopAll();
    throw error;
  }

  // Connections arrive paused; the worker of the client's address takes over the socket.
  const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true }, (socket) => {
    const child = children[pick(normaliseAddress(socket.remoteAddress ?? ''), n)]!;
    if (!child.connected) return socket.destroy();
    child.send({ type: 'conn' } satisfies ToWorker, socket, { keepOpen: false }, (err) => {
      if (err) socket.destroy();
    });
  });
  server.on('error', (err) => logger?.error({ err }, 'whois cluster listener error'));
  server.listen({ port: o.port, host: o.host, backlog: 4096 });
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;

  const nudge = () => {
    for (const c of children) if (c.connected) c.send({ type: 'sync' } satisfies ToWorker);
  };
  const unsubscribe = o.registry?.changes.onSerial(nudge);

  return {
    port,
    workers: n,
    pids: children.map((c) => c.pid!),
    settled() {
      const id = ++syncId;
      return new Promise<void>((resolve) => {
        waiting.set(id, { left: children.length, resolve });
        for (const c of children) c.send({ type: 'sync', id } satisfies ToWorker);
      });
    },
    async close() {
      unsubscribe?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(children.map(async (c) => {
        if (c.exitCode !== null || !c.connected) return;
        const exited = once(c, 'exit');
        c.send({ type: 'close' } satisfies ToWorker);
        const timer = setTimeout(() => c.kill(), 5000);
        await exited;
        clearTimeout(timer);
      }));
    },
  };
}
