/**
 * Standalone WHOIS/IRR TCP server for the IRR: IRRd `!` commands, NRTM (`-g`, with `-k` streaming) and
 * RIPE-style object queries. The shared port-43 WHOIS server can instead route lines itself to
 * handleIrrdCommand / handleIrrWhoisLine; this server exists for tests and for running the IRR alone.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { IrrService } from './service.js';
import { handleIrrdCommand, newIrrdSession, type IrrdSession } from './irrd.js';
import { answerNrtm, formatNrtm, journalRange, NrtmError, nrtmOperations, parseNrtmQuery } from './nrtm.js';
import { filterAuth, findRpslObjects, type RouteSearch } from './lookup.js';

export interface IrrWhoisServer {
  server: Server;
  host: string;
  port: number;
  close(): Promise<void>;
}

export interface RipeQuery {
  keepalive: boolean;
  nrtm?: string;
  sources?: string[];
  types?: string[];
  inverse?: string[];
  routes?: RouteSearch;
  key: string;
  error?: string;
}

/** Parses the RIPE-style flags IRRd supports. */
export function parseRipeQuery(line: string): RipeQuery {
  const words = line.trim().split(/\s+/).filter(Boolean);
  const q: RipeQuery = { keepalive: false, key: '' };
  const rest: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const arg = () => {
      const v = words[++i];
      if (v === undefined) q.error = `Missing argument for flag/search: ${w.slice(1)}`;
      return v ?? '';
    };
    switch (w) {
      case '-k': q.keepalive = true; break;
      case '-g': q.nrtm = arg(); break;
      case '-s': q.sources = arg().toUpperCase().split(','); break;
      case '-a': q.sources = undefined; break;
      case '-T': q.types = arg().toLowerCase().split(','); break;
      case '-i': q.inverse = arg().toLowerCase().split(','); break;
      case '-x': q.routes = 'exact'; break;
      case '-l': q.routes = 'less-one'; break;
      case '-L': q.routes = 'less-all'; break;
      case '-M': q.routes = 'more'; break;
      case '-r': case '-F': case '-B': case '-G': break; // accepted, no effect (as in IRRd)
      case '-V': arg(); break;
      default:
        if (w.startsWith('-')) q.error = `Unrecognised flag/search: ${w.slice(1)}`;
        else rest.push(w);
    }
  }
  q.key = rest.join(' ');
  return q;
}

export interface LineResult {
  text: string;
  close: boolean;
  /** NRTM -k: keep streaming this source from this serial */
  stream?: { source: string; version: number; next: number };
}

/** One query line of the IRR's WHOIS dialect (what the shared WHOIS server may delegate to). */
export async function handleIrrWhoisLine(service: IrrService, session: IrrdSession & { keepalive?: boolean }, line: string): Promise<LineResult> {
  const trimmed = line.replace(/\r?\n$/, '').replace(/\r$/, '').trim();
  if (trimmed.startsWith('!')) {
    const text = await handleIrrdCommand(service, session, trimmed);
    const quit = trimmed === '!q';
    return { text, close: quit || (!session.multiple && !session.keepalive) };
  }
  const q = parseRipeQuery(trimmed);
  if (q.keepalive) session.keepalive = true;
  const close = !session.multiple && !session.keepalive;
  if (q.error) return { text: `%% ERROR: ${q.error}\n\n\n`, close };
  if (q.nrtm !== undefined) {
    try {
      const req = parseNrtmQuery(q.nrtm);
      const known = (await service.sources()).map((s) => s.name);
      const text = await answerNrtm(service.db, req, known);
      const { newest } = await journalRange(service.db, req.source);
      const next = (req.last ?? newest ?? req.first - 1) + 1;
      return { text: text + '\n', close, stream: q.keepalive ? { source: req.source, version: req.version, next } : undefined };
    } catch (e) {
      if (e instanceof NrtmError) return { text: `%% ERROR: ${e.message}\n\n\n`, close };
      throw e;
    }
  }
  if (!q.key) return { text: q.keepalive ? '' : '%% ERROR: Missing query\n\n\n', close };
  const found = await findRpslObjects(service.db, {
    key: q.key, types: q.types, inverse: q.inverse, routes: q.routes, sources: q.sources ?? session.sources,
    rov: (p, o) => service.rov(p, o), includeInvalid: session.includeInvalid,
  });
  if (!found.length) return { text: '%  No entries found for the selected source(s).\n\n\n', close };
  return { text: found.map((f) => filterAuth(f.text).trimEnd() + '\n').join('\n') + '\n\n', close };
}

export async function startIrrWhoisServer(service: IrrService, options: { host?: string; port?: number; streamPollMs?: number; withoutA?: boolean; onQuery?: (line: string) => void } = {}): Promise<IrrWhoisServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const session = Object.assign(newIrrdSession(), { keepalive: false, withoutA: options.withoutA });
    let buffer = '';
    let chain = Promise.resolve();
    let closed = false;
    let idle: NodeJS.Timeout | undefined;
    const resetIdle = () => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => socket.end(), session.timeoutSeconds * 1000);
      idle.unref();
    };
    resetIdle();
    socket.on('close', () => {
      closed = true;
      sockets.delete(socket);
      if (idle) clearTimeout(idle);
    });
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (!line.trim()) continue;
        // strictly in order, even when several commands arrive in one segment (bgpq4 pipelining)
        chain = chain.then(async () => {
          if (closed) return;
          resetIdle();
          options.onQuery?.(line);
          const r = await handleIrrWhoisLine(service, session, line).catch(() => ({ text: 'F An internal error occurred while processing this query.\n', close: true } as LineResult));
          if (closed) return;
          socket.write(r.text);
          if (r.stream) startStream(r.stream);
          else if (r.close) {
            closed = true;
            socket.end();
          }
        });
      }
    });
    const startStream = (s: { source: string; version: number; next: number }) => {
      if (idle) clearTimeout(idle);
      let next = s.next;
      let busy = false;
      const timer = setInterval(async () => {
        if (closed) { clearInterval(timer); timers.delete(timer); return; }
        if (busy) return;
        busy = true;
        try {
          const { newest } = await journalRange(service.db, s.source);
          if (newest !== undefined && newest >= next) {
            const ops = await nrtmOperations(service.db, s.source, next, newest);
            if (ops.length && !closed) socket.write(formatNrtm(s.source, s.version, next, newest, ops) + '\n');
            next = newest + 1;
          }
        } catch {
          /* database busy or closing: try again next tick */
        } finally {
          busy = false;
        }
      }, options.streamPollMs ?? 1000);
      timers.add(timer);
    };
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as { address: string; port: number };
  return {
    server,
    host: addr.address,
    port: addr.port,
    async close() {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
