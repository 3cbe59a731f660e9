import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../db/database.js';
import { IANA, RIRS } from '../registries.js';
import {
  insertDelegations, insertOrganisations, reserveIds, transactionNow,
  type NewDelegationRow, type NewOrganisationRow, type WriteContext,
} from '../write.js';
import { parseAsNumbers } from './as-numbers.js';
import { parseAsNumbersCsv, parseIpv4AddressSpaceCsv } from './csv-variants.js';
import { classify, legacyHandle } from './classify.js';
import { parseIpv4AddressSpace } from './ipv4-address-space.js';
import { parseIpv4SpecialRegistry } from './ipv4-special.js';
import { parseIpv6UnicastAssignments } from './ipv6-unicast.js';
import type { IanaRecord } from './types.js';

export const IANA_FILES = {
  ipv4: 'ipv4-address-space.txt',
  ipv6: 'ipv6-unicast-address-assignments.csv',
  asn: 'as-numbers.txt',
  ipv4Special: 'ipv4-special-registry.txt',
} as const;

/**
 * Reads and parses the IANA files of a directory (the shipped copies live in data/iana/). IANA's plain-text
 * renderings are used when present, else its CSV downloads (ipv4-address-space.csv, as-numbers-1.csv and
 * as-numbers-2.csv); the special-purpose registry is optional.
 */
export function readIanaDirectory(dir: string) {
  const has = (name: string) => existsSync(join(dir, name));
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  const missing = (what: string, names: string[]) => new Error(`${dir}: no ${what} (looked for ${names.join(', ')})`);
  const ipv4 = has(IANA_FILES.ipv4) ? parseIpv4AddressSpace(read(IANA_FILES.ipv4))
    : has('ipv4-address-space.csv') ? parseIpv4AddressSpaceCsv(read('ipv4-address-space.csv'))
    : (() => { throw missing('IPv4 address space', [IANA_FILES.ipv4, 'ipv4-address-space.csv']); })();
  if (!has(IANA_FILES.ipv6)) throw missing('IPv6 unicast assignments', [IANA_FILES.ipv6]);
  const asn = has(IANA_FILES.asn) ? parseAsNumbers(read(IANA_FILES.asn))
    : has('as-numbers-1.csv') && has('as-numbers-2.csv')
      ? [...parseAsNumbersCsv(read('as-numbers-1.csv'), 'as-numbers-1.csv'), ...parseAsNumbersCsv(read('as-numbers-2.csv'), 'as-numbers-2.csv')]
      : (() => { throw missing('AS numbers', [IANA_FILES.asn, 'as-numbers-1.csv + as-numbers-2.csv']); })();
  return {
    ipv4,
    ipv6: parseIpv6UnicastAssignments(read(IANA_FILES.ipv6)),
    asn,
    ipv4Special: has(IANA_FILES.ipv4Special) ? parseIpv4SpecialRegistry(read(IANA_FILES.ipv4Special)) : [],
  };
}

export interface ImportIanaOptions {
  /** Actor label in the change feed; 'system' unless told. An Actor-like object with a `kind` is accepted too. */
  actor?: string | { kind: string; name?: string };
}

export interface ImportIanaResult {
  organisationsCreated: number;
  delegationsCreated: number;
  /** Blocks already present (a second run creates nothing). */
  delegationsPresent: number;
}

function actorText(actor: ImportIanaOptions['actor']): string {
  if (actor === undefined) return 'system';
  if (typeof actor === 'string') return actor;
  return actor.kind === 'system' && actor.name ? `system:${actor.name}` : actor.kind;
}

/** "1981-09" → "1981-09-01"; "1999-07-01" stays. */
function day(date: string | null): string | null {
  if (!date) return null;
  return /^\d{4}-\d{2}$/.test(date) ? `${date}-01` : date;
}

/**
 * Builds the IANA → RIR level of the registry from IANA's registry files: organisations for IANA, the five
 * RIRs and every named legacy holder, and one top-level delegation (registry 'iana') per IPv4 /8, IPv6
 * unicast block and AS-number block. All in one transaction with change-feed rows; objects that already
 * exist (by handle, or by family and exact range at the top level) are left alone, so a second run changes
 * nothing.
 */
export async function importIana(db: Db, dir: string, options: ImportIanaOptions = {}): Promise<ImportIanaResult> {
  const files = readIanaDirectory(dir);
  const records: IanaRecord[] = [...files.ipv4, ...files.ipv6, ...files.asn];
  const actor = actorText(options.actor);

  return db.transaction(async (tx) => {
    const ctx: WriteContext = { actor, reason: 'IANA registry bootstrap', now: await transactionNow(tx) };
    const existingOrgs = new Map(
      (await tx.query<{ id: string; handle: string }>('SELECT id::text AS id, handle FROM organisation')).rows.map((r) => [r.handle, r.id]),
    );

    // Organisations: IANA first (the others name it as parent), then the RIRs and legacy holders.
    const wanted: Omit<NewOrganisationRow, 'id' | 'parentId'>[] = [IANA, ...RIRS].map((r) => ({
      handle: r.handle, name: r.name, role: r.role, country: null, registry: 'iana', opaqueId: null,
    }));
    for (const record of records) {
      const holder = classify(record);
      if (holder.kind === 'legacy' && !wanted.some((w) => w.handle === legacyHandle(holder.name))) {
        wanted.push({ handle: legacyHandle(holder.name), name: holder.name, role: 'end-user', country: null, registry: 'iana', opaqueId: null });
      }
    }
    const missing = wanted.filter((w) => !existingOrgs.has(w.handle));
    const orgIds = await reserveIds(tx, 'organisation', missing.length);
    const ianaId = existingOrgs.get(IANA.handle) ?? orgIds[0]!;
    const newOrgs: NewOrganisationRow[] = missing.map((w, i) => ({
      ...w, id: orgIds[i]!, parentId: w.handle === IANA.handle ? null : ianaId,
    }));
    for (const o of newOrgs) existingOrgs.set(o.handle, o.id);
    await insertOrganisations(tx, newOrgs, ctx);

    // Delegations at the top level, skipping those already present.
    const present = new Set(
      (await tx.query<{ k: string }>(
        `SELECT family || ':' || lower(rng)::text || ':' || upper(rng)::text AS k FROM delegation WHERE parent_id IS NULL`,
      )).rows.map((r) => r.k),
    );
    const todo = records.filter((r) => !present.has(`${r.family}:${r.start}:${r.end}`));
    const ids = await reserveIds(tx, 'delegation', todo.length);
    const rows: NewDelegationRow[] = todo.map((record, i) => {
      const holder = classify(record);
      const handle = holder.kind === 'legacy' ? legacyHandle(holder.name) : holder.registry.handle;
      return {
        id: ids[i]!,
        family: record.family,
        start: record.start,
        end: record.end,
        parentId: null,
        holderId: existingOrgs.get(handle)!,
        holderHandle: handle,
        status: holder.status,
        registry: 'iana',
        country: null,
        netName: null,
        description: record.designation,
        delegatedOn: day(record.date),
      };
    });
    await insertDelegations(tx, rows, ctx);
    return {
      organisationsCreated: newOrgs.length,
      delegationsCreated: rows.length,
      delegationsPresent: records.length - rows.length,
    };
  });
}
