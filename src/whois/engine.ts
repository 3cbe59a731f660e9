/**
 * Executes a parsed WHOIS query against the in-memory registry view (and, for names, inverse look-ups and
 * history, the database), applies the personal-data policy and limit, and renders the answer text in RPSL or
 * JPNIC style. Never throws for bad input: every refusal is a `%ERROR:` answer.
 */
import type { Db } from '../db/database.js';
import type { NumberRange } from '../core/index.js';
import type { Delegation } from '../registry/delegation-model.js';
import { delegationsByContact, delegationsByMaintainer, delegationsOfHolder } from '../registry/lookup.js';
import { contactsByName } from '../registry/contacts.js';
import { listOrganisations, type Organisation } from '../registry/organisations.js';
import type { Contact } from '../registry/contacts.js';
import type { Maintainer } from '../registry/maintainers.js';
import { objectHistory, type ChangeRecord } from '../registry/feed.js';
import type { OutputFormat } from './flags.js';
import { helpText } from './flags.js';
import { IRR_TYPES, OWN_TYPES, type WhoisQuery } from './query-parser.js';
import { isResourceKind } from './keys.js';
import { comment, errorText, WhoisQueryError } from './messages.js';
import { contactObject, delegationObject, irrObject, maintainerObject, organisationObject, type WhoisObject } from './objects.js';
import { applyPolicy, PersonalDataLimiter } from './personal-data.js';
import { formatRpslObject, primaryKeyOnly } from './format-rpsl.js';
import { formatJpnicObject, jpnicBanner, type Lang } from './format-jpnic.js';
import type { RpslLookup } from './hooks.js';
import type { RegistryView } from '../registry/view.js';
import { RenderCache } from './render-cache.js';

export const WHOIS_VERSION = 'numreg-whois-0.1.0';
/** Most objects one answer carries (a -M on a /0 would otherwise be the whole registry). */
export const MAX_OBJECTS = 10_000;

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface EngineOptions {
  db: Db;
  view: RegistryView;
  /** Source name of numreg's own objects (NUMREG_IRR_SOURCE). */
  source: string;
  rpslLookup?: RpslLookup;
  limiter: PersonalDataLimiter;
  logger: Logger;
  defaultFormat?: OutputFormat;
}

interface Group {
  related: string;
  objects: WhoisObject[];
  /** Abuse e-mail of the group's address object (null: none registered; undefined: not an address object). */
  abuse?: string | null;
}

export class WhoisEngine {
  /** Rendered objects that stay valid until the view changes (render-cache.ts). */
  readonly cache: RenderCache;
  private readonly banners = new Map<OutputFormat, string>();

  constructor(private readonly o: EngineOptions) {
    this.cache = new RenderCache(o.view);
  }

  get defaultFormat(): OutputFormat {
    return this.o.defaultFormat ?? 'rpsl';
  }

  banner(format: OutputFormat): string {
    let b = this.banners.get(format);
    if (b === undefined) this.banners.set(format, (b = this.makeBanner(format)));
    return b;
  }

  private makeBanner(format: OutputFormat): string {
    if (format !== 'rpsl') return jpnicBanner(format === 'jpnic' ? 'ja' : 'en') + '\n';
    return comment(
      `This is the numreg WHOIS server (source ${this.o.source}).`,
      'The objects are in RPSL format. "help" lists the query flags;',
      'append /j or /e to a key for JPNIC-style answers in Japanese or English.',
      '',
      'Natural persons\' contact details are not published; each client address',
      `may retrieve at most ${this.o.limiter.limit} person objects per day.`,
    ) + '\n';
  }

  footer(format: OutputFormat): string {
    return format === 'rpsl' ? `% This query was served by ${WHOIS_VERSION}\n\n` : '\n';
  }

  /** The answer to an unparseable query. */
  errorAnswer(error: WhoisQueryError, format: OutputFormat = this.defaultFormat): string {
    return this.banner(format) + error.render() + '\n' + this.footer(format);
  }

  async execute(q: WhoisQuery, client: string): Promise<string> {
    try {
      if (this.o.view.syncing) await this.o.view.settled();
      return await this.run(q, client);
    } catch (error) {
      if (error instanceof WhoisQueryError) return this.errorAnswer(error, q.format);
      this.o.logger.error({ err: error, query: q.key }, 'whois query failed');
      return this.banner(q.format) + errorText(100) + '\n' + this.footer(q.format);
    }
  }

  private async run(q: WhoisQuery, client: string): Promise<string> {
    const opt = q.options;
    if (q.key === '' && opt.info) return this.banner('rpsl') + this.info(opt.info) + '\n' + this.footer('rpsl');
    if (q.key.toLowerCase() === 'help' && q.classified?.kind === 'handle') return this.banner('rpsl') + helpText() + '\n' + this.footer('rpsl');
    if (opt.sources) {
      const known = new Set([this.o.source, ...(this.o.rpslLookup?.sources?.() ?? [])]);
      for (const s of opt.sources) if (!known.has(s)) throw new WhoisQueryError(102, s);
    }
    if (!q.classified) throw new WhoisQueryError(106);
    if (opt.listVersions || opt.showVersion !== null) return this.history(q);

    const groups = await this.collect(q);
    // policy, dedupe, type filter, personal-data accounting
    const seen = new Set<string>();
    let filtered = false;
    let withheld = false;
    let personal = 0;
    let count = 0;
    let truncated = false;
    for (const g of groups) {
      const kept: WhoisObject[] = [];
      for (const obj of g.objects) {
        const id = `${obj.className}\u0000${obj.key}`;
        if (seen.has(id)) continue;
        if (opt.types && !opt.types.includes(obj.className)) continue;
        if (count >= MAX_OBJECTS) {
          truncated = true;
          break;
        }
        seen.add(id);
        count++;
        const p = this.cache.filtered(obj, opt.unfiltered);
        filtered ||= p.filtered;
        withheld ||= p.withheld;
        if (obj.personal) personal++;
        kept.push(opt.primaryKeys ? primaryKeyOnly(p.object) : p.object);
      }
      g.objects = kept;
    }
    const nonEmpty = groups.filter((g) => g.objects.length > 0);
    if (nonEmpty.length === 0) throw new WhoisQueryError(101, opt.sources?.join(',') ?? this.o.source);
    if (!this.o.limiter.take(client, personal)) {
      this.o.logger.warn({ client, personalObjects: personal, used: this.o.limiter.used(client), limit: this.o.limiter.limit, query: q.key },
        'whois personal-data daily limit reached; access denied');
      throw new WhoisQueryError(201, client);
    }
    if (opt.brief) return this.brief(nonEmpty);
    return q.format === 'rpsl' ? this.renderRpsl(q, nonEmpty, filtered, withheld, truncated) : this.renderJpnic(q, nonEmpty, q.format === 'jpnic' ? 'ja' : 'en', truncated);
  }

  // ---- look-ups ----

  private async collect(q: WhoisQuery): Promise<Group[]> {
    const opt = q.options;
    const c = q.classified!;
    const own = !opt.sources || opt.sources.includes(this.o.source) || opt.allSources;
    const groups: Group[] = [];
    if (own) {
      if (opt.inverse) {
        groups.push(...(await this.inverse(opt.inverse, c.upper)));
      } else if (isResourceKind(c.kind)) {
        const found = this.resourceLookup(c.kind, c.range!, opt.ip);
        for (const d of found) groups.push(this.delegationGroup(d, q));
      } else if (c.kind !== 'set-name') {
        groups.push(...(await this.handleLookup(c.kind, c.upper, q)));
      }
    }
    const search = this.o.rpslLookup?.search;
    if (search && (!opt.types || opt.types.some((t) => (IRR_TYPES as readonly string[]).includes(t) || t === 'aut-num'))) {
      const texts = await search.call(this.o.rpslLookup, {
        key: q.key, kind: c.kind, range: c.range, ip: opt.ip, types: opt.types, inverse: opt.inverse, sources: opt.sources,
      });
      for (const t of texts) {
        if (t.source === this.o.source && (OWN_TYPES as readonly string[]).includes(t.className)) continue; // ours come from the registry
        groups.push({ related: t.key, objects: [irrObject(t.className, t.key, t.text)] });
      }
    }
    return groups;
  }

  private resourceLookup(kind: string, range: NumberRange, ip: WhoisQuery['options']['ip']): Delegation[] {
    const v = this.o.view;
    switch (ip) {
      case 'exact':
        return [v.exact(range)].filter((d): d is Delegation => d !== undefined);
      case 'one-less': {
        const less = v.delegations.lessSpecifics(range, false);
        return less.length ? [less[less.length - 1]!] : [];
      }
      case 'all-less':
        return v.delegations.lessSpecifics(range, true);
      case 'one-more':
        return v.delegations.moreSpecifics(range, { firstLevel: true });
      case 'all-more':
        return v.delegations.moreSpecifics(range);
      default: {
        const hit = kind === 'address' ? v.longestMatch(range) : v.exact(range) ?? v.longestMatch(range);
        return hit ? [hit] : [];
      }
    }
  }

  private delegationGroup(d: Delegation, q: WhoisQuery): Group {
    const v = this.o.view;
    const abuse = v.abuseContact(d);
    // Not cached: uniformly spread look-ups over millions of delegations would only churn such a cache (a
    // measured slowdown at 1M delegations); the shared organisation and contact objects are.
    const primary = delegationObject(d, v.holder(d), this.o.source, abuse);
    const objects = [primary];
    const recurse = !q.options.noRecursion && !q.options.primaryKeys && !q.options.brief && q.format === 'rpsl';
    if (recurse) {
      for (const h of primary.refs.orgs) {
        const org = v.orgsByHandle.get(h);
        if (org) objects.push(this.organisation(org));
      }
      const contacts = primary.refs.contacts;
      for (let i = 0; i < contacts.length; i++) {
        const h = contacts[i]!;
        if (contacts.indexOf(h) !== i) continue; // listed earlier (admin-c and tech-c are often the same)
        const contact = v.contacts.get(h);
        if (contact) objects.push(this.contact(contact));
      }
    }
    return { related: primary.key, objects, abuse: abuse ? abuse.abuseMailbox ?? abuse.email : null };
  }

  private organisation(org: Organisation): WhoisObject {
    return this.cache.object(org, () => organisationObject(org, this.o.source));
  }

  private contact(c: Contact): WhoisObject {
    return this.cache.object(c, () => contactObject(c, this.o.source));
  }

  private maintainer(m: Maintainer): WhoisObject {
    return this.cache.object(m, () => maintainerObject(m, this.o.source));
  }

  private async handleLookup(kind: string, upper: string, q: WhoisQuery): Promise<Group[]> {
    const v = this.o.view;
    const out: Group[] = [];
    const one = (o: WhoisObject) => out.push({ related: o.key, objects: [o] });
    if (kind === 'name') {
      const escaped = upper.replace(/[\\%_]/g, (m) => `\\${m}`);
      for (const org of await listOrganisations(this.o.db, { nameLike: escaped })) one(organisationObject(org, this.o.source));
      for (const c of await contactsByName(this.o.db, upper, 100)) one(contactObject(c, this.o.source));
      return out;
    }
    const org = v.orgsByHandle.get(upper);
    if (org) one(this.organisation(org));
    const m = v.maintainers.get(upper);
    if (m) one(this.maintainer(m));
    const contact = v.contacts.get(upper);
    if (contact) one(this.contact(contact));
    for (const d of v.byNetName(upper)) out.push(this.delegationGroup(d, q));
    return out;
  }

  private async inverse(attrs: string[], key: string): Promise<Group[]> {
    const v = this.o.view;
    const db = this.o.db;
    const canonical = new Set(attrs.map((a) => INVERSE_CANONICAL[a] ?? a));
    const delegations = new Map<string, Delegation>();
    const objects: WhoisObject[] = [];
    const add = (list: Delegation[], keep: (d: Delegation) => boolean) => {
      for (const d of list) if (keep(d)) delegations.set(d.id, v.delegations.get(d.id) ?? d);
    };
    if (canonical.has('admin-c') || canonical.has('tech-c') || canonical.has('abuse-c') || canonical.has('person')) {
      const any = canonical.has('person');
      add(await delegationsByContact(db, key), (d) =>
        ((any || canonical.has('admin-c')) && d.adminC.includes(key)) || ((any || canonical.has('tech-c')) && d.techC.includes(key)) || (canonical.has('abuse-c') && d.abuseC === key));
      if (any || canonical.has('admin-c')) for (const m of v.maintainers.values()) if (m.adminC.includes(key)) objects.push(maintainerObject(m, this.o.source));
    }
    if (canonical.has('mnt-by') || canonical.has('mnt-lower') || canonical.has('mnt-routes')) {
      add(await delegationsByMaintainer(db, key), (d) =>
        (canonical.has('mnt-by') && d.mntBy.includes(key)) || (canonical.has('mnt-lower') && d.mntLower.includes(key)) || (canonical.has('mnt-routes') && d.mntRoutes.includes(key)));
      if (canonical.has('mnt-by')) {
        const m = v.maintainers.get(key);
        if (m) objects.push(maintainerObject(m, this.o.source));
      }
    }
    if (canonical.has('org')) {
      const org = v.orgsByHandle.get(key);
      if (org) {
        add(await delegationsOfHolder(db, org.id), () => true);
        for (const c of v.contacts.values()) if (c.orgHandle === key) objects.push(contactObject(c, this.o.source));
        for (const m of v.maintainers.values()) if (m.orgHandle === key) objects.push(maintainerObject(m, this.o.source));
      }
    }
    const groups: Group[] = [];
    for (const d of delegations.values()) {
      const obj = delegationObject(d, v.holder(d), this.o.source, v.abuseContact(d));
      groups.push({ related: obj.key, objects: [obj] });
    }
    for (const o of objects) groups.push({ related: o.key, objects: [o] });
    return groups;
  }

  // ---- history ----

  private async history(q: WhoisQuery): Promise<string> {
    const v = this.o.view;
    const c = q.classified;
    if (!c) throw new WhoisQueryError(106);
    let type: string;
    let objectKey: string;
    let shown: string;
    let className: string;
    if (isResourceKind(c.kind)) {
      const d = v.exact(c.range!);
      if (!d) throw new WhoisQueryError(101, this.o.source);
      type = 'delegation';
      objectKey = d.id;
      className = delegationObject(d, undefined, this.o.source).className;
      shown = delegationObject(d, undefined, this.o.source).key;
    } else if (v.orgsByHandle.has(c.upper)) {
      [type, objectKey, shown, className] = ['organisation', c.upper, c.upper, 'organisation'];
    } else if (v.maintainers.has(c.upper)) {
      [type, objectKey, shown, className] = ['maintainer', c.upper, c.upper, 'mntner'];
    } else if (v.contacts.has(c.upper)) {
      throw new WhoisQueryError(116);
    } else {
      throw new WhoisQueryError(101, this.o.source);
    }
    const changes = await objectHistory(this.o.db, type, objectKey);
    const upper = className.toUpperCase();
    if (q.options.listVersions) {
      const lines = [
        `% Version history for ${upper} object "${shown}"`,
        '% You can use "--show-version rev#" to get an exact version of the object.',
        '',
        'rev#  Date              Op.',
        '',
        ...changes.map((ch, i) => `${String(i + 1).padEnd(6)}${ch.at.slice(0, 16).replace('T', ' ')}  ${ch.action === 'delete' ? 'DEL' : 'ADD/UPD'}`),
      ];
      return this.banner('rpsl') + lines.join('\n') + '\n\n' + this.footer('rpsl');
    }
    const n = q.options.showVersion!;
    if (n < 1 || n > changes.length) throw new WhoisQueryError(117, String(changes.length));
    const ch = changes[n - 1]!;
    const head = comment(
      `Version ${n} ${n === changes.length ? '(current version) ' : ''}of object "${shown}"`,
      `This version was a ${ch.action === 'delete' ? 'DELETE' : 'UPDATE'} operation on ${ch.at.slice(0, 16).replace('T', ' ')}`,
      'You can use "--list-versions" to get a list of versions for an object.',
    );
    if (ch.action === 'delete') return this.banner('rpsl') + head + '\n' + this.footer('rpsl');
    const obj = this.snapshotObject(type, ch);
    const p = applyPolicy(obj, q.options.unfiltered);
    return this.banner('rpsl') + head + '\n' + formatRpslObject(p.object) + '\n' + this.footer('rpsl');
  }

  /** Rebuilds the object as it was from a change record's `after` snapshot. */
  private snapshotObject(type: string, ch: ChangeRecord): WhoisObject {
    const after = ch.after as Record<string, unknown>;
    if (type === 'organisation') return organisationObject({ ...(after as object), updatedAt: ch.at } as never, this.o.source);
    if (type === 'maintainer') return maintainerObject(after as never, this.o.source);
    const s = after as Record<string, string | string[] | null> & { version: number };
    const family = s.family as Delegation['family'];
    const holder = this.o.view.orgsByHandle.get(String(s.holder));
    const d: Delegation = {
      id: String(s.id), family, range: { family, start: BigInt(String(s.start)), end: BigInt(String(s.end)) }, resource: String(s.resource),
      parentId: (s.parentId as string | null) ?? null, holderId: holder?.id ?? '', holderHandle: String(s.holder), holderName: holder?.name ?? String(s.holder),
      status: s.status as Delegation['status'], registry: String(s.registry), country: (s.country as string | null) ?? null,
      netName: (s.netName as string | null) ?? null, description: (s.description as string | null) ?? null, delegatedOn: (s.delegatedOn as string | null) ?? null,
      adminC: (s.adminC as string[]) ?? [], techC: (s.techC as string[]) ?? [], abuseC: (s.abuseC as string | null) ?? null,
      mntBy: (s.mntBy as string[]) ?? [], mntLower: (s.mntLower as string[]) ?? [], mntRoutes: (s.mntRoutes as string[]) ?? [],
      decisionId: (s.decisionId as string | null) ?? null, version: Number(s.version ?? 1), createdAt: ch.at, updatedAt: ch.at,
    };
    const created = this.o.view.delegations.get(d.id)?.createdAt;
    if (created) d.createdAt = created;
    return delegationObject(d, holder, this.o.source);
  }

  // ---- rendering ----

  private info(topic: 'version' | 'types' | 'sources'): string {
    if (topic === 'version') return `% ${WHOIS_VERSION}\n`;
    if (topic === 'types') return [...OWN_TYPES, ...(this.o.rpslLookup ? IRR_TYPES : [])].join('\n') + '\n';
    const irr = (this.o.rpslLookup?.sources?.() ?? []).filter((s) => s !== this.o.source);
    return [`${this.o.source}:3:N:0-${this.o.view.serial}`, ...irr.map((s) => `${s}:3:N:0-0`)].join('\n') + '\n';
  }

  private brief(groups: Group[]): string {
    let out = '';
    for (const g of groups) {
      const d = g.objects[0];
      if (!d || d.source.kind !== 'delegation') continue;
      out += `${`${d.className}:`.padEnd(16)}${d.key}\n${'abuse-mailbox:'.padEnd(16)}${g.abuse ?? ''}\n\n`;
    }
    if (out === '') throw new WhoisQueryError(101, this.o.source);
    return out;
  }

  private renderRpsl(q: WhoisQuery, groups: Group[], filtered: boolean, withheld: boolean, truncated: boolean): string {
    let out = this.banner('rpsl');
    if (q.options.primaryKeys) out += NOTE_PRIMARY_KEYS;
    else if (!q.options.unfiltered && filtered) out += NOTE_FILTERED;
    else if (withheld) out += NOTE_WITHHELD;
    for (const g of groups) {
      // single-line comments written out: comment(x) + '\n' without its array and join, per answer
      if (!q.options.noGrouping) out += `% Information related to '${g.related}'\n\n`;
      if (g.abuse !== undefined && !q.options.primaryKeys) {
        out += g.abuse ? `% Abuse contact for '${g.related}' is '${g.abuse}'\n\n` : `% No abuse contact registered for ${g.related}\n\n`;
      }
      for (const o of g.objects) out += this.cache.text(o, 'rpsl', formatRpslObject) + '\n';
    }
    if (truncated) out += comment(`Output truncated after ${MAX_OBJECTS} objects; narrow the query.`) + '\n';
    return out + this.footer('rpsl');
  }

  private renderJpnic(q: WhoisQuery, groups: Group[], lang: Lang, truncated: boolean): string {
    let out = this.banner(q.format);
    const render = lang === 'ja' ? renderJa : renderEn;
    for (const g of groups) for (const o of g.objects) out += this.cache.text(o, lang, render) + '\n';
    if (truncated) out += comment(`Output truncated after ${MAX_OBJECTS} objects; narrow the query.`) + '\n';
    return out;
  }
}

const NOTE_PRIMARY_KEYS = comment('Note: this output has been filtered.', 'Only primary keys will be visible.') + '\n';
const NOTE_FILTERED = comment('Note: this output has been filtered.', '      To receive output for a database update, use the "-B" flag.') + '\n';
const NOTE_WITHHELD = comment('Note: contact details of natural persons are withheld, with or without "-B".') + '\n';

const renderJa = (o: WhoisObject) => formatJpnicObject(o, 'ja');
const renderEn = (o: WhoisObject) => formatJpnicObject(o, 'en');

const INVERSE_CANONICAL: Record<string, string> = {
  ac: 'admin-c', tc: 'tech-c', au: 'abuse-c', mb: 'mnt-by', ml: 'mnt-lower', mu: 'mnt-routes', og: 'org', pn: 'person',
};
