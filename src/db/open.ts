import { join } from 'node:path';
import type { Config } from '../config.js';
import { openDatabase, type Db } from './database.js';
import { migrate } from './migrate.js';

/** Opens the configured database (PostgreSQL or PGlite under dataDir/pglite) and applies pending migrations. */
export async function openConfiguredDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>, options: { migrate?: boolean } = {}): Promise<Db> {
  const db = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: join(config.dataDir, 'pglite') });
  if (options.migrate !== false) await migrate(db);
  return db;
}
