/**
 * One WHOIS worker process of cluster.ts: opens its own database pool, loads its own registry view, serves
 * the sockets the primary hands over, and syncs its view when the primary says the registry changed.
 */
import type net from 'node:net';
import { openDatabase, type Db } from '../db/database.js';
import { startWhoisService, type WhoisService } from './index.js';
import type { Logger } from './engine.js';
import type { FromWorker, ToWorker } from './cluster.js';
import type { IrrHandler, RpslLookup } from './hooks.js';

const send = (m: FromWorker) => process.send?.(m);
const logger: Logger = {
  info: (obj, msg) => send({ type: 'log', level: 'info', obj: plain(obj), msg }),
  warn: (obj, msg) => send({ type: 'log', level: 'warn', obj: plain(obj), msg }),
  error: (obj, msg) => send({ type: 'log', level: 'error', obj: plain(obj), msg }),
};
/** Errors do not survive IPC serialisation as objects: send their message and stack. */
function plain(obj: object): object {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = v instanceof Error ? { message: v.message, stack: v.stack } : v;
  return out;
}

let db: Db | undefined;
let service: WhoisService | undefined;

process.on('message', (m: ToWorker, socket?: net.Socket) => {
  switch (m.type) {
    case 'init':
      void init(m.options).catch((error: unknown) => {
        send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
        process.exit(1);
      });
      break;
    case 'conn':
      if (!socket) break;
      if (!service) {
        socket.destroy();
        break;
      }
      service.server.accept(socket);
      socket.resume();
      break;
    case 'sync':
      if (!service) break;
      void service.view.sync().then(() => {
        if (m.id !== undefined) send({ type: 'synced', id: m.id });
      });
      break;
    case 'close':
      void (async () => {
        await service?.close();
        await db?.close();
        process.exit(0);
      })();
      break;
  }
});

async function init(o: Extract<ToWorker, { type: 'init' }>['options']): Promise<void> {
  db = await openDatabase({ url: o.databaseUrl, poolSize: 2 });
  let hooks: { irrHandler?: IrrHandler; rpslLookup?: RpslLookup } = {};
  if (o.hooksModule) {
    const mod = (await import(o.hooksModule)) as { whoisHooks(db: Db, args: unknown): Promise<typeof hooks> };
    hooks = await mod.whoisHooks(db, o.hooksArgs);
  }
  service = await startWhoisService({
    db, host: o.host, port: 0, listen: false, logger, irrSource: o.irrSource, personalDataLimit: o.personalDataLimit,
    defaultFormat: o.defaultFormat, pollMs: o.pollMs, limits: o.limits, ...hooks,
  });
  send({ type: 'ready' });
}
