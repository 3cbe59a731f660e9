/**
 * Per-request state shared by the object builders: where the service lives, who is asking (tier), and
 * what the response collected on the way (RFC 9537 redactions, persons disclosed, extensions used).
 */
import { CONFORMANCE, RDAP_MEDIA_TYPE } from './values.js';

export type Tier = 'public' | 'legitimate-interest';

export interface Redaction {
  name: { type?: string; description?: string };
  prePath?: string;
  postPath?: string;
  pathLang: 'jsonpath';
  method: 'removal' | 'emptyValue' | 'partialValue' | 'replacementValue';
  reason: { description: string };
}

export interface Link {
  value: string;
  rel: string;
  href: string;
  type?: string;
  title?: string;
  hreflang?: string[];
}

export interface RequestContext {
  /** Base URL of the RDAP service, without trailing slash, e.g. http://127.0.0.1:8080/rdap */
  base: string;
  /** The absolute URL of this request (the `value` of every link, RFC 9083 §4.2). */
  requestUrl: string;
  tier: Tier;
  objectTag: string;
  port43?: string;
  /** Other registries' RDAP base URLs by registry label ('apnic' → https://rdap.apnic.net). */
  registryUrls: Record<string, string>;
  redactions: Redaction[];
  disclosed: Set<string>;
  conformance: Set<string>;
}

export function newContext(init: Omit<RequestContext, 'redactions' | 'disclosed' | 'conformance'>): RequestContext {
  return {
    ...init,
    redactions: [],
    disclosed: new Set(),
    conformance: new Set([CONFORMANCE.level0, CONFORMANCE.nroProfile]),
  };
}

export function link(ctx: RequestContext, rel: string, path: string, extra: Partial<Link> = {}): Link {
  return { value: ctx.requestUrl, rel, href: `${ctx.base}/${path}`, type: RDAP_MEDIA_TYPE, ...extra };
}

/** RFC 8521: entity handles carry the service provider's tag ("EX1-JP" → "EX1-JP-NUMREG"). */
export function taggedHandle(ctx: RequestContext, handle: string): string {
  ctx.conformance.add(CONFORMANCE.objectTag);
  const suffix = `-${ctx.objectTag}`;
  return handle.endsWith(suffix) ? handle : `${handle}${suffix}`;
}

/** The registry handle behind a (possibly tagged) entity handle. */
export function untaggedHandle(objectTag: string, handle: string): string {
  const suffix = `-${objectTag}`;
  return handle.toUpperCase().endsWith(suffix) ? handle.slice(0, -suffix.length).toUpperCase() : handle.toUpperCase();
}

/** JSONPath string literal for a filter expression. */
export const jpString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
