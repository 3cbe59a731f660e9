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

/*
 * The builders on an answer's path write objects as literals and add optional members one by one, not with
 * object spread: V8 gives a spread followed by more members a property store that outlives a young-generation
 * collection, and at 1,000 answers a second that promotion made every scavenge pause several times longer
 * (bench/RESULTS.md, RDAP).
 */
export function newContext(init: Omit<RequestContext, 'redactions' | 'disclosed' | 'conformance'>): RequestContext {
  return {
    base: init.base,
    requestUrl: init.requestUrl,
    tier: init.tier,
    objectTag: init.objectTag,
    port43: init.port43,
    registryUrls: init.registryUrls,
    redactions: [],
    disclosed: new Set(),
    conformance: new Set([CONFORMANCE.level0, CONFORMANCE.nroProfile]),
  };
}

export function link(ctx: RequestContext, rel: string, path: string, title?: string): Link {
  const l: Link = { value: ctx.requestUrl, rel, href: `${ctx.base}/${path}`, type: RDAP_MEDIA_TYPE };
  if (title !== undefined) l.title = title;
  return l;
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
export const jpString = (s: string) => (s.includes("'") || s.includes('\\') ? `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : `'${s}'`);
