/**
 * CPU time of processes on this machine, read from /proc: this process, the database's server backends, or
 * any pid. On a machine shared with other work, wall time measures the load; the CPU time spent on the job is
 * what it costs, and roughly its wall time on an otherwise idle machine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Queryable } from '../../src/db/database.js';

/** Command name and utime + stime in seconds (clock ticks of 1/100 s) of a process; throws when there is no such process. */
function processStat(pid: number | string): { comm: string; sec: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), sec: (Number(fields[11]) + Number(fields[12])) / 100 };
}

/** utime + stime of a process in seconds; throws when there is no such process. */
export function processCpuSeconds(pid: number): number {
  return processStat(pid).sec;
}

/** CPU seconds so far of every backend connected to the current database, by pid; undefined when the server is on another host. */
export async function backendCpu(db: Queryable): Promise<Map<number, number> | undefined> {
  const { rows } = await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
  const out = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      out.set(pid, processCpuSeconds(pid));
    } catch {
      return undefined;
    }
  }
  return out;
}

/** Backend CPU seconds between two samples (backends that connected in between count from zero). */
export function backendCpuSince(before: Map<number, number> | undefined, after: Map<number, number> | undefined): number | undefined {
  if (!before || !after) return undefined;
  let sum = 0;
  for (const [pid, sec] of after) sum += sec - (before.get(pid) ?? 0);
  return sum;
}

export interface CpuSample { node: number; server: number }

/** Runs `work` and reports the CPU it cost this process and the PostgreSQL backends. */
export async function withCpu<T>(db: Queryable, work: () => Promise<T>): Promise<{ value: T; cpu?: CpuSample & { total: number }; text: string }> {
  const server0 = await backendCpu(db);
  const node0 = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(node0);
  const server = backendCpuSince(server0, await backendCpu(db));
  if (server === undefined) return { value, text: '' };
  const node = (used.user + used.system) / 1e6;
  const cpu = { node, server, total: node + server };
  return { value, cpu, text: `, ${cpu.total.toFixed(2)} s CPU (node ${node.toFixed(2)} s, PostgreSQL ${server.toFixed(2)} s)` };
}

/** CPU seconds so far of every process on this machine, by pid, with its command name. */
function allProcessesCpu(): Map<number, { comm: string; sec: number }> {
  const out = new Map<number, { comm: string; sec: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      out.set(Number(name), processStat(name));
    } catch {
      // the process ended while we listed
    }
  }
  return out;
}

/**
 * Watches what else used the CPU while a phase ran: processes other than node and postgres that took more
 * than 0.05 CPU-seconds. On a 2-core machine a kernel thread that takes a core for a while shows up in tail
 * latencies, and the figures should say so.
 */
export function watchOtherCpu(): { stop(): string } {
  const before = allProcessesCpu();
  return {
    stop() {
      const used = new Map<string, number>();
      for (const [pid, now] of allProcessesCpu()) {
        if (now.comm === 'node' || now.comm === 'postgres') continue;
        const sec = now.sec - (before.get(pid)?.sec ?? 0);
        if (sec > 0) used.set(now.comm, (used.get(now.comm) ?? 0) + sec);
      }
      const busy = [...used].filter(([, s]) => s >= 0.05).sort((a, b) => b[1] - a[1]);
      return busy.length ? busy.map(([c, s]) => `${c} ${s.toFixed(2)} CPU-s`).join(', ') : 'none';
    },
  };
}
