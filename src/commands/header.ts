// `cred header <provider>`: print the Authorization header for curl -H @-. (Stub: wired into the program; the work lands with its issue.)
import type { Command } from 'commander';
import { CredError, EXIT } from '../errors.js';
import type { CliContext } from './context.js';

export function registerHeader(program: Command, _cli: CliContext): void {
  program
    .command('header <provider>')
    .description('print the Authorization header for curl -H @-')
    .action(() => {
      throw new CredError('not_implemented', EXIT.internal, '`cred header` is not implemented yet');
    });
}
