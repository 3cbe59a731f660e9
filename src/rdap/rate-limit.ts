/**
 * Per-client token bucket: `perSecond` requests per second on average, bursts up to `burst`. A client over
 * its budget is told how many whole seconds until one request is allowed again (429 + Retry-After).
 * Buckets live in memory; idle ones are swept so the map stays small.
 */
export interface RateLimitOptions {
  perSecond: number;
  burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep = 0;

  constructor(readonly options: RateLimitOptions, private readonly now: () => number = () => Date.now()) {}

  /** 0 when the request may proceed, else the seconds to wait. */
  take(client: string): number {
    const now = this.now();
    this.sweep(now);
    const { perSecond, burst } = this.options;
    const b = this.buckets.get(client) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    this.buckets.set(client, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    const full = (this.options.burst / this.options.perSecond) * 1000;
    for (const [k, b] of this.buckets) if (now - b.at > full) this.buckets.delete(k);
  }
}
