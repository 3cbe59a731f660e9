/**
 * Command actions for the CLI (the lead wires them into src/cli/main.ts). Each takes an open Db and writes
 * to the given streams; errors are thrown with messages fit for the user.
 */
import type { Writable } from 'node:stream';
import cliProgress from 'cli-progress';
import type { Db } from '../db/database.js';
import { exportDelegated } from './delegated/export.js';
import { importDelegated, type ImportDelegatedResult } from './delegated/import.js';
import { importIana, type ImportIanaResult } from './iana/import.js';
import { runReport } from './reports/index.js';

/** `numreg stats <report> [--json] [--as-of D] [--registry NAME]` */
export async function statsCommand(db: Db, report: string, options: { json?: boolean; asOf?: string; registry?: string }, out: Writable): Promise<void> {
  out.write(await runReport(db, report, options));
}

/** `numreg import iana <dir>` */
export async function importIanaCommand(db: Db, dir: string, out: Writable): Promise<ImportIanaResult> {
  const result = await importIana(db, dir, { actor: 'system' });
  out.write(`iana: ${result.organisationsCreated} organisations and ${result.delegationsCreated} delegations created, ${result.delegationsPresent} already present\n`);
  return result;
}

/** `numreg import delegated <file>`: a progress bar on a TTY, a summary line at the end. */
export async function importDelegatedCommand(db: Db, file: string, out: Writable & { isTTY?: boolean }): Promise<ImportDelegatedResult> {
  const bar = out.isTTY
    ? new cliProgress.SingleBar({ stream: out as unknown as NodeJS.WritableStream, format: '{phase} [{bar}] {value}/{total}', hideCursor: true }, cliProgress.Presets.shades_classic)
    : undefined;
  let started = false;
  const result = await importDelegated(db, file, {
    onProgress: (p) => {
      if (!bar || p.phase === 'parse') return;
      if (!started) { bar.start(p.total, 0, { phase: p.phase }); started = true; }
      bar.setTotal(p.total);
      bar.update(p.done, { phase: p.phase });
    },
  }).finally(() => { if (started) bar?.stop(); });
  out.write(`${result.registry}: ${result.records} records — ${result.created} created, ${result.modified} modified, ${result.deleted} deleted, ${result.unchanged} unchanged; ${result.organisationsCreated} holder organisations created\n`);
  return result;
}

/**
 * `numreg export delegated [--registry NAME] [--extended]`. Without --registry: this registry, i.e. the
 * statistics name of the one NIR organisation (as the registry core labels its delegations, e.g. JPNIC → jpnic).
 */
export async function exportDelegatedCommand(db: Db, options: { registry?: string; extended?: boolean }, out: Writable): Promise<void> {
  let registry = options.registry;
  if (!registry) {
    const { rows } = await db.query<{ handle: string }>(`SELECT handle FROM organisation WHERE role = 'nir' ORDER BY id`);
    const known = await db.query<{ registry: string }>('SELECT DISTINCT registry FROM delegation ORDER BY 1');
    if (rows.length !== 1) {
      throw new Error(`say which registry to export with --registry (registries with delegations: ${known.rows.map((r) => r.registry).join(', ') || 'none'})`);
    }
    registry = rows[0]!.handle.toLowerCase().replace(/[^a-z0-9]/g, '');
  }
  await exportDelegated(db, out, { registry, extended: options.extended });
}
