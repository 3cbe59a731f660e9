// Prometheus metrics of the RTR cache, registered on a registry the caller owns (the lead mounts it at
// /metrics). Values are read from the live service at scrape time.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { RtrServer } from './server.js';
import type { SourceStatus } from './sources/types.js';

export interface RtrMetricsSource {
  server: RtrServer;
  sources(): SourceStatus[];
  /** counts of the served (merged, SLURM-applied) set */
  served(): { ipv4: number; ipv6: number; routerKeys: number; aspas: number };
}

export const RTR_METRIC_NAMES = [
  'numreg_rtr_source_vrps',
  'numreg_rtr_source_last_load_timestamp_seconds',
  'numreg_rtr_vrps',
  'numreg_rtr_router_keys',
  'numreg_rtr_aspas',
  'numreg_rtr_serial',
  'numreg_rtr_session_id',
  'numreg_rtr_clients',
  'numreg_rtr_pdus_sent_total',
  'numreg_rtr_queries_total',
  'numreg_rtr_errors_sent_total',
  'numreg_rtr_last_update_timestamp_seconds',
] as const;

export interface RtrMetrics {
  query(kind: string, answer: string): void;
  errorSent(code: number): void;
}

export function registerRtrMetrics(registry: Registry, src: RtrMetricsSource): RtrMetrics {
  const reg = [registry];
  new Gauge({
    name: 'numreg_rtr_source_vrps',
    help: 'VRPs contributed by each source before SLURM and de-duplication',
    labelNames: ['source'],
    registers: reg,
    collect() {
      this.reset();
      for (const s of src.sources()) this.set({ source: s.name }, s.vrps);
    },
  });
  new Gauge({
    name: 'numreg_rtr_source_last_load_timestamp_seconds',
    help: 'Unix time each source last loaded successfully',
    labelNames: ['source'],
    registers: reg,
    collect() {
      this.reset();
      for (const s of src.sources()) if (s.lastLoad) this.set({ source: s.name }, s.lastLoad.getTime() / 1000);
    },
  });
  new Gauge({
    name: 'numreg_rtr_vrps',
    help: 'VRPs served over RTR, by address family',
    labelNames: ['family'],
    registers: reg,
    collect() {
      const c = src.served();
      this.set({ family: 'ipv4' }, c.ipv4);
      this.set({ family: 'ipv6' }, c.ipv6);
    },
  });
  new Gauge({ name: 'numreg_rtr_router_keys', help: 'BGPsec router keys served', registers: reg, collect() { this.set(src.served().routerKeys); } });
  new Gauge({ name: 'numreg_rtr_aspas', help: 'ASPA records served (RTR version 2 only)', registers: reg, collect() { this.set(src.served().aspas); } });
  new Gauge({ name: 'numreg_rtr_serial', help: 'Current RTR serial number', registers: reg, collect() { this.set(src.server.state.serial); } });
  new Gauge({ name: 'numreg_rtr_session_id', help: 'Current RTR session id', registers: reg, collect() { this.set(src.server.state.sessionId); } });
  new Gauge({ name: 'numreg_rtr_clients', help: 'Connected RTR clients', registers: reg, collect() { this.set(src.server.clients.size); } });
  new Gauge({
    name: 'numreg_rtr_last_update_timestamp_seconds',
    help: 'Unix time the served set last changed',
    registers: reg,
    collect() {
      const t = src.server.state.updatedAt;
      if (t) this.set(t.getTime() / 1000);
    },
  });
  let reported = 0;
  new Counter({
    name: 'numreg_rtr_pdus_sent_total',
    help: 'PDUs sent to RTR clients',
    registers: reg,
    collect() {
      const now = src.server.pdusSent;
      if (now > reported) this.inc(now - reported);
      reported = now;
    },
  });
  const queries = new Counter({ name: 'numreg_rtr_queries_total', help: 'Queries by kind and answer', labelNames: ['kind', 'answer'], registers: reg });
  const errors = new Counter({ name: 'numreg_rtr_errors_sent_total', help: 'Error Reports sent, by code', labelNames: ['code'], registers: reg });
  return {
    query: (kind, answer) => queries.inc({ kind, answer }),
    errorSent: (code) => errors.inc({ code: String(code) }),
  };
}
