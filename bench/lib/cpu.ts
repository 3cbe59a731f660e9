/**
 * CPU time spent by this process and by the database's server backends (read from /proc: the server runs
 * on this machine). On a machine shared with other work, wall time measures the load; the CPU time spent
 * on the job is what it costs, and roughly its wall time on an otherwise idle machine.
 */
import { readFileSync } from 'node:fs';
import type { Queryable } from '../../src/db/database.js';

export interface CpuSample { node: number; server: number }

/** Seconds of CPU so far: this process, and every backend connected to the current database (undefined off-host). */
export async function cpuSample(db: Queryable): Promise<CpuSample | undefined> {
  const mine = process.cpuUsage();
  const { rows } = await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      return undefined; // server not on this machine
    }
  }
  return { node: (mine.user + mine.system) / 1e6, server: ticks / 100 };
}

/** Runs `work` and reports the CPU it cost node and PostgreSQL. */
export async function withCpu<T>(db: Queryable, work: () => Promise<T>): Promise<{ value: T; cpu?: CpuSample & { total: number }; text: string }> {
  const a = await cpuSample(db);
  const value = await work();
  const b = await cpuSample(db);
  if (!a || !b) return { value, text: '' };
  const cpu = { node: b.node - a.node, server: b.server - a.server, total: b.node - a.node + b.server - a.server };
  return { value, cpu, text: `, ${cpu.total.toFixed(2)} s CPU (node ${cpu.node.toFixed(2)} s, PostgreSQL ${cpu.server.toFixed(2)} s)` };
}
