/**
 * Searches: RFC 9082 (ips/autnums by name and handle, entities by fn and handle), RFC 9536 reverse search
 * (networks and autnums by a related entity), RFC 9910 RIR search (up/down/top/bottom in the delegation
 * tree). Every search returns one page (RFC 8977) and the total, never a silently capped list.
 */
import type { Queryable } from '../db/database.js';
import type { Family, NumberRange } from '../core/index.js';
import { DELEGATION_SELECT, rangeParams, toDelegation, type Delegation, type DelegationRow } from '../registry/delegation-model.js';
import { lessSpecifics, moreSpecifics } from '../registry/lookup.js';
import type { Tier } from './context.js';
import type { PageParams, SearchPattern, SortKey } from './query.js';

export interface Page<T> {
  items: T[];
  total: number;
}

/** Sortable properties (RFC 8977) → SQL expression, and the JSONPath the sorting_metadata names. */
export const DELEGATION_SORTS: Record<string, { sql: string; jsonPath: string }> = {
  handle: { sql: 'd.id', jsonPath: '$.{results}[*].handle' },
  name: { sql: 'lower(d.net_name)', jsonPath: '$.{results}[*].name' },
  startAddress: { sql: 'd.family, lower(d.rng)', jsonPath: '$.{results}[*].startAddress' },
  endAddress: { sql: 'd.family, upper(d.rng)', jsonPath: '$.{results}[*].endAddress' },
  startAutnum: { sql: 'lower(d.rng)', jsonPath: '$.{results}[*].startAutnum' },
  endAutnum: { sql: 'upper(d.rng)', jsonPath: '$.{results}[*].endAutnum' },
  ipVersion: { sql: 'd.family', jsonPath: '$.{results}[*].ipVersion' },
  country: { sql: 'd.country', jsonPath: '$.{results}[*].country' },
  registrationDate: { sql: 'd.delegated_on', jsonPath: "$.{results}[*].events[?(@.eventAction=='registration')].eventDate" },
  lastChangedDate: { sql: 'd.updated_at', jsonPath: "$.{results}[*].events[?(@.eventAction=='last changed')].eventDate" },
};
export const IP_SORTS = ['startAddress', 'endAddress', 'name', 'handle', 'ipVersion', 'country', 'registrationDate', 'lastChangedDate'] as const;
export const AUTNUM_SORTS = ['startAutnum', 'endAutnum', 'name', 'handle', 'country', 'registrationDate', 'lastChangedDate'] as const;

export const ENTITY_SORTS_SQL: Record<string, { sql: string; jsonPath: string }> = {
  handle: { sql: 'handle', jsonPath: '$.entitySearchResults[*].handle' },
  fn: { sql: 'lower(name)', jsonPath: "$.entitySearchResults[*].vcardArray[1][?(@[0]=='fn')][3]" },
  registrationDate: { sql: 'created_at', jsonPath: "$.entitySearchResults[*].events[?(@.eventAction=='registration')].eventDate" },
  lastChangedDate: { sql: 'updated_at', jsonPath: "$.entitySearchResults[*].events[?(@.eventAction=='last changed')].eventDate" },
};
export const ENTITY_SORTS = Object.keys(ENTITY_SORTS_SQL);

function orderBy(sort: SortKey[], table: Record<string, { sql: string }>, fallback: string, tiebreak: string): string {
  if (sort.length === 0) return `${fallback}, ${tiebreak}`;
  const parts = sort.flatMap((s) => table[s.property]!.sql.split(', ').map((col) => `${col} ${s.descending ? 'DESC' : 'ASC'} NULLS LAST`));
  return `${parts.join(', ')}, ${tiebreak}`;
}

const familiesOf = (kind: 'ips' | 'autnums'): Family[] => (kind === 'ips' ? ['ipv4', 'ipv6'] : ['asn']);

async function delegationPage(db: Queryable, kind: 'ips' | 'autnums', where: string, params: unknown[], page: PageParams): Promise<Page<Delegation>> {
  const fams = `d.family = ANY($${params.length + 1}::text[])`;
  const order = orderBy(page.sort, DELEGATION_SORTS, 'd.family, lower(d.rng), upper(d.rng) DESC', 'd.id');
  const sql = `SELECT * FROM (${DELEGATION_SELECT.replace('SELECT ', 'SELECT count(*) OVER () AS total_count, ')}
     WHERE ${fams} AND (${where}) ORDER BY ${order} LIMIT ${page.count} OFFSET ${page.offset}) s`;
  const { rows } = await db.query<DelegationRow & { total_count: string }>(sql, [...params, familiesOf(kind)]);
  let total = rows[0] ? Number(rows[0].total_count) : 0;
  if (rows.length === 0 && page.offset > 0) {
    const c = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM delegation d WHERE ${fams} AND (${where})`, [...params, familiesOf(kind)]);
    total = Number(c.rows[0]!.n);
  }
  return { items: rows.map(toDelegation), total };
}

/** ips?name= / autnums?name= (net-name), ips?handle= / autnums?handle=. */
export async function searchDelegations(db: Queryable, kind: 'ips' | 'autnums', by: 'name' | 'handle', pattern: SearchPattern, page: PageParams): Promise<Page<Delegation>> {
  if (by === 'name') return delegationPage(db, kind, `lower(d.net_name) LIKE lower($1) ESCAPE '\\'`, [pattern.like], page);
  if (kind === 'ips') {
    const exact = /^NET-([1-9][0-9]{0,17})$/i.exec(pattern.text);
    if (exact) return delegationPage(db, kind, 'd.id = $1::bigint', [exact[1]], page);
    return delegationPage(db, kind, `('NET-' || d.id::text) LIKE upper($1) ESCAPE '\\'`, [pattern.like], page);
  }
  return delegationPage(
    db, kind,
    `(CASE WHEN lower(d.rng) = upper(d.rng) THEN 'AS' || lower(d.rng)::text ELSE 'AS' || lower(d.rng)::text || '-AS' || upper(d.rng)::text END) LIKE upper($1) ESCAPE '\\'`,
    [pattern.like], page,
  );
}

export interface EntityRef {
  kind: 'organisation' | 'contact';
  id: string;
  handle: string;
}

/**
 * entities?fn= / entities?handle= over organisations and contacts. For public requests the names of
 * natural persons are redacted, so an fn search does not match them either (it would reveal them).
 */
export async function searchEntities(db: Queryable, by: 'fn' | 'handle' | 'email', pattern: SearchPattern, tier: Tier, page: PageParams, limitTo?: number): Promise<Page<EntityRef>> {
  const personal = tier === 'public' && by !== 'handle' ? ` AND kind <> 'person'` : '';
  const orgWhere = by === 'fn' ? `lower(name) LIKE lower($1) ESCAPE '\\'` : by === 'handle' ? `handle LIKE upper($1) ESCAPE '\\'` : 'false';
  const contactWhere = by === 'fn'
    ? `lower(name) LIKE lower($1) ESCAPE '\\'`
    : by === 'handle'
      ? `handle LIKE upper($1) ESCAPE '\\'`
      : `(lower(email) LIKE lower($1) ESCAPE '\\' OR lower(abuse_mailbox) LIKE lower($1) ESCAPE '\\')`;
  const order = orderBy(page.sort, ENTITY_SORTS_SQL, 'handle', 'kind, id');
  const count = limitTo ?? page.count;
  const sql = `SELECT kind, id, handle, count(*) OVER () AS total_count FROM (
       SELECT 'organisation' AS kind, id::text AS id, handle, name, created_at, updated_at FROM organisation WHERE ${orgWhere}
       UNION ALL
       SELECT 'contact' AS kind, id::text AS id, handle, name, created_at, updated_at FROM contact WHERE ${contactWhere}${personal}
     ) e ORDER BY ${order} LIMIT ${count} OFFSET ${limitTo ? 0 : page.offset}`;
  const { rows } = await db.query<EntityRef & { total_count: string }>(sql, [pattern.like]);
  return { items: rows.map((r) => ({ kind: r.kind, id: r.id, handle: r.handle })), total: rows[0] ? Number(rows[0].total_count) : 0 };
}

export const REVERSE_ROLES = ['registrant', 'administrative', 'technical', 'abuse'] as const;
export type ReverseRole = (typeof REVERSE_ROLES)[number];

/** RFC 9536: networks or autnums related to any of the entity handles, in the given role (or any role). */
export async function reverseSearch(db: Queryable, kind: 'ips' | 'autnums', handles: string[], role: ReverseRole | undefined, page: PageParams): Promise<Page<Delegation>> {
  if (handles.length === 0) return { items: [], total: 0 };
  const clauses: Record<ReverseRole, string> = {
    registrant: 'o.handle = ANY($1::text[])',
    administrative: '(cardinality(d.admin_c) > 0 AND d.admin_c && $1::text[])',
    technical: '(cardinality(d.tech_c) > 0 AND d.tech_c && $1::text[])',
    abuse: 'd.abuse_c = ANY($1::text[])',
  };
  const where = role ? clauses[role] : Object.values(clauses).join(' OR ');
  return delegationPage(db, kind, where, [handles], page);
}

export type RirRelation = 'rdap-up' | 'rdap-down' | 'rdap-top' | 'rdap-bottom';
export const RIR_RELATIONS: readonly RirRelation[] = ['rdap-up', 'rdap-down', 'rdap-top', 'rdap-bottom'];

/**
 * RFC 9910 relations of a range in the delegation tree:
 * up = the closest object strictly containing it; top = the least specific object containing it;
 * down = the objects directly below it (children of the object with exactly this range, or the outermost
 * objects inside it); bottom = the most specific objects inside it (leaves), or the range's own object.
 */
export async function rirSearch(db: Queryable, relation: RirRelation, range: NumberRange): Promise<Delegation[]> {
  switch (relation) {
    case 'rdap-up': {
      const above = await lessSpecifics(db, range, false);
      return above.length ? [above[above.length - 1]!] : [];
    }
    case 'rdap-top': {
      const above = await lessSpecifics(db, range, true);
      return above.length ? [above[0]!] : [];
    }
    case 'rdap-down': {
      const exact = await exactRangeObjects(db, range);
      if (exact.length) {
        const { rows } = await db.query<DelegationRow>(`${DELEGATION_SELECT} WHERE d.parent_id = $1 ORDER BY lower(d.rng), upper(d.rng) DESC`, [exact[exact.length - 1]!.id]);
        return rows.map(toDelegation);
      }
      const inside = await moreSpecifics(db, range);
      const ids = new Set(inside.map((d) => d.id));
      return inside.filter((d) => !d.parentId || !ids.has(d.parentId));
    }
    case 'rdap-bottom': {
      const inside = await moreSpecifics(db, range);
      const parents = new Set(inside.map((d) => d.parentId));
      const leaves = inside.filter((d) => !parents.has(d.id));
      if (leaves.length) return leaves;
      const exact = await exactRangeObjects(db, range);
      return exact.length ? [exact[exact.length - 1]!] : [];
    }
  }
}

async function exactRangeObjects(db: Queryable, range: NumberRange): Promise<Delegation[]> {
  const [a, b] = rangeParams(range);
  const { rows } = await db.query<DelegationRow>(`${DELEGATION_SELECT} WHERE d.family = $1 AND lower(d.rng) = $2::numeric AND upper(d.rng) = $3::numeric ORDER BY d.id`, [range.family, a, b]);
  return rows.map(toDelegation);
}
