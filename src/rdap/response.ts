/**
 * The top-level envelope of every RDAP response: rdapConformance (every extension the body used),
 * notices (terms of service, redaction, disclosure), RFC 9537 `redacted`, and RFC 9083 §6 errors.
 */
import { link, type RequestContext } from './context.js';
import type { RdapError } from './errors.js';
import type { Json } from './objects.js';
import { CONFORMANCE } from './values.js';

const CONFORMANCE_ORDER = Object.values(CONFORMANCE) as string[];

// Constant texts are shared by every answer: they are serialised, never changed.
const TERMS = Object.freeze([
  'This is the numreg RDAP service. Registration data is provided for the operation and security of the Internet.',
  'Personal data of natural persons is redacted unless the requester has a legitimate interest (see help).',
]);
const REDACTED_NOTICE = Object.freeze({
  title: 'Redacted for privacy',
  type: 'object redacted due to authorization',
  description: Object.freeze([
    'Personal data of natural persons has been redacted; each redaction is listed in "redacted" (RFC 9537).',
    'Requesters with a legitimate interest present an API key (Authorization: Bearer) and state their purpose.',
  ]),
});
const DISCLOSURE_NOTICE = Object.freeze({
  title: 'Disclosure logged',
  description: Object.freeze(['This answer is unredacted under a legitimate-interest key; the disclosure, its purpose and requester are logged.']),
});

export function termsNotice(ctx: RequestContext): Json {
  return { title: 'Terms of Service', description: TERMS, links: [link(ctx, 'terms-of-service', 'help')] };
}

function tierNotices(ctx: RequestContext): Json[] {
  const notices: Json[] = [];
  if (ctx.redactions.length > 0) notices.push(REDACTED_NOTICE);
  if (ctx.tier === 'legitimate-interest') notices.push(DISCLOSURE_NOTICE);
  return notices;
}

export function envelope(ctx: RequestContext, body: Json, extraNotices: Json[] = []): Json {
  const out: Json = Object.assign({ rdapConformance: conformanceList(ctx), notices: [termsNotice(ctx), ...tierNotices(ctx), ...extraNotices] }, body);
  if (ctx.redactions.length > 0) out.redacted = ctx.redactions;
  return out;
}

export function conformanceList(ctx: RequestContext): string[] {
  return [...ctx.conformance].sort((a, b) => CONFORMANCE_ORDER.indexOf(a) - CONFORMANCE_ORDER.indexOf(b));
}

export function errorBody(ctx: RequestContext | undefined, error: RdapError): Json {
  const out: Json = { rdapConformance: ctx ? conformanceList(ctx) : [CONFORMANCE.level0, CONFORMANCE.nroProfile] };
  if (ctx) out.notices = [termsNotice(ctx)];
  return Object.assign(out, {
    errorCode: error.status,
    title: error.title,
    description: error.description.length ? error.description : [error.title],
  });
}
