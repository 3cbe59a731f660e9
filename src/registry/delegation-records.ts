/**
 * Delegations encoded as compact binary records in large Buffers, outside the JavaScript heap: the registry
 * view holds millions of them, and as objects they made every young-generation GC pause for tens of
 * milliseconds (see static-interval-index.ts). A record is decoded into a fresh Delegation object when a
 * query needs it.
 *
 * Record layout: a sequence of varints and strings. A string field is a varint tag: 0 null, odd a reference
 * (tag >> 1) into a pool of repeated values (holders, statuses, dates, parents), even a UTF-8 string of
 * (tag >> 1) - 1 bytes that follows inline. A list field is 0 for empty, odd a reference into a pool of
 * repeated lists, even an inline count (tag >> 1) - 1 followed by that many string fields.
 */
import type { NumberRange } from '../core/index.js';
import { formatRange } from '../core/index.js';
import type { Delegation } from './delegation-model.js';

const CHUNK_BYTES = 32 * 2 ** 20;
/** Distinct pooled strings (and lists) kept on the heap; values beyond it are stored inline. */
const POOL_LIMIT = 250_000;
const EMPTY = Object.freeze([]) as unknown as string[];

class Pool<T> {
  readonly values: T[] = [];
  private index = new Map<string, number>();

  /** The value's number in the pool, adding it while there is room; -1 when the pool is full. */
  ref(key: string, value: T): number {
    const hit = this.index.get(key);
    if (hit !== undefined) return hit;
    if (this.values.length >= POOL_LIMIT) return -1;
    this.index.set(key, this.values.length);
    this.values.push(value);
    return this.values.length - 1;
  }

  /** Drops the look-up table once nothing more is added. */
  seal(): void {
    this.index = new Map();
  }
}

export class DelegationRecords {
  private readonly chunks: Buffer[] = [];
  private chunk: Buffer = Buffer.allocUnsafe(0);
  private used = 0;
  /** Record number → chunk number * CHUNK_BYTES + offset. */
  private addresses: number[] | Float64Array = [];
  private readonly strings = new Pool<string>();
  private readonly lists = new Pool<string[]>();
  private scratch: Buffer = Buffer.allocUnsafe(64 * 1024);
  private w = 0;
  // decoder position
  private buf: Buffer = Buffer.allocUnsafe(0);
  private r = 0;

  get count(): number {
    return this.addresses.length;
  }

  get bytes(): number {
    return this.chunks.length === 0 ? 0 : (this.chunks.length - 1) * CHUNK_BYTES + this.used;
  }

  /** Appends a record (everything but id, family and range, which the caller keeps) and returns its number. */
  add(d: Delegation): number {
    if (this.addresses instanceof Float64Array) throw new Error('records are sealed');
    this.w = 0;
    this.pooled(d.parentId);
    this.pooled(d.holderId);
    this.pooled(d.holderHandle);
    this.pooled(d.holderName);
    this.pooled(d.status);
    this.pooled(d.registry);
    this.pooled(d.country);
    this.inline(d.netName);
    this.inline(d.description);
    this.pooled(d.delegatedOn);
    this.list(d.adminC);
    this.list(d.techC);
    this.pooled(d.abuseC);
    this.list(d.mntBy);
    this.list(d.mntLower);
    this.list(d.mntRoutes);
    this.inline(d.decisionId);
    this.varint(d.version);
    this.pooled(d.createdAt);
    this.pooled(d.updatedAt);
    if (this.chunks.length === 0 || this.used + this.w > CHUNK_BYTES) {
      this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, this.w));
      this.chunks.push(this.chunk);
      this.used = 0;
    }
    this.scratch.copy(this.chunk, this.used, 0, this.w);
    (this.addresses as number[]).push((this.chunks.length - 1) * CHUNK_BYTES + this.used);
    this.used += this.w;
    return this.addresses.length - 1;
  }

  /** Ends the appending phase: the address table moves off the heap too, the pools' look-up tables go. */
  seal(): void {
    this.addresses = Float64Array.from(this.addresses);
    this.strings.seal();
    this.lists.seal();
  }

  read(rec: number, id: string, range: NumberRange): Delegation {
    const at = this.addresses[rec]!;
    const c = Math.floor(at / CHUNK_BYTES);
    this.buf = this.chunks[c]!;
    this.r = at - c * CHUNK_BYTES;
    return {
      id,
      family: range.family,
      range,
      resource: formatRange(range),
      parentId: this.readString(),
      holderId: this.readString()!,
      holderHandle: this.readString()!,
      holderName: this.readString()!,
      status: this.readString() as Delegation['status'],
      registry: this.readString()!,
      country: this.readString(),
      netName: this.readString(),
      description: this.readString(),
      delegatedOn: this.readString(),
      adminC: this.readList(),
      techC: this.readList(),
      abuseC: this.readString(),
      mntBy: this.readList(),
      mntLower: this.readList(),
      mntRoutes: this.readList(),
      decisionId: this.readString(),
      version: this.readVarint(),
      createdAt: this.readString()!,
      updatedAt: this.readString()!,
    };
  }

  // ---- encoding ----

  private room(n: number): void {
    if (this.w + n <= this.scratch.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.scratch.length * 2, this.w + n));
    this.scratch.copy(bigger, 0, 0, this.w);
    this.scratch = bigger;
  }

  private varint(v: number): void {
    this.room(8);
    while (v >= 0x80) {
      this.scratch[this.w++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.scratch[this.w++] = v;
  }

  private inline(x: string | null): void {
    if (x === null) return this.varint(0);
    const n = Buffer.byteLength(x);
    this.varint((n + 1) * 2);
    this.room(n);
    this.w += this.scratch.write(x, this.w);
  }

  private pooled(x: string | null): void {
    if (x === null) return this.varint(0);
    const ref = this.strings.ref(x, x);
    if (ref < 0) this.inline(x);
    else this.varint(ref * 2 + 1);
  }

  private list(xs: string[]): void {
    if (xs.length === 0) return this.varint(0);
    const ref = this.lists.ref(xs.join('\u0000'), Object.freeze(xs.slice()) as string[]);
    if (ref >= 0) return this.varint(ref * 2 + 1);
    this.varint((xs.length + 1) * 2);
    for (const x of xs) this.pooled(x);
  }

  // ---- decoding ----

  private readVarint(): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = this.buf[this.r++]!;
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 0x80;
    }
  }

  private readString(): string | null {
    const tag = this.readVarint();
    if (tag === 0) return null;
    if (tag % 2 === 1) return this.strings.values[(tag - 1) / 2]!;
    const n = tag / 2 - 1;
    const s = this.buf.toString('utf8', this.r, this.r + n);
    this.r += n;
    return s;
  }

  private readList(): string[] {
    const tag = this.readVarint();
    if (tag === 0) return EMPTY;
    if (tag % 2 === 1) return this.lists.values[(tag - 1) / 2]!;
    const out: string[] = [];
    for (let k = tag / 2 - 1; k > 0; k--) out.push(this.readString()!);
    return out;
  }
}
