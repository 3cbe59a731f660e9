import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFromStdin, to as copyToStdout } from 'pg-copy-streams';
import { wholeLines } from './copy-text.js';
import type { Db, QueryResult, Queryable } from './database.js';

// numeric and int8 come back as strings so that 128-bit IPv6 values and 64-bit counters never lose precision.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);

/**
 * Parameterised statements are prepared once per connection under a name derived from their text, so
 * hot look-ups skip parsing and planning (about half the server time of an indexed point query).
 */
const statementNames = new Map<string, string>();
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `nr_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
    if (statementNames.size < 10_000) statementNames.set(sql, name);
  }
  return name;
}

async function copyThrough(client: pg.PoolClient, copySql: string, lines: Iterable<string> | AsyncIterable<string>): Promise<number> {
  const sink = client.query(copyFromStdin(copySql));
  await pipeline(Readable.from(batched(lines)), sink);
  return Number(sink.rowCount ?? 0);
}

/** Joins lines into ~64 kB chunks: one stream write per line would cost more than the COPY itself. */
async function* batched(lines: Iterable<string> | AsyncIterable<string>): AsyncGenerator<string> {
  let chunk = '';
  for await (const line of lines) {
    chunk += line;
    if (chunk.length >= 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

async function* copyOut(client: pg.PoolClient, copySql: string): AsyncGenerator<string> {
  yield* wholeLines(client.query(copyToStdout(copySql)));
}

function wrapClient(client: pg.PoolClient | pg.Pool): Queryable {
  return {
    async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
      const result = params.length > 0
        ? await client.query({ name: statementName(sql), text: sql, values: params as unknown[] })
        : await client.query(sql);
      return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
    },
    async exec(sql: string): Promise<void> {
      await client.query(sql);
    },
    async *copyTo(copySql: string): AsyncGenerator<string> {
      if (!(client instanceof pg.Pool)) {
        yield* copyOut(client, copySql);
        return;
      }
      const own = await client.connect();
      try {
        yield* copyOut(own, copySql);
      } finally {
        own.release();
      }
    },
    async copyFrom(copySql: string, lines: Iterable<string> | AsyncIterable<string>): Promise<number> {
      if (!(client instanceof pg.Pool)) return copyThrough(client, copySql, lines);
      const own = await client.connect();
      try {
        return await copyThrough(own, copySql, lines);
      } finally {
        own.release();
      }
    },
  };
}

export async function openPostgres(url: string, poolSize: number): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on('error', () => {
    /* an idle client lost its connection; the pool replaces it */
  });
  const base = wrapClient(pool);
  // Fail fast with a clear message when the server is not reachable.
  await pool.query('select 1');
  return {
    kind: 'postgres',
    query: base.query,
    exec: base.exec,
    copyFrom: base.copyFrom,
    copyTo: base.copyTo,
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(wrapClient(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}
