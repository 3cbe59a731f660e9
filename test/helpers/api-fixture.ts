/**
 * The REST API tests' common set-up: a fresh database with the registry fixture, an HTTP server on port 0,
 * and API keys by name (organisation of the fixture and scopes), created through the registry as an
 * operator would.
 */
import { createApiKey } from '../../src/registry/api-keys.js';
import { SYSTEM } from '../../src/registry/actor.js';
import { createTestDb, type TestDb } from './db.js';
import { buildFixture, type Fixture } from './registry-fixture.js';
import { startTestServer, type TestServer } from './http.js';

export type KeySpecs = Record<string, { org: keyof Fixture['orgs']; scopes: string[] }>;

export interface ApiFixture {
  t: TestDb;
  f: Fixture;
  s: TestServer;
  /** The secret of each key named in the specs. */
  keys: Record<string, string>;
  close(): Promise<void>;
}

export async function startApiFixture(specs: KeySpecs): Promise<ApiFixture> {
  const t = await createTestDb();
  const f = await buildFixture(t.db);
  const s = await startTestServer(t.db, [], f.registry);
  const keys: Record<string, string> = {};
  for (const [name, { org, scopes }] of Object.entries(specs)) {
    keys[name] = (await f.registry.write((tx) => createApiKey(tx, { orgId: f.orgs[org].id, scopes }, SYSTEM))).key;
  }
  return {
    t, f, s, keys,
    async close() {
      await s.close();
      await t.close();
    },
  };
}
