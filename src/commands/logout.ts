// `cred logout <provider>`: remove cred's stored login for one profile — the keychain entry
// (service `cred`, account `<provider>:<profile>`) and the `token` of `[<provider>]` /
// `[<provider>:<profile>]` in cred's credentials file — and say what was removed. Nothing else is
// touched: other profiles, other keys of the section (endpoint, project), comments, provider CLIs'
// own files. Nothing stored is not an error ("nothing to remove", exit 0).
import type { Command } from 'commander';
import { credSection } from '../chain/credentials-file.js';
import { type CredError, isCredError } from '../errors.js';
import {
  isKeychainUnavailable,
  KEYCHAIN_SERVICE,
  keychainAccount,
  keychainLocation,
} from '../stores/keychain.js';
import { credentialsPath, displayGivenPath } from '../stores/paths.js';
import type { CliContext } from './context.js';
import { loginProfile } from './login.js';

export interface LogoutOptions {
  credentialsFile?: string;
}

export interface LogoutResult {
  provider: string;
  profile: string;
  /** Where a login was removed from: `keychain cred/qoder:default`, `~/.config/cred/credentials [qoder]`. */
  removed: string[];
  /** Stores that could not be looked at, and why (no D-Bus session, …). */
  skipped: string[];
}

async function runLogout(id: string, opts: LogoutOptions, cli: CliContext): Promise<LogoutResult> {
  const registry = await cli.registry();
  const provider = registry.get(id);
  const profile = loginProfile(cli);
  const { deps } = cli;
  const removed: string[] = [];
  const skipped: string[] = [];

  const { removeToken } = await import('../stores/credentials-writer.js');
  const section = credSection(provider.id, profile);
  const target = credentialsPath(deps, opts.credentialsFile);
  const file = await removeToken(target, section, deps);
  if (file.changed) removed.push(`${displayGivenPath(target, file.path, deps)} [${section}]`);

  // A file error has thrown above, before the keychain is touched; so a partial logout only ever
  // means "file cleaned, keychain failed", and that is reported before the error.
  const account = keychainAccount(provider.id, profile);
  const where = keychainLocation(provider.id, profile);
  let failure: CredError | undefined;
  try {
    const keychain = await deps.keychain();
    if (keychain.unavailable) skipped.push(`${where}: ${keychain.unavailable}`);
    else if (await keychain.delete(KEYCHAIN_SERVICE, account)) removed.push(where);
  } catch (e) {
    if (isKeychainUnavailable(e)) skipped.push(`${where}: ${e.message}`);
    else if (isCredError(e)) failure = e;
    else throw e;
  }
  if (failure) {
    // Say what did happen before failing on what did not.
    for (const r of removed) cli.err(`cred: removed ${r}`);
    throw failure;
  }
  return { provider: provider.id, profile, removed, skipped };
}

function printLogout(r: LogoutResult): string {
  if (!r.removed.length) return `Nothing to remove for ${r.provider} (profile ${r.profile})`;
  return r.removed.map((where) => `Removed ${r.provider} (profile ${r.profile}) from ${where}`).join('\n');
}

export function registerLogout(program: Command, cli: CliContext): void {
  program
    .command('logout')
    .description("remove cred's stored login for a profile (keychain and credentials file)")
    .argument('<provider>', 'provider id (see `cred providers`)')
    .option('--credentials-file <path>', "this file instead of cred's credentials file")
    .action(async (id: string, opts: LogoutOptions) => {
      const r = await runLogout(id, opts, cli);
      for (const s of r.skipped) cli.warn(`not checked: ${s}`);
      if (cli.global.json) cli.json({ ...r, nothingToRemove: r.removed.length === 0 });
      else cli.out(printLogout(r));
    });
}
