/**
 * Set-based bulk load of RPSL objects (imports): rows stream with COPY into a temporary staging table, then one
 * merge writes them into rpsl_object. Everything runs in the caller's transaction, so a failed load leaves
 * rpsl_object, its indexes and the sources as they were.
 *
 * The rows go in batch by batch (COPY into staging, one INSERT … SELECT, TRUNCATE) so that the server writes
 * one batch while the importer parses the next.
 *
 * --bulk: every index of rpsl_object except the primary key is dropped first (the unique key of ON CONFLICT
 * included), batches go in with a plain INSERT, and at the end repeated keys are resolved set-based (the last
 * object wins; an object that existed keeps its id) and the indexes rebuilt: one sorted index build is far
 * cheaper than a million speculative insertions into a b-tree. Other sessions that read rpsl_object wait for
 * the import to end (the IRR's own queries are answered from memory) and never see a half-written import.
 * Without --bulk: INSERT … SELECT … ON CONFLICT DO UPDATE per batch with the indexes in place.
 *
 * No change-feed rows: an import is a snapshot, not a sequence of updates (docs/irr.md).
 */
import { randomBytes } from 'node:crypto';
import type { Db, Queryable } from '../db/database.js';
import { objectColumns } from './store.js';
import type { RpslObject } from './validate.js';
import { dropSecondaryIndexes, type RebuildStatement } from '../db/secondary-indexes.js';

const STAGING = 'rpsl_import';
const COLS = ['source', 'class', 'pkey', 'text', 'attrs', 'lookup', 'family', 'prefix', 'prefix_len', 'origin', 'members', 'member_of', 'mnt_by'] as const;
const COL_LIST = COLS.join(', ');

/** Typed columns: COPY itself checks jsonb, cidr and arrays, so the merge only moves tuples. */
const STAGING_COLUMNS = `seq bigint NOT NULL, source text NOT NULL, class text NOT NULL, pkey text NOT NULL, text text NOT NULL,
  attrs jsonb NOT NULL, lookup text[] NOT NULL, family text, prefix cidr, prefix_len smallint, origin bigint, members text[],
  member_of text[], mnt_by text[] NOT NULL`;
const copySql = (table: string) => `COPY ${table} (seq, ${COL_LIST}) FROM STDIN`;

/** A text field in COPY text format (db/copy-text.ts rules), with string replaces: the import's hottest path. */
function copyText(s: string): string {
  if (s.includes('\\')) s = s.replaceAll('\\', '\\\\');
  if (s.includes('\n')) s = s.replaceAll('\n', '\\n');
  if (s.includes('\t')) s = s.replaceAll('\t', '\\t');
  if (s.includes('\r')) s = s.replaceAll('\r', '\\r');
  return s;
}

function copyArray(items: readonly string[] | null): string {
  if (items === null) return '\\N';
  let out = '{';
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    out += `${i ? ',' : ''}"${item.includes('"') || item.includes('\\') ? item.replace(/["\\]/g, '\\$&') : item}"`;
  }
  return copyText(`${out}}`);
}

const copyNullable = (v: string | number | null) => (v === null ? '\\N' : typeof v === 'number' ? String(v) : copyText(v));

/** One staging row in COPY text format; `seq` orders repeated keys (the last one in the file wins). */
export function stagingLine(o: RpslObject, seq: number): string {
  const c = objectColumns(o);
  return `${seq}\t${copyText(c.source)}\t${copyText(c.class)}\t${copyText(c.pkey)}\t${copyText(c.text)}\t${copyText(c.attrs)}\t${copyArray(c.lookup)}\t${
    copyNullable(c.family)}\t${copyNullable(c.prefix)}\t${copyNullable(c.prefix_len)}\t${copyNullable(c.origin)}\t${copyArray(c.members)}\t${
    copyArray(c.member_of)}\t${copyArray(c.mnt_by)}\n`;
}

const SAME_KEY = (a: string, b: string) => `${a}.source = ${b}.source AND ${a}.class = ${b}.class AND ${a}.pkey = ${b}.pkey`;
const SET_FROM = (from: string) => COLS.filter((c) => !['source', 'class', 'pkey'].includes(c)).map((c) => `${c} = ${from}.${c}`).join(', ');

export interface MergeTiming {
  step: string;
  ms: number;
}

/**
 * One import's writer. `write` takes a batch of staging rows: COPY into a staging table, then one set-based
 * statement moves them into rpsl_object; the caller parses the next batch meanwhile. `finish` resolves repeated
 * keys and rebuilds what --bulk dropped.
 *
 * On PostgreSQL a second connection (`feeder`) COPYs each batch into its own UNLOGGED staging table and commits,
 * while the import's transaction moves the previous batch: the two server processes work in parallel. Staging
 * tables hold nothing but copies of the input; `dropStaging` removes them once the transaction has ended, and
 * tables left by an importer that died are removed by the next import. PGlite has one connection: one TEMP
 * staging table inside the transaction, truncated after each batch.
 */
export class StagedLoad {
  readonly timings: MergeTiming[] = [];
  private copying: Promise<void> = Promise.resolve();
  private moving: Promise<void> = Promise.resolve();
  private batches = 0;
  private readonly tables: string[] = [];
  private constructor(
    private readonly tx: Queryable, private readonly feeder: Queryable | undefined, private readonly prefix: string,
    private readonly bulk: boolean, private readonly maxIdBefore: string, private readonly rebuild: RebuildStatement[],
  ) {}

  static async begin(db: Db, tx: Queryable, options: { bulk: boolean }): Promise<StagedLoad> {
    let feeder: Queryable | undefined;
    let prefix = STAGING;
    if (db.kind === 'postgres') {
      const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      prefix = `${STAGING}_${rows[0].pid}_${randomBytes(4).toString('hex')}`;
      feeder = db;
      await dropAbandonedStaging(db);
    } else await tx.exec(`CREATE TEMP TABLE ${STAGING} (${STAGING_COLUMNS}) ON COMMIT DROP`);
    if (!options.bulk) return new StagedLoad(tx, feeder, prefix, false, '0', []);
    await tx.exec(`SET LOCAL maintenance_work_mem = '256MB'; SET LOCAL work_mem = '64MB'`);
    const rebuild = await dropSecondaryIndexes(tx, 'rpsl_object');
    const { rows } = await tx.query<{ max: string }>('SELECT coalesce(max(id), 0)::text AS max FROM rpsl_object');
    return new StagedLoad(tx, feeder, prefix, true, rows[0]?.max ?? '0', rebuild);
  }

  private async step(name: string, work: () => Promise<unknown>): Promise<void> {
    const t = performance.now();
    await work();
    const last = this.timings.find((x) => x.step === name);
    if (last) last.ms += performance.now() - t;
    else this.timings.push({ step: name, ms: performance.now() - t });
  }

  /**
   * Schedules a batch; resolves once its rows are in a staging table (moving them into rpsl_object follows).
   * `repeated`: a key of this batch was seen before (in it or in an earlier batch).
   */
  write(rows: string[], repeated: boolean): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    if (!this.feeder) {
      const done = this.moving.then(async () => {
        await this.step('copy', () => this.tx.copyFrom(copySql(STAGING), rows));
        await this.move(STAGING, repeated);
        await this.tx.exec(`TRUNCATE ${STAGING}`);
      });
      this.moving = done;
      return done;
    }
    const feeder = this.feeder;
    const table = `${this.prefix}_${this.batches++}`;
    this.tables.push(table);
    const copied = this.copying.then(() => this.step('copy', async () => {
      await feeder.exec(`CREATE UNLOGGED TABLE ${table} (${STAGING_COLUMNS})`);
      await feeder.copyFrom(copySql(table), rows);
    }));
    const moved = Promise.all([copied, this.moving]).then(() => this.move(table, repeated));
    this.copying = copied;
    this.moving = moved;
    moved.catch(() => undefined); // surfaces through finish()
    return copied;
  }

  /** Waits until no statement of this load is running (before the transaction ends, whatever happened). */
  async settled(): Promise<void> {
    await Promise.allSettled([this.copying, this.moving]);
  }

  /** Drops the staging tables (after the transaction: until then it holds locks on them). */
  async dropStaging(): Promise<void> {
    if (this.feeder && this.tables.length) await this.feeder.exec(`DROP TABLE IF EXISTS ${this.tables.join(', ')}`);
  }

  private async move(table: string, repeated: boolean): Promise<void> {
    if (repeated) await this.step('dedupe', () => this.tx.exec(`DELETE FROM ${table} a USING ${table} b WHERE ${SAME_KEY('a', 'b')} AND a.seq < b.seq`));
    if (this.bulk) {
      // no unique key now: rows go in as they are; finish() resolves keys repeated across batches
      await this.step('insert', () => this.tx.exec(`INSERT INTO rpsl_object (${COL_LIST}) SELECT ${COL_LIST} FROM ${table}`));
    } else {
      await this.step('upsert', () => this.tx.exec(
        `INSERT INTO rpsl_object (${COL_LIST}) SELECT ${COL_LIST} FROM ${table}
         ON CONFLICT (source, class, pkey) DO UPDATE SET ${SET_FROM('EXCLUDED')}, version = rpsl_object.version + 1, updated_at = now()`,
      ));
    }
  }

  /** `repeated`: some key occurred more than once in the whole import. */
  async finish(repeated: boolean): Promise<MergeTiming[]> {
    await this.copying;
    await this.moving;
    if (!this.bulk) return this.timings;
    const max = this.maxIdBefore;
    const fresh = (alias: string) => `${alias}.id > ${max}`;
    if (repeated) {
      // rows of later batches have higher ids: the last object of a key wins
      await this.step('dedupe', () => this.tx.exec(
        `DELETE FROM rpsl_object a USING rpsl_object b WHERE ${fresh('a')} AND b.id > a.id AND ${SAME_KEY('a', 'b')}`,
      ));
    }
    if (max !== '0') {
      // an object that existed before keeps its id and creation time; its version goes up by one
      await this.step('replace', () => this.tx.exec(
        `CREATE TEMP TABLE rpsl_replaced ON COMMIT DROP AS
           SELECT n.id AS new_id, o.id AS old_id, o.version, o.created_at FROM rpsl_object n JOIN rpsl_object o ON ${SAME_KEY('n', 'o')}
            WHERE ${fresh('n')} AND o.id <= ${max};
         DELETE FROM rpsl_object WHERE id IN (SELECT old_id FROM rpsl_replaced);
         UPDATE rpsl_object n SET id = r.old_id, version = r.version + 1, created_at = r.created_at FROM rpsl_replaced r WHERE n.id = r.new_id`,
      ));
    }
    for (const r of this.rebuild) await this.step(r.name, () => this.tx.exec(r.sql));
    await this.step('analyze', () => this.tx.exec('ANALYZE rpsl_object'));
    return this.timings;
  }
}

/** Staging tables of importers whose connection is gone (the name carries the importing backend's pid). */
async function dropAbandonedStaging(db: Queryable): Promise<void> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
        AND c.relname ~ '^${STAGING}_[0-9]+_[0-9a-f]+_[0-9]+$'
        AND split_part(c.relname, '_', 3)::int NOT IN (SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL)`,
  );
  if (rows.length) await db.exec(`DROP TABLE IF EXISTS ${rows.map((r) => r.name).join(', ')}`);
}

