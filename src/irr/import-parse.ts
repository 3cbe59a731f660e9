/**
 * The CPU half of an RPSL import: one piece of a dump (whole objects) to COPY rows for the staging table.
 * Runs in the importing thread or in import-worker.ts threads; pieces are independent because the importer
 * cuts the dump only at blank lines.
 */
import { parseObjectLines } from './validate.js';
import { withSource } from './format.js';
import { stagingLine } from './bulk-load.js';

export interface PieceOptions {
  strict: boolean;
  /** --source: every object is stored under this source */
  override?: string;
  keepErrors: number;
}

export interface PieceResult {
  /** COPY text rows, newline-terminated */
  rows: string;
  objects: number;
  errors: number;
  errorSamples: string[];
  /** a 53-bit hash of source, class and primary key of every object: the importer notices repeated keys with
   *  these (a collision only costs a needless de-duplication pass in SQL) */
  keys: Float64Array;
  /** distinct sources of the piece's objects */
  sources: string[];
}

/**
 * Splits a dump into objects, fed chunk by chunk: blank lines separate objects (a whitespace-only line inside
 * an object is a continuation line), "%" and "#" lines between objects are comments. Each object is handed
 * over as its lines.
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

/** Where a dump may be cut into independent pieces: just after its last blank line (-1: nowhere yet). */
export function lastObjectBoundary(text: string): number {
  const lf = text.lastIndexOf('\n\n');
  const crlf = text.lastIndexOf('\n\r\n');
  return Math.max(lf < 0 ? -1 : lf + 2, crlf < 0 ? -1 : crlf + 3);
}

/** Parses one piece; rows are numbered from `firstSeq` in file order. */
export function parsePiece(text: string, firstSeq: number, options: PieceOptions): PieceResult {
  const result: PieceResult = { rows: '', objects: 0, errors: 0, errorSamples: [], keys: new Float64Array(0), sources: [] };
  const keys: number[] = [];
  const sources = new Set<string>();
  const nul = text.includes('\u0000');
  const rows: string[] = [];
  const splitter = new ObjectSplitter((lines) => {
    const r = nul && lines.some((l) => l.includes('\u0000'))
      ? { object: undefined, errors: [{ message: 'NUL character in the object' }] }
      : parseObjectLines(lines, { strict: options.strict });
    if (!r.object) {
      result.errors++;
      if (result.errorSamples.length < options.keepErrors) result.errorSamples.push(`${lines[0]}: ${r.errors.map((e) => e.message).join('; ')}`);
      return;
    }
    const o = options.override ? withSource(r.object, options.override) : r.object;
    keys.push(keyHash(o.source, o.className, o.pkey));
    sources.add(o.source);
    rows.push(stagingLine(o, firstSeq + result.objects));
    result.objects++;
  });
  splitter.push(text);
  splitter.end();
  result.rows = rows.join('');
  result.sources = [...sources];
  result.keys = Float64Array.from(keys);
  return result;
}

/** Two FNV-1a hashes (different offsets) of source, class and key, as one 53-bit integer. */
export function keyHash(source: string, className: string, pkey: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (const part of [source, className, pkey]) {
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 13);
    }
    a = Math.imul(a ^ 0xff, 0x01000193);
    b = Math.imul(b ^ 0xff, 0x01000193);
  }
  return (a >>> 0) * 2 ** 21 + ((b >>> 0) & 0x1fffff);
}
