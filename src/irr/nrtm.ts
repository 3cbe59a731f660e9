/**
 * NRTM v3 (the RIPE/IRRd mirroring protocol) generated from the registry's change feed. Serials are the feed's
 * serials of the source's RPSL changes: increasing, with gaps where other objects changed (see README).
 *   query:  -g SOURCE:3:FIRST-LAST|FIRST-<n>
 *   answer: %START Version: 3 SOURCE FIRST-LAST\n\nADD <serial>\n\n<object>\n\nDEL <serial>\n\n<object>\n\n%END SOURCE\n
 */
import type { Queryable } from '../db/database.js';
import { filterAuth } from './lookup.js';
import type { FeedEntry } from './store.js';

export class NrtmError extends Error {}

export interface NrtmRequest {
  source: string;
  version: number;
  first: number;
  /** undefined = LAST */
  last?: number;
}

export function parseNrtmQuery(arg: string): NrtmRequest {
  const parts = arg.split(':');
  if (parts.length !== 3) throw new NrtmError('Invalid parameter: must contain three elements');
  const [source, version, range] = parts;
  const m = /^([0-9]+)-([0-9]+|LAST)$/i.exec(range);
  if (!m) throw new NrtmError(`Invalid serial range: ${range}`);
  if (version !== '3' && version !== '1') throw new NrtmError(`Invalid NRTM version: ${version}`);
  return { source: source.toUpperCase(), version: Number(version), first: Number(m[1]), last: m[2].toUpperCase() === 'LAST' ? undefined : Number(m[2]) };
}

export interface NrtmOperation {
  serial: number;
  op: 'ADD' | 'DEL';
  text: string;
}

/** Journal bounds of one source: first and last serial of its RPSL changes. */
export async function journalRange(db: Queryable, source: string): Promise<{ oldest?: number; newest?: number }> {
  const { rows } = await db.query<{ lo: string | null; hi: string | null }>(
    `SELECT min(serial)::text AS lo, max(serial)::text AS hi FROM change
      WHERE object_type LIKE 'rpsl:%' AND coalesce(after->>'source', before->>'source') = $1`,
    [source],
  );
  return { oldest: rows[0]?.lo ? Number(rows[0].lo) : undefined, newest: rows[0]?.hi ? Number(rows[0].hi) : undefined };
}

/** The operations of a source with first <= serial <= last. A modify is sent as ADD of the new version. */
export async function nrtmOperations(db: Queryable, source: string, first: number, last: number): Promise<NrtmOperation[]> {
  const { rows } = await db.query<{ serial: string; action: string; before: FeedEntry | null; after: FeedEntry | null }>(
    `SELECT serial::text AS serial, action, before, after FROM change
      WHERE object_type LIKE 'rpsl:%' AND serial BETWEEN $2 AND $3 AND coalesce(after->>'source', before->>'source') = $1
      ORDER BY serial`,
    [source, first, last],
  );
  return rows.map((r) => ({
    serial: Number(r.serial),
    op: r.action === 'delete' ? 'DEL' : 'ADD',
    text: filterAuth((r.action === 'delete' ? r.before : r.after)!.text),
  }));
}

export function formatNrtm(source: string, version: number, first: number, last: number, ops: NrtmOperation[]): string {
  let out = `%START Version: ${version} ${source} ${first}-${last}\n\n`;
  for (const o of ops) out += `${version === 3 ? `${o.op} ${o.serial}` : o.op}\n\n${o.text.replace(/\n*$/, '\n')}\n`;
  return out + `%END ${source}\n`;
}

/** Answers one -g query. Returns the text, or a "% Warning" line when there is nothing newer. */
export async function answerNrtm(db: Queryable, req: NrtmRequest, knownSources: string[]): Promise<string> {
  if (!knownSources.includes(req.source)) throw new NrtmError(`Unknown source: ${req.source}`);
  const { oldest, newest } = await journalRange(db, req.source);
  if (oldest === undefined || newest === undefined) return '% Warning: there are no updates available\n';
  if (req.last !== undefined && req.last < req.first) {
    throw new NrtmError(`Start of the serial range (${req.first}) must be lower or equal to end of the serial range (${req.last})`);
  }
  // Serials of a source have gaps (the feed is shared with the rest of the registry) and numreg keeps the
  // whole feed, so a start before the oldest change simply means "from the beginning".
  if (req.last === undefined) {
    if (req.first === newest + 1) return '% Warning: there are no newer updates available\n';
    if (req.first > newest + 1) throw new NrtmError(`Serials ${newest} - ${req.first} do not exist`);
  } else if (req.last > newest) {
    throw new NrtmError(`Serials ${newest} - ${req.last} do not exist`);
  }
  const last = req.last ?? newest;
  const ops = await nrtmOperations(db, req.source, req.first, last);
  return formatNrtm(req.source, req.version, req.first, last, ops);
}
