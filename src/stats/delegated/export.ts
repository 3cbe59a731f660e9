import type { Writable } from 'node:stream';
import { formatIpv6 } from '../../core/index.js';
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

/**
 * SQL text of a record's start: AS number or dotted quad. IPv6 starts are left as a placeholder and written by
 * formatIpv6 from the integer (numeric division in SQL costs far more than BigInt formatting in JS).
 */
const START_SQL = `CASE x.family WHEN 'asn' THEN lower(x.rng)::text WHEN 'ipv4' THEN host('0.0.0.0'::inet + lower(x.rng)::bigint) ELSE chr(1) END`;
/** IPv4 and AS numbers: a count; IPv6: the prefix length. */
// (float log: exact for powers of two, and far cheaper than numeric log)
const VALUE_SQL = `CASE x.family WHEN 'ipv6' THEN (128 - round(ln((upper(x.rng) - lower(x.rng) + 1)::float8) / ln(2)))::int::text ELSE (upper(x.rng) - lower(x.rng) + 1)::text END`;
/** The format knows allocated, assigned, available and reserved; legacy and sub-allocated space is allocated. */
const STATUS_SQL = `CASE WHEN x.status IN ('legacy', 'sub-allocated') THEN 'allocated' ELSE x.status END`;

/**
 * One row per delegation, in file order (the index of migration 030 serves the ORDER BY, so the cursor streams
 * without sorting). Pieces of a record that the import cut at IANA block boundaries carry their marker and
 * size, and are joined back into one line by the caller.
 */
function linesQuery(registry: string, extended: boolean): string {
  const opaque = extended
    ? ` || '|' || CASE WHEN x.status IN ('available', 'reserved') THEN '' ELSE coalesce(o.opaque_id, o.handle) END`
    : '';
  return `SELECT ${quote(registry)} || '|' || coalesce(x.country, '') || '|' || x.family || '|' || ${START_SQL} || '|' || ${VALUE_SQL}
                 || '|' || coalesce(replace(x.delegated_on::text, '-', ''), '') || '|' || ${STATUS_SQL}${opaque} AS line,
                 CASE WHEN x.description LIKE '${SPLIT_MARK_LIKE}' THEN x.description END AS mark,
                 CASE WHEN x.description LIKE '${SPLIT_MARK_LIKE}' THEN (upper(x.rng) - lower(x.rng) + 1)::text END AS size,
                 CASE WHEN x.family = 'ipv6' THEN lower(x.rng)::text END AS v6
            FROM delegation x ${extended ? 'JOIN organisation o ON o.id = x.holder_id' : ''}
           WHERE x.registry = ${quote(registry)}
           ORDER BY x.registry, x.family, lower(x.rng)`;
}

interface LineRow { line: string; mark: string | null; size: string | null; v6: string | null }

const lineOf = (r: LineRow) => (r.v6 === null ? r.line : r.line.replace('\u0001', formatIpv6(BigInt(r.v6))));

/** Joins consecutive pieces of one split record: the first piece's line with the value of the whole. */
function joinPieces(pieces: LineRow[]): string {
  const fields = lineOf(pieces[0]!).split('|');
  const size = pieces.reduce((n, p) => n + BigInt(p.size!), 0n);
  fields[4] = fields[2] === 'ipv6' ? String(128 - (size.toString(2).length - 1)) : size.toString();
  return fields.join('|');
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
 * stays flat for millions of delegations. The lines are formatted by the database (IPv6 starts in JS).
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
    // ISO dates for the YYYYMMDD column; no JIT: compiling costs more than it saves on these expressions.
    await tx.exec(`SET LOCAL DateStyle = 'ISO'; SET LOCAL jit = off`);
    await tx.query(`DECLARE stats_export NO SCROLL CURSOR FOR ${linesQuery(registry, extended)}`);
    let pieces: LineRow[] = [];
    for (;;) {
      const { rows } = await tx.query<LineRow>('FETCH FORWARD 50000 FROM stats_export');
      if (rows.length === 0) break;
      let chunk = '';
      for (const r of rows) {
        if (pieces.length && r.mark !== pieces[0]!.mark) {
          chunk += `${joinPieces(pieces)}\n`;
          pieces = [];
        }
        if (r.mark) pieces.push(r);
        else chunk += `${lineOf(r)}\n`;
      }
      await write(out, chunk);
    }
    if (pieces.length) await write(out, `${joinPieces(pieces)}\n`);
    await tx.query('CLOSE stats_export');
    return { records: total, counts };
  });
}

/** DECLARE takes no parameters: the registry name is inlined as a literal (validated first). */
function quote(registry: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(registry)) throw new RangeError(`registry "${registry}" is not a registry name`);
  return `'${registry}'`;
}
