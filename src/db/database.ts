/**
 * One small database interface over real PostgreSQL (`pg`) and embedded PGlite.
 * Every module talks SQL through `Db`; the same SQL runs on both backends.
 */
export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Runs several statements separated by semicolons, without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Streams COPY text-format lines (see copy-text.ts) into `COPY <table> (<columns>) FROM STDIN`.
   * `copySql` is that statement; returns the number of rows written.
   */
  copyFrom(copySql: string, lines: Iterable<string> | AsyncIterable<string>): Promise<number>;
  /**
   * Runs `COPY (<query>) TO STDOUT` and yields its output in COPY text format, as chunks of whole lines
   * (each chunk ends with a newline); see copy-text.ts for decoding fields.
   */
  copyTo(copySql: string): AsyncIterable<string>;
}

export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `work` in one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres://… — real PostgreSQL. Unset: embedded PGlite. */
  url?: string;
  /** Directory for PGlite's files; unset with no url means in-memory. */
  dataDir?: string;
  /** Connection pool size for PostgreSQL. */
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Db> {
  if (options.url) {
    const { openPostgres } = await import('./postgres.js');
    return openPostgres(options.url, options.poolSize ?? 10);
  }
  const { openPglite } = await import('./pglite.js');
  return openPglite(options.dataDir);
}

/** PostgreSQL error codes the registry maps to domain errors. */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_EXCLUSION_VIOLATION = '23P01';
export const PG_SERIALIZATION_FAILURE = '40001';
export const PG_DEADLOCK = '40P01';

export function pgErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}
