/**
 * Generates a large registry on PostgreSQL for the RDAP benchmark, with set-based multi-row INSERTs
 * (INSERT … SELECT over generate_series, one statement per /8) rather than row-by-row writes:
 *   200 top-level /8s held by 5 RIRs → 256 /16 allocations each to LIRs → `perSlash16` /24 assignments
 *   in each /16, every assignment naming a person (admin-c) and a role (tech-c, abuse-c).
 * perSlash16 = 98 gives 5,069,000 delegations (the 5 million). The secondary indexes and the sibling
 * overlap trigger are set aside during the load and rebuilt after it (one index build instead of
 * 5 million incremental inserts; bench/lib/bulk-load.ts); the generator makes disjoint siblings by construction.
 */
import { setAsideDelegationIndexes } from '../lib/bulk-load.js';
import type { Db } from '../../src/db/database.js';

export const SLASH8S = 200;
export const LIRS = 20_000;

export interface Generated {
  delegations: number;
  perSlash16: number;
  seconds: number;
}

export async function generateRegistry(db: Db, perSlash16: number, log: (s: string) => void): Promise<Generated> {
  const started = Date.now();
  await db.exec(`
    INSERT INTO organisation (handle, name, role, country)
      SELECT 'RIR' || g, 'Regional Registry ' || g, 'rir', 'JP' FROM generate_series(1, 5) g;
    INSERT INTO organisation (handle, name, role, country, address)
      SELECT 'LIR' || g, 'Example LIR ' || g || ' K.K.', 'lir', 'JP', g || ' Example Street, Tokyo' FROM generate_series(1, ${LIRS}) g;
    INSERT INTO contact (handle, kind, name, email, abuse_mailbox, phone)
      SELECT 'NOC' || g || '-JP', 'role', 'LIR ' || g || ' NOC', 'noc@lir' || g || '.example', 'abuse@lir' || g || '.example', '+81-3-0000-' || lpad((g % 10000)::text, 4, '0')
        FROM generate_series(1, ${LIRS}) g;
    INSERT INTO contact (handle, kind, name, email, phone, address)
      SELECT 'P' || g || '-JP', 'person', 'Person ' || g, 'person' || g || '@lir.example', '+81-90-0000-' || lpad((g % 10000)::text, 4, '0'), 'Tokyo'
        FROM generate_series(1, ${LIRS}) g;
  `);
  const setAside = await setAsideDelegationIndexes(db);
  const { rows } = await db.query<{ first: string }>("SELECT min(id)::text AS first FROM organisation WHERE handle LIKE 'LIR%'");
  const lir0 = Number(rows[0]!.first) - 1; // organisation id of LIR n is lir0 + n
  const rir0 = lir0 - 5;
  await db.query(
    `INSERT INTO delegation (id, family, rng, parent_id, holder_id, status, registry, country, net_name, delegated_on)
     SELECT o, 'ipv4', numrange((o::numeric * 16777216), (o::numeric * 16777216 + 16777215), '[]'), NULL, $1 + 1 + o % 5,
            'allocated', 'iana', NULL, 'RIR-BLOCK-' || o, date '1993-05-01'
       FROM generate_series(1, ${SLASH8S}) o`,
    [rir0],
  );
  await db.query(
    `INSERT INTO delegation (id, family, rng, parent_id, holder_id, status, registry, country, net_name, delegated_on, admin_c, tech_c, abuse_c)
     SELECT 1000 + o * 256 + b, 'ipv4', numrange(o::numeric * 16777216 + b * 65536, o::numeric * 16777216 + b * 65536 + 65535, '[]'), o,
            $1 + 1 + (o * 256 + b) % ${LIRS}, 'allocated', 'rir' || (1 + o % 5), 'JP', 'LIR-NET-' || o || '-' || b, date '2001-04-01',
            ARRAY['P' || (1 + (o * 256 + b) % ${LIRS}) || '-JP'], ARRAY['NOC' || (1 + (o * 256 + b) % ${LIRS}) || '-JP'], 'NOC' || (1 + (o * 256 + b) % ${LIRS}) || '-JP'
       FROM generate_series(1, ${SLASH8S}) o, generate_series(0, 255) b`,
    [lir0],
  );
  for (let o = 1; o <= SLASH8S; o++) {
    await db.query(
      `INSERT INTO delegation (id, family, rng, parent_id, holder_id, status, registry, country, net_name, delegated_on, admin_c, tech_c, abuse_c)
       SELECT 100000 + ($2::bigint * 256 + b) * 256 + c, 'ipv4',
              numrange($2::numeric * 16777216 + b * 65536 + c * 256, $2::numeric * 16777216 + b * 65536 + c * 256 + 255, '[]'),
              1000 + $2 * 256 + b, $1 + 1 + ($2 * 256 + b) % ${LIRS}, 'assigned', 'lir', 'JP', 'CUST-' || $2 || '-' || b || '-' || c, date '2010-01-01',
              ARRAY['P' || (1 + ($2 * 256 + b + c) % ${LIRS}) || '-JP'], ARRAY['NOC' || (1 + ($2 * 256 + b) % ${LIRS}) || '-JP'], 'NOC' || (1 + ($2 * 256 + b) % ${LIRS}) || '-JP'
         FROM generate_series(0, 255) b, generate_series(0, ${perSlash16 - 1}) c`,
      [lir0, o],
    );
    if (o % 20 === 0) log(`  ${o}/${SLASH8S} /8s loaded (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  log('  building the indexes');
  const built = await setAside.restore();
  log(`  indexes built in ${built.seconds.toFixed(0)} s`);
  await db.exec('ANALYZE');
  const count = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM delegation');
  return { delegations: Number(count.rows[0]!.n), perSlash16, seconds: (Date.now() - started) / 1000 };
}
