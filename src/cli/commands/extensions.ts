/** Verbs that belong to the statistics, IRR and consistency-check areas. */
import type { Command } from 'commander';
import { REPORTS, runReport, UnknownReportError } from '../../stats/reports/index.js';
import { CliError, withDatabase } from '../context.js';

export function registerExtensionCommands(program: Command): void {
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
