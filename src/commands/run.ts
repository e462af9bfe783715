// `cred run`: run a command with credentials in its environment. (Stub: wired into the program; the work lands with its issue.)
import type { Command } from 'commander';
import { CredError, EXIT } from '../errors.js';
import type { CliContext } from './context.js';

export function registerRun(program: Command, _cli: CliContext): void {
  program
    .command('run')
    .description('run a command with credentials in its environment')
    .action(() => {
      throw new CredError('not_implemented', EXIT.internal, '`cred run` is not implemented yet');
    });
}
