// `cred whoami [provider]`: verify the credential against the provider's API. (Stub: wired into the program; the work lands with its issue.)
import type { Command } from 'commander';
import { CredError, EXIT } from '../errors.js';
import type { CliContext } from './context.js';

export function registerWhoami(program: Command, _cli: CliContext): void {
  program
    .command('whoami [provider]')
    .description("verify the credential against the provider's API")
    .action(() => {
      throw new CredError('not_implemented', EXIT.internal, '`cred whoami` is not implemented yet');
    });
}
