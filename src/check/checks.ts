/**
 * `numreg check`: consistency across the registry and the views built from it. Each check is one entry in
 * a table: a name, what it compares, and a function returning the disagreements it found (empty = agrees).
 * Checks of other areas (IRR, RPKI, publication) register through `extraChecks`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/database.js';
import { checkRpki } from '../rpki/check.js';

export interface CheckContext {
  db: Db;
}

export interface Check {
  name: string;
  description: string;
  run(ctx: CheckContext): Promise<string[]>;
}

const sample = (rows: Array<Record<string, unknown>>, format: (r: Record<string, unknown>) => string) => rows.map(format);

export const REGISTRY_CHECKS: Check[] = [
  {
    name: 'delegation-inside-parent',
    description: 'every delegation lies inside its parent and has its family',
    async run({ db }) {
      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT c.id::text AS id, c.rng::text AS rng, p.id::text AS parent, p.rng::text AS prng FROM delegation c JOIN delegation p ON p.id = c.parent_id
          WHERE c.family <> p.family OR NOT (p.rng @> c.rng) LIMIT 20`);
      return sample(rows, (r) => `delegation ${r.id} ${r.rng} is not inside its parent ${r.parent} ${r.prng}`);
    },
  },
  {
    name: 'siblings-disjoint',
    description: 'no two delegations with the same parent overlap',
    async run({ db }) {
      const { rows } = await db.query<Record<string, unknown>>(
        // If any two siblings overlap, two neighbours in start order do: one sorted pass, no self-join.
        `SELECT x.prev_id AS a, x.id AS b FROM (
            SELECT id::text AS id, lower(rng) AS lo, lag(id::text) OVER w AS prev_id, lag(upper(rng)) OVER w AS prev_hi
              FROM delegation WINDOW w AS (PARTITION BY family, coalesce(parent_id, 0) ORDER BY lower(rng), upper(rng) DESC)) x
          WHERE x.lo <= x.prev_hi LIMIT 20`);
      return sample(rows, (r) => `delegations ${r.a} and ${r.b} are siblings and overlap`);
    },
  },
  {
    name: 'history-complete',
    description: 'every delegation, organisation, contact and maintainer has a history ending at its current version',
    async run({ db }) {
      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT d.id::text AS id, d.version, h.version AS hv, h.action FROM delegation d
           LEFT JOIN LATERAL (SELECT version, action FROM change WHERE object_type = 'delegation' AND object_key = d.id::text ORDER BY serial DESC LIMIT 1) h ON true
          WHERE h.version IS DISTINCT FROM d.version OR h.action = 'delete' LIMIT 20`);
      const problems = sample(rows, (r) => `delegation ${r.id} is at version ${r.version} but its history ends at ${r.hv ?? 'nothing'} (${r.action ?? 'no change'})`);
      for (const [table, type] of [['organisation', 'organisation'], ['contact', 'contact'], ['maintainer', 'maintainer']] as const) {
        const missing = await db.query<{ handle: string }>(
          `SELECT t.handle FROM ${table} t WHERE NOT EXISTS (SELECT 1 FROM change c WHERE c.object_type = '${type}' AND c.object_key = t.handle) LIMIT 20`);
        problems.push(...missing.rows.map((r) => `${type} ${r.handle} has no history`));
      }
      return problems;
    },
  },
  {
    name: 'feed-gapless',
    description: 'the change feed has every serial from 1 to the current one, exactly once',
    async run({ db }) {
      const { rows } = await db.query<{ n: string; max: string | null; state: string }>(
        'SELECT count(*)::text AS n, max(serial)::text AS max, (SELECT serial::text FROM feed_state WHERE id = 1) AS state FROM change');
      const r = rows[0]!;
      const problems: string[] = [];
      if ((r.max ?? '0') !== r.n) problems.push(`the feed has ${r.n} changes but its highest serial is ${r.max}`);
      if ((r.max ?? '0') !== r.state) problems.push(`feed_state says serial ${r.state} but the newest change is ${r.max}`);
      return problems;
    },
  },
  {
    name: 'deleted-objects-gone',
    description: 'no delegation whose last change is a delete still exists, and none exists without a create',
    async run({ db }) {
      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT d.id::text AS id FROM delegation d WHERE NOT EXISTS
           (SELECT 1 FROM change c WHERE c.object_type = 'delegation' AND c.object_key = d.id::text AND c.action = 'create') LIMIT 20`);
      return sample(rows, (r) => `delegation ${r.id} exists without a create in the feed`);
    },
  },
  {
    name: 'holders-and-contacts-exist',
    description: 'every contact and maintainer a delegation names exists',
    async run({ db }) {
      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT d.id::text AS id, h AS handle, kind FROM delegation d,
           LATERAL (SELECT unnest(d.admin_c || d.tech_c || CASE WHEN d.abuse_c IS NULL THEN '{}'::text[] ELSE ARRAY[d.abuse_c] END) AS h, 'contact' AS kind
                    UNION ALL SELECT unnest(d.mnt_by || d.mnt_lower || d.mnt_routes), 'maintainer') refs
          WHERE (kind = 'contact' AND NOT EXISTS (SELECT 1 FROM contact c WHERE c.handle = h))
             OR (kind = 'maintainer' AND NOT EXISTS (SELECT 1 FROM maintainer m WHERE m.handle = h))
          LIMIT 20`);
      return sample(rows, (r) => `delegation ${r.id} names ${r.kind} ${r.handle}, which does not exist`);
    },
  },
];

/** The registry checks, plus the RPKI CA and repository once `numreg serve` has created them in dataDir. */
export function allChecks(dataDir: string): Check[] {
  if (!existsSync(join(dataDir, 'rpki', 'ca-state.json'))) return REGISTRY_CHECKS;
  return [...REGISTRY_CHECKS, {
    name: 'rpki-matches-registry',
    description: 'CA certificates carry what the registry says each member holds; published ROAs, manifests and files agree',
    run: ({ db }) => checkRpki(db, dataDir),
  }];
}

export interface CheckResult {
  name: string;
  description: string;
  problems: string[];
}

export async function runChecks(ctx: CheckContext, checks: readonly Check[]): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    let problems: string[];
    try {
      problems = await check.run(ctx);
    } catch (error) {
      problems = [`the check itself failed: ${(error as Error).message}`];
    }
    results.push({ name: check.name, description: check.description, problems });
  }
  return results;
}
