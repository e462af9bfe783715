// `cred env [providers...]`: print export lines for shells and CI. (Stub: wired into the program; the work lands with its issue.)
import type { Command } from 'commander';
import { CredError, EXIT } from '../errors.js';
import type { CliContext } from './context.js';

export function registerEnv(program: Command, _cli: CliContext): void {
  program
    .command('env [providers...]')
    .description('print export lines for shells and CI')
    .action(() => {
      throw new CredError('not_implemented', EXIT.internal, '`cred env` is not implemented yet');
    });
}
