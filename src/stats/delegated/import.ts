import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { formatRange, type Family } from '../../core/index.js';
import type { Db } from '../../db/database.js';
import { pgErrorCode, PG_EXCLUSION_VIOLATION } from '../../db/database.js';
import { IANA, rirByStatsName } from '../registries.js';
import {
  delegationSnapshot, insertChanges, insertDelegations, insertOrganisations, reserveIds, transactionNow,
  type NewDelegationRow, type NewOrganisationRow, type WriteContext,
} from '../write.js';
import { parseDelegated } from './parse.js';
import { DelegatedFileError, type DelegatedRecord, type LineError } from './types.js';

export interface ImportProgress {
  phase: 'parse' | 'validate' | 'write' | 'done';
  done: number;
  total: number;
}

export interface ImportDelegatedOptions {
  onProgress?: (progress: ImportProgress) => void;
  actor?: string;
}

export interface ImportDelegatedResult {
  registry: string;
  records: number;
  created: number;
  modified: number;
  deleted: number;
  unchanged: number;
  organisationsCreated: number;
}

/** YYYYMMDD → YYYY-MM-DD; "" and "00000000" → null. */
const isoDate = (d: string) => (d === '' || d === '00000000' ? null : `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`);

function sanitize(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
}

/** The organisation a record's resource goes to: the registry itself, the opaque-id holder, or a per-country holder. */
function holderOf(record: DelegatedRecord, registryHandle: string): { handle: string; opaqueId: string | null; cc: string | null } {
  if (record.status === 'available' || record.status === 'reserved') return { handle: registryHandle, opaqueId: null, cc: null };
  if (record.opaqueId) return { handle: `${registryHandle}-${sanitize(record.opaqueId)}`.slice(0, 63), opaqueId: record.opaqueId, cc: record.cc || null };
  return { handle: `${registryHandle}-CC-${record.cc || 'ZZ'}`, opaqueId: null, cc: record.cc || null };
}

function registryHandle(name: string): string {
  return rirByStatsName(name)?.handle ?? (name === IANA.stats ? IANA.handle : sanitize(name));
}

interface Existing {
  id: string; family: Family; lo: string; hi: string; parent_id: string | null; status: string; registry: string;
  country: string | null; net_name: string | null; description: string | null; delegated_on: string | null;
  version: number; holder: string; holder_registry: string | null;
}

interface Top { id: string; family: Family; lo: bigint; hi: bigint; registry: string }

interface Piece { start: bigint; end: bigint; parentId: string | null }

/**
 * Cuts [start, end] at the boundaries of the IANA-level (top-level) blocks: each piece lies inside one block
 * (its parent) or outside all of them (parent null). One piece almost always; a few real records span two
 * adjacent IANA blocks of the same RIR (e.g. APNIC's AS141576 + 100 across 141625/141626).
 */
function splitByParents(tops: Top[], family: Family, start: bigint, end: bigint): Piece[] {
  let lo = 0;
  let hi = tops.length - 1;
  let i = tops.length;
  while (lo <= hi) {
    // first block of this family whose end is >= start
    const mid = (lo + hi) >> 1;
    const t = tops[mid]!;
    if (t.family > family || (t.family === family && t.hi >= start)) { i = mid; hi = mid - 1; } else lo = mid + 1;
  }
  const pieces: Piece[] = [];
  let cur = start;
  while (cur <= end) {
    const t = tops[i];
    if (!t || t.family !== family || t.lo > end) { pieces.push({ start: cur, end, parentId: null }); break; }
    if (t.lo > cur) { pieces.push({ start: cur, end: t.lo - 1n, parentId: null }); cur = t.lo; continue; }
    const pieceEnd = t.hi < end ? t.hi : end;
    pieces.push({ start: cur, end: pieceEnd, parentId: t.id });
    cur = pieceEnd + 1n;
    i++;
  }
  return pieces;
}

/** Description that ties the pieces of one split record together, so the export writes one line again. */
export const SPLIT_MARK = (r: DelegatedRecord) => `part of ${r.type} ${r.startText}|${r.value} (one record in the statistics file)`;
export const SPLIT_MARK_LIKE = 'part of % (one record in the statistics file)';

/**
 * Imports an RIR statistics exchange file as that registry's delegations. The whole file is validated first
 * (every bad line reported by number, DelegatedFileError, nothing written); then, in one transaction:
 * holder organisations (per opaque id in the extended format, else per country), and the delegations under
 * the IANA-level block that contains each record. A re-import synchronises: records already present are left
 * alone, changed ones modified, and delegations this import made earlier that the file no longer lists are
 * deleted. Delegations of the same registry that did not come from an import (e.g. made through the
 * registry API) are never touched.
 */
export async function importDelegated(db: Db, file: string, options: ImportDelegatedOptions = {}): Promise<ImportDelegatedResult> {
  const text = await readFile(file, 'utf8');
  return importDelegatedText(db, text, { ...options, fileName: basename(file) });
}

export async function importDelegatedText(
  db: Db, text: string, options: ImportDelegatedOptions & { fileName?: string } = {},
): Promise<ImportDelegatedResult> {
  const progress = options.onProgress ?? (() => undefined);
  const fileName = options.fileName ?? 'statistics file';
  progress({ phase: 'parse', done: 0, total: 1 });
  const { file, errors } = parseDelegated(text);
  if (!file) throw new DelegatedFileError(errors, fileName);
  const records = file.records;
  const total = records.length;
  progress({ phase: 'validate', done: 0, total });

  try {
    return await db.transaction(async (tx) => {
      const ctx: WriteContext = { actor: options.actor ?? 'system', reason: `import ${fileName}`, now: await transactionNow(tx) };
      const registries = [...new Set(records.map((r) => r.registry))];
      if (registries.length === 0) registries.push(file.header.registry);

      // Parents: top-level blocks of other registries (the IANA level), sorted for binary search.
      const tops: Top[] = (await tx.query<{ id: string; family: Family; lo: string; hi: string; registry: string }>(
        `SELECT id::text AS id, family, lower(rng)::text AS lo, upper(rng)::text AS hi, registry
           FROM delegation WHERE parent_id IS NULL AND NOT (registry = ANY($1::text[]))`,
        [registries],
      )).rows.map((r) => ({ ...r, lo: BigInt(r.lo), hi: BigInt(r.hi) }))
        .sort((a, b) => (a.family !== b.family ? (a.family < b.family ? -1 : 1) : a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
      const pieces: Piece[][] = new Array(total);
      for (let i = 0; i < total; i++) {
        const r = records[i]!;
        pieces[i] = splitByParents(tops, r.type, r.start, r.end);
      }

      // What is there already: this registry's delegations, and whether an import made them (holder org of that registry).
      const existing = (await tx.query<Existing>(
        `SELECT d.id::text AS id, d.family, lower(d.rng)::text AS lo, upper(d.rng)::text AS hi, d.parent_id::text AS parent_id,
                d.status, d.registry, d.country, d.net_name, d.description, d.delegated_on::text AS delegated_on, d.version,
                o.handle AS holder, o.registry AS holder_registry
           FROM delegation d JOIN organisation o ON o.id = d.holder_id
          WHERE d.registry = ANY($1::text[])`,
        [registries],
      )).rows;
      const byKey = new Map<string, Existing>();
      for (const e of existing) byKey.set(`${e.family}|${e.lo}|${e.hi}`, e);

      // Organisations: the registries themselves and every holder.
      const orgs = new Map((await tx.query<{ id: string; handle: string }>('SELECT id::text AS id, handle FROM organisation')).rows.map((r) => [r.handle, r.id]));
      const newOrgs: Omit<NewOrganisationRow, 'id' | 'parentId'>[] = [];
      const wantOrg = (o: Omit<NewOrganisationRow, 'id' | 'parentId'>) => {
        if (!orgs.has(o.handle) && !newOrgs.some((n) => n.handle === o.handle)) newOrgs.push(o);
      };
      for (const name of registries) {
        const rir = rirByStatsName(name);
        wantOrg({ handle: registryHandle(name), name: rir?.name ?? name.toUpperCase(), role: rir ? 'rir' : 'nir', country: null, registry: 'iana', opaqueId: null });
      }
      const holders: { handle: string; opaqueId: string | null; cc: string | null }[] = new Array(total);
      const seenHolder = new Set<string>();
      for (let i = 0; i < total; i++) {
        const r = records[i]!;
        const h = holderOf(r, registryHandle(r.registry));
        holders[i] = h;
        if (seenHolder.has(h.handle) || orgs.has(h.handle)) continue;
        seenHolder.add(h.handle);
        const rirName = rirByStatsName(r.registry)?.iana ?? r.registry.toUpperCase();
        wantOrg({
          handle: h.handle,
          name: h.opaqueId ? `${rirName} holder ${h.opaqueId}` : `${rirName} resource holders in ${h.cc ?? 'unknown country'}`,
          role: 'lir', country: h.cc && h.cc !== 'ZZ' ? h.cc : null, registry: r.registry, opaqueId: h.opaqueId,
        });
      }
      const orgIds = await reserveIds(tx, 'organisation', newOrgs.length);
      const rirParent = orgs.get(IANA.handle) ?? null;
      const orgRows = newOrgs.map((o, i) => ({ ...o, id: orgIds[i]!, parentId: o.role === 'lir' ? null : rirParent }));
      for (const o of orgRows) orgs.set(o.handle, o.id);
      for (const o of orgRows) if (o.role === 'lir') o.parentId = orgs.get(registryHandle(o.registry!)) ?? null;
      await insertOrganisations(tx, orgRows, ctx);

      // Plan: create, modify, delete, unchanged.
      const creates: NewDelegationRow[] = [];
      const modifies: { row: NewDelegationRow; before: Existing }[] = [];
      const keep = new Set<string>();
      for (let i = 0; i < total; i++) {
        const r = records[i]!;
        const h = holders[i]!;
        const split = pieces[i]!.length > 1;
        for (const piece of pieces[i]!) {
          const wanted: NewDelegationRow = {
            id: '', family: r.type, start: piece.start, end: piece.end, parentId: piece.parentId, holderId: orgs.get(h.handle)!,
            holderHandle: h.handle, status: r.status, registry: r.registry, country: r.cc || null, netName: null,
            description: split ? SPLIT_MARK(r) : null, delegatedOn: isoDate(r.date),
          };
          const e = byKey.get(`${r.type}|${piece.start}|${piece.end}`);
          if (!e) { creates.push(wanted); continue; }
          keep.add(e.id);
          const imported = e.holder_registry === r.registry || e.holder === registryHandle(r.registry);
          if (!imported) continue; // made through the registry itself: never overwritten by an import
          if (e.status === wanted.status && e.country === wanted.country && e.delegated_on === wanted.delegatedOn &&
              e.holder === wanted.holderHandle && e.description === wanted.description) continue;
          modifies.push({ row: { ...wanted, id: e.id, parentId: e.parent_id, netName: e.net_name }, before: e });
        }
      }
      const deletes = existing.filter((e) => !keep.has(e.id) && (e.holder_registry === e.registry || e.holder === registryHandle(e.registry)));
      progress({ phase: 'write', done: 0, total });

      const snapshotOf = (e: Existing) => delegationSnapshot({
        id: e.id, family: e.family, start: BigInt(e.lo), end: BigInt(e.hi), parentId: e.parent_id, holderId: '',
        holderHandle: e.holder, status: e.status as NewDelegationRow['status'], registry: e.registry, country: e.country,
        netName: e.net_name, description: e.description, delegatedOn: e.delegated_on, version: e.version,
      });
      if (deletes.length) {
        await tx.query('DELETE FROM delegation WHERE id = ANY($1::bigint[])', [deletes.map((d) => d.id)]);
        await insertChanges(tx, deletes.map((d) => ({ objectType: 'delegation', objectKey: d.id, action: 'delete', version: d.version, before: snapshotOf(d) })), ctx);
      }
      if (modifies.length) {
        await tx.query(
          `UPDATE delegation d SET status = u.st, country = u.c, delegated_on = u.dt, holder_id = u.h, description = u.ds,
                  version = d.version + 1, updated_at = $6::timestamptz
             FROM unnest($1::bigint[], $2::text[], $3::text[], $4::date[], $5::bigint[], $7::text[]) AS u(id, st, c, dt, h, ds)
            WHERE d.id = u.id`,
          [modifies.map((m) => m.row.id), modifies.map((m) => m.row.status), modifies.map((m) => m.row.country),
            modifies.map((m) => m.row.delegatedOn), modifies.map((m) => m.row.holderId), ctx.now,
            modifies.map((m) => m.row.description)],
        );
        await insertChanges(tx, modifies.map((m) => ({
          objectType: 'delegation', objectKey: m.row.id, action: 'modify', version: m.before.version + 1,
          before: snapshotOf(m.before), after: delegationSnapshot({ ...m.row, version: m.before.version + 1 }),
        })), ctx);
      }
      const ids = await reserveIds(tx, 'delegation', creates.length);
      creates.forEach((c, i) => { c.id = ids[i]!; });
      await insertDelegations(tx, creates, ctx, (done) => progress({ phase: 'write', done, total: creates.length }));
      progress({ phase: 'done', done: total, total });
      return {
        registry: file.header.registry, records: total, created: creates.length, modified: modifies.length,
        deleted: deletes.length, unchanged: pieces.reduce((n, p) => n + p.length, 0) - creates.length - modifies.length, organisationsCreated: orgRows.length,
      };
    });
  } catch (error) {
    if (pgErrorCode(error) === PG_EXCLUSION_VIOLATION) {
      throw new DelegatedFileError([overlapLine(error, records)], fileName);
    }
    if (pgErrorCode(error) === '23503') {
      throw new Error(`${fileName}: the file no longer lists delegations that have sub-delegations in the registry; nothing imported (${(error as Error).message})`);
    }
    throw error;
  }
}

/** Maps the sibling-overlap error (migration 060's trigger) back to the file line whose range collided. */
function overlapLine(error: unknown, records: DelegatedRecord[]): LineError {
  const message = (error as Error).message ?? String(error);
  const m = /delegation \d+ (ipv4|ipv6|asn) \[(\d+),(\d+)\] overlaps its sibling \d+ \[(\d+),(\d+)\]/.exec(message);
  if (m) {
    const family = m[1] as Family;
    const [a, b, c, d] = [BigInt(m[2]!), BigInt(m[3]!), BigInt(m[4]!), BigInt(m[5]!)];
    // Either side may be the new row; report the record of the file that covers one of them.
    const r = records.find((x) => x.type === family && x.start <= a && x.end >= b) ?? records.find((x) => x.type === family && x.start <= c && x.end >= d);
    const other = r && r.start <= a && r.end >= b ? { start: c, end: d } : { start: a, end: b };
    if (r) return { line: r.line, message: `${r.type} ${r.startText}|${r.value} overlaps ${formatRange({ family, ...other })}, already in the registry` };
  }
  return { line: 0, message: `a record overlaps a delegation already in the registry (${message})` };
}
