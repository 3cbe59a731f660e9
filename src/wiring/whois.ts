/**
 * The WHOIS service as `numreg serve` starts it: one process by default; with NUMREG_WHOIS_WORKERS=N (N > 1) on
 * PostgreSQL, N worker processes share the port (src/whois/cluster.ts), each with its own view and its own IRR
 * service following the primary's RTR cache (whois-worker-hooks.ts). PGlite lives inside one process, so there
 * the setting is refused in one clear log line and WHOIS runs in one process. In one process the WHOIS view is
 * returned for RDAP to answer from as well; in a cluster the views live in the workers and RDAP asks the database.
 */
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { Registry } from '../registry/registry.js';
import { startWhoisCluster, startWhoisService } from '../whois/index.js';
import type { irrHooks } from '../whois/irr-adapter.js';
import type { RegistryView } from '../registry/view.js';
import type { WorkerHooksArgs } from './whois-worker-hooks.js';

const HOOKS_MODULE = fileURLToPath(new URL('./whois-worker-hooks.ts', import.meta.url));

/** Node flags for the workers: TypeScript through tsx, unless this process already has it. */
function workerFlags(): string[] {
  const hasTsx = process.execArgv.some((a, i) => a === '--import=tsx' || (a === 'tsx' && process.execArgv[i - 1] === '--import'));
  return hasTsx ? [] : ['--import', 'tsx'];
}

export async function startWhois(
  config: Config, registry: Registry, rtrPort: number, hooks: Awaited<ReturnType<typeof irrHooks>>, db: Db, logger: Logger,
): Promise<{ port: number; close(): Promise<void>; view?: RegistryView }> {
  const workers = config.whoisWorkers;
  const log = logger.child({ service: 'whois' });
  if (workers > 1 && config.databaseUrl) {
    const rtrHost = ['0.0.0.0', '::'].includes(config.host) ? '127.0.0.1' : config.host;
    const hooksArgs: WorkerHooksArgs = { irrSource: config.irrSource, rtrHost, rtrPort };
    return startWhoisCluster({
      databaseUrl: config.databaseUrl, workers, registry, host: config.host, port: config.whoisPort, irrSource: config.irrSource,
      logger: log, hooksModule: HOOKS_MODULE, hooksArgs, execArgv: workerFlags(),
    });
  }
  if (workers > 1) log.warn(`NUMREG_WHOIS_WORKERS=${workers} needs PostgreSQL (DATABASE_URL): WHOIS runs in one process on PGlite`);
  return startWhoisService({
    db, registry, host: config.host, port: config.whoisPort, irrSource: config.irrSource,
    irrHandler: hooks.irrHandler, rpslLookup: hooks.rpslLookup, logger: log,
  });
}
