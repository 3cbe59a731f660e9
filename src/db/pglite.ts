import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import type { Db, QueryResult, Queryable } from './database.js';

type PgliteLike = Pick<PGlite, 'query' | 'exec'>;

function wrap(handle: PgliteLike): Queryable {
  return {
    async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
      const result = await handle.query<T>(sql, params as unknown[]);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
    async exec(sql: string): Promise<void> {
      await handle.exec(sql);
    },
    // PGlite writes COPY output to a Blob (/dev/blob) instead of a protocol stream.
    async *copyTo(copySql: string): AsyncGenerator<string> {
      const result = await handle.query(copySql.replace(/\bSTDOUT\b/i, "'/dev/blob'"));
      const text = result.blob ? await result.blob.text() : '';
      if (text) yield text.endsWith('\n') ? text : `${text}\n`;
    },
    // PGlite has no COPY protocol stream; it reads COPY input from a Blob mounted at /dev/blob.
    async copyFrom(copySql: string, lines: Iterable<string> | AsyncIterable<string>): Promise<number> {
      const sql = copySql.replace(/\bSTDIN\b/i, "'/dev/blob'");
      let total = 0;
      let parts: string[] = [];
      const flush = async () => {
        if (parts.length === 0) return;
        const result = await handle.query(sql, [], { blob: new Blob(parts) });
        total += result.affectedRows ?? 0;
        parts = [];
      };
      for await (const line of lines) {
        parts.push(line);
        if (parts.length >= 50_000) await flush();
      }
      await flush();
      return total;
    },
  };
}

const NUMERIC_OID = 1700;
const INT8_OID = 20;

export async function openPglite(dataDir?: string): Promise<Db> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create({
    dataDir,
    extensions: { btree_gist },
    // Same value representation as the pg driver: exact strings for numeric and int8.
    parsers: { [NUMERIC_OID]: (v: string) => v, [INT8_OID]: (v: string) => v },
  });
  const base = wrap(db);
  return {
    kind: 'pglite',
    query: base.query,
    exec: base.exec,
    copyFrom: base.copyFrom,
    copyTo: base.copyTo,
    // PGlite is single-connection: its transaction() queues other work until this one ends.
    transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      return db.transaction((tx) => work(wrap(tx)));
    },
    async close() {
      await db.close();
    },
  };
}
