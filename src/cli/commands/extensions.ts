/** Verbs that belong to the statistics, IRR and consistency-check areas. */
import type { Command } from 'commander';
import { REPORTS, runReport, UnknownReportError } from '../../stats/reports/index.js';
import { exportDelegatedCommand, importDelegatedCommand } from '../../stats/cli.js';
import { CliError, withDatabase } from '../context.js';
import { requireFile } from './data.js';

export function registerExtensionCommands(program: Command): void {
  const imp = program.commands.find((c) => c.name() === 'import') ?? program.command('import');
  imp.command('delegated <file>').description('import an RIR statistics exchange file (all or nothing; bad lines reported by number)')
    .action((file: string) => {
      requireFile(file, 'statistics file');
      return withDatabase(async (db) => { await importDelegatedCommand(db, file, process.stderr.isTTY ? process.stderr : process.stdout); });
    });
  const exp = program.commands.find((c) => c.name() === 'export') ?? program.command('export').description('export registry data');
  exp.command('delegated').description('write the RIR statistics exchange format to stdout')
    .option('--registry <name>', 'an imported registry (apnic, ripencc, …) instead of this one')
    .option('--extended', 'the extended form with opaque holder ids')
    .action((o: { registry?: string; extended?: boolean }) => withDatabase((db) => exportDelegatedCommand(db, o, process.stdout)));

  program.command('stats <report>')
    .description(`print a report: ${REPORTS.map((r) => r.name).join(', ')}`)
    .option('--json', 'print JSON instead of a table')
    .option('--as-of <yyyy-mm-dd>', 'the report as of a date (from the change history)')
    .action((name: string, o: { json?: boolean; asOf?: string }) => withDatabase(async (db) => {
      try {
        process.stdout.write(await runReport(db, name, { json: o.json, asOf: o.asOf }));
      } catch (error) {
        if (error instanceof UnknownReportError || error instanceof RangeError) throw new CliError(error.message, 2);
        throw error;
      }
    }));
}

export function registerCheckCommand(program: Command): void {
  program.command('check').description('consistency check across registry, IRR, RPKI and published data; exit 1 on any disagreement')
    .option('--json', 'print the results as JSON')
    .action((o: { json?: boolean }) => withDatabase(async (db, config) => {
      const { runChecks, allChecks } = await import('../../check/checks.js');
      const results = await runChecks({ db }, allChecks(config.dataDir));
      if (o.json) console.log(JSON.stringify(results, null, 2));
      else for (const r of results) {
        console.log(`${r.problems.length === 0 ? 'ok  ' : 'FAIL'} ${r.name}: ${r.description}`);
        for (const p of r.problems) console.log(`     ${p}`);
      }
      const failed = results.filter((r) => r.problems.length > 0).length;
      if (failed > 0) throw new CliError(`${failed} of ${results.length} checks found disagreements`);
    }));
}
