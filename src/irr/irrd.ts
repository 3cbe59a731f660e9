/**
 * IRRd `!` commands, independent of any socket: handleIrrdCommand(service, session, line) returns the exact
 * bytes to send (IRRd framing: `A<n>\n<data>\nC\n` with n = data length + 1, `C\n`, `D\n`, `F <msg>\n`, and
 * nothing at all for `!!`). The WHOIS server routes lines starting with "!" here.
 */
import type { IrrService } from './service.js';
import { directMembers, expandSet, prefixesOfSet, recursiveMembers, routesOfOrigins } from './expand.js';
import { parsePrefixText, parseAsNumber, type IpFamily } from './net.js';
import { exactKey, filterAuth, inverseLookup, routeSearch, type RouteSearch } from './lookup.js';
import { CLASS_BY_NAME } from './classes.js';

export const IRR_VERSION = 'numreg-irr 0.1 (IRRd 4 compatible query language)';

export interface IrrdSession {
  /** `!!` seen: keep the connection open after each answer */
  multiple: boolean;
  /** selected sources (`!s`), in priority order; undefined = all, own source first */
  sources?: string[];
  timeoutSeconds: number;
  clientName?: string;
  /** `!fno-rpki-filter`: include RPKI-invalid routes */
  includeInvalid: boolean;
  excludedSets: Set<string>;
  /** answer `!a…` as an unknown command, like IRRd versions before 4.0 (tests bgpq4's !i + !g fallback) */
  withoutA?: boolean;
}

export function newIrrdSession(): IrrdSession {
  return { multiple: false, timeoutSeconds: 30, includeInvalid: false, excludedSets: new Set() };
}

class QueryError extends Error {}

export const frame = {
  data: (text: string) => (text ? `A${Buffer.byteLength(text, 'utf8') + 1}\n${text}\nC\n` : 'C\n'),
  ok: () => 'C\n',
  notFound: () => 'D\n',
  error: (msg: string) => `F ${msg}\n`,
};

/** Non-empty data -> A-frame, empty -> D (key not found), as IRRd answers !g/!6/!a/!i/!m/!o/!r. */
const dataOrD = (text: string) => (text ? frame.data(text) : frame.notFound());

async function activeSources(service: IrrService, session: IrrdSession): Promise<string[]> {
  if (session.sources) return session.sources;
  return (await service.sources()).map((s) => s.name);
}

function origin(param: string): number {
  try {
    const v = parseAsNumber(param);
    return Number(v);
  } catch {
    throw new QueryError(`Invalid AS number ${param.toUpperCase()}: number part is not numeric`);
  }
}

export async function handleIrrdCommand(service: IrrService, session: IrrdSession, rawLine: string): Promise<string> {
  const line = rawLine.replace(/\r?\n$/, '').trim();
  if (line.includes('\0')) return frame.error('Queries may not contain null bytes');
  try {
    return await dispatch(service, session, line.startsWith('!') ? line.slice(1) : line);
  } catch (e) {
    if (e instanceof QueryError) return frame.error(e.message);
    return frame.error('An internal error occurred while processing this query.');
  }
}

async function dispatch(service: IrrService, session: IrrdSession, full: string): Promise<string> {
  if (!full) throw new QueryError('Missing IRRD command');
  const command = full[0];
  const param = full.slice(1);
  if ('tg6ijmnors'.includes(command) && !param) throw new QueryError(`Missing parameter for ${command} query`);
  await service.refresh();
  const opt = async () => ({ sources: await activeSources(service, session), includeInvalid: session.includeInvalid, excluded: session.excludedSets });
  switch (command) {
    case '!':
      session.multiple = true;
      return '';
    case 'f': {
      if (full.toLowerCase() === 'fno-rpki-filter') {
        session.includeInvalid = true;
        return frame.data('Filtering out RPKI invalids is disabled for !g, !6, !a, !i, !r and RIPE style queries for the rest of this connection.');
      }
      throw new QueryError(`Unrecognised command: ${command}`);
    }
    case 'v':
      return frame.data(IRR_VERSION);
    case 't': {
      const t = Number(param);
      if (!/^[0-9]+$/.test(param) || t < 1 || t > 1000) throw new QueryError(`Invalid value for timeout: ${param}`);
      session.timeoutSeconds = t;
      return frame.ok();
    }
    case 'n':
      session.clientName = param;
      return frame.ok();
    case 'g':
    case '6': {
      const family: IpFamily = command === 'g' ? 'ipv4' : 'ipv6';
      const list = routesOfOrigins(service.index, [origin(param)], family, await opt());
      return dataOrD(list.map((r) => r.prefix).join(' '));
    }
    case 'a': {
      if (session.withoutA) throw new QueryError(`Unrecognised command: ${command}`);
      let name = param;
      let family: IpFamily | undefined;
      if (name.startsWith('4')) { family = 'ipv4'; name = name.slice(1); }
      else if (name.startsWith('6')) { family = 'ipv6'; name = name.slice(1); }
      let aggregate = false;
      if (/,a$/i.test(name)) { aggregate = true; name = name.slice(0, -2); }
      if (!name) throw new QueryError('Missing required set name for A query');
      const list = prefixesOfSet(service.index, name.toUpperCase(), family, { ...(await opt()), aggregate });
      return dataOrD((list ?? []).join(' '));
    }
    case 'i': {
      let name = param;
      const recursive = name.endsWith(',1');
      if (recursive) name = name.slice(0, -2);
      name = name.toUpperCase();
      const o = await opt();
      if (!recursive) return dataOrD((directMembers(service.index, name, o) ?? []).sort().join(' '));
      const e = expandSet(service.index, name, o);
      return dataOrD(e ? recursiveMembers(e).join(' ') : '');
    }
    case 'j': {
      const all = await service.sources();
      const want = param === '-*' ? all.map((s) => s.name) : param.toUpperCase().split(',');
      const { rows } = await service.db.query<{ serial: string }>('SELECT serial::text AS serial FROM feed_state WHERE id = 1');
      const lines = want.map((name) => {
        const s = all.find((x) => x.name === name);
        if (!s) return `${name}:X:Database unknown`;
        const newest = s.authoritative ? rows[0]?.serial : s.serial;
        return `${name}:${s.authoritative ? 'Y' : 'N'}:${newest && newest !== '0' ? `0-${newest}` : '-'}`;
      });
      return frame.data(lines.join('\n'));
    }
    case 'm': {
      const comma = param.indexOf(',');
      if (comma < 0) throw new QueryError(`Invalid argument for object lookup: ${param}`);
      const cls = param.slice(0, comma).toLowerCase();
      if (!CLASS_BY_NAME.has(cls)) return frame.notFound();
      const found = await exactKey(service.db, cls, param.slice(comma + 1), await activeSources(service, session));
      return dataOrD(found ? filterAuth(found.text).trimEnd() : '');
    }
    case 'o': {
      const found = await inverseLookup(service.db, 'mnt-by', param, await activeSources(service, session));
      return dataOrD(found.map((f) => filterAuth(f.text).trimEnd()).join('\n\n'));
    }
    case 'r': {
      const [address, option, extra] = param.split(',');
      if (extra !== undefined) throw new QueryError(`Invalid input for route search: ${param}`);
      let prefix;
      try {
        prefix = address.includes('/') ? parsePrefixText(address) : undefined;
        if (!prefix) {
          const p = parsePrefixText(`${address}/${address.includes(':') ? 128 : 32}`);
          prefix = p;
        }
      } catch {
        throw new QueryError(`Invalid input for route search: ${param}`);
      }
      const kinds: Record<string, RouteSearch> = { '': 'exact', o: 'exact', l: 'less-one', L: 'less-all', M: 'more' };
      const kind = kinds[option ?? ''];
      if (!kind) throw new QueryError(`Invalid route search option: ${option}`);
      const found = await routeSearch(service.db, prefix, kind, await activeSources(service, session), (p, o) => service.rov(p, o), session.includeInvalid);
      if (option === 'o') return dataOrD([...new Set(found.map((f) => f.origin))].join(' '));
      return dataOrD(found.map((f) => f.text.trimEnd()).join('\n\n'));
    }
    case 's': {
      if (param === '-*') return frame.ok();
      if (param === '-lc') return frame.data((await activeSources(service, session)).join(','));
      const known = new Set((await service.sources()).map((s) => s.name));
      const wanted = param.toUpperCase().split(',');
      if (!wanted.every((s) => known.has(s))) throw new QueryError('One or more selected sources are unavailable.');
      session.sources = wanted;
      return frame.ok();
    }
    case 'e': {
      if (param === '-lc') return frame.data([...session.excludedSets].join(','));
      session.excludedSets = new Set(param ? param.toUpperCase().split(',') : []);
      return frame.ok();
    }
    case 'q':
      return '';
    default:
      throw new QueryError(`Unrecognised command: ${command}`);
  }
}
