/**
 * Entry point of the WHOIS service: loads the in-memory registry view, keeps it fresh from the change feed,
 * and listens on TCP. `numreg serve` calls startWhoisService and prints
 * `numreg: whois listening on <host>:<port>`.
 */
import type { Db } from '../db/database.js';
import type { Registry } from '../registry/registry.js';
import { RegistryView } from '../registry/view.js';
import { WhoisEngine, type Logger } from './engine.js';
import { PersonalDataLimiter } from './personal-data.js';
import { WhoisServer, type ServerLimits } from './server.js';
import type { IrrHandler, RpslLookup } from './hooks.js';
import type { OutputFormat } from './flags.js';

export type { IrrHandler, IrrSession, RpslLookup, RpslText, RpslSearch } from './hooks.js';
export type { Logger } from './engine.js';
export { parseQuery } from './query-parser.js';
export { startWhoisCluster, type WhoisCluster, type WhoisClusterOptions } from './cluster.js';

export interface WhoisServiceOptions {
  db: Db;
  /** The registry facade: its change notifier keeps the view fresh without polling delay. */
  registry?: Registry;
  host: string;
  /** 0 picks a free port (tests); the result says which. */
  port: number;
  /** Source name of numreg's own objects (NUMREG_IRR_SOURCE, default NUMREG). */
  irrSource?: string;
  irrHandler?: IrrHandler;
  rpslLookup?: RpslLookup;
  logger?: Logger;
  /** Person objects one client address may retrieve per UTC day (default 1,000). */
  personalDataLimit?: number;
  /** Answer style when the query does not choose one (default rpsl). */
  defaultFormat?: OutputFormat;
  /** Feed polling interval for writes from other processes (default 2,000 ms; 0: off). */
  pollMs?: number;
  limits?: Partial<ServerLimits>;
  /** false: do not listen; connections are handed in with `server.accept(socket)` (cluster workers). */
  listen?: boolean;
}

export interface WhoisService {
  port: number;
  view: RegistryView;
  engine: WhoisEngine;
  server: WhoisServer;
  close(): Promise<void>;
}

const quiet: Logger = { info() {}, warn() {}, error() {} };

export async function startWhoisService(options: WhoisServiceOptions): Promise<WhoisService> {
  const logger = options.logger ?? quiet;
  const view = new RegistryView(options.db, {
    notifier: options.registry?.changes,
    pollMs: options.pollMs ?? 2000,
    onError: (err) => logger.error({ err }, 'whois view sync failed'),
  });
  await view.load();
  const limiter = new PersonalDataLimiter(options.personalDataLimit ?? 1000);
  const engine = new WhoisEngine({
    db: options.db, view, source: (options.irrSource ?? 'NUMREG').toUpperCase(), rpslLookup: options.rpslLookup,
    limiter, logger, defaultFormat: options.defaultFormat,
  });
  const server = new WhoisServer({ engine, view, logger, irrHandler: options.irrHandler, rpslLookup: options.rpslLookup, limits: options.limits });
  const port = options.listen === false ? 0 : await server.listen(options.port, options.host);
  return {
    port, view, engine, server,
    async close() {
      view.close();
      await server.close();
    },
  };
}
