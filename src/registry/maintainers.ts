import bcrypt from 'bcryptjs';
import type { Queryable } from '../db/database.js';
import { pgErrorCode, PG_UNIQUE_VIOLATION } from '../db/database.js';
import type { Actor } from './actor.js';
import { conflict, invalidInput, notFound } from './errors.js';
import { recordChange } from './feed.js';
import { normaliseHandle } from './organisations.js';

/** bcrypt cost: ~60 ms per hash on this machine class, the same order as RIPE DB's MD5-PW replacement. */
const BCRYPT_COST = 10;

export interface Maintainer {
  id: string;
  handle: string;
  orgHandle: string | null;
  description: string | null;
  adminC: string[];
  hasPassword: boolean;
}

interface Row {
  id: string; handle: string; org_handle: string | null; description: string | null; admin_c: string[]; password_hash: string | null;
}

const SELECT = `SELECT m.id::text AS id, m.handle, o.handle AS org_handle, m.description, m.admin_c, m.password_hash
  FROM maintainer m LEFT JOIN organisation o ON o.id = m.org_id`;

const toMaintainer = (r: Row): Maintainer => ({
  id: r.id, handle: r.handle, orgHandle: r.org_handle, description: r.description, adminC: r.admin_c, hasPassword: r.password_hash !== null,
});

export async function maintainerByHandle(db: Queryable, handle: string): Promise<Maintainer | undefined> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE m.handle = $1`, [handle.toUpperCase()]);
  return rows[0] && toMaintainer(rows[0]);
}

export async function maintainersOfOrganisation(db: Queryable, orgId: string): Promise<Maintainer[]> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE m.org_id = $1 ORDER BY m.handle`, [orgId]);
  return rows.map(toMaintainer);
}

export function hashPassword(password: string): string {
  if (password.length < 12) throw invalidInput('password must be at least 12 characters long');
  return bcrypt.hashSync(password, BCRYPT_COST);
}

/** True when `password` matches the maintainer's bcrypt hash. Unknown maintainers never match. */
export async function verifyMaintainerPassword(db: Queryable, handle: string, password: string): Promise<boolean> {
  const { rows } = await db.query<{ password_hash: string | null }>('SELECT password_hash FROM maintainer WHERE handle = $1', [handle.toUpperCase()]);
  const hash = rows[0]?.password_hash;
  return typeof hash === 'string' && (await bcrypt.compare(password, hash));
}

export interface NewMaintainer {
  handle: string;
  orgHandle?: string | null;
  description?: string | null;
  adminC?: string[];
  password?: string;
  /** An existing bcrypt hash (RPSL `auth: BCRYPT-PW …`), instead of a password. */
  passwordHash?: string;
}

export async function createMaintainer(tx: Queryable, input: NewMaintainer, actor: Actor, reason?: string): Promise<Maintainer> {
  const handle = normaliseHandle(input.handle, 'maintainer handle');
  let orgId: string | null = null;
  if (input.orgHandle) {
    const { rows } = await tx.query<{ id: string }>('SELECT id::text AS id FROM organisation WHERE handle = $1', [input.orgHandle.toUpperCase()]);
    if (!rows[0]) throw notFound(`organisation ${input.orgHandle.toUpperCase()} does not exist`);
    orgId = rows[0].id;
  }
  if (input.passwordHash && !/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(input.passwordHash)) {
    throw invalidInput('password hash is not a bcrypt hash ($2a$/$2b$/$2y$)');
  }
  const passwordHash = input.passwordHash ?? (input.password ? hashPassword(input.password) : null);
  try {
    await tx.query(
      'INSERT INTO maintainer (handle, org_id, description, password_hash, admin_c) VALUES ($1,$2,$3,$4,$5)',
      [handle, orgId, input.description ?? null, passwordHash, (input.adminC ?? []).map((h) => h.toUpperCase())],
    );
  } catch (error) {
    if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) throw conflict(`maintainer ${handle} already exists`);
    throw error;
  }
  const maintainer = (await maintainerByHandle(tx, handle))!;
  // The change feed never carries the hash: history is readable by more people than the credentials.
  await recordChange(tx, { objectType: 'maintainer', objectKey: handle, action: 'create', version: 1, actor, reason, after: maintainer });
  return maintainer;
}
