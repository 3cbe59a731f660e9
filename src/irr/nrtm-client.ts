/**
 * NRTM v3 client: mirrors a source of another IRR (IRRd, RIPE, or numreg) into a read-only local source.
 * Sends `-g SOURCE:3:<next>-LAST` (with `-k` to keep the connection and receive updates as they happen),
 * parses the stream paragraph by paragraph and applies each ADD/DEL in serial order through
 * IrrService.applyMirror, which records the last applied serial in irr_source.
 */
import { connect, type Socket } from 'node:net';
import type { IrrService } from './service.js';

export interface NrtmMirrorOptions {
  host: string;
  port: number;
  /** source name on the remote server */
  remoteSource: string;
  /** local (read-only) source name; default: the remote name */
  localSource?: string;
  /** first serial to ask for; default: last applied + 1 (or 1) */
  fromSerial?: number;
  /** keep the connection open (-k) and apply updates as they arrive until stop() */
  keepalive?: boolean;
  onOperation?: (op: { serial: number; op: 'ADD' | 'DEL'; ok: boolean; error?: string }) => void;
}

export interface NrtmMirror {
  /** resolves when the server closes the connection (or after stop()) */
  done: Promise<{ applied: number; lastSerial?: number; errors: string[] }>;
  stop(): void;
}

type Para = string[];

/** Incremental paragraph splitter: a paragraph ends at an empty line. */
class Paragraphs {
  private buf = '';
  private lines: string[] = [];
  push(chunk: string): Para[] {
    this.buf += chunk;
    const out: Para[] = [];
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl).replace(/\r$/, '');
      this.buf = this.buf.slice(nl + 1);
      if (line === '') {
        if (this.lines.length) out.push(this.lines);
        this.lines = [];
      } else this.lines.push(line);
    }
    return out;
  }
  flush(): Para[] {
    const rest = [...this.lines, ...(this.buf ? [this.buf] : [])];
    this.lines = [];
    this.buf = '';
    return rest.length ? [rest] : [];
  }
}

export async function startNrtmMirror(service: IrrService, options: NrtmMirrorOptions): Promise<NrtmMirror> {
  const local = (options.localSource ?? options.remoteSource).toUpperCase();
  if (local === service.source) throw new Error(`${local} is the authoritative source; mirror into another source name`);
  await service.ensureMirrorSource(local);
  const { rows } = await service.db.query<{ serial: string | null }>('SELECT serial::text AS serial FROM irr_source WHERE name = $1', [local]);
  const from = options.fromSerial ?? (rows[0]?.serial ? Number(rows[0].serial) + 1 : 1);
  const errors: string[] = [];
  let applied = 0;
  let lastSerial: number | undefined;
  let pendingOp: { op: 'ADD' | 'DEL'; serial: number } | undefined;
  const paragraphs = new Paragraphs();
  let chain = Promise.resolve();
  let socket: Socket;

  const handle = async (p: Para) => {
    const first = p[0];
    if (pendingOp) {
      const { op, serial } = pendingOp;
      pendingOp = undefined;
      const r = await service.applyMirror(local, op, p.join('\n') + '\n', serial);
      options.onOperation?.({ serial, op, ...r });
      if (r.ok) { applied++; lastSerial = serial; } else errors.push(`serial ${serial}: ${r.error}`);
      return;
    }
    const m = /^(ADD|DEL)(?:\s+([0-9]+))?$/.exec(first);
    if (m && p.length === 1) {
      pendingOp = { op: m[1] as 'ADD' | 'DEL', serial: m[2] ? Number(m[2]) : (lastSerial ?? from - 1) + 1 };
      return;
    }
    if (first.startsWith('%ERROR') || first.startsWith('%% ERROR') || first.startsWith('% ERROR')) errors.push(first);
    // %START, %END, % comments and warnings need no action
  };

  const done = new Promise<{ applied: number; lastSerial?: number; errors: string[] }>((resolve) => {
    socket = connect(options.port, options.host);
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      socket.write(`${options.keepalive ? '-k ' : ''}-g ${options.remoteSource.toUpperCase()}:3:${from}-LAST\n`);
    });
    socket.on('data', (chunk: string) => {
      for (const p of paragraphs.push(chunk)) chain = chain.then(() => handle(p));
    });
    const finish = () => {
      for (const p of paragraphs.flush()) chain = chain.then(() => handle(p));
      chain.then(() => resolve({ applied, lastSerial, errors })).catch((e) => resolve({ applied, lastSerial, errors: [...errors, String(e)] }));
      void service.refresh(true).catch(() => undefined);
    };
    socket.on('close', finish);
    socket.on('error', (e) => errors.push(`connection: ${e.message}`));
  });
  return {
    done: done.then(async (r) => {
      await service.refresh(true);
      return r;
    }),
    stop: () => socket?.destroy(),
  };
}
