/** demo load, import iana, import delegated, export delegated, stats. */
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { loadDemo } from '../../demo/load.js';
import { importIana } from '../../stats/iana/import.js';
import { CliError, withDatabase } from '../context.js';

export function requireFile(path: string, what: string, kind: 'file' | 'directory' = 'file'): void {
  if (!existsSync(path)) throw new CliError(`${what} ${path} does not exist`, 2);
  const isDir = statSync(path).isDirectory();
  if (kind === 'file' && isDir) throw new CliError(`${what} ${path} is a directory, not a file`, 2);
  if (kind === 'directory' && !isDir) throw new CliError(`${what} ${path} is not a directory`, 2);
}

export function registerDataCommands(program: Command): void {
  program.command('demo').description('demo registry').command('load').description('load the demo registry (idempotent)')
    .action(() => withDatabase(async (db) => {
      const result = await loadDemo(db);
      console.log(result.loaded
        ? `demo registry loaded: ${result.organisations} organisations, ${result.delegations} delegations`
        : 'demo registry already loaded; nothing changed');
    }));

  const imp = program.command('import').description('import registry data');
  imp.command('iana <dir>').description('bootstrap the IANA → RIR level from IANA registry files')
    .action((dir: string) => {
      requireFile(dir, 'IANA directory', 'directory');
      return withDatabase(async (db) => {
        const r = await importIana(db, dir, { actor: { kind: 'system', name: 'import-iana' } });
        console.log(`IANA bootstrap: ${r.organisationsCreated} organisations and ${r.delegationsCreated} delegations created, ${r.delegationsPresent} already present`);
      });
    });
}
