/**
 * `numreg serve` for end-to-end tests: every service on port 0 over a fresh store (a new PostgreSQL database when
 * DATABASE_URL is set, else PGlite in a temporary data directory), the demo registry loaded, and an API key for
 * the demo LIR ORG-EXNET-JP; plus the helpers the tests share.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { serve, type RunningServer } from '../../src/serve.js';
import { createApiKey } from '../../src/registry/api-keys.js';
import { SYSTEM } from '../../src/registry/actor.js';
import { organisationByHandle } from '../../src/registry/organisations.js';
import { createTestDb, type TestDb } from './db.js';

export interface ServeHarness {
  server: RunningServer;
  dir: string;
  /** The test database on PostgreSQL; undefined on PGlite. */
  t?: TestDb;
  lirKey: string;
  /** Start-up lines the server announced. */
  lines: string[];
  close(): Promise<void>;
}

export async function startServe(env: Record<string, string> = {}): Promise<ServeHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'numreg-e2e-'));
  const t = process.env.DATABASE_URL ? await createTestDb({ migrate: false }) : undefined;
  const config = loadConfig({
    NUMREG_DATA_DIR: dir, DATABASE_URL: t?.url ?? '', NUMREG_HTTP_PORT: '0', NUMREG_WHOIS_PORT: '0', NUMREG_RTR_PORT: '0',
    NUMREG_RSYNC_PORT: '0', NUMREG_LOG_LEVEL: 'warn', ...env,
  });
  const lines: string[] = [];
  const server = await serve(config, { announce: (line) => lines.push(line) });
  const lir = (await organisationByHandle(server.db, 'ORG-EXNET-JP'))!;
  const lirKey = (await server.registry.write((tx) => createApiKey(tx, { orgId: lir.id, scopes: ['registry:write', 'rpki:write', 'irr:write'] }, SYSTEM))).key;
  return {
    server, dir, t, lirKey, lines,
    async close() {
      await server.close();
      await t?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until `ok` holds, failing with the last value after `ms`. */
export async function waitFor<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
