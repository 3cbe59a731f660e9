/** Shared plumbing of CLI commands: configuration, the database, and error reporting. */
import { loadConfig, type Config } from '../config.js';
import type { Db } from '../db/database.js';
import { openConfiguredDatabase } from '../db/open.js';
import { toApiError } from '../api/errors.js';

export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

/** Runs `work` with an open database and turns every error into one clear line on stderr. */
export async function withDatabase<T>(work: (db: Db, config: Config) => Promise<T>, options: { migrate?: boolean } = {}): Promise<T> {
  const config = loadConfig();
  const db = await openConfiguredDatabase(config, options);
  try {
    return await work(db, config);
  } finally {
    await db.close();
  }
}

export function reportError(error: unknown): number {
  if (error instanceof CliError) {
    process.stderr.write(`numreg: ${error.message}\n`);
    return error.exitCode;
  }
  const { status, body } = toApiError(error);
  if (status < 500) {
    process.stderr.write(`numreg: ${body.message}\n`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`numreg: ${message}\n`);
  if (process.env.NUMREG_DEBUG) console.error(error);
  return 1;
}
