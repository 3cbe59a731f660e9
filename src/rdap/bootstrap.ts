/**
 * RFC 9224 bootstrap files for the number space this registry holds, as IANA publishes them for the RIRs:
 * { version, publication, description, services: [[entries], [base URLs]] }. The space is the union of
 * the top-level delegations (or, with `operator`, of the blocks delegated to that organisation),
 * as minimal CIDR prefixes (IPv4/IPv6) or "start-end" AS ranges. RFC 8521 object tags are published too.
 */
import type { Queryable } from '../db/database.js';
import { formatPrefix, rangeToPrefixes, ResourceSet, type Family, type NumberRange } from '../core/index.js';

export type BootstrapKind = 'ipv4' | 'ipv6' | 'asn';

export async function heldSpace(db: Queryable, family: Family, operator?: string): Promise<NumberRange[]> {
  const { rows } = operator
    ? await db.query<{ s: string; e: string }>(
        `SELECT lower(d.rng)::text AS s, upper(d.rng)::text AS e FROM delegation d JOIN organisation o ON o.id = d.holder_id
          WHERE d.family = $1 AND o.handle = $2 AND d.status <> 'available'`,
        [family, operator.toUpperCase()],
      )
    : await db.query<{ s: string; e: string }>(
        `SELECT lower(rng)::text AS s, upper(rng)::text AS e FROM delegation WHERE family = $1 AND parent_id IS NULL AND status <> 'available'`,
        [family],
      );
  return ResourceSet.fromRanges(rows.map((r) => ({ family, start: BigInt(r.s), end: BigInt(r.e) }))).ranges(family);
}

export async function bootstrapFile(db: Queryable, kind: BootstrapKind, baseUrl: string, operator?: string): Promise<Record<string, unknown>> {
  const ranges = await heldSpace(db, kind, operator);
  const entries = kind === 'asn'
    ? ranges.map((r) => (r.start === r.end ? String(r.start) : `${r.start}-${r.end}`))
    : ranges.flatMap((r) => rangeToPrefixes(r).map(formatPrefix));
  return {
    version: '1.0',
    publication: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    description: `RDAP bootstrap file for ${kind === 'asn' ? 'AS numbers' : kind === 'ipv4' ? 'IPv4 address space' : 'IPv6 address space'} held by this registry (RFC 9224)`,
    services: entries.length ? [[entries, [`${baseUrl}/`]]] : [],
  };
}

/** RFC 8521 object-tag bootstrap: [contact, [tags], [base URLs]]. */
export function objectTagsFile(tag: string, baseUrl: string, contact: string): Record<string, unknown> {
  return {
    version: '1.0',
    publication: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    description: 'RDAP bootstrap file for service provider object tags (RFC 8521)',
    services: [[[contact], [tag], [`${baseUrl}/`]]],
  };
}
