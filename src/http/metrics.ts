/**
 * Prometheus metrics shared by every service; each module registers its own collectors on `registry`.
 */
import client from 'prom-client';
import type { Db } from '../db/database.js';
import { currentSerial } from '../registry/feed.js';

export function createMetrics(db: Db) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'numreg_process_' });
  new client.Gauge({
    name: 'numreg_change_serial',
    help: 'Latest serial of the registry change feed',
    registers: [registry],
    async collect() {
      this.set(await currentSerial(db));
    },
  });
  new client.Gauge({
    name: 'numreg_delegations',
    help: 'Delegations in the registry by family and status',
    labelNames: ['family', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      const { rows } = await db.query<{ family: string; status: string; n: string }>('SELECT family, status, count(*)::text AS n FROM delegation GROUP BY family, status');
      for (const r of rows) this.set({ family: r.family, status: r.status }, Number(r.n));
    },
  });
  const httpRequests = new client.Counter({
    name: 'numreg_http_requests_total',
    help: 'HTTP requests by route prefix and status class',
    labelNames: ['area', 'status'],
    registers: [registry],
  });
  return { registry, httpRequests };
}
export type Metrics = ReturnType<typeof createMetrics>;
