import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './database.js';

/**
 * Plain-SQL migrations in src/db/migrations, applied in file-name order, each once, each in its own
 * transaction. Numbering: 001-009 registry core, 010-019 IRR, 020-029 RPKI, 030-039 statistics,
 * 040-049 portal and access, 050-059 WHOIS/RDAP, 060-069 registry core again (after the services).
 */
const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export function listMigrations(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((name) => name.endsWith('.sql'))
    .sort();
}

export async function migrate(db: Db): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migration (
    name text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const done = new Set(
    (await db.query<{ name: string }>('SELECT name FROM schema_migration')).rows.map((r) => r.name),
  );
  const applied: string[] = [];
  for (const name of listMigrations()) {
    if (done.has(name)) continue;
    const sql = readFileSync(join(MIGRATIONS_DIR, name), 'utf8');
    await db.transaction(async (tx) => {
      await tx.exec(sql);
      await tx.query('INSERT INTO schema_migration (name) VALUES ($1)', [name]);
    });
    applied.push(name);
  }
  return applied;
}

/** Drops every numreg table (`numreg db reset --yes`). */
export async function resetSchema(db: Db): Promise<void> {
  await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
}
