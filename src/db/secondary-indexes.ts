/**
 * Bulk loads build indexes once instead of maintaining them row by row: drop a table's unique constraints
 * (not its primary key) and other secondary indexes, and get back the statements that rebuild them from
 * their catalogue definitions, so the result is exactly what the migrations made.
 */
import type { Queryable } from './database.js';

export interface RebuildStatement { name: string; sql: string }

export async function dropSecondaryIndexes(tx: Queryable, table: string): Promise<RebuildStatement[]> {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new RangeError(`"${table}" is not a table name`);
  const { rows: constraints } = await tx.query<{ name: string; def: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'u' ORDER BY conname`,
    [table],
  );
  const { rows: indexes } = await tx.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1
        AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass) ORDER BY indexname`,
    [table],
  );
  for (const c of constraints) await tx.exec(`ALTER TABLE ${table} DROP CONSTRAINT "${c.name}"`);
  for (const i of indexes) await tx.exec(`DROP INDEX "${i.name}"`);
  return [
    ...constraints.map((c) => ({ name: c.name, sql: `ALTER TABLE ${table} ADD CONSTRAINT "${c.name}" ${c.def}` })),
    ...indexes.map((i) => ({ name: i.name, sql: i.def })),
  ];
}
