// Adapts a PushSource (plain VRP objects) to the key form the cache merges.
import { aspaKey, routerKeyKey, vrpKey } from '../records.js';
import type { PushSource } from './types.js';
import { BaseKeySource } from './base.js';

export class PushKeySource extends BaseKeySource {
  private unsubscribe: (() => void) | void = undefined;

  constructor(private readonly src: PushSource) {
    super(src.name, 'push');
  }

  async start(): Promise<void> {
    this.refresh();
    this.unsubscribe = this.src.onChange(() => {
      this.refresh();
      this.notify();
    });
  }

  private refresh(): void {
    const cur = this.src.current();
    const data = Array.isArray(cur) ? { vrps: cur } : cur;
    const keys: string[] = [];
    const dropped: Record<string, number> = {};
    const add = (f: () => string, reason: string) => {
      try {
        keys.push(f());
      } catch (e) {
        dropped[reason] = (dropped[reason] ?? 0) + 1;
        this.st.lastError = (e as Error).message;
      }
    };
    for (const v of data.vrps) add(() => vrpKey(v.prefix, v.maxLength, v.asn), 'bad vrp');
    for (const k of data.routerKeys ?? []) add(() => routerKeyKey(k), 'bad router key');
    for (const a of data.aspas ?? []) add(() => aspaKey(a), 'bad ASPA');
    this.cached = keys;
    this.st = {
      ...this.st,
      vrps: data.vrps.length - (dropped['bad vrp'] ?? 0),
      routerKeys: (data.routerKeys?.length ?? 0) - (dropped['bad router key'] ?? 0),
      aspas: (data.aspas?.length ?? 0) - (dropped['bad ASPA'] ?? 0),
      lastLoad: new Date(),
      dropped,
    };
  }

  close(): void {
    if (typeof this.unsubscribe === 'function') this.unsubscribe();
  }
}
