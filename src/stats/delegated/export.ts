import type { Writable } from 'node:stream';
import type { Db, Queryable } from '../../db/database.js';
import { formatHeader, formatSummary } from './format.js';
import { RECORD_TYPES, type RecordType } from './types.js';

const SPLIT_MARK_LIKE = 'part of % (one record in the statistics file)';

export interface ExportDelegatedOptions {
  /** Statistics name of the registry whose delegations to write ('apnic', 'jpnic', …). */
  registry: string;
  /** Extended format: version 2.3 and an opaque-id column (the holder's opaque id, else its handle). */
  extended?: boolean;
  /** Date of the file (serial and end date); today (UTC) unless told. */
  date?: Date;
}

export interface ExportDelegatedResult {
  records: number;
  counts: Record<RecordType, number>;
}

const TWO_32 = '4294967296';
const TWO_64 = '18446744073709551616';
const TWO_96 = '79228162514264337593543950336';
const hex32 = (expr: string) => `lpad(to_hex((${expr})::bigint), 8, '0')`;

/** SQL text of a record's start: AS number, dotted quad, or RFC 5952 IPv6 (via inet's canonical output). */
const START_SQL = `CASE x.family
  WHEN 'asn' THEN x.lo::text
  WHEN 'ipv4' THEN host('0.0.0.0'::inet + x.lo::bigint)
  ELSE host(regexp_replace(${hex32(`div(x.lo, ${TWO_96})`)} || ${hex32(`mod(div(x.lo, ${TWO_64}), ${TWO_32})`)}
         || ${hex32(`mod(div(x.lo, ${TWO_32}), ${TWO_32})`)} || ${hex32(`mod(x.lo, ${TWO_32})`)}, '(....)(?!$)', '\\1:', 'g')::inet)
END`;
/** IPv4 and AS numbers: a count; IPv6: the prefix length. */
// (float log: exact for powers of two, and far cheaper than numeric log)
const VALUE_SQL = `CASE x.family WHEN 'ipv6' THEN (128 - round(ln((x.hi - x.lo + 1)::float8) / ln(2)))::int::text ELSE (x.hi - x.lo + 1)::text END`;
/** The format knows allocated, assigned, available and reserved; legacy and sub-allocated space is allocated. */
const STATUS_SQL = `CASE WHEN x.status IN ('legacy', 'sub-allocated') THEN 'allocated' ELSE x.status END`;

function linesQuery(extended: boolean): string {
  const opaque = extended ? ` || '|' || x.opaque` : '';
  const base = `SELECT d.family, lower(d.rng) AS lo, upper(d.rng) AS hi, d.country, d.delegated_on, d.status, d.description,
                       CASE WHEN d.status IN ('available', 'reserved') THEN '' ELSE coalesce(o.opaque_id, o.handle) END AS opaque
                  FROM delegation d JOIN organisation o ON o.id = d.holder_id
                 WHERE d.registry = $1`;
  // Pieces of one record cut at IANA block boundaries on import are written as the one record again.
  return `SELECT $1 || '|' || coalesce(x.country, '') || '|' || x.family || '|' || ${START_SQL} || '|' || ${VALUE_SQL}
                 || '|' || coalesce(replace(x.delegated_on::text, '-', ''), '') || '|' || ${STATUS_SQL}${opaque} AS line
            FROM (SELECT family, lo, hi, country, delegated_on, status, opaque FROM (${base}) b
                   WHERE description IS NULL OR description NOT LIKE '${SPLIT_MARK_LIKE}'
                  UNION ALL
                  SELECT family, min(lo), max(hi), min(country), min(delegated_on), min(status), min(opaque)
                    FROM (${base}) b WHERE description LIKE '${SPLIT_MARK_LIKE}'
                   GROUP BY family, description) x
           ORDER BY array_position(ARRAY['asn','ipv4','ipv6'], x.family), x.lo`;
}

async function countRecords(db: Queryable, registry: string) {
  const { rows } = await db.query<{ family: RecordType; n: string; first: string | null }>(
    `SELECT family, (count(*) FILTER (WHERE description IS NULL OR description NOT LIKE '${SPLIT_MARK_LIKE}')
                     + count(DISTINCT description) FILTER (WHERE description LIKE '${SPLIT_MARK_LIKE}'))::text AS n,
            to_char(min(delegated_on), 'YYYYMMDD') AS first
       FROM delegation WHERE registry = $1 GROUP BY family`,
    [registry],
  );
  const counts = { asn: 0, ipv4: 0, ipv6: 0 } as Record<RecordType, number>;
  let first: string | null = null;
  for (const r of rows) {
    if (!(r.family in counts)) continue;
    counts[r.family] = Number(r.n);
    if (r.first && (!first || r.first < first)) first = r.first;
  }
  return { counts, first };
}

const yyyymmdd = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, '');

function write(out: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.write(text)) resolve();
    else {
      out.once('drain', resolve);
      out.once('error', reject);
    }
  });
}

/**
 * Writes a registry's delegations in the RIR statistics exchange format to `out`: version line, one summary
 * line per type, then the records (asn, ipv4, ipv6, each by start), streamed through a cursor so memory
 * stays flat for millions of delegations. The lines are formatted by the database.
 */
export async function exportDelegated(db: Db, out: Writable, options: ExportDelegatedOptions): Promise<ExportDelegatedResult> {
  const { registry } = options;
  const extended = options.extended ?? false;
  const date = yyyymmdd(options.date ?? new Date());
  return db.transaction(async (tx) => {
    const { counts, first } = await countRecords(tx, registry);
    const total = counts.asn + counts.ipv4 + counts.ipv6;
    let head = `${formatHeader({ version: extended ? '2.3' : '2', registry, serial: date, records: total, startDate: first ?? '00000000', endDate: date, utcOffset: '+0000' })}\n`;
    for (const type of RECORD_TYPES) head += `${formatSummary(registry, type, counts[type])}\n`;
    await write(out, head);
    await tx.exec(`SET LOCAL work_mem = '256MB'; SET LOCAL DateStyle = 'ISO'`);
    await tx.query(`DECLARE stats_export NO SCROLL CURSOR FOR ${linesQuery(extended).replace(/\$1/g, quote(registry))}`);
    for (;;) {
      const { rows } = await tx.query<{ line: string }>('FETCH FORWARD 20000 FROM stats_export');
      if (rows.length === 0) break;
      let chunk = '';
      for (const r of rows) chunk += `${r.line}\n`;
      await write(out, chunk);
    }
    await tx.query('CLOSE stats_export');
    return { records: total, counts };
  });
}

/** DECLARE takes no parameters: the registry name is inlined as a literal (validated first). */
function quote(registry: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(registry)) throw new RangeError(`registry "${registry}" is not a registry name`);
  return `'${registry}'`;
}
