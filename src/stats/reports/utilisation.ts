import { formatRange, type Family } from '../../core/index.js';
import { delegationSource, organisationSource, RIR_NAMES_SQL } from './sources.js';
import type { Report } from './types.js';

/** IPv4 in addresses, IPv6 in /48s, AS numbers one by one. */
const UNIT_BITS: Record<Family, number> = { ipv4: 0, ipv6: 80, asn: 0 };
const UNIT: Record<Family, string> = { ipv4: 'addresses', ipv6: '/48s', asn: 'ASNs' };

export const utilisation: Report = {
  name: 'utilisation',
  title: 'Address utilisation per LIR',
  note:
    'For each allocation (allocated or sub-allocated) held by an LIR: the share of it delegated onward ' +
    '(assignments and sub-allocations directly under it). IPv4 in addresses, IPv6 in /48s.',
  columns: [
    { key: 'lir', title: 'LIR' },
    { key: 'name', title: 'Name' },
    { key: 'allocation', title: 'Allocation' },
    { key: 'size', title: 'Size', align: 'right' },
    { key: 'assigned', title: 'Assigned', align: 'right' },
    { key: 'unit', title: 'Unit' },
    { key: 'percent', title: 'Used %', align: 'right' },
  ],
  async query(db, options) {
    const params: unknown[] = [];
    const at = options.asOf ? params.push(options.asOf) : undefined;
    const source = delegationSource(at);
    const { rows } = await db.query<{ lir: string; name: string; family: Family; lo: string; hi: string; assigned: string }>(
      `WITH d AS ${source}
       SELECT a.holder AS lir, o.name, a.family, a.lo::text AS lo, a.hi::text AS hi,
              coalesce(sum(c.hi - c.lo + 1), 0)::text AS assigned
         FROM d a
         JOIN ${organisationSource(at)} o ON o.handle = a.holder
         LEFT JOIN d c ON c.parent_id = a.id AND c.status IN ('assigned', 'sub-allocated', 'allocated')
        WHERE a.status IN ('allocated', 'sub-allocated') AND a.family IN ('ipv4', 'ipv6')
          AND o.role = 'lir' AND (o.registry IS NULL OR o.registry NOT IN ${RIR_NAMES_SQL})
        GROUP BY a.id, a.holder, o.name, a.family, a.lo, a.hi
        ORDER BY a.holder, a.family, a.lo`,
      params,
    );
    return rows.map((r) => {
      const start = BigInt(r.lo);
      const end = BigInt(r.hi);
      const size = end - start + 1n;
      const assigned = BigInt(r.assigned);
      const shift = BigInt(UNIT_BITS[r.family]);
      return {
        lir: r.lir,
        name: r.name,
        allocation: formatRange({ family: r.family, start, end }),
        size: Number(size >> shift),
        assigned: Number(assigned >> shift),
        unit: UNIT[r.family],
        percent: Number((assigned * 1000n) / size) / 10,
      };
    });
  },
};
