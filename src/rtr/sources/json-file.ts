// A relying party's VRP JSON (rpki-client -j) from a local file, reloaded when it changes: fs.watch on the
// directory (catches the rename that atomic writers do) plus a periodic stat as a fallback for file
// systems where watching does not work.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../server.js';
import { silentLogger } from '../server.js';
import { parseRpkiJsonFile } from './rpki-json.js';
import { BaseKeySource } from './base.js';

export interface JsonFileSourceOptions {
  /** stat interval for the fallback check (default 5000 ms) */
  pollMs?: number;
  /** wait this long after a change event before reading (default 100 ms), so writers can finish */
  debounceMs?: number;
  logger?: Logger;
  name?: string;
}

export class JsonFileSource extends BaseKeySource {
  private watcher: fs.FSWatcher | undefined;
  private poller: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private signature = '';
  private loading: Promise<void> | undefined;
  private again = false;
  private readonly log: Logger;

  constructor(readonly file: string, private readonly opts: JsonFileSourceOptions = {}) {
    super(opts.name ?? `json:${path.basename(file)}`, 'rpki-json-file');
    this.log = opts.logger ?? silentLogger;
  }

  async start(): Promise<void> {
    await this.reload();
    try {
      this.watcher = fs.watch(path.dirname(this.file), (_event, name) => {
        if (name === null || name === path.basename(this.file)) this.schedule();
      });
      this.watcher.on('error', () => {});
    } catch (e) {
      this.log.warn({ file: this.file, err: String(e) }, 'rtr: cannot watch VRP file, polling only');
    }
    this.poller = setInterval(() => this.schedule(), this.opts.pollMs ?? 5000);
    this.poller.unref();
  }

  private schedule(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.reload(), this.opts.debounceMs ?? 100);
    this.debounce.unref();
  }

  /** Re-reads the file if its stat signature changed. Safe to call concurrently. */
  async reload(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = this.doReload().finally(() => {
      this.loading = undefined;
      if (this.again) {
        this.again = false;
        void this.reload();
      }
    });
    return this.loading;
  }

  private async doReload(): Promise<void> {
    let sig: string;
    try {
      const s = await fs.promises.stat(this.file);
      sig = `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch (e) {
      this.fail(`cannot stat ${this.file}: ${(e as Error).message}`);
      return;
    }
    if (sig === this.signature) return;
    try {

      const parsed = await parseRpkiJsonFile(this.file);
      this.signature = sig;
      this.cached = parsed.keys;
      this.st = {
        ...this.st,
        vrps: parsed.roas,
        routerKeys: parsed.routerKeys,
        aspas: parsed.aspas,
        dropped: parsed.dropped,
        lastLoad: new Date(),
        lastError: undefined,
      };
      if (parsed.samples.length) this.log.info({ file: this.file, dropped: parsed.dropped, samples: parsed.samples }, 'rtr: dropped VRP entries');
      this.notify();
    } catch (e) {
      // keep serving the last good data
      this.fail(`cannot load ${this.file}: ${(e as Error).message}`);
    }
  }

  private fail(msg: string): void {
    if (this.st.lastError !== msg) this.log.warn({ source: this.name }, msg);
    this.st = { ...this.st, lastError: msg };
  }

  close(): void {
    this.watcher?.close();
    if (this.poller) clearInterval(this.poller);
    if (this.debounce) clearTimeout(this.debounce);
  }
}
