import { rirByStatsName } from '../registries.js';
import { asOfBound, monthsBetween } from './sources.js';
import type { Report, Row } from './types.js';

const currentMonth = (asOf?: string) => (asOf ?? new Date().toISOString()).slice(0, 7);

/** An organisation counts as one of the registry's LIRs when its role is lir and it was not bulk-imported from an RIR file. */
const isLir = (after: { role?: string; registry?: string | null } | null) =>
  !!after && after.role === 'lir' && !(after.registry && rirByStatsName(after.registry));

export const lirsOverTime: Report = {
  name: 'lirs-over-time',
  title: 'Number of LIRs over time',
  note:
    "Organisations with role lir at the end of each month, replayed from the change feed (creates, role changes, " +
    'deletes); holders created by importing an RIR statistics file are not members and are left out.',
  columns: [
    { key: 'month', title: 'Month' },
    { key: 'lirs', title: 'LIRs', align: 'right' },
    { key: 'joined', title: 'Joined', align: 'right' },
    { key: 'left', title: 'Left', align: 'right' },
  ],
  async query(db, options) {
    const params: unknown[] = [];
    const bound = options.asOf ? `AND at < ${asOfBound(params.push(options.asOf))}` : '';
    const { rows } = await db.query<{ k: string; action: string; after: { role?: string; registry?: string | null } | null; month: string }>(
      `SELECT object_key AS k, action, after, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM') AS month
         FROM change WHERE object_type = 'organisation' ${bound} ORDER BY serial`,
      params,
    );
    const lir = new Set<string>();
    const perMonth = new Map<string, { lirs: number; joined: number; left: number }>();
    let first: string | undefined;
    for (const r of rows) {
      const was = lir.has(r.k);
      const now = r.action !== 'delete' && isLir(r.after);
      if (now) lir.add(r.k);
      else lir.delete(r.k);
      if (was === now) continue;
      first ??= r.month;
      const m = perMonth.get(r.month) ?? { lirs: 0, joined: 0, left: 0 };
      if (now) m.joined++;
      else m.left++;
      m.lirs = lir.size;
      perMonth.set(r.month, m);
    }
    if (!first) return [];
    const out: Row[] = [];
    let count = 0;
    for (const month of monthsBetween(first, currentMonth(options.asOf))) {
      const m = perMonth.get(month);
      if (m) count = m.lirs;
      out.push({ month, lirs: count, joined: m?.joined ?? 0, left: m?.left ?? 0 });
    }
    return out;
  },
};
