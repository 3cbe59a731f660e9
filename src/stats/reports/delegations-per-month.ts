import { asOfBound } from './sources.js';
import type { Report } from './types.js';

export const delegationsPerMonth: Report = {
  name: 'delegations-per-month',
  title: 'IPv4 and IPv6 delegations per month',
  note:
    'Delegations created (change feed, action create), by month of the delegation date (else of the change) and ' +
    'by the registry that made them; IANA-level blocks are left out. IPv4 also as an address count.',
  columns: [
    { key: 'month', title: 'Month' },
    { key: 'registry', title: 'Registry' },
    { key: 'ipv4', title: 'IPv4', align: 'right' },
    { key: 'ipv4Addresses', title: 'IPv4 addresses', align: 'right' },
    { key: 'ipv6', title: 'IPv6', align: 'right' },
  ],
  async query(db, options) {
    const params: unknown[] = [];
    const where = [`object_type = 'delegation'`, `action = 'create'`, `after->>'family' IN ('ipv4', 'ipv6')`, `after->>'registry' <> 'iana'`];
    if (options.asOf) where.push(`at < ${asOfBound(params.push(options.asOf))}`);
    if (options.registry) where.push(`after->>'registry' = $${params.push(options.registry)}`);
    const { rows } = await db.query<{ month: string; registry: string; ipv4: string; ipv4_addresses: string; ipv6: string }>(
      `SELECT coalesce(substr(after->>'delegatedOn', 1, 7), to_char(at AT TIME ZONE 'UTC', 'YYYY-MM')) AS month,
              after->>'registry' AS registry,
              count(*) FILTER (WHERE after->>'family' = 'ipv4')::text AS ipv4,
              coalesce(sum((after->>'end')::numeric - (after->>'start')::numeric + 1) FILTER (WHERE after->>'family' = 'ipv4'), 0)::text AS ipv4_addresses,
              count(*) FILTER (WHERE after->>'family' = 'ipv6')::text AS ipv6
         FROM change WHERE ${where.join(' AND ')}
        GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    );
    return rows.map((r) => ({
      month: r.month, registry: r.registry, ipv4: Number(r.ipv4), ipv4Addresses: Number(r.ipv4_addresses), ipv6: Number(r.ipv6),
    }));
  },
};
