// RTR cache server over TCP. Keeps the current record set and its serial (SerialState), encodes the full
// snapshot once per serial and protocol version and hands the same Buffer to every router, answers Serial
// Query from the diff ring, and pushes Serial Notify when the set changes.
import net from 'node:net';
import { encodeRecords, keyInVersion, type Timers } from './codec.js';
import { ERR, TIMERS, type RtrVersion } from './pdu-types.js';
import { RtrSession, type CacheView, type SessionEvent } from './session.js';
import { RecordSet, SerialState, type Diff } from './vrp-set.js';

export interface Logger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  debug?(obj: object | string, msg?: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, debug() {} };

export interface RtrServerOptions {
  host?: string;
  port?: number;
  /** highest protocol version served: 1 by default, 2 (8210bis with ASPA) only when asked */
  maxVersion?: RtrVersion;
  timers?: Partial<Timers>;
  historySize?: number;
  sessionId?: number;
  /** close a connection that has sent no complete query after this long (default 60 s) */
  handshakeTimeoutMs?: number;
  /** close a connection that stalls in the middle of a PDU (default 30 s) */
  partialPduTimeoutMs?: number;
  /** close a synced connection silent for this long; 0 = never (default; routers may be quiet for hours) */
  idleTimeoutMs?: number;
  maxConnections?: number;
  /** a router that does not read: drop it when this many bytes wait in its send queue (default 256 MiB) */
  maxPendingBytes?: number;
  logger?: Logger;
  onEvent?: (e: SessionEvent & { remote: string }) => void;
}

interface Client {
  socket: net.Socket;
  session: RtrSession;
  remote: string;
  connectedAt: number;
  lastData: number;
  queried: boolean;
}

interface Encoded {
  buf: Buffer;
  pdus: number;
}

export class RtrServer implements CacheView {
  readonly state: SerialState;
  readonly maxVersion: RtrVersion;
  readonly timers: Timers;
  readonly clients = new Set<Client>();
  /** PDUs written, by protocol version */
  pdusSent = 0;
  private readonly snapshots = new Map<RtrVersion, Encoded>();
  private readonly deltas = new Map<string, Encoded | 'reset'>();
  private readonly pduCounts = new WeakMap<Buffer, number>();
  private readonly server: net.Server;
  private readonly log: Logger;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly serialListeners = new Set<(serial: number, diff: Diff) => void>();

  constructor(private readonly opts: RtrServerOptions = {}) {
    this.state = new SerialState({ sessionId: opts.sessionId, historySize: opts.historySize });
    this.maxVersion = opts.maxVersion ?? 1;
    this.timers = {
      refresh: opts.timers?.refresh ?? TIMERS.refresh.default,
      retry: opts.timers?.retry ?? TIMERS.retry.default,
      expire: opts.timers?.expire ?? TIMERS.expire.default,
    };
    for (const name of ['refresh', 'retry', 'expire'] as const) {
      const r = TIMERS[name];
      const v = this.timers[name];
      if (!Number.isInteger(v) || v < r.min || v > r.max) throw new RangeError(`rtr: ${name} interval ${v} s is outside ${r.min}..${r.max} (RFC 8210 section 6)`);
    }
    if (this.timers.expire <= this.timers.refresh || this.timers.expire <= this.timers.retry) {
      throw new RangeError('rtr: the expire interval must be longer than refresh and retry (RFC 8210 section 6)');
    }
    this.log = opts.logger ?? silentLogger;
    this.server = net.createServer((s) => this.accept(s));
    this.server.maxConnections = opts.maxConnections ?? 10_000;
  }

  // ---- CacheView
  sessionId(): number {
    return this.state.sessionId;
  }
  serial(): number {
    return this.state.serial;
  }
  ready(): boolean {
    return this.state.ready;
  }
  snapshot(version: RtrVersion): Buffer {
    return this.snapshotEncoded(version).buf;
  }
  delta(version: RtrVersion, serial: number): Buffer | 'reset' {
    const id = `${version}:${serial >>> 0}`;
    let e = this.deltas.get(id);
    if (!e) {
      const d = this.state.deltaFrom(serial);
      e = d.kind === 'reset' ? 'reset' : this.encode(version, d.diff.withdrawn, d.diff.announced);
      this.deltas.set(id, e);
    }
    return e === 'reset' ? 'reset' : e.buf;
  }

  private snapshotEncoded(version: RtrVersion): Encoded {
    let e = this.snapshots.get(version);
    if (!e) {
      e = this.encode(version, [], this.state.current.keys);
      this.snapshots.set(version, e);
    }
    return e;
  }

  private encode(version: RtrVersion, withdrawn: readonly string[], announced: readonly string[]): Encoded {
    const buf = encodeRecords(version, withdrawn, announced);
    let pdus = 0;
    for (const k of withdrawn) if (keyInVersion(k, version)) pdus++;
    for (const k of announced) if (keyInVersion(k, version)) pdus++;
    this.pduCounts.set(buf, pdus);
    return { buf, pdus };
  }

  // ---- data
  /** Installs a new set; bumps the serial and notifies routers only when something changed. */
  update(set: RecordSet): Diff | undefined {
    const wasReady = this.state.ready;
    const diff = this.state.update(set);
    if (!diff) return undefined;
    this.snapshots.clear();
    this.deltas.clear();
    // Pre-encode the version most routers speak so the first Reset Query does not pay for it.
    this.snapshotEncoded(Math.min(1, this.maxVersion) as RtrVersion);
    if (wasReady) for (const c of this.clients) c.session.notify();
    for (const l of this.serialListeners) l(this.state.serial, diff);
    return diff;
  }

  onSerial(listener: (serial: number, diff: Diff) => void): () => void {
    this.serialListeners.add(listener);
    return () => this.serialListeners.delete(listener);
  }

  // ---- network
  async listen(): Promise<{ host: string; port: number }> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const shortest = Math.min(this.opts.partialPduTimeoutMs ?? 30_000, this.opts.handshakeTimeoutMs ?? 60_000, this.opts.idleTimeoutMs || 60_000);
    this.sweeper = setInterval(() => this.sweep(), Math.max(20, Math.min(1000, shortest / 2)));
    this.sweeper.unref();
    const a = this.server.address() as net.AddressInfo;
    return { host: a.address, port: a.port };
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo | null)?.port ?? 0;
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const c of this.clients) c.socket.destroy();
    this.clients.clear();
    await closed;
  }

  private accept(socket: net.Socket): void {
    const remote = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    const maxPending = this.opts.maxPendingBytes ?? 256 * 1024 * 1024;
    const now = Date.now();
    const client: Client = { socket, remote, connectedAt: now, lastData: now, queried: false, session: undefined as unknown as RtrSession };
    client.session = new RtrSession(
      this,
      {
        write: (chunks) => {
          if (socket.destroyed) return;
          if (socket.writableLength > maxPending) {
            this.log.warn({ remote, pending: socket.writableLength }, 'rtr: router does not read, dropping it');
            socket.destroy();
            return;
          }
          socket.cork();
          for (const c of chunks) socket.write(c);
          socket.uncork();
          for (const c of chunks) this.pdusSent += this.pduCounts.get(c) ?? 1;
        },
        close: (reason) => {
          this.log.info({ remote, reason }, 'rtr: closing session');
          socket.end();
          setTimeout(() => socket.destroy(), 5000).unref();
        },
      },
      (e) => {
        if (e.kind === 'query') client.queried = true;
        this.opts.onEvent?.({ ...e, remote });
      },
    );
    this.clients.add(client);
    socket.on('data', (chunk: Buffer) => {
      client.lastData = Date.now();
      try {
        client.session.feed(chunk);
      } catch (err) {
        this.log.warn({ remote, err: String(err) }, 'rtr: internal error in session');
        client.session.abort(ERR.internalError, 'internal error');
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => this.clients.delete(client));
  }

  private sweep(): void {
    const now = Date.now();
    const handshake = this.opts.handshakeTimeoutMs ?? 60_000;
    const partial = this.opts.partialPduTimeoutMs ?? 30_000;
    const idle = this.opts.idleTimeoutMs ?? 0;
    for (const c of this.clients) {
      if (c.session.closed) continue;
      if (c.session.pending > 0 && now - c.lastData > partial) c.session.abort(ERR.corruptData, 'incomplete PDU timed out');
      else if (!c.queried && now - c.connectedAt > handshake) c.session.abort(ERR.invalidRequest, 'no query received');
      else if (idle > 0 && now - c.lastData > idle) c.session.abort(ERR.invalidRequest, 'idle timeout');
    }
  }
}
