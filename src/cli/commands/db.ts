import type { Command } from 'commander';
import { migrate, resetSchema } from '../../db/migrate.js';
import { CliError, withDatabase } from '../context.js';

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('database schema');
  db.command('migrate').description('apply pending migrations').action(() =>
    withDatabase(async (database) => {
      const applied = await migrate(database);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
    }, { migrate: false }));
  db.command('reset').description('drop every table and re-create the schema (needs --yes)').option('--yes', 'really drop all data')
    .action((options: { yes?: boolean }) => {
      if (!options.yes) throw new CliError('db reset drops all data; run it again with --yes', 2);
      return withDatabase(async (database) => {
        await resetSchema(database);
        const applied = await migrate(database);
        console.log(`schema reset; applied ${applied.length} migrations`);
      }, { migrate: false });
    });
}
