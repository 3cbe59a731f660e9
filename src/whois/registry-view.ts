/**
 * The WHOIS server's in-memory view of the registry: every delegation in an IntervalIndex (longest match,
 * less/more specifics in O(log n)), organisations, contacts and maintainers by handle. Loaded once at start,
 * then kept fresh from the change feed: in-process writes announce their serial through
 * `registry.changes.onSerial`, writes from other processes are found by polling `changesSince`. Both paths
 * run the same `sync()`, one at a time, so the view converges to the feed's order.
 */
import type { Db } from '../db/database.js';
import { IntervalIndex, type NumberRange } from '../core/index.js';
import { DELEGATION_SELECT, toDelegation, type Delegation, type DelegationRow } from '../registry/delegation-model.js';
import { changesSince, currentSerial, type ChangeNotifier } from '../registry/feed.js';
import { listOrganisations, organisationByHandle, type Organisation } from '../registry/organisations.js';
import { contactByHandle, contactsByHandles, type Contact } from '../registry/contacts.js';
import { maintainerByHandle, type Maintainer } from '../registry/maintainers.js';

const PAGE = 20_000;

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
  /** upper-cased net name → delegation ids */
  readonly netNames = new Map<string, Set<string>>();
  /** holder id → ids of its AS-number delegations */
  readonly asnsByHolder = new Map<string, Set<string>>();
  serial = 0;
  private running: Promise<void> = Promise.resolve();
  private again = false;
  private syncing = false;
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;

  constructor(private readonly db: Db, private readonly options: ViewOptions = {}) {}

  async load(): Promise<void> {
    // Read the serial first: changes committed during the load are replayed by the first sync (idempotent).
    this.serial = await currentSerial(this.db);
    const all: Delegation[] = [];
    for (let last = '0'; ;) {
      const { rows } = await this.db.query<DelegationRow>(`${DELEGATION_SELECT} WHERE d.id > $1 ORDER BY d.id LIMIT ${PAGE}`, [last]);
      for (const row of rows) all.push(toDelegation(row));
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
        const { rows } = await this.db.query<DelegationRow>(`${DELEGATION_SELECT} WHERE d.id = ANY($1::bigint[])`, [ids]);
        const fresh = new Map(rows.map((r) => [r.id, toDelegation(r)]));
        for (const id of ids) this.forget(id);
        for (const d of fresh.values()) {
          this.index.add(d.range, d);
          this.remember(d);
        }
      }
      this.serial = changes[changes.length - 1]!.serial;
    }
  }

  private putOrganisation(o: Organisation): void {
    this.orgsById.set(o.id, o);
    this.orgsByHandle.set(o.handle, o);
  }

  private remember(d: Delegation): void {
    this.delegations.set(d.id, d);
    if (d.netName) {
      const key = d.netName.toUpperCase();
      let set = this.netNames.get(key);
      if (!set) this.netNames.set(key, (set = new Set()));
      set.add(d.id);
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
    if (d.netName) this.netNames.get(d.netName.toUpperCase())?.delete(id);
    if (d.family === 'asn') this.asnsByHolder.get(d.holderId)?.delete(id);
  }

  // ---- read helpers ----

  longestMatch(range: NumberRange): Delegation | undefined {
    if (range.start === range.end) return this.index.longestMatch(range.family, range.start)?.value;
    const less = this.index.lessSpecifics(range, { inclusive: true });
    return less[less.length - 1]?.value;
  }

  exact(range: NumberRange): Delegation | undefined {
    const found = this.index.exact(range);
    return found[found.length - 1]?.value;
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
