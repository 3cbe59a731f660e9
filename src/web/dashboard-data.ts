/**
 * The statistics dashboard's series: the newsletter reports of src/stats when that module is present
 * (the same figures as `numreg stats <name>` and /api/stats/<name>), otherwise simple counts straight
 * from the registry tables.
 */
import type { Queryable } from '../db/database.js';
import type { StatsApi } from './integrations.js';
import type { Series } from './svg.js';

export interface Dashboard {
  delegations: Series[];
  lirs: Series[];
  ipv4ByRir: { label: string; value: number }[];
  ipv6ByRir: { label: string; value: number }[];
  irrByClass?: { label: string; value: number }[];
  /** Where the figures come from: 'reports' (src/stats) or 'tables'. */
  source: 'reports' | 'tables';
}

type Row = Record<string, string | number | null>;

function cumulativeByKey(rows: Row[], key: string, value: string): { x: string; y: number }[] {
  const per = new Map<string, number>();
  for (const r of rows) per.set(String(r[key]), (per.get(String(r[key])) ?? 0) + Number(r[value] ?? 0));
  let total = 0;
  return [...per].sort(([a], [b]) => a.localeCompare(b)).map(([x, y]) => ({ x, y: (total += y) }));
}

const bars = (rows: Row[]) => rows.filter((r) => r.registry !== 'total').map((r) => ({ label: String(r.registry), value: Number(r.blocks) }));

async function fromReports(stats: StatsApi): Promise<Dashboard> {
  const [perMonth, lirs, v4, v6, irr] = await Promise.all(
    ['delegations-per-month', 'lirs-over-time', 'ipv4-by-rir', 'ipv6-by-rir', 'irr-objects-by-class'].map((n) => stats.report(n).catch(() => ({ rows: [] as Row[] }))),
  );
  const latest = new Map<string, number>();
  let lastMonth = '';
  for (const r of irr!.rows) if (String(r.month) > lastMonth) lastMonth = String(r.month);
  for (const r of irr!.rows) if (String(r.month) === lastMonth) latest.set(String(r.class), Number(r.objects));
  return {
    source: 'reports',
    delegations: [
      { name: 'IPv4', points: cumulativeByKey(perMonth!.rows, 'month', 'ipv4') },
      { name: 'IPv6', points: cumulativeByKey(perMonth!.rows, 'month', 'ipv6') },
    ],
    lirs: [{ name: 'LIR', points: lirs!.rows.map((r) => ({ x: String(r.month), y: Number(r.lirs) })) }],
    ipv4ByRir: bars(v4!.rows),
    ipv6ByRir: bars(v6!.rows),
    irrByClass: latest.size ? [...latest].map(([label, value]) => ({ label, value })) : undefined,
  };
}

async function fromTables(db: Queryable): Promise<Dashboard> {
  const byYear = await db.query<{ family: string; y: string; n: string }>(
    `SELECT d.family, extract(year FROM d.delegated_on)::int::text AS y, count(*)::text AS n
       FROM delegation d WHERE d.family IN ('ipv4','ipv6') AND d.delegated_on IS NOT NULL AND d.registry <> 'iana' GROUP BY 1, 2`,
  );
  const lirs = await db.query<{ y: string; n: string }>(
    `SELECT extract(year FROM coalesce(member_since, created_at::date))::int::text AS y, count(*)::text AS n FROM organisation WHERE role = 'lir' GROUP BY 1`,
  );
  // IANA-level blocks per RIR in the newsletter's units: /8 for IPv4, /23 for IPv6.
  const perRir = await db.query<{ family: string; holder: string; units: string }>(
    `SELECT d.family, o.handle AS holder,
            (sum(upper(d.rng) - lower(d.rng) + 1) / CASE d.family WHEN 'ipv4' THEN 16777216::numeric ELSE (2::numeric ^ 105) END)::text AS units
       FROM delegation d JOIN organisation o ON o.id = d.holder_id
      WHERE o.role = 'rir' AND d.family IN ('ipv4','ipv6') AND d.registry = 'iana' GROUP BY 1, 2 ORDER BY 2`,
  );
  const units = (family: string) => perRir.rows.filter((r) => r.family === family).map((r) => ({ label: r.holder, value: Math.round(Number(r.units) * 10) / 10 }));
  return {
    source: 'tables',
    delegations: ['ipv4', 'ipv6'].map((family) => ({
      name: family === 'ipv4' ? 'IPv4' : 'IPv6',
      points: cumulativeByKey(byYear.rows.filter((r) => r.family === family).map((r) => ({ y: r.y, n: Number(r.n) })), 'y', 'n'),
    })),
    lirs: [{ name: 'LIR', points: cumulativeByKey(lirs.rows.map((r) => ({ y: r.y, n: Number(r.n) })), 'y', 'n') }],
    ipv4ByRir: units('ipv4'),
    ipv6ByRir: units('ipv6'),
  };
}

export async function loadDashboard(db: Queryable, stats?: StatsApi): Promise<Dashboard> {
  return stats ? fromReports(stats) : fromTables(db);
}
