/**
 * `ip/` and `autnum/` answers in one statement: the longest match (B-tree probe and walk up, as in
 * registry/lookup.ts) with its parent, holder and contacts as JSON columns. One round trip instead of
 * four matters here: on loopback TCP each statement costs the server and the client a send and a wake-up,
 * which profiled as a third of an answer's CPU time.
 */
import type { NumberRange } from '../core/index.js';
import type { Queryable } from '../db/database.js';
import { CONTACT_SELECT, toContact, type ContactRow } from '../registry/contacts.js';
import { DELEGATION_SELECT, delegationSelectFrom, rangeParams, toDelegation, type Delegation, type DelegationRow } from '../registry/delegation-model.js';
import { CONTAINING, CONTAINMENT_CHAIN, MOST_SPECIFIC_FIRST } from '../registry/lookup.js';
import { ORGANISATION_SELECT, toOrganisation, type OrganisationRow } from '../registry/organisations.js';
import type { DelegationDetails } from './objects.js';

const SQL = `WITH RECURSIVE ${CONTAINMENT_CHAIN},
  chosen AS (SELECT * FROM delegation d WHERE ${CONTAINING} ORDER BY ${MOST_SPECIFIC_FIRST} LIMIT 1)
  SELECT x.*,
         (SELECT row_to_json(p) FROM (${DELEGATION_SELECT} WHERE d.id = x.parent_id::bigint) p) AS parent_json,
         (SELECT row_to_json(h) FROM (${ORGANISATION_SELECT} WHERE id = x.holder_id::bigint) h) AS holder_json,
         (SELECT json_agg(c) FROM (${CONTACT_SELECT}
            WHERE c.handle = ANY(x.admin_c || x.tech_c || x.abuse_c)) c) AS contacts_json
    FROM (${delegationSelectFrom('chosen')}) x`;

interface Row extends DelegationRow {
  parent_json: DelegationRow | null;
  holder_json: OrganisationRow | null;
  contacts_json: ContactRow[] | null;
}

export async function longestMatchWithDetails(db: Queryable, range: NumberRange): Promise<{ d: Delegation; details: DelegationDetails } | undefined> {
  const { rows } = await db.query<Row>(SQL, [range.family, ...rangeParams(range)]);
  const r = rows[0];
  if (!r) return undefined;
  const contacts = (r.contacts_json ?? []).map(toContact);
  return {
    d: toDelegation(r),
    details: {
      holder: r.holder_json ? toOrganisation(r.holder_json) : undefined,
      contacts: new Map(contacts.map((c) => [c.handle, c])),
      parent: r.parent_json ? toDelegation(r.parent_json) : undefined,
    },
  };
}
