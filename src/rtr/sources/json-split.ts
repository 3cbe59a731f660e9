// Streaming splitter for rpki-client JSON: feeds the document in chunks, hands the elements of the top-level
// "roas" array out in batches of JSON text, and keeps everything else (metadata, bgpsec_keys, aspas) as
// one small document with "roas": []. Memory stays at one chunk plus one batch however large the file,
// and the many small objects of each batch die young instead of forming one 600k-object tree.

const WS = new Uint8Array(256);
WS[0x20] = WS[0x0a] = WS[0x0d] = WS[0x09] = 1;

export class JsonSplitError extends Error {}

export class RoasSplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** at depth 1: collecting a member name */
  private keyBytes: number[] | null = null;
  private expectKey = false;
  private lastKey = '';
  /** at depth 1 after ':' and before the value's first byte */
  private awaitingValue = false;
  private inRoas = false;
  private sawRoas = false;
  private restParts: Buffer[] = [];
  private batchParts: Buffer[] = [];
  private batchCount = 0;
  private started = false;
  private finished = false;

  constructor(
    private readonly onBatch: (jsonArrayText: string) => void,
    private readonly batchSize = 8192,
  ) {}

  feed(b: Buffer): void {
    let restFrom = this.inRoas ? -1 : 0;
    let batchFrom = this.inRoas ? 0 : -1;
    const n = b.length;
    for (let i = 0; i < n; i++) {
      const c = b[i]!;
      if (this.inString && !this.keyBytes) {
        // jump to the closing quote; only the backslashes right before a quote matter
        let j = i;
        if (this.escaped) {
          this.escaped = false;
          j = i + 1;
        }
        for (;;) {
          const q = j < n ? b.indexOf(0x22, j) : -1;
          const end = q < 0 ? n : q;
          let bs = 0;
          for (let k = end - 1; k >= j && b[k] === 0x5c; k--) bs++;
          if (q < 0) {
            this.escaped = bs % 2 === 1;
            i = n;
            break;
          }
          if (bs % 2 === 0) {
            this.inString = false;
            i = q;
            break;
          }
          j = q + 1;
        }
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) {
          this.inString = false;
          if (this.keyBytes) {
            this.lastKey = Buffer.from(this.keyBytes).toString('utf8');
            this.keyBytes = null;
          }
        } else if (this.keyBytes) this.keyBytes.push(c);
        continue;
      }
      if (WS[c]) continue;
      if (this.finished) throw new JsonSplitError('data after the end of the document');
      if (!this.started) {
        if (c !== 0x7b) throw new JsonSplitError('top level must be an object');
        this.started = true;
        this.depth = 1;
        this.expectKey = true;
        continue;
      }
      if (this.awaitingValue) {
        this.awaitingValue = false;
        if (this.lastKey === 'roas' && c === 0x5b && !this.sawRoas) {
          // keep "[]" in the rest, stream the elements
          this.sawRoas = true;
          this.restParts.push(Buffer.from(b.subarray(restFrom, i + 1)), Buffer.from("]"));
          restFrom = -1;
          this.inRoas = true;
          this.depth = 2;
          batchFrom = i + 1;
          continue;
        }
      }
      if (c === 0x22) {
        this.inString = true;
        if (this.depth === 1 && this.expectKey && !this.inRoas) {
          this.keyBytes = [];
          this.expectKey = false;
        }
        continue;
      }
      if (c === 0x7b || c === 0x5b) {
        this.depth++;
        continue;
      }
      if (c === 0x7d || c === 0x5d) {
        this.depth--;
        if (this.inRoas && this.depth === 1) {
          // end of "roas": flush the last batch; the "]" itself is already in the rest
          this.batchParts.push(b.subarray(batchFrom, i));
          this.flushBatch(true);
          this.inRoas = false;
          batchFrom = -1;
          restFrom = i + 1;
          continue;
        }
        if (this.depth < 0) throw new JsonSplitError('unbalanced brackets');
        if (this.depth === 0) this.finished = true;
        continue;
      }
      if (c === 0x3a && this.depth === 1 && !this.inRoas) {
        this.awaitingValue = true;
        continue;
      }
      if (c === 0x2c) {
        if (this.depth === 1) this.expectKey = true;
        else if (this.inRoas && this.depth === 2) {
          this.batchCount++;
          if (this.batchCount >= this.batchSize) {
            this.batchParts.push(b.subarray(batchFrom, i));
            this.flushBatch(false);
            batchFrom = i + 1;
          }
        }
      }
    }
    if (restFrom >= 0) this.restParts.push(Buffer.from(b.subarray(restFrom)));
    if (batchFrom >= 0) this.batchParts.push(Buffer.from(b.subarray(batchFrom)));
  }

  private flushBatch(last: boolean): void {
    const text = Buffer.concat(this.batchParts).toString('utf8');
    this.batchParts = [];
    this.batchCount = 0;
    if (last && text.trim() === '') return;
    this.onBatch(`[${text}]`);
  }

  /** The document without the ROA elements. */
  end(): string {
    if (!this.finished || this.inString) throw new JsonSplitError('unexpected end of JSON');
    return Buffer.concat(this.restParts).toString('utf8');
  }
}
