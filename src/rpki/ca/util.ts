import { randomBytes } from 'node:crypto';

/** A positive 63-bit random certificate serial (RFC 5280: unique per issuer, at most 20 octets). */
let pool = Buffer.alloc(0);
let poolAt = 0;
export function randomSerial(): bigint {
  if (poolAt + 8 > pool.length) {
    pool = randomBytes(8 * 1024);
    poolAt = 0;
  }
  const b = pool.subarray(poolAt, (poolAt += 8));
  const v = b.readBigUInt64BE() & 0x7fffffffffffffffn;
  return v === 0n ? 1n : v;
}

/** Runs `fn` over `items` with at most `limit` in flight (signing runs on the libuv pool meanwhile). */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(workers);
  return out;
}

/**
 * A queue that `limit` concurrent workers drain while it is still being filled: work starts (and signatures
 * go to the thread pool) while the producer is still reading its input. close() waits for the rest.
 */
export class WorkQueue<T> {
  private readonly items: T[] = [];
  private head = 0;
  private closed = false;
  private waiting: (() => void)[] = [];
  private readonly done: Promise<void>;

  constructor(limit: number, fn: (item: T) => Promise<void>) {
    const worker = async () => {
      for (;;) {
        if (this.head < this.items.length) {
          const item = this.items[this.head]!;
          this.items[this.head++] = undefined as T; // let finished items go
          await fn(item);
        } else if (this.closed) return;
        else await new Promise<void>((resolve) => this.waiting.push(resolve));
      }
    };
    this.done = Promise.all(Array.from({ length: limit }, worker)).then(() => undefined);
    this.done.catch(() => undefined); // reported by close()
  }

  push(item: T): void {
    this.items.push(item);
    this.waiting.pop()?.();
  }

  close(): Promise<void> {
    this.closed = true;
    for (const wake of this.waiting.splice(0)) wake();
    return this.done;
  }
}

/** Lets queued callbacks (finished signatures, waiting workers) run before the caller continues. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** Adapts a pino-style logger (obj-or-msg first) or console. */
export function toLogger(l?: { info: (...a: never[]) => void; warn: (...a: never[]) => void; error: (...a: never[]) => void }): Logger {
  if (!l) return silentLogger;
  const f = l as unknown as Logger;
  return { info: (m) => f.info(m), warn: (m) => f.warn(m), error: (m) => f.error(m) };
}
