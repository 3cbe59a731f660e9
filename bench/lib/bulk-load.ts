/**
 * Bulk loads for benchmark generators: the delegation table's secondary indexes and its sibling-overlap
 * triggers are set aside while generated rows (disjoint siblings by construction) go in, then every index
 * is built once, from its own definition in the catalogue, so the result is the schema the migrations made.
 */
import type { Db } from '../../src/db/database.js';
import { dropSecondaryIndexes } from '../../src/db/secondary-indexes.js';

export interface SetAside {
  restore(): Promise<{ seconds: number }>;
}

/**
 * `foreignKeys: false` also turns off the foreign-key checks (DISABLE TRIGGER ALL, needs a superuser) for
 * generators whose rows reference each other by construction.
 */
export async function setAsideDelegationIndexes(db: Db, options: { foreignKeys?: boolean } = {}): Promise<SetAside> {
  const triggers = options.foreignKeys === false ? 'ALL' : 'USER';
  const rebuild = await dropSecondaryIndexes(db, 'delegation');
  await db.exec(`ALTER TABLE delegation DISABLE TRIGGER ${triggers}`);
  return {
    async restore() {
      const t0 = Date.now();
      for (const r of rebuild) await db.exec(r.sql);
      await db.exec(`ALTER TABLE delegation ENABLE TRIGGER ${triggers};
        SELECT setval(pg_get_serial_sequence('delegation', 'id'), (SELECT max(id) FROM delegation)); ANALYZE delegation;`);
      return { seconds: (Date.now() - t0) / 1000 };
    },
  };
}
