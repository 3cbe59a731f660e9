/**
 * One-time keys made ahead of need. RSA-2048 key generation takes ~180 ms of CPU, a signature ~0.3 ms; every
 * signed object and every manifest needs a fresh key (RFC 6487 §3, RFC 9286 §5.1), so the pool keeps a few
 * ready, refilled in the background (libuv thread pool), and a ROA created through the API does not wait for
 * key generation. Each key is handed out once.
 */
import { generateRsaKey, type RsaKey } from '../crypto.js';

export class KeyPool {
  private ready: RsaKey[] = [];
  private filling = 0;
  private closed = false;

  constructor(private readonly target = 4) {}

  take(): Promise<RsaKey> {
    const key = this.ready.shift();
    this.fill();
    return key ? Promise.resolve(key) : generateRsaKey();
  }

  /** Starts background generation up to the target size. */
  fill(): void {
    while (!this.closed && this.ready.length + this.filling < this.target) {
      this.filling++;
      generateRsaKey().then(
        (k) => {
          this.filling--;
          if (!this.closed) this.ready.push(k);
        },
        () => this.filling--,
      );
    }
  }

  get size(): number {
    return this.ready.length;
  }

  close(): void {
    this.closed = true;
    this.ready = [];
  }
}
