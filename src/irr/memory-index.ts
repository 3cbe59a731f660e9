/**
 * In-memory query index of the IRR: routes by origin, sets by name, member-of back references. IRRd answers
 * !g/!i/!a from PostgreSQL; numreg keeps this compact index instead so that a 10,000-member as-set expands
 * and aggregates in milliseconds. It is built from rpsl_object once and then follows the change feed
 * (catchUp), so it stays consistent with writes made by other processes too.
 */
import type { Queryable } from '../db/database.js';
import { parseObject } from './validate.js';
import { parsePrefixText, type IpFamily } from './net.js';
import type { FeedEntry } from './store.js';

export type RovStatus = 'valid' | 'invalid' | 'not-found';
const NONE: string[] = [];
export type RovCheck = (prefix: string, origin: bigint) => RovStatus;

export interface RouteEntry {
  family: IpFamily;
  prefix: string;
  start: bigint;
  length: number;
  origin: number;
  rov: RovStatus;
  memberOf: string[];
  mntBy: string[];
  /** sort key: IPv4 start * 256 + length (exact in a double); IPv6 the top 48 bits (ties broken with start) */
  key: number;
}

/** Order of answers: IPv4 before IPv6, then address, then prefix length. */
export function compareRoutes(a: RouteEntry, b: RouteEntry): number {
  if (a.family !== b.family) return a.family === 'ipv4' ? -1 : 1;
  if (a.key !== b.key) return a.key - b.key;
  if (a.family === 'ipv4') return 0;
  return a.start < b.start ? -1 : a.start > b.start ? 1 : a.length - b.length;
}

/** Routes of one origin, with a sorted copy cached for !g / !6 / !a. */
class OriginRoutes extends Map<string, RouteEntry> {
  private sortedCache?: RouteEntry[];
  sorted(): RouteEntry[] {
    return (this.sortedCache ??= [...this.values()].sort(compareRoutes));
  }
  override set(k: string, v: RouteEntry): this {
    this.sortedCache = undefined;
    return super.set(k, v);
  }
  override delete(k: string): boolean {
    this.sortedCache = undefined;
    return super.delete(k);
  }
}

export interface SetEntry {
  className: 'as-set' | 'route-set';
  name: string;
  members: string[];
  mbrsByRef: string[];
}

interface SourceIndex {
  /** origin -> routes (both families) keyed by "prefix" for replacement */
  byOrigin: Map<number, OriginRoutes>;
  sets: Map<string, SetEntry>;
  /** aut-num -> its member-of and mnt-by (for as-set mbrs-by-ref) */
  autNums: Map<number, { memberOf: string[]; mntBy: string[] }>;
  /** set name -> routes / aut-nums that name it in member-of */
  routeMemberOf: Map<string, Set<RouteEntry>>;
  autNumMemberOf: Map<string, Set<number>>;
  routeCount: number;
}

const newSource = (): SourceIndex => ({
  byOrigin: new Map(), sets: new Map(), autNums: new Map(), routeMemberOf: new Map(), autNumMemberOf: new Map(), routeCount: 0,
});

export class IrrIndex {
  readonly sources = new Map<string, SourceIndex>();
  serial = 0;

  constructor(private rovCheck: RovCheck = () => 'not-found') {}

  setRovCheck(check: RovCheck): void {
    this.rovCheck = check;
    this.revalidate();
  }

  /** Re-evaluates every route against the current ROV function (after VRPs change). */
  revalidate(): void {
    for (const src of this.sources.values()) {
      for (const routes of src.byOrigin.values()) for (const r of routes.values()) r.rov = this.rovCheck(r.prefix, BigInt(r.origin));
    }
  }

  private src(name: string): SourceIndex {
    let s = this.sources.get(name);
    if (!s) this.sources.set(name, (s = newSource()));
    return s;
  }

  /** Full (re)build from the table; then catchUp() follows the feed from the serial read here. */
  async load(db: Queryable): Promise<void> {
    this.sources.clear();
    const { rows: st } = await db.query<{ serial: string }>('SELECT serial FROM feed_state WHERE id = 1');
    this.serial = Number(st[0]?.serial ?? 0);
    const batch = 100_000;
    let lastId = '0';
    // routes: only what the index needs; mnt-by lists are shared (most routes of an IRR name a few maintainers)
    const mntLists = new Map<string, string[]>();
    for (;;) {
      const { rows } = await db.query<{ id: string; source: string; pkey: string; origin: string; member_of: string[] | null; mnt_by: string }>(
        `SELECT id, source, pkey, origin, member_of, array_to_string(mnt_by, ',') AS mnt_by
           FROM rpsl_object WHERE class IN ('route','route6') AND id > $1 ORDER BY id LIMIT ${batch}`,
        [lastId],
      );
      for (const r of rows) {
        let mnt = mntLists.get(r.mnt_by);
        if (!mnt) mntLists.set(r.mnt_by, (mnt = r.mnt_by ? r.mnt_by.split(',') : NONE));
        this.addRoute(r.source, r.pkey.slice(0, r.pkey.lastIndexOf('AS')).toLowerCase(), Number(r.origin), r.member_of ?? NONE, mnt);
      }
      if (rows.length < batch) break;
      lastId = rows[rows.length - 1].id;
    }
    const { rows } = await db.query<{ source: string; class: string; pkey: string; members: string[] | null; member_of: string[] | null; mnt_by: string[]; mbrs: string[] | null }>(
      `SELECT source, class, pkey, members, member_of, mnt_by, attrs->'mbrs-by-ref' AS mbrs
         FROM rpsl_object WHERE class IN ('as-set','route-set','aut-num')`,
    );
    for (const r of rows) {
      if (r.class === 'aut-num') this.addAutNum(r.source, Number(r.pkey.slice(2)), r.member_of ?? NONE, r.mnt_by);
      else this.src(r.source).sets.set(r.pkey, { className: r.class as SetEntry['className'], name: r.pkey, members: r.members ?? [], mbrsByRef: (r.mbrs ?? []).map((x) => x.toUpperCase()) });
    }
  }

  /** Applies RPSL changes recorded in the feed after this index's serial. */
  catchUp(db: Queryable): Promise<number> {
    // One at a time: two overlapping catch-ups would both apply the same changes.
    const run = this.catching.then(() => this.catchUpOnce(db));
    this.catching = run.catch(() => undefined);
    return run;
  }

  private catching: Promise<unknown> = Promise.resolve();

  private async catchUpOnce(db: Queryable): Promise<number> {
    // The committed feed serial is read first and bounds the read: changes committed between the two queries
    // are left for the next catch-up instead of being skipped (serials commit in order under the feed lock).
    const { rows: st } = await db.query<{ serial: string }>('SELECT serial FROM feed_state WHERE id = 1');
    const upto = Number(st[0]?.serial ?? 0);
    if (upto <= this.serial) return 0;
    const { rows } = await db.query<{ serial: string; action: string; before: FeedEntry | null; after: FeedEntry | null }>(
      `SELECT serial, action, before, after FROM change WHERE serial > $1 AND serial <= $2 AND object_type LIKE 'rpsl:%' ORDER BY serial`,
      [this.serial, upto],
    );
    for (const r of rows) this.apply(r.before, r.after);
    this.serial = upto;
    return rows.length;
  }

  apply(before: FeedEntry | null | undefined, after: FeedEntry | null | undefined): void {
    if (before) this.remove(before);
    if (after) this.add(after);
  }

  private add(e: FeedEntry): void {
    const r = parseObject(e.text, { strict: false });
    const o = r.object;
    if (!o) return;
    if (o.prefix && o.origin !== undefined) {
      this.addRoute(e.source, o.values.get(o.className)![0], Number(o.origin), o.memberOf, o.mntBy);
    } else if (o.className === 'aut-num') {
      this.addAutNum(e.source, Number(o.pkey.slice(2)), o.memberOf, o.mntBy);
    } else if (o.className === 'as-set' || o.className === 'route-set') {
      this.src(e.source).sets.set(o.pkey, { className: o.className, name: o.pkey, members: o.members, mbrsByRef: (o.values.get('mbrs-by-ref') ?? []).map((x) => x.toUpperCase()) });
    }
  }

  private remove(e: FeedEntry): void {
    const s = this.sources.get(e.source);
    if (!s) return;
    if (e.class === 'route' || e.class === 'route6') {
      const cut = e.pkey.lastIndexOf('AS');
      const prefix = e.pkey.slice(0, cut).toLowerCase();
      const origin = Number(e.pkey.slice(cut + 2));
      const routes = s.byOrigin.get(origin);
      const entry = routes?.get(prefix);
      if (entry) {
        routes!.delete(prefix);
        s.routeCount--;
        for (const set of entry.memberOf) s.routeMemberOf.get(set)?.delete(entry);
      }
    } else if (e.class === 'aut-num') {
      const asn = Number(e.pkey.slice(2));
      const a = s.autNums.get(asn);
      if (a) for (const set of a.memberOf) s.autNumMemberOf.get(set)?.delete(asn);
      s.autNums.delete(asn);
    } else if (e.class === 'as-set' || e.class === 'route-set') {
      s.sets.delete(e.pkey);
    }
  }

  addRoute(source: string, prefixText: string, origin: number, memberOf: string[], mntBy: string[]): void {
    const s = this.src(source);
    const p = parsePrefixText(prefixText);
    const prefix = prefixText.toLowerCase();
    const key = p.family === 'ipv4' ? Number(p.start) * 256 + p.length : Number(p.start >> 80n);
    const entry: RouteEntry = { family: p.family, prefix, start: p.start, length: p.length, origin, rov: this.rovCheck(prefix, BigInt(origin)), memberOf, mntBy, key };
    let routes = s.byOrigin.get(origin);
    if (!routes) s.byOrigin.set(origin, (routes = new OriginRoutes()));
    if (!routes.has(prefix)) s.routeCount++;
    routes.set(prefix, entry);
    for (const set of memberOf) {
      let m = s.routeMemberOf.get(set);
      if (!m) s.routeMemberOf.set(set, (m = new Set()));
      m.add(entry);
    }
  }

  addAutNum(source: string, asn: number, memberOf: string[], mntBy: string[]): void {
    const s = this.src(source);
    s.autNums.set(asn, { memberOf, mntBy });
    for (const set of memberOf) {
      let m = s.autNumMemberOf.get(set);
      if (!m) s.autNumMemberOf.set(set, (m = new Set()));
      m.add(asn);
    }
  }

  routeCount(): number {
    let n = 0;
    for (const s of this.sources.values()) n += s.routeCount;
    return n;
  }

  /** Routes originated by `origin` in the given sources (in order, each sorted), RPKI-invalid ones left out
   *  unless asked. */
  routesByOrigin(origin: number, sources: string[], family?: IpFamily, includeInvalid = false): RouteEntry[] {
    const out: RouteEntry[] = [];
    for (const name of sources) {
      const routes = this.sources.get(name)?.byOrigin.get(origin);
      if (!routes) continue;
      for (const r of routes.sorted()) {
        if (family && r.family !== family) continue;
        if (!includeInvalid && r.rov === 'invalid') continue;
        out.push(r);
      }
    }
    return out;
  }

  findSet(name: string, sources: string[]): SetEntry | undefined {
    for (const s of sources) {
      const set = this.sources.get(s)?.sets.get(name);
      if (set) return set;
    }
    return undefined;
  }

  /** Members that joined a set by reference (member-of on the member + mnt-by allowed by mbrs-by-ref). */
  referencedMembers(set: SetEntry, sources: string[]): { asns: number[]; routes: RouteEntry[] } {
    const asns: number[] = [];
    const routes: RouteEntry[] = [];
    if (set.mbrsByRef.length === 0) return { asns, routes };
    const any = set.mbrsByRef.includes('ANY');
    const allowed = (mnt: string[]) => any || mnt.some((m) => set.mbrsByRef.includes(m));
    for (const name of sources) {
      const s = this.sources.get(name);
      if (!s) continue;
      if (set.className === 'as-set') {
        for (const asn of s.autNumMemberOf.get(set.name) ?? []) if (allowed(s.autNums.get(asn)!.mntBy)) asns.push(asn);
      } else {
        for (const r of s.routeMemberOf.get(set.name) ?? []) if (allowed(r.mntBy)) routes.push(r);
      }
    }
    return { asns, routes };
  }
}
