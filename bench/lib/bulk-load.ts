/**
 * Bulk loads for benchmark generators: the delegation table's secondary indexes and its sibling-overlap
 * triggers are set aside while generated rows (disjoint siblings by construction) go in, then every index
 * is built once, from its own definition in the catalogue, so the result is the schema the migrations made.
 */
import type { Db } from '../../src/db/database.js';

export interface SetAside {
  restore(): Promise<{ seconds: number }>;
}

export async function setAsideDelegationIndexes(db: Db): Promise<SetAside> {
  const { rows } = await db.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = 'delegation' AND indexname <> 'delegation_pkey'`);
  for (const r of rows) await db.exec(`DROP INDEX ${r.name}`);
  await db.exec('ALTER TABLE delegation DISABLE TRIGGER USER');
  return {
    async restore() {
      const t0 = Date.now();
      for (const r of rows) await db.exec(r.def);
      await db.exec(`ALTER TABLE delegation ENABLE TRIGGER USER;
        SELECT setval(pg_get_serial_sequence('delegation', 'id'), (SELECT max(id) FROM delegation)); ANALYZE delegation;`);
      return { seconds: (Date.now() - t0) / 1000 };
    },
  };
}
