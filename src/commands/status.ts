// `cred status`: one line per provider: resolved or not, source, redacted value. (Stub: wired into the program; the work lands with its issue.)
import type { Command } from 'commander';
import { CredError, EXIT } from '../errors.js';
import type { CliContext } from './context.js';

export function registerStatus(program: Command, _cli: CliContext): void {
  program
    .command('status')
    .description('one line per provider: resolved or not, source, redacted value')
    .action(() => {
      throw new CredError('not_implemented', EXIT.internal, '`cred status` is not implemented yet');
    });
}
