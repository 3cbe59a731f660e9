/** The help response (RFC 9083 §7): what this service answers, its extensions and how tiered access works. */
import { link, type RequestContext } from './context.js';
import type { Json } from './objects.js';
import { CONFORMANCE } from './values.js';

/** RFC 9536 §5: the reverse-search properties this server supports, with where they sit in a response. */
export const REVERSE_SEARCH_PROPERTIES = (['ips', 'autnums'] as const).flatMap((searchableResourceType) => [
  { searchableResourceType, relatedResourceType: 'entity', property: 'handle', propertyPath: '$.entities[*].handle' },
  { searchableResourceType, relatedResourceType: 'entity', property: 'fn', propertyPath: "$.entities[*].vcardArray[1][?(@[0]=='fn')][3]" },
  { searchableResourceType, relatedResourceType: 'entity', property: 'email', propertyPath: "$.entities[*].vcardArray[1][?(@[0]=='email')][3]" },
  { searchableResourceType, relatedResourceType: 'entity', property: 'role', propertyPath: '$.entities[*].roles' },
]);

export function helpBody(ctx: RequestContext): { body: Json; notices: Json[] } {
  for (const c of Object.values(CONFORMANCE)) if (c !== CONFORMANCE.asnHierarchical) ctx.conformance.add(c);
  ctx.conformance.add(CONFORMANCE.asnHierarchical);
  const notices: Json[] = [
    {
      title: 'Queries',
      description: [
        'Lookups: ip/<address or prefix>, autnum/<number>, entity/<handle>.',
        'Searches: ips?name=|handle=, autnums?name=|handle=, entities?fn=|handle=; a trailing "*" matches any ending.',
        'RIR search (RFC 9910): ips/rirSearch1/<rdap-up|rdap-down|rdap-top|rdap-bottom>/<prefix>, autnums/rirSearch1/<relation>/<number>; add ?status=active to keep active objects only.',
        'Reverse search (RFC 9536): ips/reverse_search/entity?handle=|fn=|email=[&role=registrant|administrative|technical|abuse], and the same under autnums/.',
        'Paging and sorting (RFC 8977): count=<n>, sort=<property>[:a|:d][,...], cursor=<from paging_metadata>; partial responses (RFC 8982): fieldSet=id|brief|full.',
        'Bootstrap files (RFC 9224, RFC 8521): bootstrap/ipv4.json, bootstrap/ipv6.json, bootstrap/asn.json, bootstrap/object-tags.json.',
      ],
      links: [link(ctx, 'help', 'help')],
    },
    {
      title: 'Tiered access',
      description: [
        'Anonymous answers redact the personal data of natural persons (RFC 9537, listed in "redacted").',
        'Requesters with a legitimate interest (e.g. law enforcement, CSIRTs) send "Authorization: Bearer <api key>" with the rdap:legitimate-interest scope and state their purpose in the "RDAP-Purpose" header or the "purpose" query parameter.',
        'Every unredacted answer is logged with the key, the objects, the time, the purpose and the client address; registry staff can read the log.',
      ],
    },
    {
      title: 'Rate limits',
      description: ['Requests are rate limited per client address; over the limit the answer is 429 with Retry-After.'],
    },
  ];
  return { body: { reverse_search_properties: REVERSE_SEARCH_PROPERTIES }, notices };
}
