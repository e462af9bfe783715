// `cred login <provider>`: store a token in the OS keychain or cred's credentials file. (Stub: wired into the program; the work lands with its issue.)
import type { Command } from 'commander';
import { CredError, EXIT } from '../errors.js';
import type { CliContext } from './context.js';

export function registerLogin(program: Command, _cli: CliContext): void {
  program
    .command('login <provider>')
    .description("store a token in the OS keychain or cred's credentials file")
    .action(() => {
      throw new CredError('not_implemented', EXIT.internal, '`cred login` is not implemented yet');
    });
}
