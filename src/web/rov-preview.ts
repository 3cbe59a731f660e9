/**
 * "What will this break": route-origin validation (RFC 6811) of announced routes against the current
 * VRPs and against the VRPs with a proposed ROA added, listing the routes whose state changes.
 */
import { parseAsn, parsePrefix, prefixToRange, rangeContains, type Prefix } from '../core/index.js';
import type { RovState } from './integrations.js';

export interface Vrp { prefix: string; maxLength: number; asn: string }
export interface Announcement { prefix: string; origin: string; source: string }
export interface PreviewRow extends Announcement { before: RovState; after: RovState }

interface ParsedVrp { p: Prefix; maxLength: number; asn: bigint }

function parseVrp(v: Vrp): ParsedVrp | undefined {
  try {
    return { p: parsePrefix(v.prefix), maxLength: v.maxLength, asn: parseAsn(String(v.asn)) };
  } catch {
    return undefined;
  }
}

/** RFC 6811: covered by no VRP → not-found; some covering VRP matches origin and length → valid; else invalid. */
export function rovState(prefix: Prefix, origin: bigint, vrps: ParsedVrp[]): RovState {
  let covered = false;
  const range = prefixToRange(prefix);
  for (const v of vrps) {
    if (v.p.family !== prefix.family || v.p.length > prefix.length || !rangeContains(prefixToRange(v.p), range)) continue;
    covered = true;
    // AS0 never matches a route (RFC 6483 §4).
    if (v.asn !== 0n && v.asn === origin && prefix.length <= v.maxLength) return 'valid';
  }
  return covered ? 'invalid' : 'not-found';
}

export function previewRoa(proposed: Vrp, current: Vrp[], announcements: Announcement[]): PreviewRow[] {
  return previewChange(proposed, current, [...current, proposed], announcements);
}

/** The same for removing a ROA: `current` still contains it. */
export function previewRoaRemoval(removed: Vrp, current: Vrp[], announcements: Announcement[]): PreviewRow[] {
  const key = (v: Vrp) => `${v.prefix}|${v.maxLength}|${String(v.asn).toUpperCase()}`;
  let dropped = false;
  const after = current.filter((v) => dropped || key(v) !== key(removed) || !(dropped = true));
  return previewChange(removed, current, after, announcements);
}

/** Routes inside `scope` whose ROV state is computed with the VRPs before and after a change. */
function previewChange(scope: Vrp, beforeVrps: Vrp[], afterVrps: Vrp[], announcements: Announcement[]): PreviewRow[] {
  const parseAll = (list: Vrp[]) => list.map(parseVrp).filter((v): v is ParsedVrp => v !== undefined);
  const before = parseAll(beforeVrps);
  const after = parseAll(afterVrps);
  const added = parseVrp(scope);
  const rows: PreviewRow[] = [];
  for (const a of announcements) {
    let p: Prefix;
    let origin: bigint;
    try {
      p = parsePrefix(a.prefix);
      origin = parseAsn(a.origin);
    } catch {
      continue;
    }
    if (added && (added.p.family !== p.family || !rangeContains(prefixToRange(added.p), prefixToRange(p)))) continue;
    rows.push({ ...a, before: rovState(p, origin, before), after: rovState(p, origin, after) });
  }
  return rows;
}

/** "192.0.2.0/24 AS64496" per line (also "192.0.2.0/24,64496"). */
export function parseAnnouncements(text: string): Announcement[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, 500)
    .map((l) => {
      const [prefix = '', origin = ''] = l.split(/[\s,]+/);
      return { prefix, origin, source: 'announced' };
    });
}
