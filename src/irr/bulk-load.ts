/**
 * Set-based bulk load of RPSL objects (imports): rows stream with COPY into a temporary staging table, then one
 * merge writes them into rpsl_object. Everything runs in the caller's transaction, so a failed load leaves
 * rpsl_object, its indexes and the sources as they were.
 *
 * --bulk: the merge drops every index of rpsl_object except the primary key (the unique key of ON CONFLICT
 * included), writes updated and new rows with a plain UPDATE and INSERT, and rebuilds the indexes: one sorted
 * index build is far cheaper than a million speculative insertions into a b-tree. Other sessions wait for
 * that last step (it holds the table's lock) but never see a half-written import.
 * Without --bulk: INSERT … SELECT … ON CONFLICT DO UPDATE with the indexes in place.
 *
 * No change-feed rows: an import is a snapshot, not a sequence of updates (docs/irr.md).
 */
import type { Queryable } from '../db/database.js';
import { copyLine } from '../db/copy-text.js';
import { objectColumns } from './store.js';
import type { RpslObject } from './validate.js';

const STAGING = 'rpsl_import';
const COLS = ['source', 'class', 'pkey', 'text', 'attrs', 'lookup', 'family', 'prefix', 'prefix_len', 'origin', 'members', 'member_of', 'mnt_by'] as const;
const COL_LIST = COLS.join(', ');

/** Typed columns: COPY itself checks jsonb, cidr and arrays, so the merge only moves tuples. */
export const STAGING_DDL = `CREATE TEMP TABLE ${STAGING} (
  seq bigint NOT NULL, source text NOT NULL, class text NOT NULL, pkey text NOT NULL, text text NOT NULL, attrs jsonb NOT NULL,
  lookup text[] NOT NULL, family text, prefix cidr, prefix_len smallint, origin bigint, members text[], member_of text[],
  mnt_by text[] NOT NULL
) ON COMMIT DROP`;

export const STAGING_COPY = `COPY ${STAGING} (seq, ${COL_LIST}) FROM STDIN`;

/** One staging row in COPY text format; `seq` orders repeated keys (the last one in the file wins). */
export function stagingLine(o: RpslObject, seq: number): string {
  const c = objectColumns(o);
  return copyLine([seq, c.source, c.class, c.pkey, c.text, c.attrs, c.lookup, c.family, c.prefix, c.prefix_len, c.origin, c.members, c.member_of, c.mnt_by]);
}

const SAME_KEY = (a: string, b: string) => `${a}.source = ${b}.source AND ${a}.class = ${b}.class AND ${a}.pkey = ${b}.pkey`;
const SET_FROM = (from: string) => COLS.filter((c) => !['source', 'class', 'pkey'].includes(c)).map((c) => `${c} = ${from}.${c}`).join(', ');

export interface MergeTiming {
  step: string;
  ms: number;
}

/**
 * Merges the staging table into rpsl_object. `duplicates`: the file repeated a key (only then is the
 * staging table de-duplicated, keeping the last row). Returns the time of each step (profiling).
 */
export async function mergeStaged(tx: Queryable, options: { bulk: boolean; duplicates: boolean }): Promise<MergeTiming[]> {
  const timings: MergeTiming[] = [];
  const step = async (name: string, work: () => Promise<unknown>) => {
    const t = performance.now();
    await work();
    timings.push({ step: name, ms: performance.now() - t });
  };
  if (options.duplicates) {
    await step('dedupe', () => tx.exec(`DELETE FROM ${STAGING} a USING ${STAGING} b WHERE ${SAME_KEY('a', 'b')} AND a.seq < b.seq`));
  }
  if (!options.bulk) {
    await step('upsert', () => tx.exec(
      `INSERT INTO rpsl_object (${COL_LIST}) SELECT ${COL_LIST} FROM ${STAGING}
       ON CONFLICT (source, class, pkey) DO UPDATE SET ${SET_FROM('EXCLUDED')}, version = rpsl_object.version + 1, updated_at = now()`,
    ));
    return timings;
  }
  await tx.exec(`SET LOCAL maintenance_work_mem = '256MB'; SET LOCAL work_mem = '64MB'`);
  const rebuild = await dropIndexes(tx);
  const { rows } = await tx.query<{ empty: boolean }>('SELECT NOT EXISTS (SELECT 1 FROM rpsl_object) AS empty');
  if (rows[0]?.empty) {
    await step('insert', () => tx.exec(`INSERT INTO rpsl_object (${COL_LIST}) SELECT ${COL_LIST} FROM ${STAGING}`));
  } else {
    await step(`analyze ${STAGING}`, () => tx.exec(`ANALYZE ${STAGING}`));
    await step('update', () => tx.exec(
      `UPDATE rpsl_object o SET ${SET_FROM('i')}, version = o.version + 1, updated_at = now() FROM ${STAGING} i WHERE ${SAME_KEY('o', 'i')}`,
    ));
    await step('insert', () => tx.exec(
      `INSERT INTO rpsl_object (${COL_LIST}) SELECT ${COL_LIST} FROM ${STAGING} i
        WHERE NOT EXISTS (SELECT 1 FROM rpsl_object o WHERE ${SAME_KEY('o', 'i')})`,
    ));
  }
  for (const r of rebuild) await step(r.name, () => tx.exec(r.sql));
  await step('analyze rpsl_object', () => tx.exec('ANALYZE rpsl_object'));
  return timings;
}

/** Drops the unique constraints and secondary indexes of rpsl_object; returns the statements that rebuild them. */
async function dropIndexes(tx: Queryable): Promise<{ name: string; sql: string }[]> {
  const { rows: constraints } = await tx.query<{ name: string; def: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'rpsl_object'::regclass AND contype = 'u' ORDER BY conname`,
  );
  const { rows: indexes } = await tx.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'rpsl_object'
        AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'rpsl_object'::regclass) ORDER BY indexname`,
  );
  for (const c of constraints) await tx.exec(`ALTER TABLE rpsl_object DROP CONSTRAINT "${c.name}"`);
  for (const i of indexes) await tx.exec(`DROP INDEX "${i.name}"`);
  return [
    ...constraints.map((c) => ({ name: c.name, sql: `ALTER TABLE rpsl_object ADD CONSTRAINT "${c.name}" ${c.def}` })),
    ...indexes.map((i) => ({ name: i.name, sql: i.def })),
  ];
}
