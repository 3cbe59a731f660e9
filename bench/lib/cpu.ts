/**
 * CPU time of processes on this machine, read from /proc: this process, the database's server backends, or
 * any pid. On a machine shared with other work, wall time measures the load; the CPU time spent on the job is
 * what it costs, and roughly its wall time on an otherwise idle machine.
 */
import { readFileSync } from 'node:fs';
import type { Queryable } from '../../src/db/database.js';

/** utime + stime of a process in seconds (clock ticks of 1/100 s); throws when there is no such process. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
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
