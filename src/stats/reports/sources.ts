/**
 * Where reports read from. Without a date: the live tables. With `asOf`: the change feed replayed up to the
 * end of that day (the newest change of each object at or before it, unless that change deleted it); the
 * snapshots in the feed have the same fields as the live rows, so each report has one SQL body for both.
 */
import { RIR_STATS_NAMES } from '../registries.js';

/** Exclusive upper bound of "as of" in SQL, given a YYYY-MM-DD parameter number. */
export const asOfBound = (param: number) => `(($${param}::date + 1)::timestamp AT TIME ZONE 'UTC')`;

/**
 * A subquery of delegations with columns id, family, lo, hi (numeric), parent_id, holder (handle), status,
 * registry, country, delegated_on. With `asOfParam`, as of the date in that parameter.
 */
export function delegationSource(asOfParam?: number): string {
  if (asOfParam === undefined) {
    return `(SELECT d.id::text AS id, d.family, lower(d.rng) AS lo, upper(d.rng) AS hi, d.parent_id::text AS parent_id,
                    o.handle AS holder, d.status, d.registry, d.country, d.delegated_on
               FROM delegation d JOIN organisation o ON o.id = d.holder_id)`;
  }
  return `(SELECT c.after->>'id' AS id, c.after->>'family' AS family, (c.after->>'start')::numeric AS lo,
                  (c.after->>'end')::numeric AS hi, c.after->>'parentId' AS parent_id, c.after->>'holder' AS holder,
                  c.after->>'status' AS status, c.after->>'registry' AS registry, c.after->>'country' AS country,
                  (c.after->>'delegatedOn')::date AS delegated_on
             FROM (SELECT DISTINCT ON (object_key) action, after FROM change
                    WHERE object_type = 'delegation' AND at < ${asOfBound(asOfParam)}
                    ORDER BY object_key, serial DESC) c
            WHERE c.action <> 'delete')`;
}

/** A subquery of organisations (handle, name, role, registry), live or as of the date in `asOfParam`. */
export function organisationSource(asOfParam?: number): string {
  if (asOfParam === undefined) return `(SELECT handle, name, role, registry FROM organisation)`;
  return `(SELECT c.object_key AS handle, c.after->>'name' AS name, c.after->>'role' AS role, c.after->>'registry' AS registry
             FROM (SELECT DISTINCT ON (object_key) object_key, action, after FROM change
                    WHERE object_type = 'organisation' AND at < ${asOfBound(asOfParam)}
                    ORDER BY object_key, serial DESC) c
            WHERE c.action <> 'delete')`;
}

/** SQL list of the RIRs' statistics names, for telling imported holders from the registry's own members. */
export const RIR_NAMES_SQL = `(${RIR_STATS_NAMES.map((n) => `'${n}'`).join(',')})`;

export function checkDate(date: string | undefined): string | undefined {
  if (date === undefined) return undefined;
  const parsed = new Date(`${date}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
    throw new RangeError(`as-of date "${date}" is not a valid YYYY-MM-DD date`);
  }
  return date;
}

/** Months "YYYY-MM" from `first` to `last` inclusive. */
export function monthsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  let [y, m] = first.split('-').map(Number) as [number, number];
  const [ly, lm] = last.split('-').map(Number) as [number, number];
  while (y < ly || (y === ly && m <= lm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m++;
    if (m === 13) { m = 1; y++; }
  }
  return out;
}
