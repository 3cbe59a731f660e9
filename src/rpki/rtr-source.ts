/**
 * The hosted CA's ROAs (and ASPAs) as a VRP source for the RTR cache (src/rtr PushSource shape): the lead passes
 * `rtrSource(rpki)` in `startRtrService({ extraSources: [...] })`.
 */
import { formatPrefix } from '../core/prefix.js';
import type { PushSource } from '../rtr/sources/types.js';
import type { RpkiService } from './index.js';

export function rtrSource(service: RpkiService, name = 'numreg-ca'): PushSource {
  return {
    name,
    current: () => ({
      vrps: service.vrps().map((v) => ({ prefix: formatPrefix(v.prefix), maxLength: v.maxLength, asn: Number(v.asn) })),
      aspas: service.aspas().map((a) => ({ customer: Number(a.customer), providers: a.providers.map(Number) })),
    }),
    onChange: (cb) => service.onVrpsChanged(() => cb()),
  };
}
