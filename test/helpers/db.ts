/**
 * A fresh, migrated database for one test file: a new database on the PostgreSQL server named by
 * DATABASE_URL (so parallel test files never share state), or an in-memory PGlite otherwise.
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { openDatabase, type Db } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';

export interface TestDb {
  db: Db;
  /** Connection URL of the fresh database (PostgreSQL only), e.g. for a child process. */
  url?: string;
  close(): Promise<void>;
}

export const backendName = process.env.DATABASE_URL ? 'postgres' : 'pglite';

export async function createTestDb(options: { migrate?: boolean } = {}): Promise<TestDb> {
  const serverUrl = process.env.DATABASE_URL;
  let db: Db;
  let url: string | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;
  if (serverUrl) {
    const name = `numreg_t_${Date.now()}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const parsed = new URL(serverUrl);
    parsed.pathname = `/${name}`;
    url = parsed.toString();
    db = await openDatabase({ url, poolSize: 8 });
    dropDatabase = async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    };
  } else {
    db = await openDatabase({});
  }
  if (options.migrate !== false) await migrate(db);
  return {
    db,
    url,
    async close() {
      await db.close();
      if (dropDatabase) await dropDatabase();
    },
  };
}
