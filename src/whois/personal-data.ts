/**
 * What anonymous WHOIS users see, as one table, and the per-client daily limit on natural persons' objects.
 *
 * Visibility of an attribute:
 *   public     always shown
 *   unfiltered shown only with -B (RIPE filters e-mail addresses from default answers against spam harvesting)
 *   withheld   never shown to anonymous users, -B or not: natural persons' contact details (GDPR/APPI);
 *              legitimate-interest access goes through authenticated RDAP, not port 43
 */
import type { Attribute, WhoisObject } from './objects.js';

export type Visibility = 'public' | 'unfiltered' | 'withheld';

export const ATTRIBUTE_POLICY: Record<string, Record<string, Visibility>> = {
  person: { address: 'withheld', phone: 'withheld', 'fax-no': 'withheld', 'e-mail': 'withheld' },
  role: { 'e-mail': 'unfiltered' },
  organisation: { 'e-mail': 'unfiltered', phone: 'unfiltered', 'fax-no': 'unfiltered' },
  mntner: { auth: 'unfiltered', 'upd-to': 'unfiltered', 'mnt-nfy': 'unfiltered' },
  '*': { notify: 'unfiltered', changed: 'unfiltered', 'e-mail': 'unfiltered' },
};

export const PERSON_REMARK = 'address, phone, fax and e-mail of natural persons are not published';

function visibility(className: string, attr: string): Visibility {
  return ATTRIBUTE_POLICY[className]?.[attr] ?? ATTRIBUTE_POLICY['*']![attr] ?? 'public';
}

/** The object as an anonymous user may see it; `filtered`: something was left out; `withheld`: natural persons' data was. */
export function applyPolicy(object: WhoisObject, unfiltered: boolean): { object: WhoisObject; filtered: boolean; withheld: boolean } {
  let filtered = false;
  let withheld = false;
  const attributes: Attribute[] = [];
  for (const a of object.attributes) {
    const v = visibility(object.className, a.name);
    if (v === 'withheld') {
      filtered = withheld = true;
      continue;
    }
    if (v === 'unfiltered' && !unfiltered) {
      filtered = true;
      continue;
    }
    attributes.push(a);
  }
  if (!unfiltered) filtered = true; // RIPE marks every default answer as filtered
  if (withheld) {
    const at = attributes.findIndex((a) => a.name === 'nic-hdl');
    attributes.splice(at >= 0 ? at + 1 : attributes.length, 0, { name: 'remarks', value: PERSON_REMARK });
  }
  if (filtered) {
    const s = attributes.findIndex((a) => a.name === 'source');
    if (s >= 0 && !attributes[s]!.value.includes('# Filtered')) attributes[s] = { name: 'source', value: `${attributes[s]!.value} # Filtered` };
  }
  return { object: { ...object, attributes }, filtered, withheld };
}

/**
 * Counts natural persons' objects returned to each client address per UTC day. `take(client, n)` either
 * books n more objects and returns true, or (when that would pass the limit) books nothing and returns false.
 * The map is cleared when the day changes, so memory stays bounded by one day's distinct clients.
 */
export class PersonalDataLimiter {
  private day = '';
  private readonly counts = new Map<string, number>();

  constructor(readonly limit: number, private readonly now: () => Date = () => new Date()) {}

  take(client: string, n: number): boolean {
    if (n === 0) return true;
    const today = this.now().toISOString().slice(0, 10);
    if (today !== this.day) {
      this.day = today;
      this.counts.clear();
    }
    const used = this.counts.get(client) ?? 0;
    if (used + n > this.limit) return false;
    this.counts.set(client, used + n);
    return true;
  }

  used(client: string): number {
    return this.counts.get(client) ?? 0;
  }
}
