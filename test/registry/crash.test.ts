import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openDatabase, type Db } from '../../src/db/database.js';
import { createTestDb, backendName } from '../helpers/db.js';

interface Ack { op: string; id: string; version: number }

/** Runs the child until it has acknowledged `killAfter` mutations, then SIGKILLs it mid-flight. */
async function runAndKill(env: NodeJS.ProcessEnv, killAfter: number): Promise<Ack[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/registry/crash-child.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const acks: Ack[] = [];
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  for await (const line of createInterface({ input: child.stdout! })) {
    const m = /^ACK (\w+) (\d+) (\d+)$/.exec(line);
    if (m) acks.push({ op: m[1]!, id: m[2]!, version: Number(m[3]) });
    if (acks.length === killAfter) child.kill('SIGKILL');
    if (line === 'DONE') break;
  }
  assert.equal(await exited, 'SIGKILL', 'the child was killed before it finished');
  return acks;
}

async function verify(db: Db, acks: Ack[]): Promise<void> {
  // Every acknowledged mutation is present.
  const expected = new Map<string, number>();
  for (const a of acks) {
    if (a.op === 'return') expected.set(a.id, 0);
    else expected.set(a.id, Math.max(expected.get(a.id) ?? 0, a.version));
  }
  const rows = new Map((await db.query<{ id: string; version: number }>(`SELECT id::text AS id, version FROM delegation`)).rows.map((r) => [r.id, r.version]));
  for (const [id, version] of expected) {
    if (version === 0) assert.ok(!rows.has(id), `returned delegation ${id} is gone`);
    else assert.ok((rows.get(id) ?? -1) >= version, `delegation ${id} has version ${rows.get(id)} ≥ acknowledged ${version}`);
  }
  // Nothing half-applied: every row's history ends at its version, every create in the feed has its row or a delete.
  const history = await db.query<{ object_key: string; action: string; version: number }>(
    `SELECT object_key, action, version FROM change WHERE object_type = 'delegation' ORDER BY serial`);
  const last = new Map<string, { action: string; version: number }>();
  for (const h of history.rows) last.set(h.object_key, h);
  for (const [id, version] of rows) {
    assert.equal(last.get(id)?.version, version, `history of ${id} ends at its version`);
    assert.notEqual(last.get(id)?.action, 'delete');
  }
  for (const [id, h] of last) if (h.action !== 'delete') assert.ok(rows.has(id), `feed says delegation ${id} exists, and it does`);
  // The feed is gapless.
  const { rows: s } = await db.query<{ n: string; max: string; state: string }>('SELECT count(*)::text AS n, max(serial)::text AS max, (SELECT serial::text FROM feed_state) AS state FROM change');
  assert.equal(s[0]!.n, s[0]!.max);
  assert.equal(s[0]!.state, s[0]!.max);
}

test(`[${backendName}] crash: SIGKILL during 10,000 mutations loses nothing acknowledged and leaves nothing half-written`, { timeout: 240_000 }, async () => {
  const killAfter = 300 + Math.floor(Math.random() * 700);
  if (process.env.DATABASE_URL) {
    const t = await createTestDb();
    try {
      const acks = await runAndKill({ CRASH_DB_URL: t.url, CRASH_MUTATIONS: '10000', CRASH_SEED: String(killAfter) }, killAfter);
      assert.ok(acks.length >= killAfter);
      await verify(t.db, acks);
    } finally {
      await t.close();
    }
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'numreg-crash-'));
    try {
      const acks = await runAndKill({ CRASH_DATA_DIR: dir, CRASH_MUTATIONS: '10000', CRASH_SEED: String(killAfter) }, killAfter);
      assert.ok(acks.length >= killAfter);
      const db = await openDatabase({ dataDir: dir });
      try {
        await verify(db, acks);
      } finally {
        await db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
