import type { Writable } from 'node:stream';
import type { Db, Queryable } from '../../db/database.js';
import { formatHeader, formatSummary } from './format.js';
import { RecordLineWriter } from './record-lines.js';
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
 * One row per delegation in file order, as raw columns (delegation_start_idx serves the ORDER BY, so
 * nothing is sorted): family, start, end, country, date, status, opaque id (extended) and the marker of
 * pieces that the import cut at IANA block boundaries. COPY streams them; node formats the lines, on the
 * other core than the server's scan (formatting in SQL cost the server twice the time of the scan).
 */
function rowsQuery(registry: string, extended: boolean): string {
  const opaque = extended
    ? `CASE WHEN x.status IN ('available', 'reserved') THEN '' ELSE coalesce(o.opaque_id, o.handle) END`
    : `''`;
  return `COPY (SELECT x.family, lower(x.rng), upper(x.rng), x.country, x.delegated_on, x.status, ${opaque},
                 CASE WHEN x.description LIKE '${SPLIT_MARK_LIKE}' THEN x.description END
            FROM delegation x ${extended ? 'JOIN organisation o ON o.id = x.holder_id' : ''}
           WHERE x.registry = ${quote(registry)}
           ORDER BY x.registry, x.family, lower(x.rng)) TO STDOUT`;
}

/**
 * Records per type and the earliest date, for the header and summary lines. Pieces of one split record count
 * once: grouping by the split mark (NULL for whole records) is one hashed pass, where count(DISTINCT …) per
 * type sorted and cost three times as much.
 */
async function countRecords(db: Queryable, registry: string) {
  const { rows } = await db.query<{ family: RecordType; n: string; first: string | null }>(
    `SELECT family, sum(CASE WHEN mark IS NULL THEN n ELSE 1 END)::text AS n, to_char(min(first), 'YYYYMMDD') AS first
       FROM (SELECT family, CASE WHEN description LIKE '${SPLIT_MARK_LIKE}' THEN description END AS mark,
                    count(*) AS n, min(delegated_on) AS first
               FROM delegation WHERE registry = $1 GROUP BY 1, 2) g
      GROUP BY family`,
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
 * stays flat for millions of delegations.
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
    // ISO dates (YYYY-MM-DD, cheaper than to_char); no JIT: compiling costs more than it saves here.
    await tx.exec(`SET LOCAL DateStyle = 'ISO'; SET LOCAL jit = off`);
    const lines = new RecordLineWriter(`${registry}|`, extended);
    for await (const chunk of tx.copyTo(rowsQuery(registry, extended))) {
      const text = lines.push(chunk);
      if (text) await write(out, text);
    }
    const last = lines.end();
    if (last) await write(out, last);
    return { records: total, counts };
  });
}

/** DECLARE takes no parameters: the registry name is inlined as a literal (validated first). */
function quote(registry: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(registry)) throw new RangeError(`registry "${registry}" is not a registry name`);
  return `'${registry}'`;
}
