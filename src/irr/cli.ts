/**
 * IRR verbs for the numreg CLI (the lead adds `registerIrrCommands(program)` to src/cli/main.ts):
 *   numreg import rpsl <file> [--source NAME] [--bulk]   streamed import, progress bar on a TTY
 *   numreg export rpsl [--source NAME] [--class c,…]     dump to stdout
 *   numreg irr mirror <host> <port> <SOURCE> [--as LOCAL] [--keep]   NRTM v3 mirror into a read-only source
 */
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { statSync } from 'node:fs';
import { withDatabase, CliError } from '../cli/context.js';
import { importRpsl, exportRpsl } from './import.js';
import { IrrService } from './service.js';
import { startNrtmMirror } from './nrtm-client.js';

function sub(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}

export function registerIrrCommands(program: Command): void {
  sub(program, 'import', 'import data').command('rpsl <file>')
    .description('import an RPSL dump; objects keep their source: unless --source overrides it (other sources become read-only mirrors)')
    .option('--source <name>', 'store every object under this source')
    .option('--bulk', 'drop and rebuild the IRR indexes around the load (large dumps)')
    .action((file: string, o: { source?: string; bulk?: boolean }) => withDatabase(async (db, config) => {
      let size = 0;
      try {
        size = statSync(file).size;
      } catch {
        throw new CliError(`cannot read ${file}`, 2);
      }
      const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ format: 'rpsl [{bar}] {percentage}% {objects} objects, {errors} errors', stream: process.stderr }, cliProgress.Presets.shades_classic) : undefined;
      bar?.start(size, 0, { objects: 0, errors: 0 });
      const r = await importRpsl(db, file, {
        source: o.source, bulk: o.bulk ?? size > 100 * 2 ** 20,
        ownSource: config.irrSource,
        onProgress: (p) => bar?.update(p.bytes, { objects: p.objects, errors: p.errors }),
      });
      bar?.stop();
      console.log(`imported ${r.objects} objects (${r.errors} rejected) into ${r.sources.join(', ') || 'no source'} in ${r.seconds.toFixed(1)} s (${Math.round(r.perSecond)} objects/s)`);
      for (const e of r.errorSamples) console.log(`  rejected: ${e}`);
    }));

  sub(program, 'export', 'export data').command('rpsl')
    .description('write RPSL objects to stdout, separated by blank lines')
    .option('--source <name>', 'only this source')
    .option('--class <list>', 'only these classes, comma-separated')
    .action((o: { source?: string; class?: string }) => withDatabase(async (db) => {
      await exportRpsl(db, (chunk) => new Promise<void>((resolve) => (process.stdout.write(chunk) ? resolve() : process.stdout.once('drain', () => resolve()))), {
        source: o.source, classes: o.class?.split(',').map((c) => c.trim().toLowerCase()),
      });
    }));

  sub(program, 'irr', 'routing registry').command('mirror <host> <port> <source>')
    .description('mirror an IRR source over NRTM v3 into a read-only local source')
    .option('--as <name>', 'local source name (default: the remote name)')
    .option('--keep', 'keep the connection open (-k) and apply updates as they arrive')
    .action((host: string, port: string, source: string, o: { as?: string; keep?: boolean }) => withDatabase(async (db, config) => {
      const irr = await IrrService.create(db, { source: config.irrSource });
      const m = await startNrtmMirror(irr, { host, port: Number(port), remoteSource: source, localSource: o.as, keepalive: o.keep });
      process.once('SIGINT', () => m.stop());
      const r = await m.done;
      console.log(`applied ${r.applied} NRTM operations${r.lastSerial !== undefined ? `, up to serial ${r.lastSerial}` : ''}`);
      if (r.errors.length) throw new CliError(r.errors.join('\n'));
    }));
}
