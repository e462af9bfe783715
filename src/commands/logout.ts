// `cred logout <provider>`: remove cred's stored login for a profile. (Stub: wired into the program; the work lands with its issue.)
import type { Command } from 'commander';
import { CredError, EXIT } from '../errors.js';
import type { CliContext } from './context.js';

export function registerLogout(program: Command, _cli: CliContext): void {
  program
    .command('logout <provider>')
    .description("remove cred's stored login for a profile")
    .action(() => {
      throw new CredError('not_implemented', EXIT.internal, '`cred logout` is not implemented yet');
    });
}
