/**
 * `numreg check` for RPKI: compares what the registry says with what the CA has certified and published,
 * reading only files and the database (safe while `numreg serve` runs). Returns one line per disagreement.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Queryable } from '../db/database.js';
import { formatPrefix, parsePrefix, prefixToRange } from '../core/prefix.js';
import { ResourceSet } from '../core/resource-set.js';
import { parseKeyContent } from './ca/tree.js';
import { loadState } from './ca/state.js';
import { loadRegistryInput } from './registry-source.js';

export async function checkRpki(db: Queryable, dataDir: string): Promise<string[]> {
  const problems: string[] = [];
  const root = join(dataDir, 'rpki');
  const state = loadState(join(root, 'ca-state.json'));
  if (!state) return ['rpki: no CA state in the data directory (has `numreg serve` run?)'];
  const input = await loadRegistryInput(db);
  const ta = input.taResources ?? ResourceSet.parse(state.ta.current.cert?.resources ?? '');

  const registryHolders = new Map<string, ResourceSet>();
  for (const h of input.holders) {
    const res = h.resources.intersect(ta);
    if (!res.isEmpty()) registryHolders.set(h.handle, res.union(registryHolders.get(h.handle) ?? ResourceSet.EMPTY));
  }
  for (const [handle, res] of registryHolders) {
    const ca = state.children[handle];
    if (!ca) problems.push(`rpki: ${handle} holds ${res} but has no CA`);
    else if (ca.current.cert?.resources !== res.toString()) {
      problems.push(`rpki: ${handle}'s CA certificate carries "${ca.current.cert?.resources ?? ''}", the registry says "${res}"`);
    }
  }
  for (const handle of Object.keys(state.children)) {
    if (!registryHolders.has(handle)) problems.push(`rpki: ${handle} has a CA but holds nothing in the registry`);
  }

  const key = (asn: bigint, prefix: string, max: number, holder: string) => `${holder} AS${asn} ${prefix}-${max}`;
  const wanted = new Set<string>();
  for (const r of input.roas) {
    const p = typeof r.prefix === 'string' ? parsePrefix(r.prefix) : r.prefix;
    const res = registryHolders.get(r.holderHandle);
    if (res?.contains(prefixToRange(p))) wanted.add(key(BigInt(r.asn), formatPrefix(p), r.maxLength ?? p.length, r.holderHandle));
  }
  const published = new Set<string>();
  for (const ca of Object.values(state.children)) {
    for (const k of Object.keys(ca.current.objects)) {
      const c = parseKeyContent(k);
      if (c.kind === 'roa') published.add(key(c.roa.asn, formatPrefix(c.roa.prefix), c.roa.maxLength, ca.handle));
    }
  }
  for (const w of wanted) if (!published.has(w)) problems.push(`rpki: ROA ${w} is in the registry but not published`);
  for (const p of published) if (!wanted.has(p)) problems.push(`rpki: ROA ${p} is published but not in the registry`);

  // the repository on disk equals what was last published (RRDP state holds every file's hash)
  const rrdpState = join(root, 'rrdp', 'state.json');
  if (existsSync(rrdpState)) {
    const objects = (JSON.parse(readFileSync(rrdpState, 'utf8')) as { objects: Record<string, string> }).objects;
    const repo = join(root, 'repo');
    const onDisk = new Set<string>();
    const walk = (d: string, rel: string) => {
      for (const n of readdirSync(d)) {
        if (statSync(join(d, n)).isDirectory()) walk(join(d, n), `${rel}${n}/`);
        else onDisk.add(`${rel}${n}`);
      }
    };
    if (existsSync(repo)) walk(repo, '');
    for (const [path, hash] of Object.entries(objects)) {
      if (!onDisk.has(path)) problems.push(`rpki: ${path} is in RRDP but missing from the rsync repository`);
      else if (createHash('sha256').update(readFileSync(join(repo, path))).digest('hex') !== hash) problems.push(`rpki: ${path} differs between RRDP and the rsync repository`);
    }
    for (const path of onDisk) if (!(path in objects)) problems.push(`rpki: ${path} is in the rsync repository but not in RRDP`);
  }
  return problems;
}
