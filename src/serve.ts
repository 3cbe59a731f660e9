/**
 * `numreg serve`: opens the one store, loads the demo registry into an empty database, and starts every
 * service over it: the hosted RPKI CA (following the registry) with rsync publication, the RTR cache (fed
 * by the CA and optional validator JSON/SLURM), the IRR, WHOIS (with the IRR's `!` commands), and one
 * HTTP app (portal, RDAP, REST API, RRDP, statistics, /metrics). When everything listens it prints one
 * machine-readable line per service (INTERFACES.md), then `numreg: ready`. SIGINT/SIGTERM close
 * everything in reverse order.
 */
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { loadConfig, type Config } from './config.js';
import type { Db } from './db/database.js';
import { openConfiguredDatabase } from './db/open.js';
import { loadDemo } from './demo/load.js';
import { buildHttpApp, type HttpPlugin } from './http/app.js';
import { createMetrics } from './http/metrics.js';
import { Registry } from './registry/registry.js';
import { startRpkiService, registerRpkiRoutes, registerRoaRoutes, registerCaAdminRoutes, apiKeyRoaAuth, rtrSource, loadRegistryInput } from './rpki/index.js';
import { startRtrService, registerRovRoutes } from './rtr/index.js';
import { IrrService } from './irr/service.js';
import { registerIrrRoutes } from './irr/http.js';
import { startWhois } from './wiring/whois.js';
import { irrHooks } from './whois/irr-adapter.js';
import { registerRdapRoutes } from './rdap/index.js';
import { registerStatsRoutes } from './stats/http.js';
import { registerWebRoutes } from './web/index.js';
import { followRegistry } from './wiring/rpki.js';

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
  const closers: Array<() => Promise<void> | void> = [];
  const ports: Record<string, number> = {};
  const lines: string[] = [];
  const db = await openConfiguredDatabase(config);
  closers.push(() => db.close());
  const registry = new Registry(db);
  try {
    const { rows } = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM organisation');
    if (rows[0]!.n === '0') {
      const demo = await loadDemo(db);
      logger.info({ demo }, 'empty database: demo registry loaded');
    }
    const metrics = createMetrics(db);

    // RPKI: the CA follows the registry; rsync serves the repository, RRDP goes out over HTTPS.
    const httpsBase = config.httpsPort !== undefined ? `https://${hostForUrl(config.host)}:${config.httpsPort}` : undefined;
    // The trust anchor certifies what this registry holds (its NIR blocks), as an NIR-level TA would.
    const { taResources } = await loadRegistryInput(db);
    const rpki = await startRpkiService({
      dataDir: config.dataDir, host: config.host, rsyncPort: config.rsyncPort, httpsBaseUrl: httpsBase, taResources,
      logger: logger.child({ service: 'rpki' }) as never,
    });
    closers.push(() => rpki.close());
    const rpkiSync = followRegistry(rpki, db, registry, (error) => logger.error({ err: error }, 'rpki sync failed'));
    closers.push(() => rpkiSync.close());
    await rpkiSync.syncNow();
    if (rpki.rsyncPort !== null) ports.rsync = rpki.rsyncPort;

    // RTR: the CA's ROAs, plus a relying party's JSON and SLURM when configured.
    const rtr = await startRtrService({
      host: config.host, port: config.rtrPort, slurmPath: config.slurm,
      ...(config.vrpJson && /^https?:\/\//.test(config.vrpJson) ? { vrpJsonUrl: config.vrpJson } : { vrpJsonPath: config.vrpJson }),
      extraSources: [rtrSource(rpki)], metricsRegistry: metrics.registry, logger: logger.child({ service: 'rtr' }),
    });
    closers.push(() => rtr.close());
    ports.rtr = rtr.port;

    // IRR: RPKI-aware through the RTR cache's current VRPs.
    const irr = await IrrService.create(db, {
      source: config.irrSource,
      rovCheck: (prefix, origin) => rtr.validateOrigin(prefix, Number(origin)).state,
      log: (event) => logger.info(event, 'irr'),
    });

    // The IRR caches each route's RPKI state: re-validate when the VRPs routers get change.
    const unwatchRov = rtr.onSerial(() => irr.revalidateRpki());
    closers.push(() => unwatchRov());
    const hooks = await irrHooks(irr);
    const whois = await startWhois(config, registry, rtr.port, hooks, db, logger);
    closers.push(() => whois.close());
    ports.whois = whois.port;

    const plugins: HttpPlugin[] = [
      (app) => registerRpkiRoutes(app, rpki),
      (app) => registerRoaRoutes(app, { db, service: rpki, resync: rpkiSync.syncNow }, apiKeyRoaAuth(db)),
      (app) => registerCaAdminRoutes(app, rpki, apiKeyRoaAuth(db)),
      (app) => registerRovRoutes(app, rtr),
      (app) => registerIrrRoutes(app, irr),
      (app) => registerRdapRoutes(app, { db, registry, port43Host: config.host, view: whois.view }),
      (app) => registerStatsRoutes(app, db),
      async (app) => {
        const integrations = await registerWebRoutes(app, { db, registry, services: { irr, rpki, rtr, rpkiResync: rpkiSync.syncNow } });
        if (integrations.missing.length) logger.warn({ missing: integrations.missing }, 'portal: some integrations are missing');
      },
    ];
    const http = await buildHttpApp({ db, registry, metrics, logger: logger.child({ service: 'http' }), plugins });
    await http.listen({ host: config.host, port: config.httpPort });
    closers.push(() => http.close());
    ports.http = (http.server.address() as { port: number }).port;
    lines.push(`http listening on http://${hostForUrl(config.host)}:${ports.http}`);

    if (config.httpsPort !== undefined) {
      const https = await buildHttpApp({
        db, registry, metrics, logger: logger.child({ service: 'https' }), plugins,
        https: { key: readFileSync(config.tlsKey!), cert: readFileSync(config.tlsCert!) },
      });
      await https.listen({ host: config.host, port: config.httpsPort });
      closers.push(() => https.close());
      ports.https = (https.server.address() as { port: number }).port;
      lines.push(`https listening on https://${hostForUrl(config.host)}:${ports.https}`);
    }
    lines.push(`whois listening on ${config.host}:${ports.whois}`);
    lines.push(`rtr listening on ${config.host}:${ports.rtr}`);
    if (ports.rsync !== undefined) lines.push(`rsync listening on rsync://${hostForUrl(config.host)}:${ports.rsync}/repo/`);
    else if (rpki.rsyncNote) lines.push(rpki.rsyncNote.replace(/^numreg: /, ''));
  } catch (error) {
    for (const close of closers.reverse()) await Promise.resolve(close()).catch(() => undefined);
    throw error;
  }
  for (const line of lines) say(line);
  say('ready');

  let closed = false;
  return {
    config, db, registry, ports,
    async close() {
      if (closed) return;
      closed = true;
      for (const close of closers.reverse()) await Promise.resolve(close()).catch((error) => logger.error({ err: error }, 'close failed'));
    },
  };
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
