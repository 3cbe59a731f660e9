/**
 * REST for ROAs: GET/POST/DELETE /api/roas. An LIR manages its own ROAs; staff may act for any
 * organisation (`org` field / query). Authentication is pluggable: `authFn` maps a request to a caller
 * or throws an error carrying `statusCode` 401/403.
 *
 * Checks on create: the prefix has no host bits, max-length lies between the prefix length and the
 * family's width, the organisation holds the prefix. A warning (not an error) when max-length is looser
 * than needed (RFC 9319): it authorises more-specific announcements that the organisation's registered route
 * objects do not show, which a forged-origin hijacker could use.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../db/database.js';
import { recordChange } from '../registry/feed.js';
import { formatAsn, parseAsn } from '../core/asn.js';
import { formatPrefix, parsePrefix, prefixToRange } from '../core/prefix.js';
import { FAMILY_BITS, type Prefix } from '../core/types.js';
import type { RpkiService } from './index.js';
import { holderResources, loadRegistryInput } from './registry-source.js';

export interface RoaCaller {
  /** The caller's organisation id; null for staff acting on any organisation. */
  orgId: string | null;
  staff: boolean;
  actor: string;
}

export type RoaAuthFn = (request: FastifyRequest) => Promise<RoaCaller>;

export interface RoaRouteDeps {
  db: Db;
  /** The CA service, or a getter when it starts after the routes are registered. */
  service?: RpkiService | (() => RpkiService | undefined);
  /** Re-syncs the CA after a change; defaults to service.sync(loadRegistryInput(db)). */
  resync?: () => Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const createBody = z.object({
  prefix: z.string().min(1),
  maxLength: z.number().int().optional(),
  asn: z.union([z.string(), z.number().int().nonnegative()]),
  org: z.string().optional(),
  comment: z.string().max(500).optional(),
});

interface RoaRow {
  id: string;
  handle: string;
  org_id: string;
  prefix: string;
  max_length: number;
  asn: string;
  comment: string | null;
  created_at: Date | string;
}

/** Number of more-specific prefixes a max-length admits beyond the prefix itself. */
function moreSpecifics(p: Prefix, maxLength: number): bigint {
  return (1n << BigInt(maxLength - p.length + 1)) - 2n;
}

/**
 * The max-length the origin's registered route objects inside the prefix need (at least the prefix length);
 * undefined when no route objects are known (IRR tables absent or empty).
 */
async function neededMaxLength(db: Db, p: Prefix, asn: bigint): Promise<number | undefined> {
  try {
    const { rows } = await db.query<{ len: number | null; n: string }>(
      `SELECT max(masklen(prefix))::int AS len, count(*)::text AS n FROM rpsl_object
        WHERE class IN ('route','route6') AND origin = $1 AND prefix <<= $2::cidr`,
      [asn.toString(), formatPrefix(p)],
    );
    return rows[0] && rows[0].n !== '0' && rows[0].len !== null ? Math.max(p.length, rows[0].len) : undefined;
  } catch {
    return undefined;
  }
}

export async function maxLengthWarnings(db: Db, p: Prefix, maxLength: number, asn: bigint): Promise<string[]> {
  if (maxLength === p.length) return [];
  const needed = await neededMaxLength(db, p, asn);
  const extra = moreSpecifics(p, maxLength);
  if (needed === undefined) {
    return [
      `max-length ${maxLength} is looser than the /${p.length} needs: it also authorises ${formatAsn(asn)} to announce ${extra} more-specific prefixes down to /${maxLength}; ` +
        `unless all of them are announced, a forged-origin hijack of the unannounced ones validates (RFC 9319). Prefer max-length ${p.length} and one ROA per announced prefix.`,
    ];
  }
  if (maxLength > needed) {
    return [
      `max-length ${maxLength} is looser than the announced prefixes need: the route objects of ${formatAsn(asn)} inside ${formatPrefix(p)} go down to /${needed} only (RFC 9319); use max-length ${needed}.`,
    ];
  }
  return [];
}

function view(r: RoaRow, published: Set<string>) {
  const prefix = parsePrefix(r.prefix);
  return {
    id: Number(r.id),
    org: r.handle,
    prefix: formatPrefix(prefix),
    maxLength: Number(r.max_length),
    asn: formatAsn(BigInt(r.asn)),
    comment: r.comment,
    createdAt: new Date(r.created_at).toISOString(),
    published: published.has(`${r.asn}|${formatPrefix(prefix)}|${r.max_length}|${r.handle}`),
  };
}

function send(reply: FastifyReply, e: unknown) {
  const err = e as { statusCode?: number; httpStatus?: number; code?: string; message?: string };
  const code = err.statusCode ?? err.httpStatus; // our HttpError / the registry's RegistryError
  const status = typeof code === 'number' && code >= 400 && code < 500 ? code : 500;
  return reply.code(status).send({ error: err.code ?? (status === 500 ? 'internal' : 'invalid-request'), message: status === 500 ? 'internal error' : err.message });
}

export function registerRoaRoutes(app: FastifyInstance, deps: RoaRouteDeps, authFn: RoaAuthFn): void {
  const { db } = deps;
  const service = () => (typeof deps.service === 'function' ? deps.service() : deps.service);
  const resync =
    deps.resync ??
    (async () => {
      const s = service();
      if (s) await s.sync(await loadRegistryInput(db));
    });
  const publishedSet = () => new Set((service()?.vrps() ?? []).map((v) => `${v.asn}|${formatPrefix(v.prefix)}|${v.maxLength}|${v.holderHandle}`));

  async function orgFor(caller: RoaCaller, org: string | undefined): Promise<{ id: string; handle: string }> {
    if (org !== undefined) {
      const { rows } = await db.query<{ id: string; handle: string }>('SELECT id::text AS id, handle FROM organisation WHERE handle = $1', [org]);
      const found = rows[0];
      if (!found) throw new HttpError(404, 'not-found', `no organisation ${org}`);
      if (!caller.staff && found.id !== caller.orgId) throw new HttpError(403, 'forbidden', 'you may manage only your own organisation’s ROAs');
      return found;
    }
    if (!caller.orgId) throw new HttpError(400, 'invalid-input', 'staff must name the organisation ("org")');
    const { rows } = await db.query<{ id: string; handle: string }>('SELECT id::text AS id, handle FROM organisation WHERE id = $1', [caller.orgId]);
    return rows[0]!;
  }

  app.get('/api/roas', async (req, reply) => {
    try {
      const caller = await authFn(req);
      const q = req.query as { org?: string };
      const params: unknown[] = [];
      let where = '';
      if (!caller.staff || q.org) {
        const org = await orgFor(caller, q.org);
        where = 'WHERE r.org_id = $1';
        params.push(org.id);
      }
      const { rows } = await db.query<RoaRow>(
        `SELECT r.id::text AS id, o.handle, r.org_id::text AS org_id, r.prefix::text AS prefix, r.max_length, r.asn::text AS asn, r.comment, r.created_at
           FROM roa r JOIN organisation o ON o.id = r.org_id ${where} ORDER BY r.id`,
        params,
      );
      const published = publishedSet();
      return { roas: rows.map((r) => view(r, published)) };
    } catch (e) {
      return send(reply, e);
    }
  });

  app.post('/api/roas', async (req, reply) => {
    try {
      const caller = await authFn(req);
      const parsed = createBody.safeParse(req.body);
      if (!parsed.success) throw new HttpError(400, 'invalid-input', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
      const body = parsed.data;
      const org = await orgFor(caller, body.org);
      let prefix: Prefix;
      let asn: bigint;
      try {
        prefix = parsePrefix(body.prefix);
        asn = typeof body.asn === 'number' ? BigInt(body.asn) : parseAsn(body.asn);
      } catch (e) {
        throw new HttpError(400, 'invalid-input', (e as Error).message);
      }
      const width = FAMILY_BITS[prefix.family];
      const maxLength = body.maxLength ?? prefix.length;
      if (maxLength < prefix.length || maxLength > width) {
        throw new HttpError(400, 'invalid-max-length', `max-length must lie between the prefix length ${prefix.length} and ${width}, got ${maxLength}`);
      }
      const held = await holderResources(db, org.id);
      if (!held.contains(prefixToRange(prefix))) {
        throw new HttpError(422, 'prefix-not-held', `${org.handle} does not hold ${formatPrefix(prefix)}; a ROA can only be issued for address space the organisation holds`);
      }
      const warnings = await maxLengthWarnings(db, prefix, maxLength, asn);
      let row: RoaRow;
      try {
        // The ROA and its history commit together, like every other registry write.
        row = await db.transaction(async (tx) => {
          const { rows } = await tx.query<RoaRow>(
            `INSERT INTO roa (org_id, prefix, max_length, asn, comment, created_by) VALUES ($1, $2::cidr, $3, $4, $5, $6)
             RETURNING id::text AS id, $7::text AS handle, org_id::text AS org_id, prefix::text AS prefix, max_length, asn::text AS asn, comment, created_at`,
            [org.id, formatPrefix(prefix), maxLength, asn.toString(), body.comment ?? null, caller.actor, org.handle],
          );
          const created = rows[0]!;
          await recordChange(tx, {
            objectType: 'roa', objectKey: created.id, action: 'create', version: 1, actor: caller.actor,
            after: { org: org.handle, prefix: created.prefix, maxLength: created.max_length, asn: Number(created.asn), comment: created.comment },
          });
          return created;
        });
      } catch (e) {
        if ((e as { code?: string }).code === '23505') throw new HttpError(409, 'duplicate', 'this ROA already exists');
        throw e;
      }
      await resync();
      return reply.code(201).send({ roa: view(row, publishedSet()), warnings });
    } catch (e) {
      return send(reply, e);
    }
  });

  app.delete('/api/roas/:id', async (req, reply) => {
    try {
      const caller = await authFn(req);
      const id = Number((req.params as { id: string }).id);
      if (!Number.isSafeInteger(id) || id <= 0) throw new HttpError(400, 'invalid-input', 'id must be a positive integer');
      const { rows } = await db.query<{ org_id: string }>('SELECT org_id::text AS org_id FROM roa WHERE id = $1', [id]);
      const found = rows[0];
      if (!found || (!caller.staff && found.org_id !== caller.orgId)) throw new HttpError(404, 'not-found', `no ROA ${id}`);
      await db.transaction(async (tx) => {
        const { rows: gone } = await tx.query<{ prefix: string; max_length: number; asn: string; handle: string }>(
          `DELETE FROM roa r USING organisation o WHERE r.id = $1 AND o.id = r.org_id
           RETURNING r.prefix::text AS prefix, r.max_length, r.asn::text AS asn, o.handle`, [id]);
        if (gone[0]) {
          await recordChange(tx, {
            objectType: 'roa', objectKey: String(id), action: 'delete', version: 1, actor: caller.actor,
            before: { org: gone[0].handle, prefix: gone[0].prefix, maxLength: gone[0].max_length, asn: Number(gone[0].asn) },
          });
        }
      });
      await resync();
      return reply.code(204).send();
    } catch (e) {
      return send(reply, e);
    }
  });
}

/**
 * Staff routes for the CA itself: list the hosted CAs, and run a key rollover (RFC 6489) as two commands —
 * `start` certifies and publishes a new key beside the old one; after the staging period `finish` moves every
 * object to the new key and revokes the old one.
 */
export function registerCaAdminRoutes(app: FastifyInstance, serviceOrGetter: RpkiService | (() => RpkiService | undefined), authFn: RoaAuthFn): void {
  const service = () => {
    const s = typeof serviceOrGetter === 'function' ? serviceOrGetter() : serviceOrGetter;
    if (!s) throw new HttpError(503, 'starting', 'the RPKI service is starting');
    return s;
  };
  const staffOnly = async (req: FastifyRequest) => {
    const caller = await authFn(req);
    if (!caller.staff) throw new HttpError(403, 'forbidden', 'registry staff only');
    return caller;
  };
  app.get('/api/rpki/cas', async (req, reply) => {
    try {
      await staffOnly(req);
      const s = service();
      return { ta: { tal: s.tal(), rrdp: s.rrdpSerial() }, cas: s.holders() };
    } catch (e) {
      return send(reply, e);
    }
  });
  app.post('/api/rpki/cas/:handle/rollover', async (req, reply) => {
    try {
      await staffOnly(req);
      const handle = (req.params as { handle: string }).handle;
      const phase = (req.body as { phase?: string } | undefined)?.phase ?? 'start';
      const s = service();
      const ca = s.holders().find((h) => h.handle === handle);
      if (!ca) throw new HttpError(404, 'not-found', `no hosted CA for ${handle}`);
      if (phase === 'start') {
        if (ca.rollover) throw new HttpError(409, 'conflict', `${handle}: a rollover is already staged; finish it first`);
        await s.startRollover(handle);
      } else if (phase === 'finish') {
        if (!ca.rollover) throw new HttpError(409, 'conflict', `${handle}: no rollover staged; start one first`);
        await s.finishRollover(handle);
      } else throw new HttpError(400, 'invalid-input', 'phase must be "start" or "finish"');
      return s.holders().find((h) => h.handle === handle);
    } catch (e) {
      return send(reply, e);
    }
  });
}
