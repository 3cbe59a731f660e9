/**
 * Set expansion for !i, !a and bgpq4. Iterative breadth-first walk over the in-memory member graph with a
 * visited set: loops (AS-A -> AS-B -> AS-A) and self references end the walk instead of recursing, and sets
 * with tens of thousands of members expand without deep call stacks. Semantics follow IRRd: an as-set
 * expands to AS numbers; a route-set to prefixes (range operators kept), where AS numbers and as-sets named
 * in a route-set contribute the prefixes they originate; sets that do not exist are dropped.
 */
import { compareRoutes, type IrrIndex, type RouteEntry } from './memory-index.js';
import { aggregatePrefixes, formatPrefixText, parsePrefixText, type IpFamily, type IrrPrefix } from './net.js';

export interface ExpandOptions {
  sources: string[];
  includeInvalid?: boolean;
  excluded?: Set<string>;
}

const isAsn = (m: string) => /^AS[0-9]+$/.test(m);
const isPrefix = (m: string) => m.includes('/');

/** Direct members (non-recursive !i): members + mbrs-by-ref members, as written. undefined: no such set. */
export function directMembers(index: IrrIndex, name: string, opt: ExpandOptions): string[] | undefined {
  const set = index.findSet(name, opt.sources);
  if (!set) return undefined;
  const out = new Set(set.members);
  const ref = index.referencedMembers(set, opt.sources);
  for (const asn of ref.asns) out.add(`AS${asn}`);
  for (const r of ref.routes) out.add(r.prefix);
  out.delete(name);
  return [...out];
}

export interface Expansion {
  rootClass: 'as-set' | 'route-set';
  asns: Set<number>;
  /** route-set roots: prefixes written in the sets (with range operators) */
  prefixes: Set<string>;
  /** route-set roots: routes contributed by AS members (resolved against route objects) */
  routes: RouteEntry[];
  setsVisited: number;
}

/** Recursive expansion. undefined: the root set does not exist. */
export function expandSet(index: IrrIndex, name: string, opt: ExpandOptions): Expansion | undefined {
  const root = index.findSet(name, opt.sources);
  if (!root) return undefined;
  const asns = new Set<number>();
  const prefixes = new Set<string>();
  const seen = new Set<string>([name]);
  let queue: string[] = [name];
  let visited = 0;
  while (queue.length) {
    const next: string[] = [];
    for (const setName of queue) {
      const set = index.findSet(setName, opt.sources);
      if (!set) continue; // a member naming a set nobody registered: dropped, as in IRRd
      // RFC 2622 5.1: as-sets contain only AS numbers and as-sets
      if (root.className === 'as-set' && set.className !== 'as-set') continue;
      visited++;
      for (const m of set.members) {
        if (isAsn(m)) asns.add(Number(m.slice(2)));
        else if (isPrefix(m)) {
          if (root.className === 'route-set') prefixes.add(m);
        } else {
          const base = m.split('^')[0];
          if (!seen.has(base) && !opt.excluded?.has(base)) {
            seen.add(base);
            next.push(base);
          }
        }
      }
      const ref = index.referencedMembers(set, opt.sources);
      for (const a of ref.asns) asns.add(a);
      for (const r of ref.routes) prefixes.add(r.prefix);
    }
    queue = next;
  }
  const routes: RouteEntry[] = [];
  if (root.className === 'route-set') {
    for (const a of asns) routes.push(...index.routesByOrigin(a, opt.sources, undefined, opt.includeInvalid));
  }
  return { rootClass: root.className, asns, prefixes, routes, setsVisited: visited };
}

/** !i<set>,1 answer items: AS numbers for as-sets, prefixes for route-sets (sorted like IRRd). */
export function recursiveMembers(e: Expansion): string[] {
  if (e.rootClass === 'as-set') return [...e.asns].sort((a, b) => a - b).map((a) => `AS${a}`);
  const out = new Set(e.prefixes);
  for (const r of e.routes) out.add(r.prefix);
  return [...out].sort();
}

export function comparePrefixes(a: IrrPrefix, b: IrrPrefix): number {
  if (a.family !== b.family) return a.family === 'ipv4' ? -1 : 1;
  if (a.start !== b.start) return a.start < b.start ? -1 : 1;
  return a.length - b.length;
}

/** Distinct routes (by prefix) originated by a set of AS numbers, sorted (!a, !g). */
export function routesOfOrigins(index: IrrIndex, asns: Iterable<number>, family: IpFamily | undefined, opt: ExpandOptions): RouteEntry[] {
  const all: RouteEntry[] = [];
  let origins = 0;
  for (const a of asns) {
    origins++;
    for (const r of index.routesByOrigin(a, opt.sources, family, opt.includeInvalid)) all.push(r);
  }
  if (origins === 1 && opt.sources.length === 1) return all; // already sorted and distinct
  all.sort(compareRoutes);
  // the same prefix from several origins (or sources) is listed once
  const out: RouteEntry[] = [];
  for (const r of all) if (!out.length || out[out.length - 1].prefix !== r.prefix || out[out.length - 1].length !== r.length) out.push(r);
  return out;
}

export function prefixesOfOrigins(index: IrrIndex, asns: Iterable<number>, family: IpFamily | undefined, opt: ExpandOptions): IrrPrefix[] {
  return routesOfOrigins(index, asns, family, opt).map((r) => ({ family: r.family, start: r.start, length: r.length }));
}

/** !a answer: prefixes (text) for every origin in the recursively expanded set; optionally aggregated. */
export function prefixesOfSet(index: IrrIndex, name: string, family: IpFamily | undefined, opt: ExpandOptions & { aggregate?: boolean }): string[] | undefined {
  const e = expandSet(index, name, opt);
  if (!e) return undefined;
  let list: IrrPrefix[];
  if (e.rootClass === 'as-set') {
    const routes = routesOfOrigins(index, e.asns, family, opt);
    if (!opt.aggregate) return routes.map((r) => r.prefix);
    list = routes.map((r) => ({ family: r.family, start: r.start, length: r.length }));
  } else {
    const seen = new Map<string, IrrPrefix>();
    for (const p of e.prefixes) {
      const q = parsePrefixText(p.split('^')[0]);
      if (!family || q.family === family) seen.set(formatPrefixText(q), q);
    }
    for (const r of e.routes) if (!family || r.family === family) seen.set(r.prefix, { family: r.family, start: r.start, length: r.length });
    list = [...seen.values()].sort(comparePrefixes);
  }
  if (opt.aggregate) list = [...aggregatePrefixes(list.filter((p) => p.family === 'ipv4')), ...aggregatePrefixes(list.filter((p) => p.family === 'ipv6'))];
  return list.map(formatPrefixText);
}
