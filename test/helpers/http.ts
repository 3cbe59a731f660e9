/** A real HTTP server (fastify on port 0) over a fresh test database, and a tiny JSON client for it. */
import type { FastifyInstance } from 'fastify';
import { buildHttpApp, type HttpPlugin } from '../../src/http/app.js';
import { createMetrics } from '../../src/http/metrics.js';
import { Registry } from '../../src/registry/registry.js';
import type { Db } from '../../src/db/database.js';

export interface TestServer {
  app: FastifyInstance;
  base: string;
  registry: Registry;
  request(method: string, path: string, options?: { body?: unknown; key?: string; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export async function startTestServer(db: Db, plugins: HttpPlugin[] = [], registry = new Registry(db)): Promise<TestServer> {
  const app = await buildHttpApp({ db, registry, metrics: createMetrics(db), logger: false, plugins });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  return {
    app, base, registry,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.key) headers.authorization = `Bearer ${options.key}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(base + path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
      const text = await res.text();
      let body: unknown = text;
      try { body = JSON.parse(text); } catch { /* not JSON */ }
      return { status: res.status, body, headers: res.headers };
    },
    close: () => app.close(),
  };
}
