import type { Queryable } from '../../db/database.js';
import { IANA, RIRS } from '../registries.js';
import { delegationSource, organisationSource } from './sources.js';
import type { Report, ReportOptions, Row } from './types.js';

/** Display order of the newsletter: IANA, APNIC, ARIN, LACNIC, AFRINIC, RIPE NCC, other organisations. */
const ORDER = [IANA.handle, 'APNIC', 'ARIN', 'LACNIC', 'AFRINIC', 'RIPE-NCC', 'other'];
const LABEL = new Map<string, string>([[IANA.handle, 'IANA'], ...RIRS.map((r) => [r.handle, r.iana] as [string, string]), ['other', 'other organisations']]);

/**
 * Top-level (IANA-level) delegations of one family grouped by holder: the IANA organisation, each RIR, and
 * everybody else as "other organisations", in units of 2^unitBits values.
 */
async function countByHolder(db: Queryable, options: ReportOptions, family: 'ipv4' | 'ipv6', unitBits: number, extraWhere: string) {
  const params: unknown[] = [family];
  const at = options.asOf ? params.push(options.asOf) : undefined;
  const source = delegationSource(at);
  const { rows } = await db.query<{ grp: string; units: string }>(
    `SELECT CASE WHEN o.role = 'iana' THEN '${IANA.handle}' WHEN o.role = 'rir' THEN o.handle ELSE 'other' END AS grp,
            (sum(d.hi - d.lo + 1) / 2::numeric ^ ${unitBits})::text AS units
       FROM ${source} d LEFT JOIN ${organisationSource(at)} o ON o.handle = d.holder
      WHERE d.family = $1 AND d.parent_id IS NULL AND d.registry = 'iana' ${extraWhere}
      GROUP BY 1`,
    params,
  );
  const counts = new Map(rows.map((r) => [r.grp, Number(r.units)]));
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const out: Row[] = [];
  for (const key of ORDER) {
    const units = counts.get(key) ?? 0;
    if (key === 'other' && units === 0 && family === 'ipv6') continue;
    out.push({ registry: LABEL.get(key) ?? key, blocks: units, share: total ? Math.round((units / total) * 1000) / 10 : 0 });
  }
  for (const [key, units] of counts) {
    if (!ORDER.includes(key)) out.push({ registry: key, blocks: units, share: total ? Math.round((units / total) * 1000) / 10 : 0 });
  }
  out.push({ registry: 'total', blocks: total, share: total ? 100 : 0 });
  return out;
}

export const ipv4ByRir: Report = {
  name: 'ipv4-by-rir',
  title: 'IPv4 address space by RIR (/8 blocks)',
  note:
    'Top-level IPv4 delegations of the IANA level, in /8 units, by holder: IANA (its reserved blocks: "IANA - …", ' +
    'multicast, future use), each RIR ("X" and "Administered by X"), and other organisations (named legacy holders).',
  columns: [
    { key: 'registry', title: 'Registry' },
    { key: 'blocks', title: '/8 blocks', align: 'right' },
    { key: 'share', title: '%', align: 'right' },
  ],
  query: (db, options) => countByHolder(db, options, 'ipv4', 24, ''),
};

// 2002::/16 (6to4) is left out as the newsletter does.
const SIX_TO_FOUR_START = (0x2002n << 112n).toString();

export const ipv6ByRir: Report = {
  name: 'ipv6-by-rir',
  title: 'IPv6 address space by RIR (/23 blocks)',
  note:
    'IANA-level IPv6 delegations with status allocated, each /n counted as 2^(23-n) /23 blocks, by holder; ' +
    'reserved space and 2002::/16 (6to4) are left out.',
  columns: [
    { key: 'registry', title: 'Registry' },
    { key: 'blocks', title: '/23 blocks', align: 'right' },
    { key: 'share', title: '%', align: 'right' },
  ],
  query: (db, options) => countByHolder(db, options, 'ipv6', 105, `AND d.status = 'allocated' AND d.lo <> ${SIX_TO_FOUR_START}`),
};
