// `cred login <provider>`: read a token (a hidden prompt on a terminal, or the first line of stdin
// with --with-token) and store it in the OS keychain (service `cred`, account `<provider>:<profile>`)
// or, with --store file, in cred's credentials file. No keychain is an error that names
// `--store file`: cred never falls back to a file on its own.
import { type Command, Option } from 'commander';
import { credSection } from '../chain/credentials-file.js';
import { cleanValue } from '../chain/value.js';
import { StoreError, UsageError } from '../errors.js';
import { redact } from '../output/redact.js';
import { headerFor, type Provider } from '../provider.js';
import { profileOf, type Resolution } from '../resolve.js';
import {
  isKeychainUnavailable,
  KEYCHAIN_SERVICE,
  type Keychain,
  KeychainFailedError,
  keychainAccount,
  keychainLocation,
} from '../stores/keychain.js';
import { credentialsPath, displayGivenPath } from '../stores/paths.js';
import { readStdinLine } from '../stores/stdin.js';
import { DEFAULT_TIMEOUT_MS } from '../verify/timeout.js';
import type { CliContext } from './context.js';
import { parseTimeout } from './flag-parsers.js';

export type LoginStore = 'keychain' | 'file';

export interface LoginOptions {
  withToken?: boolean;
  store?: LoginStore;
  verify?: boolean;
  /** With --verify: milliseconds for the check (default the library's). */
  timeout?: string;
  credentialsFile?: string;
}

export interface LoginResult {
  provider: string;
  profile: string;
  store: LoginStore;
  /** `keychain cred/qoder:default` or `~/.config/cred/credentials [qoder]`. */
  location: string;
  redacted: string;
  /** Who the provider says the token belongs to, with --verify. */
  identity?: string;
  warnings: string[];
}

/** The profile a login/logout acts on: --profile, else CRED_PROFILE, else default. */
export function loginProfile(cli: CliContext): string {
  return profileOf(cli.global.profile, cli.deps.env);
}

function fileInstead(provider: Provider, profile: string): string {
  const p = profile === 'default' ? '' : ` --profile ${profile}`;
  return `store it in cred's credentials file instead: \`cred login ${provider.id}${p} --store file\``;
}

function noKeychain(reason: string, provider: Provider, profile: string): StoreError {
  return new StoreError(
    `no keychain to store the ${provider.name} token in: ${reason}`,
    fileInstead(provider, profile),
    'keychain_unavailable',
  );
}

/** The keychain, or exit 7 naming `--store file` (never a silent fall-back). */
async function requireKeychain(cli: CliContext, provider: Provider, profile: string): Promise<Keychain> {
  const keychain = await cli.deps.keychain();
  if (keychain.unavailable) throw noKeychain(keychain.unavailable, provider, profile);
  return keychain;
}

async function readToken(opts: LoginOptions, cli: CliContext, provider: Provider): Promise<string> {
  const { deps } = cli;
  if (opts.withToken) {
    return readStdinLine(deps);
  }
  if (!deps.isTTY.stdin) {
    throw new UsageError(
      'no terminal to prompt on',
      `pipe the token in with --with-token, e.g. \`cred login ${provider.id} --with-token < token.txt\``,
    );
  }
  const { promptHidden } = await import('../stores/hidden-prompt.js');
  return promptHidden(`Paste your ${provider.name} token (input is hidden): `, deps);
}

async function runLogin(id: string, opts: LoginOptions, cli: CliContext): Promise<LoginResult> {
  const registry = await cli.registry();
  const provider = registry.get(id);
  const profile = loginProfile(cli);
  const store: LoginStore = opts.store ?? 'keychain';
  const { deps } = cli;
  if (opts.credentialsFile && store !== 'file') {
    throw new UsageError('--credentials-file goes with --store file', 'add `--store file`');
  }
  if (opts.timeout !== undefined && !opts.verify) {
    throw new UsageError('--timeout goes with --verify', 'add `--verify`');
  }
  const timeout = parseTimeout(opts.timeout);

  // Find out whether the store is usable before asking for a secret that could not be kept.
  const keychain = store === 'keychain' ? await requireKeychain(cli, provider, profile) : undefined;

  const source = opts.withToken ? 'stdin (--with-token)' : 'the prompt';
  const raw = await readToken(opts, cli, provider);
  const { value, warnings } = cleanValue(raw, source, provider);
  if (value === '') {
    throw new UsageError(`refusing to store an empty ${provider.name} token (read from ${source})`);
  }
  for (const w of warnings) cli.warn(w);

  let identity: string | undefined;
  if (opts.verify) {
    // Checked before storing, so a rejected token is never kept.
    // Verified as what it is, the value just read, so a refusal names where it came from (not --token).
    const { verifyResolution } = await import('../verify/index.js');
    const resolution: Resolution = {
      provider: provider.id,
      profile,
      token: value,
      source: { step: 'flag', detail: source },
      header: headerFor(provider, value),
      warnings: [],
    };
    identity = (
      await verifyResolution(provider, resolution, { deps, ...(timeout !== undefined ? { timeout } : {}) })
    ).identity;
  }

  let location: string;
  if (keychain) {
    const account = keychainAccount(provider.id, profile);
    try {
      await keychain.set(KEYCHAIN_SERVICE, account, value);
    } catch (e) {
      // Found out only now (a bus without a Secret Service): the same answer as no keychain at all.
      if (isKeychainUnavailable(e)) throw noKeychain(e.message, provider, profile);
      // Locked, hung or failing: whatever it says, the file is the way to store the token now.
      if (e instanceof KeychainFailedError && !e.suggestion) {
        throw new KeychainFailedError(e.message, fileInstead(provider, profile), e.code);
      }
      throw e;
    }
    location = keychainLocation(provider.id, profile);
  } else {
    const { writeToken } = await import('../stores/credentials-writer.js');
    const section = credSection(provider.id, profile);
    const target = credentialsPath(deps, opts.credentialsFile);
    const written = await writeToken(target, section, value, deps);
    location = `${displayGivenPath(target, written.path, deps)} [${section}]`;
  }
  cli.debug(`login ${provider.id}: stored in ${location}`);
  return {
    provider: provider.id,
    profile,
    store,
    location,
    redacted: redact(value, provider.prefix),
    ...(identity ? { identity } : {}),
    warnings,
  };
}

function printLogin(r: LoginResult): string {
  const who = r.identity ? ` (verified: ${r.identity})` : '';
  return `Logged in to ${r.provider} (profile ${r.profile}): ${r.redacted} stored in ${r.location}${who}`;
}

export function registerLogin(program: Command, cli: CliContext): void {
  program
    .command('login')
    .description("store a token in the OS keychain or cred's credentials file")
    .argument('<provider>', 'provider id (see `cred providers`)')
    .option('--with-token', 'read the token from the first line of stdin instead of a hidden prompt')
    .addOption(
      new Option('--store <store>', 'where to keep it').choices(['keychain', 'file']).default('keychain'),
    )
    .option('--verify', "check the token with the provider's API before storing it")
    // No commander default: an absent --timeout leaves the library's (checkTimeout), shown here.
    .option(
      '--timeout <ms>',
      `with --verify: give up on the check after this many milliseconds (default: ${DEFAULT_TIMEOUT_MS})`,
    )
    .option('--credentials-file <path>', "with --store file: this file instead of cred's credentials file")
    .action(async (id: string, opts: LoginOptions) => {
      const r = await runLogin(id, opts, cli);
      if (cli.global.json) cli.json(r);
      else cli.out(printLogin(r));
    });
}
