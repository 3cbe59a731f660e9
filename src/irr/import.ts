/**
 * `numreg import rpsl <file> [--source NAME]`: streamed RPSL dump import. Objects keep their own `source:`
 * unless `source` overrides it; any source other than the service's own becomes a read-only mirror.
 * Validation is IRRd's non-strict mode for imports (keys and references must parse; other attributes are
 * kept as they are); objects that fail it are counted and skipped. Rows go in with COPY through a staging
 * table, batch by batch, all in one transaction (bulk-load.ts): an import that fails (unreadable input, a row
 * the database refuses) writes nothing.
 */
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { Readable } from 'node:stream';
import type { Db } from '../db/database.js';
import { parseObjectLines } from './validate.js';
import { withSource } from './format.js';
import { StagedLoad, stagingLine, type MergeTiming } from './bulk-load.js';

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
  /** objects per COPY batch (default 50,000) */
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
  /** wall time of each step (parse + COPY, merge, index rebuilds), for profiling */
  timings: MergeTiming[];
}

/**
 * Splits a dump into objects, fed chunk by chunk: blank lines separate objects (a whitespace-only line inside
 * an object is a continuation line), "%" and "#" lines between objects are comments. Each object is handed
 * over as its lines; synchronous, so one input chunk costs one await, not one per line.
 */
export class ObjectSplitter {
  private partial = '';
  private lines: string[] = [];
  constructor(private readonly onObject: (lines: string[]) => void) {}

  push(chunk: string): void {
    const text = this.partial + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      this.line(text.slice(start, nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl));
      start = nl + 1;
    }
    this.partial = text.slice(start);
  }

  end(): void {
    if (this.partial) this.line(this.partial.endsWith('\r') ? this.partial.slice(0, -1) : this.partial);
    this.partial = '';
    this.flush();
  }

  private line(line: string): void {
    if (line === '' || (this.lines.length === 0 && line.trim() === '')) this.flush();
    else if (this.lines.length > 0 || (line[0] !== '%' && line[0] !== '#')) this.lines.push(line);
  }

  private flush(): void {
    if (this.lines.length === 0) return;
    const lines = this.lines;
    this.lines = [];
    this.onObject(lines);
  }
}

export async function importRpsl(db: Db, input: string | Readable, options: ImportOptions = {}): Promise<ImportResult> {
  const started = performance.now();
  const stream = typeof input === 'string' ? createReadStream(input, { highWaterMark: 256 * 1024 }) : input;
  const override = options.source?.toUpperCase();
  const progress: ImportProgress = { objects: 0, errors: 0, bytes: 0 };
  const errorSamples: string[] = [];
  const sources = new Set<string>();
  const keys = new Map<string, Set<string>>(); // source + class -> primary keys seen
  let lastReport = 0;
  let batch: string[] = [];
  let batchRepeated = false;
  let repeated = false;
  const handle = (lines: string[], nul: boolean): void => {
    const r = nul && lines.some((l) => l.includes('\u0000'))
      ? { object: undefined, errors: [{ message: 'NUL character in the object' }] }
      : parseObjectLines(lines, { strict: options.strict ?? false });
    if (!r.object) {
      progress.errors++;
      if (errorSamples.length < (options.keepErrors ?? 20)) errorSamples.push(`${lines[0]}: ${r.errors.map((e) => e.message).join('; ')}`);
      return;
    }
    const o = override ? withSource(r.object, override) : r.object;
    sources.add(o.source);
    const classKey = `${o.source}\u0000${o.className}`;
    let seen = keys.get(classKey);
    if (!seen) keys.set(classKey, (seen = new Set()));
    if (seen.has(o.pkey)) batchRepeated = repeated = true;
    else seen.add(o.pkey);
    progress.objects++;
    batch.push(stagingLine(o, progress.objects));
  };
  const own = (options.ownSource ?? process.env.NUMREG_IRR_SOURCE ?? 'NUMREG').toUpperCase();
  const batchSize = options.batchSize ?? 50_000;
  let timings: MergeTiming[] = [];
  await db.transaction(async (tx) => {
    const load = await StagedLoad.begin(tx, { bulk: options.bulk ?? false });
    // The server writes one batch while this loop parses the next one.
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      const lines = batch;
      const rep = batchRepeated;
      batch = [];
      batchRepeated = false;
      await writing;
      writing = load.write(lines, rep);
      writing.catch(() => undefined); // awaited below; a failure rejects the transaction there
    };
    try {
      const decoder = new StringDecoder('utf8');
      let nul = false;
      const splitter = new ObjectSplitter((lines) => handle(lines, nul));
      for await (const chunk of stream as AsyncIterable<string | Buffer>) {
        const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
        progress.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
        nul = text.includes('\u0000');
        splitter.push(text);
        if (batch.length >= batchSize) await flush();
        const now = performance.now();
        if (options.onProgress && now - lastReport > 200) {
          lastReport = now;
          options.onProgress({ ...progress });
        }
      }
      nul = true;
      splitter.push(decoder.end());
      splitter.end();
      await flush();
    } finally {
      // never leave a batch running on the connection when the transaction ends
      await writing.catch(() => undefined);
    }
    await writing;
    keys.clear();
    timings = await load.finish(repeated);
    for (const s of [...sources].sort()) {
      await tx.query(
        'INSERT INTO irr_source (name, authoritative) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET updated_at = now()',
        [s, s === own],
      );
    }
  });
  options.onProgress?.({ ...progress });
  const seconds = (performance.now() - started) / 1000;
  return { ...progress, seconds, perSecond: progress.objects / Math.max(seconds, 1e-9), sources: [...sources].sort(), errorSamples, timings };
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
