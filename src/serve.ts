/**
 * `numreg serve`: opens the one store, loads the demo registry into an empty database, and starts every
 * service over it. Each service prints one machine-readable line when it listens (INTERFACES.md), then
 * `numreg: ready`. SIGINT/SIGTERM close everything in reverse order.
 */
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { loadConfig, type Config } from './config.js';
import type { Db } from './db/database.js';
import { openConfiguredDatabase } from './db/open.js';
import { loadDemo } from './demo/load.js';
import { buildHttpApp, type HttpPlugin } from './http/app.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { Registry } from './registry/registry.js';

export interface ServiceContext {
  config: Config;
  db: Db;
  registry: Registry;
  metrics: Metrics;
  logger: pino.Logger;
}

export interface RunningServer {
  config: Config;
  db: Db;
  registry: Registry;
  ports: Record<string, number>;
  close(): Promise<void>;
}

const announce = (line: string) => process.stdout.write(`numreg: ${line}\n`);

export async function serve(config: Config = loadConfig(), options: { announce?: (line: string) => void } = {}): Promise<RunningServer> {
  const say = options.announce ?? announce;
  // Logs go to stderr so that stdout carries only the start-up lines.
  const logger = pino({ level: config.logLevel }, pino.destination(2));
  const db = await openConfiguredDatabase(config);
  const { rows } = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM organisation');
  if (rows[0]!.n === '0') {
    const demo = await loadDemo(db);
    logger.info({ demo }, 'empty database: demo registry loaded');
  }
  const registry = new Registry(db);
  const metrics = createMetrics(db);
  const ctx: ServiceContext = { config, db, registry, metrics, logger };
  const closers: Array<() => Promise<void>> = [];
  const ports: Record<string, number> = {};

  const plugins: HttpPlugin[] = [];
  const http = await buildHttpApp({ db, registry, metrics, logger: logger.child({ service: 'http' }), plugins });
  await http.listen({ host: config.host, port: config.httpPort });
  ports.http = (http.server.address() as { port: number }).port;
  closers.push(() => http.close());
  say(`http listening on http://${config.host}:${ports.http}`);

  if (config.httpsPort !== undefined) {
    const https = await buildHttpApp({
      db, registry, metrics, logger: logger.child({ service: 'https' }), plugins,
      https: { key: readFileSync(config.tlsKey!), cert: readFileSync(config.tlsCert!) },
    });
    await https.listen({ host: config.host, port: config.httpsPort });
    ports.https = (https.server.address() as { port: number }).port;
    closers.push(() => https.close());
    say(`https listening on https://${config.host}:${ports.https}`);
  }

  void ctx;
  say('ready');
  let closed = false;
  return {
    config, db, registry, ports,
    async close() {
      if (closed) return;
      closed = true;
      for (const close of closers.reverse()) await close().catch((error) => logger.error({ err: error }, 'close failed'));
      await db.close();
    },
  };
}
