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
