/**
 * A fresh benchmark database on the PostgreSQL server named by DATABASE_URL: dropped and created anew, migrated,
 * and dropped again when the bench is done (`drop`), or only closed (`close`) when the run keeps it.
 */
import pg from 'pg';
import { openDatabase, type Db } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';

export interface BenchDatabase {
  db: Db;
  close(): Promise<void>;
  drop(): Promise<void>;
}

async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function freshBenchDatabase(serverUrl: string, name: string, poolSize: number): Promise<BenchDatabase> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new RangeError(`"${name}" is not a database name`);
  await admin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString(), poolSize });
  await migrate(db);
  return {
    db,
    close: () => db.close(),
    async drop() {
      await db.close();
      await admin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
