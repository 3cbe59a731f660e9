/**
 * The numreg command. Each group of verbs lives in commands/; errors become one clear line on stderr
 * and a non-zero exit status (2 for usage errors, 1 for everything else).
 */
import { Command, CommanderError } from 'commander';
import { registerDbCommands } from './commands/db.js';
import { registerDataCommands } from './commands/data.js';
import { registerServeCommand } from './commands/serve.js';
import { registerRegistryCommands } from './commands/registry.js';
import { registerCheckCommand, registerExtensionCommands } from './commands/extensions.js';
import { reportError } from './context.js';
import { registerIrrCommands } from '../irr/cli.js';

// `numreg export … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command('numreg')
  .description('numreg: an Internet number-resource registry with WHOIS, RDAP, IRR, RPKI, RTR and statistics from one store')
  .exitOverride()
  .showHelpAfterError('(numreg --help lists every command)');

registerServeCommand(program);
registerDbCommands(program);
registerDataCommands(program);
registerRegistryCommands(program);
registerExtensionCommands(program);
registerCheckCommand(program);
registerIrrCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    process.exitCode = reportError(error);
  }
}
