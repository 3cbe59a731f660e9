import { EventEmitter } from 'node:events';
import type { Queryable } from '../db/database.js';
import type { Actor } from './actor.js';
import { actorLabel } from './actor.js';

export type ChangeAction = 'create' | 'modify' | 'delete';

export interface ChangeInput {
  objectType: string;
  objectKey: string;
  action: ChangeAction;
  version: number;
  /** The actor, or its label when the caller already has one (e.g. "key:nrk_…" from another area's auth). */
  actor: Actor | string;
  reason?: string;
  before?: unknown;
  after?: unknown;
}

export interface ChangeRecord {
  serial: number;
  objectType: string;
  objectKey: string;
  action: ChangeAction;
  version: number;
  actor: string;
  reason: string | null;
  at: string;
  before: unknown;
  after: unknown;
}

/**
 * Appends one change to the feed inside the caller's transaction. The feed_state row lock makes
 * serials gapless and ordered by commit: a second writer waits here until the first commits.
 */
export async function recordChange(tx: Queryable, change: ChangeInput): Promise<number> {
  const { rows } = await tx.query<{ serial: string }>(
    'UPDATE feed_state SET serial = serial + 1 WHERE id = 1 RETURNING serial',
  );
  const serial = Number(rows[0]!.serial);
  await tx.query(
    `INSERT INTO change (serial, object_type, object_key, action, version, actor, reason, before, after)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      serial,
      change.objectType,
      change.objectKey,
      change.action,
      change.version,
      typeof change.actor === 'string' ? change.actor : actorLabel(change.actor),
      change.reason ?? null,
      change.before === undefined ? null : JSON.stringify(change.before),
      change.after === undefined ? null : JSON.stringify(change.after),
    ],
  );
  return serial;
}

interface ChangeRow {
  serial: string;
  object_type: string;
  object_key: string;
  action: ChangeAction;
  version: number;
  actor: string;
  reason: string | null;
  at: Date | string;
  before: unknown;
  after: unknown;
}

export function toChangeRecord(row: ChangeRow): ChangeRecord {
  return {
    serial: Number(row.serial),
    objectType: row.object_type,
    objectKey: row.object_key,
    action: row.action,
    version: row.version,
    actor: row.actor,
    reason: row.reason,
    at: new Date(row.at).toISOString(),
    before: row.before,
    after: row.after,
  };
}

const CHANGE_COLUMNS = 'serial, object_type, object_key, action, version, actor, reason, at, before, after';

export async function changesSince(db: Queryable, serial: number, limit = 1000): Promise<ChangeRecord[]> {
  const { rows } = await db.query<ChangeRow>(
    `SELECT ${CHANGE_COLUMNS} FROM change WHERE serial > $1 ORDER BY serial LIMIT $2`,
    [serial, limit],
  );
  return rows.map(toChangeRecord);
}

export async function objectHistory(db: Queryable, objectType: string, objectKey: string): Promise<ChangeRecord[]> {
  const { rows } = await db.query<ChangeRow>(
    `SELECT ${CHANGE_COLUMNS} FROM change WHERE object_type = $1 AND object_key = $2 ORDER BY serial`,
    [objectType, objectKey],
  );
  return rows.map(toChangeRecord);
}

export async function currentSerial(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ serial: string }>('SELECT serial FROM feed_state WHERE id = 1');
  return Number(rows[0]?.serial ?? 0);
}

/**
 * In-process notification that new serials were committed. Views in this process subscribe here;
 * another process sees the same changes by polling `changesSince`.
 */
export class ChangeNotifier extends EventEmitter {
  committed(serial: number): void {
    this.emit('serial', serial);
  }
  onSerial(listener: (serial: number) => void): () => void {
    this.on('serial', listener);
    return () => this.off('serial', listener);
  }
}
