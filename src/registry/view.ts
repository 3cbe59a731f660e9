/**
 * The in-memory view of the registry that WHOIS answers from (and, in one process, RDAP's `ip/` and `autnum/`):
 * every delegation in a DelegationIndex (longest match, less/more specifics in O(log n), kept off the
 * JavaScript heap), organisations, contacts and maintainers by handle. Loaded once at start, then kept fresh
 * from the change feed: in-process writes announce their serial through `registry.changes.onSerial`, writes
 * from other processes are found by polling `changesSince`. Both paths run the same `sync()`, one at a time,
 * so the view converges to the feed's order.
 */
import type { Db } from '../db/database.js';
import type { NumberRange } from '../core/index.js';
import { DELEGATION_SELECT, toDelegation, type Delegation, type DelegationRow } from './delegation-model.js';
import { DelegationIndex, DelegationIndexBuilder } from './delegation-index.js';
import { fullGc } from '../runtime/full-gc.js';
import { changesSince, currentSerial, type ChangeNotifier } from './feed.js';
import { listOrganisations, organisationByHandle, type Organisation } from './organisations.js';
import { contactByHandle, contactsByHandles, type Contact } from './contacts.js';
import { maintainerByHandle, type Maintainer } from './maintainers.js';

const PAGE = 20_000;
/** Delegations from which a load is worth a full garbage collection afterwards. */
const BIG_LOAD = 100_000;

/**
 * DELEGATION_SELECT with dates and times as text: parsing millions of timestamps into Date objects in the
 * driver was a third of the load time. If the registry's SELECT changes shape, the replacements simply do not
 * apply and the plain SELECT is used.
 */
const ISO = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${col.slice(2)}`;
const VIEW_SELECT = DELEGATION_SELECT
  .replace('d.delegated_on,', 'd.delegated_on::text AS delegated_on,')
  .replace('d.created_at, d.updated_at', `${ISO('d.created_at')}, ${ISO('d.updated_at')}`);

export interface ViewOptions {
  /** In-process change notifications (Registry.changes). */
  notifier?: ChangeNotifier;
  /** How often to poll the feed for writes made by other processes; 0 disables polling. */
  pollMs?: number;
  onError?: (error: unknown) => void;
}

export class RegistryView {
  delegations = DelegationIndex.empty();
  readonly orgsById = new Map<string, Organisation>();
  readonly orgsByHandle = new Map<string, Organisation>();
  readonly contacts = new Map<string, Contact>();
  readonly maintainers = new Map<string, Maintainer>();
  serial = 0;
  /**
   * Bumped before and after every batch of feed changes is applied: caches of rendered answers (engine.ts) keep
   * what they computed only while it stays the same, so an answer never outlives the data it was made from.
   */
  version = 0;
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
    const builder = new DelegationIndexBuilder();
    for (let last = '0'; ;) {
      const { rows } = await this.db.query<DelegationRow>(`${VIEW_SELECT} WHERE d.id > $1 ORDER BY d.id LIMIT ${PAGE}`, [last]);
      for (const row of rows) builder.add(toDelegation(row));
      if (rows.length < PAGE) break;
      last = rows[rows.length - 1]!.id;
    }
    this.delegations = builder.finish();
    for (const o of await listOrganisations(this.db)) this.putOrganisation(o);
    const handles = (await this.db.query<{ handle: string }>('SELECT handle FROM contact')).rows.map((r) => r.handle);
    for (let i = 0; i < handles.length; i += 5000) for (const c of await contactsByHandles(this.db, handles.slice(i, i + 5000))) this.contacts.set(c.handle, c);
    for (const { handle } of (await this.db.query<{ handle: string }>('SELECT handle FROM maintainer')).rows) {
      const m = await maintainerByHandle(this.db, handle);
      if (m) this.maintainers.set(m.handle, m);
    }
    // the load's dead rows would otherwise sit in the old generation and lengthen every scavenge (full-gc.ts)
    if (this.delegations.size >= BIG_LOAD) fullGc();
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
        for (const id of ids) this.delegations.remove(id);
        for (const row of rows) this.delegations.add(toDelegation(row));
      }
      this.serial = changes[changes.length - 1]!.serial;
      this.version++;
    }
  }

  private putOrganisation(o: Organisation): void {
    this.orgsById.set(o.id, o);
    this.orgsByHandle.set(o.handle, o);
  }

  // ---- read helpers ----

  byNetName(name: string): Delegation[] {
    return this.delegations.byNetName(name.toUpperCase());
  }

  /**
   * The most specific delegation containing `range`. Among delegations with the same range (a block passed down
   * whole) it is the deepest, the newest by id, as the database look-up answers.
   */
  longestMatch(range: NumberRange): Delegation | undefined {
    if (range.start === range.end) return this.delegations.longestMatch(range.family, range.start);
    const less = this.delegations.lessSpecifics(range, true);
    return less[less.length - 1];
  }

  /** The delegation with exactly this range; the deepest (newest by id) when a block was passed down whole. */
  exact(range: NumberRange): Delegation | undefined {
    const all = this.delegations.exact(range);
    return all[all.length - 1];
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
      const lowest = this.delegations.lowestAsnOf(x.holderId);
      if (lowest !== undefined) return lowest;
    }
    return undefined;
  }
}
