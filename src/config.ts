/**
 * Runtime configuration from the environment (names and defaults are part of the contract in
 * INTERFACES.md). Invalid values fail at start-up with a message naming the variable.
 */
import { resolve } from 'node:path';

export interface Config {
  databaseUrl?: string;
  dataDir: string;
  host: string;
  httpPort: number;
  httpsPort?: number;
  tlsCert?: string;
  tlsKey?: string;
  whoisPort: number;
  rtrPort: number;
  rsyncPort: number;
  vrpJson?: string;
  slurm?: string;
  irrSource: string;
  /** WHOIS worker processes (NUMREG_WHOIS_WORKERS, PostgreSQL only); 1 = the single-process server. */
  whoisWorkers: number;
  logLevel: string;
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number | undefined): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name}="${raw}" is not a TCP port (0-65535; 0 picks a free port)`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new Error(`DATABASE_URL must be a postgres:// URL, not "${databaseUrl}"`);
  const httpsPort = port(env, 'NUMREG_HTTPS_PORT', undefined);
  if (httpsPort !== undefined && (!env.NUMREG_TLS_CERT || !env.NUMREG_TLS_KEY)) {
    throw new Error('NUMREG_HTTPS_PORT needs NUMREG_TLS_CERT and NUMREG_TLS_KEY (PEM files)');
  }
  const irrSource = (env.NUMREG_IRR_SOURCE || 'NUMREG').toUpperCase();
  if (!/^[A-Z0-9][A-Z0-9-]{0,31}$/.test(irrSource)) throw new Error(`NUMREG_IRR_SOURCE="${irrSource}" is not a valid source name`);
  const whoisWorkers = Number(env.NUMREG_WHOIS_WORKERS || 1);
  if (!Number.isInteger(whoisWorkers) || whoisWorkers < 1 || whoisWorkers > 64) {
    throw new Error(`NUMREG_WHOIS_WORKERS="${env.NUMREG_WHOIS_WORKERS}" is not a number of processes (1-64)`);
  }
  return {
    databaseUrl,
    dataDir: resolve(env.NUMREG_DATA_DIR || './data'),
    host: env.NUMREG_HOST || '127.0.0.1',
    httpPort: port(env, 'NUMREG_HTTP_PORT', 8080)!,
    httpsPort,
    tlsCert: env.NUMREG_TLS_CERT || undefined,
    tlsKey: env.NUMREG_TLS_KEY || undefined,
    whoisPort: port(env, 'NUMREG_WHOIS_PORT', 4343)!,
    rtrPort: port(env, 'NUMREG_RTR_PORT', 8282)!,
    rsyncPort: port(env, 'NUMREG_RSYNC_PORT', 8873)!,
    vrpJson: env.NUMREG_VRP_JSON || undefined,
    slurm: env.NUMREG_SLURM || undefined,
    irrSource,
    whoisWorkers,
    logLevel: env.NUMREG_LOG_LEVEL || 'info',
  };
}
