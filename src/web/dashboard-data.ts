/**
 * The statistics dashboard's series, read straight from the registry tables (every figure is a view of
 * the same store the statistics files are written from).
 */
import type { Queryable } from '../db/database.js';
import type { Series } from './svg.js';

export interface Dashboard {
  delegationsByYear: Series[];
  lirsByYear: Series[];
  ipv4ByRir: { label: string; value: number }[];
  ipv6ByRir: { label: string; value: number }[];
  irrByClass?: { label: string; value: number }[];
}

function cumulative(rows: { y: number; n: number }[]): { x: string; y: number }[] {
  let total = 0;
  return rows.sort((a, b) => a.y - b.y).map((r) => ({ x: String(r.y), y: (total += r.n) }));
}

export async function loadDashboard(db: Queryable): Promise<Dashboard> {
  const byYear = await db.query<{ family: string; y: number; n: string }>(
    `SELECT d.family, extract(year FROM d.delegated_on)::int AS y, count(*)::text AS n
       FROM delegation d JOIN organisation o ON o.id = d.holder_id
      WHERE d.family IN ('ipv4','ipv6') AND d.delegated_on IS NOT NULL AND d.status IN ('allocated','assigned','sub-allocated')
        AND o.role NOT IN ('iana','rir')
      GROUP BY 1, 2`,
  );
  const delegationsByYear: Series[] = ['ipv4', 'ipv6'].map((family) => ({
    name: family === 'ipv4' ? 'IPv4' : 'IPv6',
    points: cumulative(byYear.rows.filter((r) => r.family === family).map((r) => ({ y: r.y, n: Number(r.n) }))),
  }));
  const lirs = await db.query<{ y: number; n: string }>(
    `SELECT extract(year FROM coalesce(member_since, created_at::date))::int AS y, count(*)::text AS n
       FROM organisation WHERE role = 'lir' GROUP BY 1`,
  );
  const lirsByYear: Series[] = [{ name: 'LIR', points: cumulative(lirs.rows.map((r) => ({ y: r.y, n: Number(r.n) }))) }];
  // IANA-level blocks per RIR, counted in the units the newsletter uses: /8 for IPv4, /23 for IPv6.
  const perRir = await db.query<{ family: string; holder: string; units: string }>(
    `SELECT d.family, o.name AS holder,
            (sum(upper(d.rng) - lower(d.rng) + 1) / CASE d.family WHEN 'ipv4' THEN 16777216::numeric ELSE (2::numeric ^ 105) END)::text AS units
       FROM delegation d JOIN organisation o ON o.id = d.holder_id
      WHERE o.role = 'rir' AND d.family IN ('ipv4','ipv6') AND d.registry = 'iana'
      GROUP BY 1, 2 ORDER BY 2`,
  );
  const units = (family: string) => perRir.rows.filter((r) => r.family === family).map((r) => ({ label: r.holder, value: Math.round(Number(r.units) * 10) / 10 }));
  return { delegationsByYear, lirsByYear, ipv4ByRir: units('ipv4'), ipv6ByRir: units('ipv6') };
}
