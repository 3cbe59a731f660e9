/**
 * The RDAP service under /rdap/ (RFC 7480/9082/9083 and the extensions listed in values.ts), plus the
 * staff view of the disclosure log at /api/rdap/disclosures.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Queryable } from '../db/database.js';
import { FAMILY_MAX, type NumberRange } from '../core/index.js';
import { contactByHandle } from '../registry/contacts.js';
import { DELEGATION_SELECT, toDelegation, type Delegation, type DelegationRow } from '../registry/delegation-model.js';
import { longestMatchWithDetails } from './lookup-with-details.js';
import { longestMatchFromView } from './view-lookup.js';
import type { RegistryView } from '../registry/view.js';
import { organisationByHandle, organisationById } from '../registry/organisations.js';
import type { Registry } from '../registry/registry.js';
import { contactsByHandles } from '../registry/contacts.js';
import { identify, listDisclosures, logDisclosure, PURPOSE_HEADER, PURPOSE_PARAM, requireStaff, type Requester } from './access.js';
import { bootstrapFile, objectTagsFile, type BootstrapKind } from './bootstrap.js';
import { jpString, link, newContext, taggedHandle, untaggedHandle, type RequestContext } from './context.js';
import { badRequest, notFound, notImplemented, RdapError, tooManyRequests } from './errors.js';
import { helpBody } from './help.js';
import { briefDelegation, contactEntity, delegationObject, handleOf, loadDetails, organisationEntity, type DelegationDetails, type Json } from './objects.js';
import { searchMetadata } from './paging.js';
import { oneOf, parseAutnumPath, parseHandle, parseIpPath, parsePageParams, parsePattern, type PageParams } from './query.js';
import { RateLimiter, type RateLimitOptions } from './rate-limit.js';
import { envelope, errorBody } from './response.js';
import {
  AUTNUM_SORTS, DELEGATION_SORTS, ENTITY_SORTS, ENTITY_SORTS_SQL, IP_SORTS, REVERSE_ROLES, reverseSearch, RIR_RELATIONS, rirSearch,
  searchDelegations, searchEntities, type EntityRef, type ReverseRole, type RirRelation,
} from './search.js';
import { CONFORMANCE, RDAP_MEDIA_TYPE } from './values.js';

export interface RdapOptions {
  db: Queryable;
  registry?: Registry;
  /** Absolute URL of the service root, e.g. https://rdap.example.net/rdap; default: from the request's Host. */
  baseUrl?: string;
  /** WHOIS host named in `port43`. */
  port43Host?: string;
  /** RFC 8521 service provider tag appended to entity handles. */
  objectTag?: string;
  /** Organisation handle whose space the bootstrap files publish; default: all top-level delegations. */
  operator?: string;
  /** RDAP base URLs of other registries by registry label, for `related` links between levels. */
  registryUrls?: Record<string, string>;
  /** Per-client-address limit; false turns it off (benchmarks). */
  rateLimit?: RateLimitOptions | false;
  /** Contact e-mail published in the object-tag bootstrap file. */
  contactEmail?: string;
  /**
   * The registry's in-memory view (the WHOIS server's): `ip/` and `autnum/` are answered from it without a
   * database round trip. Without it they are one statement each (lookup-with-details.ts).
   */
  view?: RegistryView;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { perSecond: 20, burst: 60 };
const MAX_ENTITY_MEMBERS = 50;

type Query = Record<string, string | undefined>;

interface Answer {
  body: Json;
  notices?: Json[];
  status?: number;
  /** What a legitimate-interest answer disclosed, for the log. */
  object?: { type: string; key: string };
}

function flatQuery(raw: unknown): Query {
  const out: Query = {};
  for (const [k, v] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(v)) throw badRequest(`parameter "${k.slice(0, 40)}" is given more than once`);
    out[k] = typeof v === 'string' ? v : undefined;
  }
  return out;
}

function only(query: Query, allowed: readonly string[]): void {
  for (const k of Object.keys(query)) {
    if (!allowed.includes(k)) throw badRequest(`unknown parameter "${k.slice(0, 40)}"; this query takes: ${allowed.join(', ')}`);
  }
}

const PAGE_PARAMS = ['count', 'sort', 'cursor', 'fieldSet', PURPOSE_PARAM];

export async function registerRdapRoutes(fastify: FastifyInstance, options: RdapOptions): Promise<void> {
  const db = options.db;
  const longestMatch = (range: NumberRange) => options.view ? longestMatchFromView(options.view, range) : longestMatchWithDetails(db, range);
  const objectTag = (options.objectTag ?? 'NUMREG').toUpperCase();
  const limiter = options.rateLimit === false ? undefined : new RateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT);

  /** Service base URL and origin by request origin (protocol and Host), parsed once per origin seen. */
  const bases = new Map<string, { base: string; origin: string }>();
  const baseAndOrigin = (req: FastifyRequest) => {
    const key = `${req.protocol}://${req.host}`;
    let found = bases.get(key);
    if (!found) {
      let u: URL;
      try {
        u = new URL(options.baseUrl ?? `${key}/rdap`);
      } catch {
        u = new URL('http://localhost/rdap'); // a Host header that is no host name
      }
      found = { base: `${u.origin}${u.pathname.replace(/\/$/, '')}`, origin: u.origin };
      if (bases.size >= 1000) bases.clear(); // Host is client-chosen: keep the memo bounded
      bases.set(key, found);
    }
    return found;
  };
  const baseOf = (req: FastifyRequest) => baseAndOrigin(req).base;
  const contextOf = (req: FastifyRequest, tier: Requester['tier']): RequestContext => {
    const { base, origin } = baseAndOrigin(req);
    return newContext({
      base, requestUrl: `${origin}${req.url}`, tier, objectTag, port43: options.port43Host, registryUrls: options.registryUrls ?? {},
    });
  };

  /**
   * Sends the answer as bytes: given a string, the HTTP layer measures it and converts it to a Buffer again on
   * write, a few kB of extra garbage per answer that showed as more frequent young-generation collections.
   */
  function send(reply: FastifyReply, status: number, body: unknown): FastifyReply {
    return reply.code(status).header('content-type', RDAP_MEDIA_TYPE).send(Buffer.from(JSON.stringify(body)));
  }

  /** Runs one RDAP query: identify the requester, answer, log a disclosure, send. */
  async function answer(req: FastifyRequest, reply: FastifyReply, work: (ctx: RequestContext, query: Query) => Promise<Answer>) {
    const query = flatQuery(req.query);
    const headerPurpose = req.headers[PURPOSE_HEADER];
    const requester = await identify(db, req.headers.authorization, typeof headerPurpose === 'string' ? headerPurpose : undefined, query[PURPOSE_PARAM]);
    const ctx = contextOf(req, requester.tier);
    (req as FastifyRequest & { rdapContext?: RequestContext }).rdapContext = ctx;
    const result = await work(ctx, query);
    if (requester.tier === 'legitimate-interest' && requester.key) {
      await logDisclosure(db, {
        keyId: requester.key.keyId, orgHandle: requester.key.orgHandle, objectType: result.object?.type ?? 'query',
        objectKey: result.object?.key ?? req.url, request: req.url, disclosed: [...ctx.disclosed].sort(),
        purpose: requester.purpose!, clientIp: req.ip ?? null,
      });
    }
    return send(reply, result.status ?? 200, envelope(ctx, result.body, result.notices));
  }

  function delegationAnswer(ctx: RequestContext, d: Delegation, details: DelegationDetails): Answer {
    return { body: delegationObject(ctx, d, details, '$'), object: { type: d.family === 'asn' ? 'autnum' : 'ip network', key: handleOf(d) } };
  }

  async function delegationResults(ctx: RequestContext, items: Delegation[], page: PageParams, member: string): Promise<Json[]> {
    const out: Json[] = [];
    for (const d of items) {
      const path = `$.${member}[?(@.handle==${jpString(handleOf(d))})]`;
      const details = page.fieldSet === 'full' ? await loadDetails(db, d) : undefined;
      out.push(delegationObject(ctx, d, details, path, page.fieldSet));
    }
    return out;
  }

  async function entityObject(ctx: RequestContext, ref: EntityRef, path: string, fieldSet: PageParams['fieldSet']): Promise<Json | undefined> {
    if (fieldSet === 'id') {
      const handle = taggedHandle(ctx, ref.handle);
      return { objectClassName: 'entity', handle, links: [link(ctx, 'self', `entity/${encodeURIComponent(handle)}`)] };
    }
    if (ref.kind === 'organisation') {
      const org = await organisationById(db, ref.id);
      return org && organisationEntity(ctx, org, undefined);
    }
    const [c] = await contactsByHandles(db, [ref.handle]);
    return c && contactEntity(ctx, c, path, undefined);
  }

  const SEARCH_RESULTS = { ips: 'ipSearchResults', autnums: 'autnumSearchResults' } as const;

  async function delegationSearchAnswer(ctx: RequestContext, kind: 'ips' | 'autnums', page: PageParams, items: Delegation[], total: number, label: string): Promise<Answer> {
    const member = SEARCH_RESULTS[kind];
    ctx.conformance.add(kind === 'ips' ? CONFORMANCE.ips : CONFORMANCE.autnums);
    const results = await delegationResults(ctx, items, page, member);
    const sortable = kind === 'ips' ? IP_SORTS : AUTNUM_SORTS;
    return { body: { [member]: results, ...searchMetadata(ctx, page, total, items.length, DELEGATION_SORTS, sortable, member) }, object: { type: 'search', key: label } };
  }

  /** Entity handles a reverse search or entity search refers to (tag removed, persons hidden from fn/email for the public). */
  async function resolveEntities(ctx: RequestContext, by: 'handle' | 'fn' | 'email', value: string, page: PageParams): Promise<string[]> {
    const pattern = parsePattern(by === 'handle' ? untaggedHandle(objectTag, value.replace(/\*$/, '')) + (value.endsWith('*') ? '*' : '') : value, by);
    const found = await searchEntities(db, by, pattern, ctx.tier, page, 1000);
    return found.items.map((e) => e.handle);
  }

  const rdap = async (app: FastifyInstance) => {
    app.addHook('onRequest', async (req, reply) => {
      reply.header('access-control-allow-origin', '*');
      reply.header('access-control-expose-headers', 'retry-after, content-type');
      if (limiter && req.method !== 'OPTIONS') {
        const wait = limiter.take(req.ip ?? 'unknown');
        if (wait > 0) {
          const error = tooManyRequests(wait);
          reply.header('retry-after', String(wait));
          return send(reply, 429, errorBody(undefined, error));
        }
      }
    });

    app.setErrorHandler((error, req, reply) => {
      const ctx = (req as FastifyRequest & { rdapContext?: RequestContext }).rdapContext;
      if (error instanceof RdapError) {
        for (const [k, v] of Object.entries(error.headers)) reply.header(k, v);
        return send(reply, error.status, errorBody(ctx, error));
      }
      const status = (error as { statusCode?: number }).statusCode;
      if (status && status >= 400 && status < 500) return send(reply, status, errorBody(ctx, new RdapError(status, 'Bad Request', [String((error as Error).message).slice(0, 200)])));
      req.log.error({ err: error }, 'rdap: internal error');
      return send(reply, 500, errorBody(ctx, new RdapError(500, 'Internal Server Error', ['The server failed to answer; the error is logged.'])));
    });

    app.setNotFoundHandler((req, reply) => send(reply, 400, errorBody(undefined, badRequest(`"${req.url.slice(0, 80)}" is not an RDAP query this server knows; see help`))));

    app.options('/*', async (_req, reply) => {
      reply
        .header('access-control-allow-methods', 'GET, HEAD, OPTIONS')
        .header('access-control-allow-headers', 'Authorization, RDAP-Purpose, Accept')
        .header('access-control-max-age', '86400')
        .code(204)
        .send();
    });

    app.get('/help', (req, reply) => answer(req, reply, async (ctx, query) => {
      only(query, [PURPOSE_PARAM]);
      const { body, notices } = helpBody(ctx);
      return { body, notices };
    }));

    app.get('/ip/*', (req, reply) => answer(req, reply, async (ctx, query) => {
      only(query, [PURPOSE_PARAM]);
      const range = parseIpPath((req.params as { '*': string })['*']);
      const found = await longestMatch(range);
      if (!found) throw notFound(`no delegation in this registry contains ${(req.params as { '*': string })['*']}`);
      return delegationAnswer(ctx, found.d, found.details);
    }));

    app.get('/autnum/:n', (req, reply) => answer(req, reply, async (ctx, query) => {
      only(query, [PURPOSE_PARAM]);
      const n = parseAutnumPath((req.params as { n: string }).n);
      const found = await longestMatch({ family: 'asn', start: n, end: n });
      if (!found) throw notFound(`AS${n} is not delegated in this registry`);
      return delegationAnswer(ctx, found.d, found.details);
    }));

    app.get('/entity/:handle', (req, reply) => answer(req, reply, async (ctx, query) => {
      only(query, [PURPOSE_PARAM]);
      const handle = untaggedHandle(objectTag, parseHandle((req.params as { handle: string }).handle));
      const org = await organisationByHandle(db, handle);
      if (org) {
        const body = organisationEntity(ctx, org, undefined);
        const { rows } = await db.query<DelegationRow>(
          `${DELEGATION_SELECT} WHERE d.holder_id = $1 ORDER BY d.family, lower(d.rng) LIMIT ${MAX_ENTITY_MEMBERS * 3}`, [org.id],
        );
        const held = rows.map(toDelegation);
        const networks = held.filter((d) => d.family !== 'asn').slice(0, MAX_ENTITY_MEMBERS).map((d) => briefDelegation(ctx, d));
        const autnums = held.filter((d) => d.family === 'asn').slice(0, MAX_ENTITY_MEMBERS).map((d) => briefDelegation(ctx, d));
        const tagged = body.handle as string;
        ctx.conformance.add(CONFORMANCE.reverseSearch);
        (body.links as Json[]).push(
          { value: ctx.requestUrl, rel: 'related', type: RDAP_MEDIA_TYPE, title: 'all networks of this registrant', href: `${ctx.base}/ips/reverse_search/entity?handle=${encodeURIComponent(tagged)}&role=registrant` },
          { value: ctx.requestUrl, rel: 'related', type: RDAP_MEDIA_TYPE, title: 'all autnums of this registrant', href: `${ctx.base}/autnums/reverse_search/entity?handle=${encodeURIComponent(tagged)}&role=registrant` },
        );
        return { body: { ...body, ...(networks.length ? { networks } : {}), ...(autnums.length ? { autnums } : {}) }, object: { type: 'entity', key: org.handle } };
      }
      const contact = await contactByHandle(db, handle);
      if (!contact) throw notFound(`no entity with handle ${handle}`);
      return { body: contactEntity(ctx, contact, '$', undefined), object: { type: 'entity', key: contact.handle } };
    }));

    for (const kind of ['ips', 'autnums'] as const) {
      const sortable = kind === 'ips' ? IP_SORTS : AUTNUM_SORTS;
      app.get(`/${kind}`, (req, reply) => answer(req, reply, async (ctx, query) => {
        only(query, ['name', 'handle', ...PAGE_PARAMS]);
        const [by, value] = oneOf(query, ['name', 'handle'], kind);
        const page = parsePageParams(query, sortable);
        const pattern = parsePattern(value, by);
        const found = await searchDelegations(db, kind, by as 'name' | 'handle', pattern, page);
        return delegationSearchAnswer(ctx, kind, page, found.items, found.total, `${kind}?${by}=${value}`);
      }));

      app.get(`/${kind}/rirSearch1/:relation/*`, (req, reply) => answer(req, reply, async (ctx, query) => {
        only(query, ['status', ...PAGE_PARAMS]);
        const { relation, '*': arg } = req.params as { relation: string; '*': string };
        if (!(RIR_RELATIONS as readonly string[]).includes(relation)) throw badRequest(`relation must be one of ${RIR_RELATIONS.join(', ')}`);
        if (query.status !== undefined && query.status !== 'active') throw badRequest('status filter supports only "active"');
        let range: NumberRange;
        if (kind === 'ips') range = parseIpPath(arg);
        else {
          const n = parseAutnumPath(arg);
          range = { family: 'asn', start: n, end: n };
        }
        if (range.end > FAMILY_MAX[range.family]) throw badRequest('out of range');
        const page = parsePageParams(query, sortable);
        ctx.conformance.add(CONFORMANCE.rirSearch);
        let found = await rirSearch(db, relation as RirRelation, range);
        if (query.status === 'active') found = found.filter((d) => d.status !== 'reserved' && d.status !== 'available');
        if (found.length === 0 && (relation === 'rdap-up' || relation === 'rdap-top')) throw notFound(`nothing ${relation.slice(5)} of ${arg} in this registry`);
        const slice = found.slice(page.offset, page.offset + page.count);
        return delegationSearchAnswer(ctx, kind, page, slice, found.length, `${kind}/rirSearch1/${relation}/${arg}`);
      }));

      app.get(`/${kind}/reverse_search/:related`, (req, reply) => answer(req, reply, async (ctx, query) => {
        const { related } = req.params as { related: string };
        if (related === 'domain' || related === 'nameserver') throw notImplemented(`reverse search by ${related} is not supported: this registry holds number resources only`);
        if (related !== 'entity') throw badRequest(`"${related.slice(0, 40)}" is not an RDAP object class; reverse search here is by entity`);
        only(query, ['handle', 'fn', 'email', 'role', ...PAGE_PARAMS]);
        const [by, value] = oneOf(query, ['handle', 'fn', 'email'], 'reverse');
        if (query.role !== undefined && !(REVERSE_ROLES as readonly string[]).includes(query.role)) {
          throw badRequest(`role must be one of ${REVERSE_ROLES.join(', ')}`);
        }
        const page = parsePageParams(query, sortable);
        ctx.conformance.add(CONFORMANCE.reverseSearch);
        const handles = await resolveEntities(ctx, by as 'handle' | 'fn' | 'email', value, page);
        const found = await reverseSearch(db, kind, handles, query.role as ReverseRole | undefined, page);
        return delegationSearchAnswer(ctx, kind, page, found.items, found.total, `${kind}/reverse_search/entity?${by}=${value}`);
      }));
    }

    app.get('/entities', (req, reply) => answer(req, reply, async (ctx, query) => {
      only(query, ['fn', 'handle', ...PAGE_PARAMS]);
      const [by, value] = oneOf(query, ['fn', 'handle'], 'entities');
      const page = parsePageParams(query, ENTITY_SORTS);
      const text = by === 'handle' ? untaggedHandle(objectTag, value.replace(/\*$/, '')) + (value.endsWith('*') ? '*' : '') : value;
      const found = await searchEntities(db, by as 'fn' | 'handle', parsePattern(text, by), ctx.tier, page);
      const results: Json[] = [];
      for (const ref of found.items) {
        const tagged = taggedHandle(ctx, ref.handle);
        const e = await entityObject(ctx, ref, `$.entitySearchResults[?(@.handle==${jpString(tagged)})]`, page.fieldSet);
        if (e) results.push(e);
      }
      return {
        body: { entitySearchResults: results, ...searchMetadata(ctx, page, found.total, found.items.length, ENTITY_SORTS_SQL, ENTITY_SORTS, 'entitySearchResults') },
        object: { type: 'search', key: `entities?${by}=${value}` },
      };
    }));

    const unsupported = (what: string) => async () => {
      throw notImplemented(`${what} are not served by this registry: it holds Internet number resources only`);
    };
    for (const path of ['/domain/*', '/domains', '/domains/*', '/nameserver/*', '/nameservers', '/nameservers/*']) {
      app.get(path, unsupported(path.startsWith('/domain') ? 'domains' : 'nameservers'));
    }

    for (const kind of ['ipv4', 'ipv6', 'asn'] as const satisfies readonly BootstrapKind[]) {
      app.get(`/bootstrap/${kind}.json`, async (req, reply) => {
        const file = await bootstrapFile(db, kind, baseOf(req), options.operator);
        return reply.header('content-type', 'application/json').send(JSON.stringify(file));
      });
    }
    app.get('/bootstrap/object-tags.json', async (req, reply) =>
      reply.header('content-type', 'application/json').send(JSON.stringify(objectTagsFile(objectTag, baseOf(req), options.contactEmail ?? 'hostmaster@numreg.example'))));
  };

  const staff = async (app: FastifyInstance) => {
    app.get('/disclosures', async (req, reply) => {
      try {
        await requireStaff(db, req.headers.authorization);
        const q = flatQuery(req.query);
        only(q, ['key', 'object', 'since', 'until', 'limit']);
        for (const t of ['since', 'until'] as const) if (q[t] !== undefined && Number.isNaN(Date.parse(q[t]!))) throw badRequest(`${t} is not a date`);
        if (q.limit !== undefined && !/^[1-9][0-9]{0,3}$/.test(q.limit)) throw badRequest('limit must be 1-1000');
        const disclosures = await listDisclosures(db, {
          keyId: q.key, object: q.object ? untaggedHandle(objectTag, q.object) : undefined, since: q.since, until: q.until, limit: q.limit ? Number(q.limit) : undefined,
        });
        return reply.header('content-type', 'application/json').send({ disclosures });
      } catch (error) {
        if (error instanceof RdapError) {
          for (const [k, v] of Object.entries(error.headers)) reply.header(k, v);
          return reply.code(error.status).send({ error: error.title, message: error.description.join(' ') });
        }
        throw error;
      }
    });
  };

  await fastify.register(rdap, { prefix: '/rdap' });
  await fastify.register(staff, { prefix: '/api/rdap' });
}
