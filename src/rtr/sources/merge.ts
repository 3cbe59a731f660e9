// Merges the keys of all sources, applies SLURM, and dedupes into one canonical RecordSet.
import { PDU } from '../pdu-types.js';
import { aspaCustomer, aspaKey, decodeKey } from '../records.js';
import { RecordSet } from '../vrp-set.js';
import { applySlurm, type Slurm } from './slurm.js';

export function mergeSources(lists: readonly (readonly string[])[], slurm?: Slurm): RecordSet {
  let all: string[] = [];
  for (const l of lists) all = all.length === 0 ? l.slice() : all.concat(l);
  if (slurm) all = applySlurm(all, slurm);
  // one ASPA per customer: sources that disagree contribute the union of their providers
  const aspas = new Map<number, string[]>();
  for (const k of all) if (k.charCodeAt(0) === PDU.aspa) (aspas.get(aspaCustomer(k)) ?? aspas.set(aspaCustomer(k), []).get(aspaCustomer(k))!).push(k);
  if ([...aspas.values()].some((l) => l.length > 1)) {
    all = all.filter((k) => k.charCodeAt(0) !== PDU.aspa);
    for (const [customer, keys] of aspas) {
      const providers = new Set<number>();
      for (const k of keys) {
        const r = decodeKey(k);
        if (r.kind === 'aspa') r.aspa.providers.forEach((p) => providers.add(p));
      }
      all.push(aspaKey({ customer, providers: [...providers] }));
    }
  }
  return RecordSet.fromKeys(all);
}
