import { asOfBound, monthsBetween } from './sources.js';
import type { Report, Row } from './types.js';

export const irrObjectsByClass: Report = {
  name: 'irr-objects-by-class',
  title: 'IRR objects by class over time',
  note:
    "RPSL objects alive at the end of each month by class, from the change feed (object types 'rpsl:<class>': " +
    'creates minus deletes). Empty until the IRR has recorded objects.',
  columns: [
    { key: 'month', title: 'Month' },
    { key: 'class', title: 'Class' },
    { key: 'objects', title: 'Objects', align: 'right' },
  ],
  async query(db, options) {
    const params: unknown[] = [];
    const bound = options.asOf ? `AND at < ${asOfBound(params.push(options.asOf))}` : '';
    // Net creates per month and class; the feed never deletes what it did not create, so sums are counts.
    const { rows } = await db.query<{ month: string; cls: string; net: string }>(
      `SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, substr(object_type, 6) AS cls,
              sum(CASE action WHEN 'create' THEN 1 WHEN 'delete' THEN -1 ELSE 0 END)::text AS net
         FROM change WHERE object_type LIKE 'rpsl:%' ${bound}
        GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    );
    if (rows.length === 0) return [];
    const classes = [...new Set(rows.map((r) => r.cls))].sort();
    const net = new Map(rows.map((r) => [`${r.month} ${r.cls}`, Number(r.net)]));
    const total = new Map(classes.map((c) => [c, 0]));
    const out: Row[] = [];
    const last = (options.asOf ?? new Date().toISOString()).slice(0, 7);
    for (const month of monthsBetween(rows[0]!.month, last)) {
      for (const cls of classes) {
        total.set(cls, total.get(cls)! + (net.get(`${month} ${cls}`) ?? 0));
        out.push({ month, class: cls, objects: total.get(cls)! });
      }
    }
    return out;
  },
};
