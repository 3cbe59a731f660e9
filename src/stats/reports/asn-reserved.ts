import { delegationSource } from './sources.js';
import type { Report } from './types.js';

export const asnReserved: Report = {
  name: 'asn-reserved',
  title: 'Reserved AS numbers',
  note:
    'IANA-level AS-number delegations with status reserved, counted number by number: two-byte is 0-65535 ' +
    '(0, AS_TRANS 23456, 64496-65535), four-byte is 65536-4294967295 (65536-131071, 4200000000-4294967295).',
  columns: [
    { key: 'kind', title: 'AS numbers' },
    { key: 'range', title: 'Range' },
    { key: 'reserved', title: 'Reserved', align: 'right' },
  ],
  async query(db, options) {
    const params: unknown[] = [];
    const source = delegationSource(options.asOf ? params.push(options.asOf) : undefined);
    const { rows } = await db.query<{ two: string | null; four: string | null }>(
      `SELECT sum(greatest(0, least(d.hi, 65535) - d.lo + 1))::text AS two,
              sum(greatest(0, d.hi - greatest(d.lo, 65536) + 1))::text AS four
         FROM ${source} d
        WHERE d.family = 'asn' AND d.parent_id IS NULL AND d.registry = 'iana' AND d.status = 'reserved'`,
      params,
    );
    const two = Number(rows[0]?.two ?? 0);
    const four = Number(rows[0]?.four ?? 0);
    return [
      { kind: 'two-byte', range: '0-65535', reserved: two },
      { kind: 'four-byte', range: '65536-4294967295', reserved: four },
      { kind: 'total', range: '0-4294967295', reserved: two + four },
    ];
  },
};
