// A small RTR client (router side): Reset Query, Serial Query, follows Serial Notify and Cache Reset,
// keeps the received records as canonical keys. Used by the tests, the load test and the benchmark;
// also handy to inspect a cache (`numreg rtr dump` could be built on it).
import net from 'node:net';
import { EventEmitter } from 'node:events';
import { decodePdu, encodeResetQuery, encodeSerialQuery, type Timers } from './codec.js';
import { HEADER_LENGTH, PDU, errorName, type RtrVersion } from './pdu-types.js';

export interface RtrClientOptions {
  host?: string;
  port: number;
  version: RtrVersion;
  /** keep the record set (default true); off = only count PDUs, for timing a cache */
  keep?: boolean;
  /** fully decode and validate every PDU (default true) */
  validate?: boolean;
  /** answer Serial Notify with Serial Query and Cache Reset with Reset Query (default true) */
  follow?: boolean;
}

export interface SyncResult {
  serial: number;
  sessionId: number;
  pdus: number;
  bytes: number;
  timers?: Timers;
}

export class RtrProtocolError extends Error {
  constructor(message: string, readonly code?: number) {
    super(message);
  }
}

export class RtrClient extends EventEmitter {
  readonly records = new Set<string>();
  sessionId: number | undefined;
  serial: number | undefined;
  version: RtrVersion;
  private socket: net.Socket | undefined;
  private buf: Buffer = Buffer.alloc(0);
  private notified: number | undefined;
  private pdus = 0;
  private bytes = 0;
  private waiting: { resolve: (r: SyncResult | 'reset') => void; reject: (e: Error) => void } | undefined;
  private inResponse = false;
  closed = false;

  constructor(private readonly opts: RtrClientOptions) {
    super();
    this.version = opts.version;
  }

  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: this.opts.host ?? '127.0.0.1', port: this.opts.port }, () => {
        s.off('error', reject);
        resolve();
      });
      s.once('error', reject);
      s.on('data', (c: Buffer) => this.onData(c));
      s.on('error', (e) => this.fail(e));
      s.on('close', () => {
        this.closed = true;
        this.fail(new RtrProtocolError('connection closed'));
        this.emit('close');
      });
      this.socket = s;
    });
  }

  /** Sends raw bytes (tests use this for malformed input). */
  sendRaw(b: Buffer): void {
    this.socket!.write(b);
  }

  reset(): Promise<SyncResult> {
    return this.query(encodeResetQuery(this.version)) as Promise<SyncResult>;
  }

  /** Serial Query from the current state; 'reset' when the cache answered Cache Reset (and follow is off). */
  serialQuery(sessionId = this.sessionId!, serial = this.serial!): Promise<SyncResult | 'reset'> {
    return this.query(encodeSerialQuery(this.version, sessionId, serial));
  }

  close(): void {
    this.socket?.destroy();
  }

  private query(b: Buffer): Promise<SyncResult | 'reset'> {
    if (this.waiting) return Promise.reject(new Error('a query is already outstanding'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.pdus = 0;
      this.bytes = 0;
      this.socket!.write(b);
    });
  }

  private fail(e: Error): void {
    const w = this.waiting;
    this.waiting = undefined;
    if (w) w.reject(e);
    else if (!(e instanceof RtrProtocolError && e.message === 'connection closed')) this.report(e);
  }

  /** 'error' events only reach listeners that asked for them (an unheard 'error' would throw). */
  private report(e: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', e);
  }

  private onData(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const b = this.buf;
    let off = 0;
    try {
      while (b.length - off >= HEADER_LENGTH) {
        const len = b.readUInt32BE(off + 4);
        if (len < HEADER_LENGTH || len > 1 << 20) throw new RtrProtocolError(`bad PDU length ${len}`);
        if (b.length - off < len) break;
        this.handle(b.subarray(off, off + len));
        off += len;
      }
    } catch (e) {
      this.fail(e as Error);
      this.socket?.destroy();
      return;
    }
    this.buf = off === 0 ? b : b.subarray(off);
    if (this.buf.length === 0) this.buf = Buffer.alloc(0);
  }

  private handle(p: Buffer): void {
    const type = p[1]!;
    this.pdus++;
    this.bytes += p.length;
    if (type === PDU.ipv4Prefix || type === PDU.ipv6Prefix || type === PDU.routerKey || type === PDU.aspa) {
      if (!this.inResponse) throw new RtrProtocolError(`record PDU outside a Cache Response`);
      if (this.opts.validate !== false) {
        decodePdu(p, { maxVersion: 2, sessionVersion: this.version, from: 'cache', maxLength: 1 << 20 });
      }
      if (this.opts.keep === false) return;
      this.apply(p, type);
      return;
    }
    const pdu = decodePdu(p, { maxVersion: 2, from: 'cache', maxLength: 1 << 20 });
    switch (pdu.type) {
      case PDU.cacheResponse:
        if (pdu.version !== this.version) throw new RtrProtocolError(`cache answered in version ${pdu.version}`);
        if (this.sessionId !== undefined && pdu.sessionId !== this.sessionId) {
          throw new RtrProtocolError(`session id changed from ${this.sessionId} to ${pdu.sessionId}`);
        }
        this.sessionId = pdu.sessionId;
        this.inResponse = true;
        return;
      case PDU.endOfData: {
        if (!this.inResponse) throw new RtrProtocolError('End of Data outside a Cache Response');
        this.inResponse = false;
        this.serial = pdu.serial;
        const r: SyncResult = { serial: pdu.serial, sessionId: pdu.sessionId, pdus: this.pdus, bytes: this.bytes, timers: pdu.timers };
        const w = this.waiting;
        this.waiting = undefined;
        w?.resolve(r);
        this.emit('sync', r);
        // a Serial Notify that arrived while we were busy
        if (this.opts.follow !== false && this.notified !== undefined && this.notified !== this.serial && !this.waiting) {
          this.notified = undefined;
          this.serialQuery().catch((e) => this.report(e));
        }
        return;
      }
      case PDU.cacheReset: {
        this.records.clear();
        this.sessionId = undefined;
        const w = this.waiting;
        this.waiting = undefined;
        if (this.opts.follow === false) w?.resolve('reset');
        else {
          this.emit('cache-reset');
          this.query(encodeResetQuery(this.version)).then((r) => w?.resolve(r), (e) => w?.reject(e));
        }
        return;
      }
      case PDU.serialNotify:
        this.emit('notify', pdu.serial);
        this.notified = pdu.serial;
        if (this.opts.follow !== false && !this.waiting && this.serial !== undefined && pdu.serial !== this.serial) {
          this.serialQuery().catch((e) => this.report(e));
        }
        return;
      case PDU.errorReport: {
        const e = new RtrProtocolError(`cache sent ${errorName(pdu.errorCode)}: ${pdu.text}`, pdu.errorCode);
        this.emit('error-report', pdu);
        const w = this.waiting;
        this.waiting = undefined;
        if (w) w.reject(e);
        return;
      }
      default:
        throw new RtrProtocolError(`unexpected PDU type ${pdu.type}`);
    }
  }

  /** Announce/withdraw one record; duplicates and unknown withdrawals are protocol errors. */
  private apply(p: Buffer, type: number): void {
    let key: string;
    let announce: boolean;
    if (type === PDU.ipv4Prefix || type === PDU.ipv6Prefix) {
      const n = type === PDU.ipv4Prefix ? 4 : 16;
      announce = (p[8]! & 1) === 1;
      key = String.fromCharCode(type) + p.toString('latin1', 12, 12 + n) + p.toString('latin1', 9, 11) + p.toString('latin1', 12 + n, 16 + n);
    } else if (type === PDU.routerKey) {
      announce = (p[2]! & 1) === 1;
      key = String.fromCharCode(type) + p.toString('latin1', 28, 32) + p.toString('latin1', 8, 28) + p.toString('latin1', 32);
    } else {
      announce = (p[2]! & 1) === 1;
      const customer = p.toString('latin1', 8, 12);
      // ASPAs are replaced per customer: drop any record of this customer first
      const prefix = String.fromCharCode(type) + customer;
      let existing: string | undefined;
      for (const k of this.records) if (k.startsWith(prefix)) existing = k;
      if (!announce) {
        if (!existing) throw new RtrProtocolError(`withdrawal of unknown ASPA`, 6);
        this.records.delete(existing);
        return;
      }
      if (existing) this.records.delete(existing);
      this.records.add(prefix + p.toString('latin1', 12));
      return;
    }
    if (announce) {
      if (this.records.has(key)) throw new RtrProtocolError(`duplicate announcement`, 7);
      this.records.add(key);
    } else if (!this.records.delete(key)) {
      throw new RtrProtocolError(`withdrawal of unknown record`, 6);
    }
  }
}
