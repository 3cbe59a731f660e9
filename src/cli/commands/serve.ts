import type { Command } from 'commander';
import { serve } from '../../serve.js';

export function registerServeCommand(program: Command): void {
  program.command('serve').description('start every service (HTTP, HTTPS, WHOIS, RTR, rsync) over one registry')
    .action(async () => {
      const server = await serve();
      const stop = () => {
        server.close().then(() => process.exit(0), () => process.exit(1));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
