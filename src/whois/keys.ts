/**
 * Search-key classification: which kinds of object a key can name. One ordered table of patterns; the
 * first matching row wins. Keys are matched case-insensitively everywhere (the Debian client lower-cases
 * the last word it sends).
 */
import { parseResource, ResourceParseError, type NumberRange } from '../core/index.js';

export type KeyKind =
  | 'address'      // 192.0.2.1, 2001:db8::1
  | 'prefix'       // 192.0.2.0/24, 2001:db8::/32
  | 'range'        // 192.0.2.0 - 192.0.2.255
  | 'as'           // AS64496, as1.10
  | 'as-range'     // AS64496 - AS64511
  | 'set-name'     // AS-EXAMPLE, RS-FOO, AS64496:AS-CUSTOMERS (IRR objects)
  | 'organisation' // ORG-EXAMPLE1
  | 'maintainer'   // EXAMPLE-MNT, MAINT-EXAMPLE
  | 'handle'       // contact nic-hdl, netname, any other one-word key
  | 'name';        // free text with blanks: person/role/organisation names

export interface ClassifiedKey {
  kind: KeyKind;
  /** The key upper-cased (handles and names are stored upper-case / compared case-insensitively). */
  upper: string;
  range?: NumberRange;
}

const IPISH = /^[0-9a-f:.]+(\/\d{1,3})?$|^[0-9a-f:.]+\s*-\s*[0-9a-f:.]+$/i;
const ASISH = /^as\d[\d.]*(\s*-\s*(as)?\d[\d.]*)?$/i;

interface Row {
  kind: KeyKind;
  test: (key: string) => boolean;
}

const ROWS: Row[] = [
  { kind: 'set-name', test: (k) => /^(as|rs|fltr|rtrs|prng)-[a-z0-9_-]+$/i.test(k) || /^as\d+:[a-z0-9:_-]+$/i.test(k) },
  { kind: 'organisation', test: (k) => /^org-[a-z0-9_-]+$/i.test(k) },
  { kind: 'maintainer', test: (k) => /^[a-z0-9][a-z0-9_-]*-mnt$/i.test(k) || /^(mnt|maint)-[a-z0-9_-]+$/i.test(k) },
  { kind: 'handle', test: (k) => /^[a-z0-9][a-z0-9_.-]{0,79}$/i.test(k) },
  { kind: 'name', test: (k) => /\S/.test(k) },
];

/** Classifies a non-empty key; throws ResourceParseError for keys that look like resources but are not valid. */
export function classifyKey(key: string): ClassifiedKey {
  const k = key.trim();
  const upper = k.toUpperCase();
  if (ASISH.test(k) || (IPISH.test(k) && /[.:/]/.test(k))) {
    let range: NumberRange;
    try {
      range = parseResource(k);
    } catch (e) {
      // "a.b" or "dead.beef" may be a netname; only digit-and-separator keys are surely resources
      if (!(e instanceof ResourceParseError) || /^[0-9.:/\s-]+$/.test(k) || /^as\d/i.test(k)) throw e;
      return classifyWord(k, upper);
    }
    if (range.family === 'asn') return { kind: range.start === range.end && !k.includes('-') ? 'as' : 'as-range', upper, range };
    const kind: KeyKind = k.includes('/') ? 'prefix' : k.includes('-') ? 'range' : 'address';
    return { kind, upper, range };
  }
  return classifyWord(k, upper);
}

function classifyWord(k: string, upper: string): ClassifiedKey {
  for (const row of ROWS) if (row.test(k)) return { kind: row.kind, upper };
  throw new ResourceParseError(k, 'not a valid search key');
}

export const isResourceKind = (kind: KeyKind) =>
  kind === 'address' || kind === 'prefix' || kind === 'range' || kind === 'as' || kind === 'as-range';
