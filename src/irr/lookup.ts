/**
 * Database look-ups of RPSL objects for !m, !o, !r and for RIPE-style WHOIS queries (findRpslObjects, which the
 * WHOIS server calls for plain queries such as `AS-EXAMPLE`, `-i mnt-by X`, `-T route 192.0.2.0/24`).
 */
import type { Queryable } from '../db/database.js';
import { CLASS_BY_NAME } from './classes.js';
import { formatPrefixText, parseAddress, parseAsNumber, parsePrefixText, type IrrPrefix } from './net.js';
import type { RovCheck } from './memory-index.js';

export interface FoundObject {
  source: string;
  className: string;
  pkey: string;
  text: string;
}

interface Row { source: string; class: string; pkey: string; text: string; origin: string | null; prefix_len: number | null }

const SELECT = 'SELECT source, class, pkey, text, origin::text AS origin, prefix_len FROM rpsl_object';

/** Orders rows by the caller's source priority. */
function bySource<T extends { source: string }>(rows: T[], sources: string[]): T[] {
  const rank = new Map(sources.map((s, i) => [s, i]));
  return rows.filter((r) => rank.has(r.source)).sort((a, b) => rank.get(a.source)! - rank.get(b.source)!);
}

const toFound = (r: Row): FoundObject => ({ source: r.source, className: r.class, pkey: r.pkey, text: r.text });

/** IRRd hides password hashes in query output. */
export function filterAuth(text: string): string {
  return text.replace(/^(auth:[ \t]*)(BCRYPT-PW|CRYPT-PW|MD5-PW|API-KEY)\b.*$/gim, (_m, head: string, scheme: string) => `${head}${scheme} # Filtered`);
}

export async function exactKey(db: Queryable, className: string, pkey: string, sources: string[]): Promise<FoundObject | undefined> {
  let key = pkey.toUpperCase();
  if (className === 'route' || className === 'route6') key = key.replace(/[\s-]/g, '');
  const { rows } = await db.query<Row>(`${SELECT} WHERE class = $1 AND pkey = $2 AND source = ANY($3)`, [className, key, sources]);
  const r = bySource(rows, sources)[0];
  return r && toFound(r);
}

export async function inverseLookup(db: Queryable, attribute: string, value: string, sources: string[], classes?: string[]): Promise<FoundObject[]> {
  const { rows } = await db.query<Row>(
    `${SELECT} WHERE lookup @> $1 AND source = ANY($2) ${classes ? 'AND class = ANY($3)' : ''} ORDER BY class, pkey LIMIT 10000`,
    classes ? [[`${attribute.toUpperCase()}=${value.toUpperCase()}`], sources, classes] : [[`${attribute.toUpperCase()}=${value.toUpperCase()}`], sources],
  );
  return bySource(rows, sources).map(toFound);
}

export type RouteSearch = 'exact' | 'less-one' | 'less-all' | 'more';

/** route/route6 objects relative to a prefix: exact, one level less specific (excl. exact), all less specific
 *  (incl. exact), all more specific (excl. exact). RPKI-invalid routes are left out unless includeInvalid. */
export async function routeSearch(
  db: Queryable, prefix: IrrPrefix, kind: RouteSearch, sources: string[], rov?: RovCheck, includeInvalid = false,
): Promise<(FoundObject & { origin: string })[]> {
  const where = {
    exact: 'prefix = $2::cidr',
    'less-one': 'prefix >> $2::cidr',
    'less-all': 'prefix >>= $2::cidr',
    more: 'prefix << $2::cidr',
  }[kind];
  const { rows } = await db.query<Row>(
    `${SELECT} WHERE family = $1 AND ${where} AND source = ANY($3) ORDER BY prefix_len, pkey LIMIT 100000`,
    [prefix.family, formatPrefixText(prefix), sources],
  );
  let list = bySource(rows, sources);
  if (kind === 'less-one' && list.length) {
    const longest = Math.max(...list.map((r) => r.prefix_len ?? 0));
    list = list.filter((r) => r.prefix_len === longest);
  }
  if (!rov) return list.map((r) => ({ ...toFound(r), origin: `AS${r.origin}` }));
  // Route objects carry their RPKI origin-validation state as IRRd shows it: a generated last attribute.
  const withState = list.map((r) => ({ r, state: rov(r.pkey.slice(0, r.pkey.lastIndexOf('AS')).toLowerCase(), BigInt(r.origin!)) }));
  return withState
    .filter(({ state }) => includeInvalid || state !== 'invalid')
    .map(({ r, state }) => ({ ...toFound(r), text: `${r.text.trimEnd()}\nrpki-ov-state:  ${state}`, origin: `AS${r.origin}` }));
}

export interface RpslQuery {
  /** the search key: a set or object name, AS number, prefix or address */
  key: string;
  /** restrict to these classes (RIPE -T) */
  types?: string[];
  /** inverse look-up: the attribute(s) to search (RIPE -i), e.g. ['mnt-by'] */
  inverse?: string[];
  /** sources in priority order; default: all sources */
  sources?: string[];
  /** route look-ups: 'exact' (-x), 'less-one' (-l), 'less-all' (-L), 'more' (-M); default for prefixes: less-all */
  routes?: RouteSearch;
  rov?: RovCheck;
  includeInvalid?: boolean;
}

/**
 * RIPE-style look-up of RPSL objects, the way IRRd interprets a plain query: an AS number finds the aut-num
 * and as-block/as-set objects keyed by it; a prefix or address finds route/route6 objects (less specific
 * including exact, unless `routes` says otherwise); anything else is matched case-insensitively against
 * primary keys of every class.
 */
export async function findRpslObjects(db: Queryable, q: RpslQuery): Promise<FoundObject[]> {
  const sources = q.sources ?? (await db.query<{ name: string }>('SELECT name FROM irr_source ORDER BY authoritative DESC, name')).rows.map((r) => r.name);
  const key = q.key.trim();
  const types = q.types?.map((t) => t.toLowerCase());
  const typeOk = (c: string) => !types || types.includes(c);
  if (q.inverse?.length) {
    const out: FoundObject[] = [];
    for (const attr of q.inverse) out.push(...(await inverseLookup(db, attr, key, sources, types)));
    return out;
  }
  let prefix: IrrPrefix | undefined;
  try {
    prefix = key.includes('/') ? parsePrefixText(key) : undefined;
    if (!prefix && /^[0-9a-f:.]+$/i.test(key) && (key.includes('.') || key.includes(':'))) {
      const a = parseAddress(key);
      prefix = { family: a.family, start: a.value, length: a.family === 'ipv4' ? 32 : 128 };
    }
  } catch {
    prefix = undefined;
  }
  if (prefix) {
    if (types && !types.includes('route') && !types.includes('route6')) return [];
    return routeSearch(db, prefix, q.routes ?? 'less-all', sources, q.rov, q.includeInvalid);
  }
  let asn: bigint | undefined;
  try {
    asn = /^AS[0-9]/i.test(key) ? parseAsNumber(key) : undefined;
  } catch {
    asn = undefined;
  }
  const { rows } = await db.query<Row>(
    `${SELECT} WHERE pkey = $1 AND source = ANY($2) ${asn !== undefined ? `OR (class = 'as-block' AND source = ANY($2) AND split_part(pkey, ' - ', 1) <> '' AND
        substr(split_part(pkey, ' - ', 1), 3)::numeric <= $3 AND substr(split_part(pkey, ' - ', 2), 3)::numeric >= $3)` : ''}
      ORDER BY class, pkey`,
    asn !== undefined ? [`AS${asn}`, sources, asn.toString()] : [key.toUpperCase(), sources],
  );
  return bySource(rows, sources).filter((r) => typeOk(r.class) && CLASS_BY_NAME.has(r.class)).map(toFound);
}
