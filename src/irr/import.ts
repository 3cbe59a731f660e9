/**
 * `numreg import rpsl <file> [--source NAME]`: streamed RPSL dump import. Objects keep their own `source:`
 * unless `source` overrides it; any source other than the service's own becomes a read-only mirror.
 * Validation is IRRd's non-strict mode for imports (keys and references must parse; other attributes are
 * kept as they are), rows go in with multi-row INSERT ... SELECT FROM unnest() batches.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { Db } from '../db/database.js';
import { parseObject, type RpslObject } from './validate.js';
import { withSource } from './format.js';
import { bulkUpsert } from './store.js';

export interface ImportProgress {
  objects: number;
  errors: number;
  bytes: number;
}

export interface ImportOptions {
  source?: string;
  /** the authoritative source name (NUMREG_IRR_SOURCE); other sources are registered as mirrors */
  ownSource?: string;
  strict?: boolean;
  batchSize?: number;
  onProgress?: (p: ImportProgress) => void;
  /** first errors, for the report (default 20) */
  keepErrors?: number;
  /** large imports: drop the secondary indexes of rpsl_object first and rebuild them at the end (one index
   *  build is far cheaper than a million index insertions); queries are slow while it runs */
  bulk?: boolean;
}

export interface ImportResult extends ImportProgress {
  seconds: number;
  perSecond: number;
  sources: string[];
  errorSamples: string[];
}

/** Yields object texts from a stream of lines (blank lines separate objects; % and # lines are comments). */
async function* objectTexts(input: Readable): AsyncGenerator<{ text: string; bytes: number }> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  let buf: string[] = [];
  let bytes = 0;
  for await (const line of rl) {
    bytes += line.length + 1;
    if (line === '' || (buf.length === 0 && line.trim() === '')) {
      if (buf.length) yield { text: buf.join('\n'), bytes };
      buf = [];
      bytes = 0;
      continue;
    }
    if (buf.length === 0 && (line[0] === '%' || line[0] === '#')) continue;
    buf.push(line);
  }
  if (buf.length) yield { text: buf.join('\n'), bytes };
}

export async function importRpsl(db: Db, input: string | Readable, options: ImportOptions = {}): Promise<ImportResult> {
  const started = performance.now();
  const stream = typeof input === 'string' ? createReadStream(input) : input;
  const batchSize = options.batchSize ?? 5000;
  const override = options.source?.toUpperCase();
  const progress: ImportProgress = { objects: 0, errors: 0, bytes: 0 };
  const errorSamples: string[] = [];
  const sources = new Set<string>();
  let batch: RpslObject[] = [];
  const dropped = options.bulk ? await dropSecondaryIndexes(db) : [];
  let lastReport = 0;
  // One batch is written while the next one is parsed (parsing is CPU in this process, writing is the server's).
  let inFlight: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (!batch.length) return;
    const rows = batch;
    batch = [];
    await inFlight;
    inFlight = bulkUpsert(db, rows).then(() => {
      progress.objects += rows.length;
      const now = performance.now();
      if (options.onProgress && now - lastReport > 200) {
        lastReport = now;
        options.onProgress({ ...progress });
      }
    });
    inFlight.catch(() => undefined);
  };
  for await (const chunk of objectTexts(stream)) {
    progress.bytes += chunk.bytes;
    const r = parseObject(chunk.text, { strict: options.strict ?? false });
    if (!r.object) {
      progress.errors++;
      if (errorSamples.length < (options.keepErrors ?? 20)) errorSamples.push(`${chunk.text.split('\n')[0]}: ${r.errors.map((e) => e.message).join('; ')}`);
      continue;
    }
    const o = override ? withSource(r.object, override) : r.object;
    sources.add(o.source);
    batch.push(o);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  await inFlight;
  for (const def of dropped) await db.exec(def);
  if (dropped.length) await db.exec('ANALYZE rpsl_object');
  const own = (options.ownSource ?? process.env.NUMREG_IRR_SOURCE ?? 'NUMREG').toUpperCase();
  for (const s of sources) {
    await db.query(
      'INSERT INTO irr_source (name, authoritative) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET updated_at = now()',
      [s, s === own],
    );
  }
  options.onProgress?.({ ...progress });
  const seconds = (performance.now() - started) / 1000;
  return { ...progress, seconds, perSecond: progress.objects / Math.max(seconds, 1e-9), sources: [...sources].sort(), errorSamples };
}

/** Drops every index of rpsl_object except the primary key and the unique key ON CONFLICT needs; returns
 *  their definitions for re-creation. */
async function dropSecondaryIndexes(db: Db): Promise<string[]> {
  const { rows } = await db.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'rpsl_object' AND indexname NOT IN ('rpsl_object_pkey', 'rpsl_object_source_class_pkey_key')`,
  );
  for (const r of rows) await db.exec(`DROP INDEX IF EXISTS "${r.indexname}"`);
  return rows.map((r) => r.indexdef);
}

/** `numreg export rpsl [--source NAME]`: every object as RPSL, separated by blank lines, streamed in id order. */
export async function exportRpsl(db: Db, write: (chunk: string) => void | Promise<void>, options: { source?: string; classes?: string[] } = {}): Promise<number> {
  let lastId = '0';
  let n = 0;
  for (;;) {
    const params: unknown[] = [lastId];
    let where = 'id > $1';
    if (options.source) { params.push(options.source.toUpperCase()); where += ` AND source = $${params.length}`; }
    if (options.classes) { params.push(options.classes); where += ` AND class = ANY($${params.length})`; }
    const { rows } = await db.query<{ id: string; text: string }>(`SELECT id::text AS id, text FROM rpsl_object WHERE ${where} ORDER BY id LIMIT 10000`, params);
    if (!rows.length) break;
    let out = '';
    for (const r of rows) out += r.text.replace(/\n*$/, '\n') + '\n';
    await write(out);
    n += rows.length;
    lastId = rows[rows.length - 1].id;
  }
  return n;
}

export { Readable };
