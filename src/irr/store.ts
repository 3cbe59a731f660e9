/**
 * Storage of RPSL objects (table rpsl_object, migration 010) and their history in the registry's change feed.
 */
import type { Queryable } from '../db/database.js';
import { recordChange } from '../registry/feed.js';
import type { Actor } from '../registry/actor.js';
import { CLASS_BY_NAME } from './classes.js';
import { formatPrefixText } from './net.js';
import { formatObject } from './format.js';
import type { RpslObject } from './validate.js';

export interface StoredObject {
  id: string;
  source: string;
  className: string;
  pkey: string;
  text: string;
  version: number;
  mntBy: string[];
}

/** What the change feed keeps about an RPSL object version (NRTM and the in-memory index replay it). */
export interface FeedEntry {
  source: string;
  class: string;
  pkey: string;
  text: string;
}

export const changeObjectType = (className: string) => `rpsl:${className}`;

export function objectColumns(o: RpslObject) {
  const spec = CLASS_BY_NAME.get(o.className)!;
  // the jsonb text is written directly: JSON.stringify of an object with arbitrary keys is several times slower
  let attrs = '';
  const lookup: string[] = [];
  for (const [name, values] of o.values) {
    attrs += `${attrs ? ',' : '{'}${JSON.stringify(name)}:${JSON.stringify(values)}`;
    const a = spec.byName.get(name);
    if (a && a.lookupKey && !a.primaryKey) for (const v of values) lookup.push(`${name.toUpperCase()}=${v.toUpperCase()}`);
  }
  attrs = attrs ? `${attrs}}` : '{}';
  const isSet = o.className.endsWith('-set');
  return {
    source: o.source,
    class: o.className,
    pkey: o.pkey,
    text: formatObject(o),
    attrs,
    lookup,
    family: o.prefix?.family ?? null,
    prefix: o.prefix ? formatPrefixText(o.prefix) : null,
    prefix_len: o.prefix?.length ?? null,
    origin: o.origin !== undefined ? o.origin.toString() : null,
    members: isSet ? o.members : null,
    member_of: o.memberOf.length ? o.memberOf : null,
    mnt_by: o.mntBy,
  };
}

interface Row {
  id: string; source: string; class: string; pkey: string; text: string; version: number; mnt_by: string[];
}
const toStored = (r: Row): StoredObject => ({
  id: String(r.id), source: r.source, className: r.class, pkey: r.pkey, text: r.text, version: r.version, mntBy: r.mnt_by,
});

export async function getObject(db: Queryable, source: string, className: string, pkey: string): Promise<StoredObject | undefined> {
  const { rows } = await db.query<Row>(
    'SELECT id, source, class, pkey, text, version, mnt_by FROM rpsl_object WHERE source = $1 AND class = $2 AND pkey = $3',
    [source, className, pkey.toUpperCase()],
  );
  return rows[0] && toStored(rows[0]);
}

/** Lock the object row (or its absence, through the feed lock taken by recordChange) before changing it. */
export async function getObjectForUpdate(tx: Queryable, source: string, className: string, pkey: string): Promise<StoredObject | undefined> {
  const { rows } = await tx.query<Row>(
    'SELECT id, source, class, pkey, text, version, mnt_by FROM rpsl_object WHERE source = $1 AND class = $2 AND pkey = $3 FOR UPDATE',
    [source, className, pkey.toUpperCase()],
  );
  return rows[0] && toStored(rows[0]);
}

const COLS = ['source', 'class', 'pkey', 'text', 'attrs', 'lookup', 'family', 'prefix', 'prefix_len', 'origin', 'members', 'member_of', 'mnt_by'] as const;

/** Creates or replaces an object and records the change (serial from feed_state, same transaction). */
export async function saveObject(
  tx: Queryable, o: RpslObject, previous: StoredObject | undefined, actor: Actor, reason?: string,
): Promise<{ serial: number; version: number; text: string }> {
  const c = objectColumns(o);
  const values = COLS.map((k) => c[k]);
  let version = 1;
  if (previous) {
    version = previous.version + 1;
    await tx.query(
      `UPDATE rpsl_object SET text=$4, attrs=$5::jsonb, lookup=$6, family=$7, prefix=$8::cidr, prefix_len=$9, origin=$10,
              members=$11, member_of=$12, mnt_by=$13, version=$14, updated_at=now()
        WHERE source=$1 AND class=$2 AND pkey=$3`,
      [...values, version],
    );
  } else {
    await tx.query(
      `INSERT INTO rpsl_object (${COLS.join(',')}) VALUES ($1,$2,$3,$4,$5::jsonb,$6,$7,$8::cidr,$9,$10,$11,$12,$13)`,
      values,
    );
  }
  const before: FeedEntry | undefined = previous && { source: previous.source, class: previous.className, pkey: previous.pkey, text: previous.text };
  const after: FeedEntry = { source: c.source, class: c.class, pkey: c.pkey, text: c.text };
  const serial = await recordChange(tx, {
    objectType: changeObjectType(o.className), objectKey: o.pkey, action: previous ? 'modify' : 'create', version, actor, reason, before, after,
  });
  return { serial, version, text: c.text };
}

export async function deleteObject(tx: Queryable, previous: StoredObject, actor: Actor, reason?: string): Promise<number> {
  await tx.query('DELETE FROM rpsl_object WHERE id = $1', [previous.id]);
  const before: FeedEntry = { source: previous.source, class: previous.className, pkey: previous.pkey, text: previous.text };
  return recordChange(tx, {
    objectType: changeObjectType(previous.className), objectKey: previous.pkey, action: 'delete', version: previous.version, actor, reason, before,
  });
}
