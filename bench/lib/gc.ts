/**
 * Garbage-collection pauses of this process while a benchmark phase runs, by kind (scavenge, mark-compact,
 * incremental marking, weak callbacks): a latency percentile is only explained once the pauses are known.
 */
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

const KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};

export function watchGc(): { stop(): void; summary(): string } {
  const byKind = new Map<string, { count: number; total: number; max: number }>();
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[]) {
      const kind = KINDS[e.detail?.kind ?? -1] ?? 'other';
      const s = byKind.get(kind) ?? { count: 0, total: 0, max: 0 };
      s.count++;
      s.total += e.duration;
      s.max = Math.max(s.max, e.duration);
      byKind.set(kind, s);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop: () => observer.disconnect(),
    summary: () => byKind.size === 0 ? 'none'
      : [...byKind].map(([k, s]) => `${s.count} ${k} (${s.total.toFixed(0)} ms, longest ${s.max.toFixed(1)} ms)`).join(', '),
  };
}
