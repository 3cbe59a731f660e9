/**
 * Connects the IRR (src/irr) to the WHOIS port through the two hooks of hooks.ts:
 *   irrHandler  `!` lines → handleIrrdCommand, with one IRRd session per WHOIS connection
 *   rpslLookup  RIPE-style queries also return the IRR's RPSL objects (route, route6, as-set, …) via
 *               IrrService.findRpslObjects (RPKI-invalid routes hidden); password hashes are filtered as IRRd does.
 * The IRR has no synchronous address → route look-up yet, so bulk attribution uses the registry's AS.
 */
import type { IrrService } from '../irr/service.js';
import { handleIrrdCommand, newIrrdSession, type IrrdSession } from '../irr/irrd.js';
import { filterAuth, type RouteSearch } from '../irr/lookup.js';
import type { IrrHandler, RpslLookup } from './hooks.js';
import type { IpLookup } from './flags.js';

const ROUTE_SEARCH: Partial<Record<IpLookup, RouteSearch>> = { exact: 'exact', 'one-less': 'less-one', 'all-less': 'less-all', 'all-more': 'more', 'one-more': 'more' };

/** Inverse attributes that only IRR objects carry, and those both carry (registry objects come from the registry). */
const IRR_INVERSE = new Set(['origin', 'member-of', 'members', 'mbrs-by-ref', 'mnt-by', 'mnt-lower', 'mnt-routes', 'admin-c', 'tech-c', 'org']);

export async function irrHooks(service: IrrService): Promise<{ irrHandler: IrrHandler; rpslLookup: RpslLookup }> {
  let sources = (await service.db.query<{ name: string }>('SELECT name FROM irr_source ORDER BY name')).rows.map((r) => r.name.toUpperCase());
  const refresh = setInterval(() => {
    service.db.query<{ name: string }>('SELECT name FROM irr_source ORDER BY name')
      .then((r) => (sources = r.rows.map((x) => x.name.toUpperCase())), () => undefined);
  }, 60_000);
  refresh.unref();

  const irrHandler: IrrHandler = (session, line) => {
    let s = session.state.get('irrd') as IrrdSession | undefined;
    if (!s) session.state.set('irrd', (s = newIrrdSession()));
    s.multiple = session.multiCommand;
    return handleIrrdCommand(service, s, line);
  };

  const rpslLookup: RpslLookup = {
    async search(q) {
      const inverse = q.inverse?.filter((a) => IRR_INVERSE.has(a));
      if (q.inverse && !inverse?.length) return [];
      // Through the service, so RPKI-invalid routes stay hidden as in !g/!a answers.
      const found = await service.findRpslObjects({
        key: q.key,
        types: q.types ?? undefined,
        inverse: inverse ?? undefined,
        sources: q.sources ?? undefined,
        routes: q.ip ? ROUTE_SEARCH[q.ip] : undefined,
      });
      return found.map((f) => ({ className: f.className, key: f.pkey, source: f.source, text: filterAuth(f.text).trimEnd() }));
    },
    sources: () => sources,
  };
  return { irrHandler, rpslLookup };
}
