/**
 * `ip/` and `autnum/` answers from the registry's in-memory view (the one WHOIS answers from) instead of a
 * database statement: the longest match in the view's interval index, its parent, holder and contacts from
 * the view's maps. The view follows the change feed; in-process writes reach it before their API call
 * returns, and a look-up waits while the view applies a batch, so RDAP, WHOIS and the store agree.
 */
import type { NumberRange } from '../core/index.js';
import type { Contact } from '../registry/contacts.js';
import type { Delegation } from '../registry/delegation-model.js';
import type { RegistryView } from '../registry/view.js';
import { contactHandlesOf, type DelegationDetails } from './objects.js';

export async function longestMatchFromView(view: RegistryView, range: NumberRange): Promise<{ d: Delegation; details: DelegationDetails } | undefined> {
  if (view.syncing) await view.settled();
  const d = view.longestMatch(range);
  if (!d) return undefined;
  const contacts = new Map<string, Contact>();
  for (const handle of contactHandlesOf(d)) {
    const c = view.contacts.get(handle);
    if (c) contacts.set(handle, c);
  }
  return { d, details: { holder: view.holder(d), contacts, parent: view.parent(d) } };
}

