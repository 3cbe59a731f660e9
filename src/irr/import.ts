/**
 * `numreg import rpsl <file> [--source NAME]`: streamed RPSL dump import. Objects keep their own `source:`
 * unless `source` overrides it; any source other than the service's own becomes a read-only mirror.
 * Validation is IRRd's non-strict mode for imports (keys and references must parse; other attributes are
 * kept as they are); objects that fail it are counted and skipped. Large files are parsed by worker threads
 * (import-worker.ts). Rows go in with COPY through staging tables, batch by batch, in one transaction
 * (bulk-load.ts): an import that fails (unreadable input, a row the database refuses) writes nothing.
 */
import { createReadStream, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { Db } from '../db/database.js';
import { StagedLoad, type MergeTiming } from './bulk-load.js';
import { lastObjectBoundary, parsePiece, type PieceOptions, type PieceResult } from './import-parse.js';

export { ObjectSplitter } from './import-parse.js';

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
  /** parser threads (default: one per CPU, up to 4, for files of 32 MiB and more; 0 parses in this thread) */
  workers?: number;
  onProgress?: (p: ImportProgress) => void;
  /** first errors, for the report (default 20) */
  keepErrors?: number;
  /** large imports: drop the indexes of rpsl_object (but its primary key) first and rebuild them at the end (one
   *  index build is far cheaper than a million index insertions); other readers of rpsl_object wait meanwhile */
  bulk?: boolean;
}

export interface ImportResult extends ImportProgress {
  seconds: number;
  perSecond: number;
  sources: string[];
  errorSamples: string[];
  /** wall time of each step (COPY, INSERT, index rebuilds; COPY and INSERT of successive batches overlap), for profiling */
  timings: MergeTiming[];
}

/** Pieces of about this many characters go to the parser (cut at blank lines). */
const PIECE = 128 * 1024;

export async function importRpsl(db: Db, input: string | Readable, options: ImportOptions = {}): Promise<ImportResult> {
  const started = performance.now();
  const stream = typeof input === 'string' ? createReadStream(input, { highWaterMark: 256 * 1024 }) : input;
  const progress: ImportProgress = { objects: 0, errors: 0, bytes: 0 };
  const keepErrors = options.keepErrors ?? 20;
  const pieceOptions: PieceOptions = { strict: options.strict ?? false, override: options.source?.toUpperCase(), keepErrors };
  const errorSamples: string[] = [];
  const sources = new Set<string>();
  const keys = new Set<number>(); // key hashes seen (import-parse.ts)
  let batch: string[] = [];
  let batchObjects = 0;
  let batchRepeated = false;
  let repeated = false;
  let lastReport = 0;
  const take = (r: PieceResult) => {
    progress.objects += r.objects;
    progress.errors += r.errors;
    for (const e of r.errorSamples) if (errorSamples.length < keepErrors) errorSamples.push(e);
    for (const s of r.sources) sources.add(s);
    for (const k of r.keys) {
      if (keys.has(k)) batchRepeated = repeated = true;
      else keys.add(k);
    }
    if (r.rows) batch.push(r.rows);
    batchObjects += r.objects;
  };
  const own = (options.ownSource ?? process.env.NUMREG_IRR_SOURCE ?? 'NUMREG').toUpperCase();
  const batchSize = options.batchSize ?? 50_000;
  const threads = options.workers ?? (typeof input === 'string' && statSync(input).size >= 32 * 2 ** 20 ? Math.min(availableParallelism(), 4) : 0);
  const pool = threads > 0 ? ParsePool.start(threads) : undefined;
  let timings: MergeTiming[] = [];
  let load: StagedLoad | undefined;
  try {
    await db.transaction(async (tx) => {
      const staged = (load = await StagedLoad.begin(db, tx, { bulk: options.bulk ?? false }));
      // The server writes one batch while the loop below parses the next one (in worker threads for large files).
      let writing: Promise<void> = Promise.resolve();
      const flush = async () => {
        const rows = batch;
        const rep = batchRepeated;
        batch = [];
        batchObjects = 0;
        batchRepeated = false;
        await writing;
        writing = staged.write(rows, rep);
        writing.catch(() => undefined); // awaited at the next flush; a failure rejects the transaction there
      };
      // pieces in file order; each is parsed inline or by the pool
      const parsing: Promise<PieceResult>[] = [];
      let pieces = 0;
      const submit = (text: string) => {
        const firstSeq = pieces++ * 2 ** 32 + 1;
        const p = pool ? pool.parse(text, firstSeq, pieceOptions) : Promise.resolve(parsePiece(text, firstSeq, pieceOptions));
        p.catch(() => undefined); // awaited in order below
        parsing.push(p);
      };
      const drain = async (keep: number) => {
        while (parsing.length > keep) {
          take(await parsing.shift()!);
          if (batchObjects >= batchSize) await flush();
        }
      };
      try {
        const decoder = new StringDecoder('utf8');
        let text = '';
        for await (const chunk of stream as AsyncIterable<string | Buffer>) {
          text += typeof chunk === 'string' ? chunk : decoder.write(chunk);
          progress.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
          if (text.length >= PIECE) {
            const cut = lastObjectBoundary(text);
            if (cut > 0) {
              submit(text.slice(0, cut));
              text = text.slice(cut);
            }
          }
          await drain(pool ? threads * 4 : 0);
          const now = performance.now();
          if (options.onProgress && now - lastReport > 200) {
            lastReport = now;
            options.onProgress({ ...progress });
          }
        }
        text += decoder.end();
        if (text) submit(text);
        await drain(0);
        await flush();
      } finally {
        // never leave a statement running on the connection when the transaction ends
        await staged.settled();
      }
      keys.clear();
      timings = await staged.finish(repeated);
      for (const s of [...sources].sort()) {
        await tx.query(
          'INSERT INTO irr_source (name, authoritative) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET updated_at = now()',
          [s, s === own],
        );
      }
    });
  } finally {
    await pool?.close();
    await load?.dropStaging();
  }
  options.onProgress?.({ ...progress });
  const seconds = (performance.now() - started) / 1000;
  return { ...progress, seconds, perSecond: progress.objects / Math.max(seconds, 1e-9), sources: [...sources].sort(), errorSamples, timings };
}

/** Worker threads running import-worker.ts; answers come back by request id. */
class ParsePool {
  private next = 0;
  private waiting = new Map<number, { resolve: (r: PieceResult) => void; reject: (e: Error) => void }>();
  private constructor(private readonly workers: Worker[]) {
    const failAll = (e: Error) => {
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    };
    for (const w of workers) {
      w.on('message', (m: { id: number; result?: PieceResult; error?: string }) => {
        const p = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        if (m.result) p?.resolve(m.result);
        else p?.reject(new Error(`import worker: ${m.error}`));
      });
      w.on('error', failAll);
      w.on('exit', (code) => failAll(new Error(`import worker exited (${code})`)));
    }
  }

  static start(n: number): ParsePool {
    // under tsx (no build step) the worker registers tsx's loader before it imports the TypeScript module
    const self = import.meta.url;
    const ts = self.endsWith('.ts');
    const url = new URL(`./import-worker.${ts ? 'ts' : 'js'}`, self).href;
    const code = ts
      ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(url)}); })`
      : `import(${JSON.stringify(url)})`;
    // a large young generation: parsing makes millions of short-lived objects, and scavenges of a small one
    // cost a third of the worker's time
    return new ParsePool(Array.from({ length: n }, () => new Worker(code, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 64 } })));
  }

  parse(text: string, firstSeq: number, options: PieceOptions): Promise<PieceResult> {
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.workers[id % this.workers.length].postMessage({ id, text, firstSeq, options });
    });
  }

  async close(): Promise<void> {
    for (const w of this.workers) w.removeAllListeners('exit');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
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
