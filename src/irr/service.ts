/**
 * The IRR service: owns the in-memory index, applies submissions (validate -> authorise -> RPKI check ->
 * write + change feed in one transaction), and answers the look-ups the query front-ends need.
 */
import type { Db, Queryable } from '../db/database.js';
import { verifyApiKey, type ApiKeyInfo } from '../registry/api-keys.js';
import type { Actor } from '../registry/actor.js';
import bcrypt from 'bcryptjs';
import { IrrIndex, type RovCheck } from './memory-index.js';
import { parseObject, type RpslObject } from './validate.js';
import { deleteObject, getObject, getObjectForUpdate, saveObject, type StoredObject } from './store.js';
import { coveringDelegation, keyCanWriteIrr, maintainerAccepts, maintainerExists, type Credentials, type PendingMntner } from './auth.js';
import { formatPrefixText, prefixEnd } from './net.js';
import { formatObject, withSource } from './format.js';
import type { Submission } from './submission.js';
import { findRpslObjects, type FoundObject, type RpslQuery } from './lookup.js';

export interface IrrServiceOptions {
  /** numreg's own, authoritative source (NUMREG_IRR_SOURCE, default NUMREG) */
  source?: string;
  rovCheck?: RovCheck;
  /** bcrypt hash of the staff override password (`override:` pseudo-attribute) */
  overrideHash?: string;
  /** where staff overrides and other notable events are logged */
  log?: (event: Record<string, unknown>) => void;
  /** how often queries re-read the change feed for writes made by other processes (ms); 0 = every query */
  refreshIntervalMs?: number;
}

export type ObjectOutcome = 'create' | 'modify' | 'delete' | 'no-op';

export interface ObjectResult {
  className?: string;
  pkey?: string;
  source?: string;
  action?: ObjectOutcome;
  status: 'success' | 'error';
  errors: string[];
  info: string[];
  serial?: number;
}

export interface SubmissionReport {
  status: 'success' | 'failed';
  dryRun: boolean;
  override: boolean;
  objects: ObjectResult[];
}

class Rollback extends Error {}

export class IrrService {
  readonly source: string;
  readonly index: IrrIndex;
  private rovCheck: RovCheck;
  private lastRefresh = 0;
  private readonly log: (event: Record<string, unknown>) => void;

  private constructor(readonly db: Db, private readonly options: IrrServiceOptions) {
    this.source = (options.source ?? process.env.NUMREG_IRR_SOURCE ?? 'NUMREG').toUpperCase();
    this.rovCheck = options.rovCheck ?? (() => 'not-found');
    this.index = new IrrIndex(this.rovCheck);
    this.log = options.log ?? (() => undefined);
  }

  static async create(db: Db, options: IrrServiceOptions = {}): Promise<IrrService> {
    const s = new IrrService(db, options);
    await db.query(
      `INSERT INTO irr_source (name, authoritative) VALUES ($1, true) ON CONFLICT (name) DO UPDATE SET authoritative = true`,
      [s.source],
    );
    await s.index.load(db);
    return s;
  }

  setRovCheck(check: RovCheck): void {
    this.rovCheck = check;
    this.index.setRovCheck(check);
  }

  /** Re-evaluates every route in the query index against the ROV function (call when the VRP set changes). */
  revalidateRpki(): void {
    this.index.revalidate();
  }

  rov(prefix: string, origin: bigint) {
    return this.rovCheck(prefix, origin);
  }

  /** Brings the index up to date with the change feed (writes by other processes). */
  async refresh(force = false): Promise<void> {
    const now = Date.now();
    if (!force && now - this.lastRefresh < (this.options.refreshIntervalMs ?? 1000)) return;
    this.lastRefresh = now;
    await this.index.catchUp(this.db);
  }

  /** Rebuild the index from the table (after bulk imports). */
  async reload(): Promise<void> {
    await this.index.load(this.db);
  }

  /** Sources in default query order: own source first, then mirrors by name. */
  async sources(): Promise<{ name: string; authoritative: boolean; serial: string | null }[]> {
    const { rows } = await this.db.query<{ name: string; authoritative: boolean; serial: string | null }>(
      `SELECT name, authoritative, serial::text AS serial FROM irr_source ORDER BY authoritative DESC, name`,
    );
    return rows;
  }

  async ensureMirrorSource(name: string): Promise<void> {
    const upper = name.toUpperCase();
    if (upper === this.source) return;
    await this.db.query('INSERT INTO irr_source (name, authoritative) VALUES ($1, false) ON CONFLICT (name) DO NOTHING', [upper]);
  }

  async submit(sub: Submission): Promise<SubmissionReport> {
    let apiKey: ApiKeyInfo | undefined;
    if (sub.apiKey) apiKey = await verifyApiKey(this.db, sub.apiKey);
    const creds: Credentials = { passwords: sub.passwords, apiKey };
    let override = false;
    let actor: Actor = { kind: 'system', name: 'irr' };
    const overrideRejected: string[] = [];
    if (apiKey?.scopes.includes('staff') && apiKey.orgId) {
      override = true;
      actor = { kind: 'staff', name: apiKey.label ?? apiKey.keyId, orgId: apiKey.orgId };
    } else if (sub.override !== undefined) {
      if (this.options.overrideHash && (await bcrypt.compare(sub.override, this.options.overrideHash))) {
        override = true;
        actor = { kind: 'system', name: 'irr-override' };
      } else overrideRejected.push('override password is not valid');
    }
    if (!override && apiKey) actor = { kind: 'member', orgId: apiKey.orgId ?? '', via: `key:${apiKey.keyId}` };
    if (sub.apiKey && !apiKey) overrideRejected.push('API key is not valid');

    const results: ObjectResult[] = [];
    const applied: number[] = [];
    try {
      await this.db.transaction(async (tx) => {
        const pending = new Map<string, PendingMntner>();
        for (const o of sub.objects) {
          const r = await this.processOne(tx, o.text, o.deleteReason, creds, override, actor, pending);
          if (overrideRejected.length && r.status === 'error') r.errors.push(...overrideRejected);
          results.push(r);
          if (r.serial !== undefined) applied.push(r.serial);
        }
        if (sub.dryRun || results.some((r) => r.status === 'error')) throw new Rollback();
      });
    } catch (e) {
      if (!(e instanceof Rollback)) throw e;
    }
    const failed = results.some((r) => r.status === 'error');
    if (!failed && !sub.dryRun) {
      if (override) this.log({ event: 'irr-override', actor, objects: results.map((r) => `${r.action} ${r.className} ${r.pkey}`) });
      await this.refresh(true);
    }
    if (failed || sub.dryRun) for (const r of results) delete r.serial;
    return { status: failed ? 'failed' : 'success', dryRun: Boolean(sub.dryRun), override, objects: results };
  }

  private async processOne(
    tx: Queryable, text: string, deleteReason: string | undefined, creds: Credentials, override: boolean, actor: Actor,
    pending: Map<string, PendingMntner>,
  ): Promise<ObjectResult> {
    const v = parseObject(text);
    const result: ObjectResult = { className: v.className, pkey: v.pkey, status: 'error', errors: [], info: [] };
    if (!v.object) {
      result.errors = v.errors.map((e) => e.message);
      return result;
    }
    const o = v.object;
    result.source = o.source;
    if (o.source !== this.source) {
      result.errors.push(`source ${o.source} is not authoritative here (read-only mirror or unknown); submit objects with source: ${this.source}`);
      return result;
    }
    const existing = await getObjectForUpdate(tx, o.source, o.className, o.pkey);
    if (deleteReason !== undefined && !existing) {
      result.errors.push(`cannot delete ${o.className} ${o.pkey}: no such object in source ${o.source}`);
      return result;
    }
    const newText = formatObject(o);
    result.action = deleteReason !== undefined ? 'delete' : existing ? (existing.text === newText ? 'no-op' : 'modify') : 'create';

    // references: every maintainer named in mnt-by must exist (a new mntner may name itself)
    if (o.className === 'mntner') pending.set(o.pkey, { auth: o.values.get('auth') ?? [] });
    if (result.action !== 'delete') {
      for (const m of o.mntBy) {
        if (!(await maintainerExists(tx, this.source, m, pending))) result.errors.push(`mnt-by references mntner ${m}, which does not exist`);
      }
    } else if (o.className === 'mntner') {
      const { rows } = await tx.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM rpsl_object WHERE source = $1 AND lookup @> $2 AND NOT (class = 'mntner' AND pkey = $3)`,
        [this.source, [`MNT-BY=${o.pkey}`], o.pkey],
      );
      if (Number(rows[0].n) > 0) result.errors.push(`mntner ${o.pkey} is still named in mnt-by of ${rows[0].n} object(s)`);
    }
    if (o.className !== 'mntner' || result.action === 'delete' || existing) pending.delete(o.pkey);
    if (result.errors.length) return result;

    // mnt-by authorisation: existing object's maintainers for modify/delete, the new ones on create
    const guard = existing ? existing.mntBy : o.mntBy;
    let how: string | undefined;
    for (const m of guard) {
      how = await maintainerAccepts(tx, this.source, m, creds, pending);
      if (how) {
        result.info.push(`authorised by mntner ${m} (${how})`);
        break;
      }
    }
    if (!how) {
      if (override) result.info.push('mnt-by authorisation bypassed by staff override');
      else result.errors.push(`authorisation failed: none of the credentials is accepted by mnt-by ${guard.join(', ')}`);
    }

    if (result.action === 'create' && (o.className === 'route' || o.className === 'route6' || o.className === 'aut-num')) {
      await this.checkHolder(tx, o, creds, override, pending, result);
    }
    if ((o.className === 'route' || o.className === 'route6') && result.action !== 'delete' && result.action !== 'no-op') {
      const prefix = formatPrefixText(o.prefix!);
      const state = this.rovCheck(prefix, o.origin!);
      if (state === 'invalid') result.errors.push(`RPKI invalid: ${prefix} originated by AS${o.origin} conflicts with the ROAs numreg knows; create a matching ROA first`);
      else result.info.push(`RPKI: ${state}`);
    }
    if (result.errors.length) return result;
    if (deleteReason !== undefined && existing) {
      result.serial = await deleteObject(tx, existing, actor, override ? `override: ${deleteReason}` : deleteReason);
    } else if (result.action !== 'no-op') {
      result.serial = (await saveObject(tx, o, existing, actor, override ? 'override' : undefined)).serial;
    }
    result.status = 'success';
    return result;
  }

  private async checkHolder(
    tx: Queryable, o: RpslObject, creds: Credentials, override: boolean, pending: Map<string, PendingMntner>, result: ObjectResult,
  ): Promise<void> {
    const isAut = o.className === 'aut-num';
    const asn = isAut ? BigInt(o.pkey.slice(2)) : 0n;
    const cover = isAut
      ? await coveringDelegation(tx, 'asn', asn, asn)
      : await coveringDelegation(tx, o.prefix!.family, o.prefix!.start, prefixEnd(o.prefix!));
    const what = isAut ? o.pkey : formatPrefixText(o.prefix!);
    if (!cover) {
      if (override) result.info.push(`no registry delegation covers ${what}; accepted by staff override`);
      else result.errors.push(`no delegation in this registry covers ${what}: only the holder of registered space may create ${o.className} objects in ${this.source}`);
      return;
    }
    for (const m of cover.maintainers) {
      const how = await maintainerAccepts(tx, this.source, m, creds, pending);
      if (how) {
        result.info.push(`holder authorisation by ${m} (${cover.which} of delegation ${cover.range})`);
        return;
      }
    }
    if (override) result.info.push(`holder authorisation bypassed by staff override`);
    else result.errors.push(`authorisation failed: ${what} is registered to another holder; its ${cover.which} (${cover.maintainers.join(', ') || 'none'}) must authorise ${o.className} objects`);
  }

  /** Applies one operation from a mirrored IRR (NRTM client) to a read-only source, recorded in the feed. */
  async applyMirror(source: string, op: 'ADD' | 'DEL', text: string, serial: number): Promise<{ ok: boolean; error?: string }> {
    const v = parseObject(text, { strict: false });
    if (!v.object) return { ok: false, error: v.errors.map((e) => e.message).join('; ') };
    const o = withSource(v.object, source.toUpperCase());
    const actor: Actor = { kind: 'system', name: `nrtm:${o.source}` };
    await this.db.transaction(async (tx) => {
      const existing = await getObjectForUpdate(tx, o.source, o.className, o.pkey);
      if (op === 'DEL') {
        if (existing) await deleteObject(tx, existing, actor, `NRTM serial ${serial}`);
      } else await saveObject(tx, o, existing, actor, `NRTM serial ${serial}`);
      await tx.query('UPDATE irr_source SET serial = $2, updated_at = now() WHERE name = $1', [o.source, serial]);
    });
    return { ok: true };
  }

  /** RIPE-style look-up (see lookup.ts), with this service's ROV function for hiding invalid routes. */
  findRpslObjects(q: Omit<RpslQuery, 'rov'>): Promise<FoundObject[]> {
    return findRpslObjects(this.db, { ...q, rov: (p, o) => this.rovCheck(p, o) });
  }

  /** Origin(s) of the most specific route/route6 object covering an address or prefix (RPKI-invalid ones
   *  skipped), e.g. for WHOIS bulk attribution. Empty when no route object covers it. */
  async originsFor(addressOrPrefix: string, sources?: string[]): Promise<{ prefix: string; origins: string[] } | undefined> {
    const src = sources ?? (await this.sources()).map((s) => s.name);
    const key = addressOrPrefix.includes('/') ? addressOrPrefix : `${addressOrPrefix}/${addressOrPrefix.includes(':') ? 128 : 32}`;
    const { rows } = await this.db.query<{ prefix: string; origin: string }>(
      `SELECT host(prefix) || '/' || masklen(prefix) AS prefix, origin::text AS origin FROM rpsl_object
        WHERE prefix >>= $1::cidr AND source = ANY($2) ORDER BY masklen(prefix) DESC LIMIT 50`,
      [key, src],
    );
    const valid = rows.filter((r) => this.rovCheck(r.prefix, BigInt(r.origin)) !== 'invalid');
    if (!valid.length) return undefined;
    const best = valid[0].prefix;
    return { prefix: best, origins: [...new Set(valid.filter((r) => r.prefix === best).map((r) => `AS${r.origin}`))] };
  }

  async getObject(source: string, className: string, pkey: string): Promise<StoredObject | undefined> {
    return getObject(this.db, source, className, pkey);
  }
}

export { keyCanWriteIrr };
