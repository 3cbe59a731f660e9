/**
 * The WHOIS TCP server (RFC 3912): one query, one answer, then the server closes. Beyond that:
 *   -k          persistent connection: several queries, each answered in turn; "-k" again closes
 *   begin … end bulk attribution (bulk.ts)
 *   !…          IRRd commands, handed to the pluggable irrHandler; a first line "!!" keeps the connection
 *               open for many commands (IRRd's multiple-command mode), "!q" ends it
 * Hygiene: idle timeout, maximum line length, maximum concurrent connections per client address, control
 * characters and non-UTF-8 bytes answered with %ERROR:108, reading paused while the client does not read.
 */
import net from 'node:net';
import { once } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import { parseQuery } from './query-parser.js';
import { errorText, WhoisQueryError } from './messages.js';
import { BulkSession } from './bulk.js';
import { defaultIrrHandler, type IrrHandler, type IrrSession, type RpslLookup } from './hooks.js';
import type { Logger, WhoisEngine } from './engine.js';
import type { RegistryView } from '../registry/view.js';

export interface ServerLimits {
  /** Close a connection silent for this long (ms). */
  idleTimeoutMs: number;
  /** Longest accepted line in bytes (bulk lines too). */
  maxLineLength: number;
  /** Concurrent connections from one client address. */
  maxConnectionsPerClient: number;
  /** Most lines in one bulk session. */
  maxBulkLines: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  idleTimeoutMs: 60_000,
  maxLineLength: 1024,
  maxConnectionsPerClient: 20,
  maxBulkLines: 1_000_000,
};

export interface WhoisServerOptions {
  engine: WhoisEngine;
  view: RegistryView;
  logger: Logger;
  irrHandler?: IrrHandler;
  rpslLookup?: RpslLookup;
  limits?: Partial<ServerLimits>;
}

type Mode = 'first' | 'persistent' | 'bulk' | 'irr-multi' | 'closing';

/** Most bytes queued for a slow reader before we stop reading its next queries. */
const HIGH_WATER = 1 << 20;

export class WhoisServer {
  readonly server: net.Server;
  readonly limits: ServerLimits;
  private readonly perClient = new Map<string, number>();
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly o: WhoisServerOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...o.limits };
    // allowHalfOpen: a client may send its query and half-close (printf … | nc -N); we still answer.
    this.server = net.createServer({ allowHalfOpen: true }, (socket) => this.accept(socket));
    this.server.on('error', (err) => o.logger.error({ err }, 'whois server error'));
  }

  async listen(port: number, host: string): Promise<number> {
    this.server.listen({ port, host, backlog: 4096 });
    await once(this.server, 'listening');
    return (this.server.address() as net.AddressInfo).port;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  get connections(): number {
    return this.sockets.size;
  }

  /** Serves a connection accepted elsewhere (a cluster worker gets its sockets from the primary). */
  accept(socket: net.Socket): void {
    const client = normaliseAddress(socket.remoteAddress ?? 'unknown');
    this.sockets.add(socket);
    const count = (this.perClient.get(client) ?? 0) + 1;
    this.perClient.set(client, count);
    socket.once('close', () => {
      this.sockets.delete(socket);
      const n = (this.perClient.get(client) ?? 1) - 1;
      if (n <= 0) this.perClient.delete(client);
      else this.perClient.set(client, n);
    });
    socket.on('error', () => socket.destroy());
    if (count > this.limits.maxConnectionsPerClient) {
      this.o.logger.warn({ client, connections: count }, 'whois connection limit per client exceeded');
      socket.end(errorText(306, String(this.limits.maxConnectionsPerClient)));
      return;
    }
    new Connection(socket, client, this.o, this.limits).start();
  }
}

class Connection implements IrrSession {
  private mode: Mode = 'first';
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  /** Received lines not yet handled: lines[head…]. An index, not shift(): shift() is O(n) on long arrays. */
  private lines: string[] = [];
  private head = 0;
  private busy = false;
  private bulk?: BulkSession;
  private bulkLines = 0;
  readonly state = new Map<string, unknown>();

  constructor(private readonly socket: net.Socket, readonly client: string, private readonly o: WhoisServerOptions, private readonly limits: ServerLimits) {}

  get multiCommand(): boolean {
    return this.mode === 'irr-multi';
  }

  start(): void {
    this.socket.setNoDelay(true);
    this.socket.setTimeout(this.limits.idleTimeoutMs);
    this.socket.on('timeout', () => {
      if (this.mode === 'closing') return this.socket.destroy();
      const text = this.mode === 'irr-multi' ? '' : errorText(305);
      this.finish(text);
    });
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
    this.socket.on('end', () => {
      // Client half-closed: answer a last line without its line end (e.g. printf 'AS1' | nc), then close.
      const rest = this.partial + this.decoder.end();
      this.partial = '';
      if (rest.trim() !== '' && this.mode !== 'closing') this.lines.push(rest);
      this.lines.push('\u0000EOF');
      void this.drain();
    });
  }

  private receive(chunk: Buffer): void {
    if (this.mode === 'closing') return;
    const text = this.partial + this.decoder.write(chunk);
    const parts = text.split('\n');
    this.partial = parts.pop()!;
    const max = this.limits.maxLineLength;
    // a UTF-16 unit is at most 3 UTF-8 bytes: short lines need no byte count
    const tooLong = (line: string) => line.length * 3 > max && Buffer.byteLength(line) > max;
    for (const p of parts) {
      const line = p.endsWith('\r') ? p.slice(0, -1) : p;
      if (tooLong(line)) return this.tooLong();
      this.lines.push(line);
    }
    if (tooLong(this.partial)) return this.tooLong();
    void this.drain();
  }

  private tooLong(): void {
    this.clearLines();
    this.partial = '';
    this.finish(errorText(107, String(this.limits.maxLineLength)));
  }

  /**
   * Handles queued lines one at a time, in order. The socket stays corked while queued lines are answered,
   * so the answers to pipelined queries (several lines in one read) leave in one write, not one each.
   */
  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    let corked = false;
    try {
      while (this.pending() && this.mode !== 'closing') {
        if (this.mode === 'bulk') {
          this.runBulk();
          continue;
        }
        const line = this.next();
        if (line === '\u0000EOF') {
          this.finish('');
          break;
        }
        if (!corked && !this.socket.destroyed) {
          this.socket.cork();
          corked = true;
        }
        await this.handle(line);
        if (this.socket.writableLength > HIGH_WATER && !this.socket.destroyed) {
          if (corked) {
            this.socket.uncork();
            corked = false;
          }
          this.socket.pause();
          await Promise.race([once(this.socket, 'drain'), once(this.socket, 'close')]);
          this.socket.resume();
        }
      }
    } catch (error) {
      this.o.logger.error({ err: error, client: this.client }, 'whois connection failed');
      this.finish(errorText(100));
    } finally {
      if (corked && !this.socket.destroyed) this.socket.uncork();
      this.busy = false;
    }
  }

  private async handle(line: string): Promise<void> {
    const trimmed = line.trim();
    if (this.mode === 'first') {
      if (trimmed.startsWith('!!')) {
        this.mode = 'irr-multi';
        return;
      }
      if (trimmed.startsWith('!')) return this.finish(await this.irr(trimmed));
      if (trimmed.toLowerCase() === 'begin') {
        this.mode = 'bulk';
        this.bulk = new BulkSession(this.o.view, this.o.rpslLookup);
        return;
      }
      return this.query(line, false);
    }
    if (this.mode === 'irr-multi') {
      if (trimmed === '') return;
      if (trimmed.toLowerCase() === '!q') return this.finish('');
      if (trimmed.startsWith('!')) return void this.write(await this.irr(trimmed));
      return this.query(line, true);
    }
    // persistent WHOIS (-k)
    if (trimmed === '') return;
    if (trimmed === '-k' || trimmed === '--persistent-connection') return this.finish('');
    return this.query(line, true);
  }

  private async irr(line: string): Promise<string> {
    try {
      return await (this.o.irrHandler ?? defaultIrrHandler)(this, line);
    } catch (error) {
      this.o.logger.error({ err: error, client: this.client, command: line.slice(0, 100) }, 'irr command failed');
      return 'F Internal error\n';
    }
  }

  private async query(line: string, persistent: boolean): Promise<void> {
    const engine = this.o.engine;
    let answer: string;
    let keep = persistent;
    try {
      const q = parseQuery(line, engine.defaultFormat);
      if (q.options.keepAlive) {
        if (persistent && q.key === '') return this.finish('');
        keep = true;
        if (q.key === '' && !q.options.info) {
          this.mode = 'persistent';
          return;
        }
      }
      answer = await engine.execute(q, this.client);
    } catch (error) {
      if (!(error instanceof WhoisQueryError)) throw error;
      answer = engine.errorAnswer(error);
    }
    if (keep) {
      if (this.mode === 'first') this.mode = 'persistent';
      this.write(answer + '\n');
    } else {
      this.finish(answer);
    }
  }

  private runBulk(): void {
    let out = '';
    while (this.pending()) {
      const line = this.next();
      const word = line.trim().toLowerCase();
      if (word === 'end' || line === '\u0000EOF' || ++this.bulkLines > this.limits.maxBulkLines) {
        if (!this.bulk!.started && !this.bulk!.options.noheader) out += this.bulk!.header();
        if (this.bulkLines > this.limits.maxBulkLines) out += `%ERROR:107: input line too long\n% A bulk session takes at most ${this.limits.maxBulkLines} lines.\n`;
        this.finish(out);
        return;
      }
      out += this.bulk!.line(line);
    }
    if (out) this.write(out);
  }

  private pending(): boolean {
    return this.head < this.lines.length;
  }

  private next(): string {
    const line = this.lines[this.head++]!;
    if (this.head === this.lines.length) this.clearLines();
    return line;
  }

  private clearLines(): void {
    this.lines = [];
    this.head = 0;
  }

  private write(text: string): void {
    if (text && !this.socket.destroyed) this.socket.write(text);
  }

  /** Sends the last bytes and closes (RFC 3912: the server closes after its answer). */
  private finish(text: string): void {
    if (this.mode === 'closing') return;
    this.mode = 'closing';
    this.clearLines();
    if (this.socket.destroyed) return;
    this.socket.end(text);
    // a client that never reads its answer must not hold the connection
    this.socket.setTimeout(this.limits.idleTimeoutMs);
  }
}

/** "::ffff:127.0.0.1" → "127.0.0.1": one client, one counter, whichever stack it came over. */
export function normaliseAddress(a: string): string {
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}
