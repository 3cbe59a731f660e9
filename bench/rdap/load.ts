/**
 * The RDAP benchmark's HTTP client, run as a child process so that sending requests and parsing answers
 * does not share the server's event loop, as with a real client. Takes the job as JSON in argv[2]
 * ({ port, mode: 'open' | 'closed', ... }) and prints its figures as JSON.
 */
import http from 'node:http';

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

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function request(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: job.port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Requests sent at fixed times; latency counts from the scheduled time, so queueing delay is included. */
async function openLoop() {
  const total = Math.round(job.rate * job.seconds);
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / job.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(request(`/rdap/ip/${randomAddress()}`).then((status) => {
      latencies.push(performance.now() - due);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }));
  }
  await Promise.all(pending);
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

const result = job.mode === 'open' ? await openLoop() : await closedLoop();
agent.destroy();
process.stdout.write(`${JSON.stringify(result)}\n`);
