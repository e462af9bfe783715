// `cred completion <shell>`: print a shell completion script. (Stub: wired into the program; the work lands with its issue.)
import type { Command } from 'commander';
import { CredError, EXIT } from '../errors.js';
import type { CliContext } from './context.js';

export function registerCompletion(program: Command, _cli: CliContext): void {
  program
    .command('completion <shell>')
    .description('print a shell completion script')
    .action(() => {
      throw new CredError('not_implemented', EXIT.internal, '`cred completion` is not implemented yet');
    });
}
