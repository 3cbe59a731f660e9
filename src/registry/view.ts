/**
 * The in-memory view of the registry that WHOIS answers from (and, in one process, RDAP's `ip/` and `autnum/`):
 * every delegation in an IntervalIndex (longest match, less/more specifics in O(log n)), organisations,
 * contacts and maintainers by handle. Loaded once at start, then kept fresh from the change feed: in-process
 * writes announce their serial through `registry.changes.onSerial`, writes from other processes are found by
 * polling `changesSince`. Both paths run the same `sync()`, one at a time, so the view converges to the feed's
 * order.
 */
import type { Db } from '../db/database.js';
import { IntervalIndex, type NumberRange } from '../core/index.js';
import { DELEGATION_SELECT, toDelegation, type Delegation, type DelegationRow } from './delegation-model.js';
import { changesSince, currentSerial, type ChangeNotifier } from './feed.js';
import { listOrganisations, organisationByHandle, type Organisation } from './organisations.js';
import { contactByHandle, contactsByHandles, type Contact } from './contacts.js';
import { maintainerByHandle, type Maintainer } from './maintainers.js';

const PAGE = 20_000;

/**
 * DELEGATION_SELECT with dates and times as text: parsing millions of timestamps into Date objects in the
 * driver was a third of the load time. If the registry's SELECT changes shape, the replacements simply do not
 * apply and the plain SELECT is used.
 */
const ISO = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${col.slice(2)}`;
const VIEW_SELECT = DELEGATION_SELECT
  .replace('d.delegated_on,', 'd.delegated_on::text AS delegated_on,')
  .replace('d.created_at, d.updated_at', `${ISO('d.created_at')}, ${ISO('d.updated_at')}`);
const EMPTY = Object.freeze([]) as unknown as string[];

export interface ViewOptions {
  /** In-process change notifications (Registry.changes). */
  notifier?: ChangeNotifier;
  /** How often to poll the feed for writes made by other processes; 0 disables polling. */
  pollMs?: number;
  onError?: (error: unknown) => void;
}

export class RegistryView {
  index = new IntervalIndex<Delegation>();
  readonly delegations = new Map<string, Delegation>();
  readonly orgsById = new Map<string, Organisation>();
  readonly orgsByHandle = new Map<string, Organisation>();
  readonly contacts = new Map<string, Contact>();
  readonly maintainers = new Map<string, Maintainer>();
  /** upper-cased net name → delegation id, or ids when several share it (most net names are unique) */
  private readonly netNames = new Map<string, string | Set<string>>();
  /** holder id → ids of its AS-number delegations */
  readonly asnsByHolder = new Map<string, Set<string>>();
  serial = 0;
  /**
   * Bumped before and after every batch of feed changes is applied: caches of rendered answers (engine.ts) keep
   * what they computed only while it stays the same, so an answer never outlives the data it was made from.
   */
  version = 0;
  private readonly strings = new Map<string, string>();
  private readonly arrays = new Map<string, string[]>();
  private running: Promise<void> = Promise.resolve();
  private again = false;
  /** True while feed changes are being applied (then `settled()` resolves when they are). */
  syncing = false;
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;

  constructor(private readonly db: Db, private readonly options: ViewOptions = {}) {}

  async load(): Promise<void> {
    // Read the serial first: changes committed during the load are replayed by the first sync (idempotent).
    this.serial = await currentSerial(this.db);
    const all: Delegation[] = [];
    for (let last = '0'; ;) {
      const { rows } = await this.db.query<DelegationRow>(`${VIEW_SELECT} WHERE d.id > $1 ORDER BY d.id LIMIT ${PAGE}`, [last]);
      for (const row of rows) all.push(this.intern(toDelegation(row)));
      if (rows.length < PAGE) break;
      last = rows[rows.length - 1]!.id;
    }
    this.index = IntervalIndex.from(all.map((d) => ({ range: d.range, value: d })));
    for (const d of all) this.remember(d);
    for (const o of await listOrganisations(this.db)) this.putOrganisation(o);
    const handles = (await this.db.query<{ handle: string }>('SELECT handle FROM contact')).rows.map((r) => r.handle);
    for (let i = 0; i < handles.length; i += 5000) for (const c of await contactsByHandles(this.db, handles.slice(i, i + 5000))) this.contacts.set(c.handle, c);
    for (const { handle } of (await this.db.query<{ handle: string }>('SELECT handle FROM maintainer')).rows) {
      const m = await maintainerByHandle(this.db, handle);
      if (m) this.maintainers.set(m.handle, m);
    }
    if (this.options.notifier) this.unsubscribe = this.options.notifier.onSerial(() => void this.sync());
    if (this.options.pollMs) {
      this.timer = setInterval(() => void this.sync(), this.options.pollMs);
      this.timer.unref();
    }
  }

  /** Resolves once every change known when it was called has been applied. */
  settled(): Promise<void> {
    return this.syncing ? this.running : Promise.resolve();
  }

  /** Applies the feed's changes since the last applied serial. Concurrent calls coalesce into one more run. */
  sync(): Promise<void> {
    if (this.syncing) {
      this.again = true;
      return this.running;
    }
    this.syncing = true;
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.applyPending();
        } while (this.again);
      } catch (error) {
        this.options.onError?.(error);
      } finally {
        this.syncing = false;
      }
    })();
    return this.running;
  }

  close(): void {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
  }

  private async applyPending(): Promise<void> {
    for (;;) {
      const changes = await changesSince(this.db, this.serial, 1000);
      if (changes.length === 0) return;
      this.version++;
      const delegationIds = new Set<string>();
      for (const c of changes) {
        switch (c.objectType) {
          case 'delegation':
            delegationIds.add(c.objectKey);
            break;
          case 'organisation': {
            const o = await organisationByHandle(this.db, c.objectKey);
            if (o) this.putOrganisation(o);
            break;
          }
          case 'contact': {
            const x = await contactByHandle(this.db, c.objectKey);
            if (x) this.contacts.set(x.handle, x);
            else this.contacts.delete(c.objectKey.toUpperCase());
            break;
          }
          case 'maintainer': {
            const m = await maintainerByHandle(this.db, c.objectKey);
            if (m) this.maintainers.set(m.handle, m);
            else this.maintainers.delete(c.objectKey.toUpperCase());
            break;
          }
        }
      }
      if (delegationIds.size > 0) {
        const ids = [...delegationIds];
        const { rows } = await this.db.query<DelegationRow>(`${VIEW_SELECT} WHERE d.id = ANY($1::bigint[])`, [ids]);
        const fresh = new Map(rows.map((r) => [r.id, this.intern(toDelegation(r))]));
        for (const id of ids) this.forget(id);
        for (const d of fresh.values()) {
          this.index.add(d.range, d);
          this.remember(d);
        }
      }
      this.serial = changes[changes.length - 1]!.serial;
      this.version++;
    }
  }

  /**
   * Shares equal strings and arrays between delegations: at millions of rows most attribute values repeat
   * (holders, registries, contact lists, load-time timestamps), and sharing them cuts the view's memory by
   * about half.
   */
  private intern(d: Delegation): Delegation {
    const s = (x: string | null): string | null => {
      if (x === null) return null;
      const hit = this.strings.get(x);
      if (hit !== undefined) return hit;
      if (this.strings.size < 1_000_000) this.strings.set(x, x);
      return x;
    };
    const a = (xs: string[]): string[] => {
      if (xs.length === 0) return EMPTY;
      const key = xs.join('\u0000');
      const hit = this.arrays.get(key);
      if (hit) return hit;
      if (this.arrays.size < 100_000) this.arrays.set(key, xs);
      return xs;
    };
    d.holderHandle = s(d.holderHandle)!;
    d.holderName = s(d.holderName)!;
    d.registry = s(d.registry)!;
    d.country = s(d.country);
    d.delegatedOn = s(d.delegatedOn);
    d.createdAt = s(d.createdAt)!;
    d.updatedAt = s(d.updatedAt)!;
    d.abuseC = s(d.abuseC);
    d.holderId = s(d.holderId)!;
    d.parentId = s(d.parentId);
    d.adminC = a(d.adminC);
    d.techC = a(d.techC);
    d.mntBy = a(d.mntBy);
    d.mntLower = a(d.mntLower);
    d.mntRoutes = a(d.mntRoutes);
    return d;
  }

  private putOrganisation(o: Organisation): void {
    this.orgsById.set(o.id, o);
    this.orgsByHandle.set(o.handle, o);
  }

  private remember(d: Delegation): void {
    this.delegations.set(d.id, d);
    if (d.netName) {
      const key = d.netName.toUpperCase();
      const had = this.netNames.get(key);
      if (had === undefined) this.netNames.set(key, d.id);
      else if (typeof had === 'string') this.netNames.set(key, new Set([had, d.id]));
      else had.add(d.id);
    }
    if (d.family === 'asn') {
      let set = this.asnsByHolder.get(d.holderId);
      if (!set) this.asnsByHolder.set(d.holderId, (set = new Set()));
      set.add(d.id);
    }
  }

  private forget(id: string): void {
    const d = this.delegations.get(id);
    if (!d) return;
    this.delegations.delete(id);
    this.index.remove(d.range, (v) => v.id === id);
    if (d.netName) {
      const key = d.netName.toUpperCase();
      const had = this.netNames.get(key);
      if (had === id) this.netNames.delete(key);
      else if (typeof had === 'object') had.delete(id);
    }
    if (d.family === 'asn') this.asnsByHolder.get(d.holderId)?.delete(id);
  }

  // ---- read helpers ----

  byNetName(name: string): Delegation[] {
    const had = this.netNames.get(name.toUpperCase());
    const ids = had === undefined ? [] : typeof had === 'string' ? [had] : [...had];
    return ids.map((id) => this.delegations.get(id)).filter((d): d is Delegation => d !== undefined);
  }

  /**
   * The most specific delegation containing `range`. Among delegations with the same range (a block passed down
   * whole) it is the deepest, the newest by id, as the database look-up answers: the index alone would give the
   * one it re-indexed last, which after a modification can be the parent.
   */
  longestMatch(range: NumberRange): Delegation | undefined {
    let found: Delegation | undefined;
    if (range.start === range.end) found = this.index.longestMatch(range.family, range.start)?.value;
    else {
      const less = this.index.lessSpecifics(range, { inclusive: true });
      found = less[less.length - 1]?.value;
    }
    return found && this.exact(found.range);
  }

  /** The delegation with exactly this range; the deepest (newest by id) when a block was passed down whole. */
  exact(range: NumberRange): Delegation | undefined {
    let deepest: Delegation | undefined;
    for (const { value } of this.index.exact(range)) {
      if (!deepest || value.id.length > deepest.id.length || (value.id.length === deepest.id.length && value.id > deepest.id)) deepest = value;
    }
    return deepest;
  }

  parent(d: Delegation): Delegation | undefined {
    return d.parentId ? this.delegations.get(d.parentId) : undefined;
  }

  holder(d: Delegation): Organisation | undefined {
    return this.orgsById.get(d.holderId);
  }

  /** Abuse contact of a delegation, inherited from the closest ancestor that names one (RIPE abuse-c semantics). */
  abuseContact(d: Delegation): Contact | undefined {
    for (let x: Delegation | undefined = d; x; x = this.parent(x)) {
      if (x.abuseC) {
        const c = this.contacts.get(x.abuseC);
        if (c) return c;
      }
    }
    return undefined;
  }

  /** Lowest AS number delegated to the organisation, or to the holder of a less specific block. */
  registeredOrigin(d: Delegation): bigint | undefined {
    for (let x: Delegation | undefined = d; x; x = this.parent(x)) {
      const ids = this.asnsByHolder.get(x.holderId);
      if (!ids || ids.size === 0) continue;
      let best: bigint | undefined;
      for (const id of ids) {
        const a = this.delegations.get(id);
        if (a && (best === undefined || a.range.start < best)) best = a.range.start;
      }
      if (best !== undefined) return best;
    }
    return undefined;
  }
}
