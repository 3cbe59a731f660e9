/**
 * The RDAP benchmark's load generator, run as a child process so that sending requests and parsing answers
 * does not share the server's event loop, as with a real client. Takes the job as JSON in argv[2]
 * ({ port, mode: 'open' | 'closed', ... }) and prints its figures as JSON.
 */
import { HttpLoadClient } from '../lib/http-client.js';
import { watchGc } from '../lib/gc.js';

interface Job { port: number; mode: 'open' | 'closed'; rate: number; seconds: number; connections: number; slash8s: number }
const job = JSON.parse(process.argv[2]!) as Job;

/** A random address inside the generated space: mostly in an assignment, some only in an allocation. */
function randomAddress(): string {
  const o = 1 + Math.floor(Math.random() * job.slash8s);
  const b = Math.floor(Math.random() * 256);
  const c = Math.floor(Math.random() * 256); // c >= per16 lands in the /16 allocation only
  const d = Math.floor(Math.random() * 256);
  return `${o}.${b}.${c}.${d}`;
}

const client = new HttpLoadClient(job.port, '127.0.0.1', 256);
const request = (path: string) => client.get(path);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/**
 * Requests sent at fixed times, never before they are due: each wake-up sends every request whose time has
 * come, and its latency counts from that scheduled time, so a late send or a queue in the server shows.
 */
async function openLoop() {
  const total = Math.round(job.rate * job.seconds);
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const start = performance.now();
  const due = (i: number) => start + (i * 1000) / job.rate;
  let outstanding = 0;
  let sent = 0;
  let allAnswered = () => {};
  while (sent < total) {
    for (const now = performance.now(); sent < total && due(sent) <= now; sent++) {
      const scheduled = due(sent);
      outstanding++;
      void request(`/rdap/ip/${randomAddress()}`).then((status) => {
        latencies.push(performance.now() - scheduled);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (--outstanding === 0 && sent === total) allAnswered();
      });
    }
    if (sent < total) await new Promise((r) => setTimeout(r, Math.max(0, due(sent) - performance.now())));
  }
  if (outstanding > 0) await new Promise<void>((r) => (allAnswered = r));
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { total, achieved: total / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies[latencies.length - 1]!, statuses };
}

async function closedLoop() {
  let done = 0;
  const end = performance.now() + job.seconds * 1000;
  await Promise.all(Array.from({ length: job.connections }, async () => {
    while (performance.now() < end) {
      await request(`/rdap/ip/${randomAddress()}`);
      done++;
    }
  }));
  return { perSecond: done / job.seconds };
}

const gcs = watchGc();
const result = { ...(job.mode === 'open' ? await openLoop() : await closedLoop()), clientGc: gcs.summary() };
gcs.stop();
client.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
