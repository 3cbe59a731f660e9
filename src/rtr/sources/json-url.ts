// A relying party's VRP JSON fetched over http(s), re-fetched periodically with ETag/Last-Modified so an
// unchanged document costs a 304.
import type { Logger } from '../server.js';
import { silentLogger } from '../server.js';
import { parseRpkiJson } from './rpki-json.js';
import { BaseKeySource } from './base.js';

export interface JsonUrlSourceOptions {
  refreshMs?: number;
  logger?: Logger;
  name?: string;
  timeoutMs?: number;
}

export class JsonUrlSource extends BaseKeySource {
  private timer: NodeJS.Timeout | undefined;
  private etag: string | undefined;
  private lastModified: string | undefined;
  private readonly log: Logger;

  constructor(readonly url: string, private readonly opts: JsonUrlSourceOptions = {}) {
    super(opts.name ?? `url:${url}`, 'rpki-json-url');
    this.log = opts.logger ?? silentLogger;
  }

  async start(): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => void this.reload(), this.opts.refreshMs ?? 600_000);
    this.timer.unref();
  }

  async reload(): Promise<void> {
    try {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (this.etag) headers['if-none-match'] = this.etag;
      if (this.lastModified) headers['if-modified-since'] = this.lastModified;
      const res = await fetch(this.url, { headers, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 60_000) });
      if (res.status === 304) return;
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const parsed = parseRpkiJson(Buffer.from(await res.arrayBuffer()));
      this.etag = res.headers.get('etag') ?? undefined;
      this.lastModified = res.headers.get('last-modified') ?? undefined;
      this.cached = parsed.keys;
      this.st = { ...this.st, vrps: parsed.roas, routerKeys: parsed.routerKeys, aspas: parsed.aspas, dropped: parsed.dropped, lastLoad: new Date(), lastError: undefined };
      this.notify();
    } catch (e) {
      const msg = `cannot fetch ${this.url}: ${(e as Error).message}`;
      if (this.st.lastError !== msg) this.log.warn({ source: this.name }, msg);
      this.st = { ...this.st, lastError: msg };
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
