// What every key source shares: its current keys, its status, and the listeners told when the keys change.
import type { KeySource, SourceStatus } from './types.js';

export abstract class BaseKeySource implements KeySource {
  protected cached: string[] = [];
  protected st: SourceStatus;
  protected readonly listeners: (() => void)[] = [];

  constructor(readonly name: string, kind: string) {
    this.st = { name, kind, vrps: 0, routerKeys: 0, aspas: 0, dropped: {} };
  }

  keys(): readonly string[] {
    return this.cached;
  }
  onChange(cb: () => void): void {
    this.listeners.push(cb);
  }
  status(): SourceStatus {
    return this.st;
  }
  protected notify(): void {
    for (const l of this.listeners) l();
  }
  abstract start(): Promise<void>;
  abstract close(): void;
}
