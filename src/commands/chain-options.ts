// The chain's flags, shared by every command that resolves a credential, and their translation
// into library ResolveOptions (reading --env-file files on the way).
import { type Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import type { ResolveOptions } from '../resolve.js';
import { onceLine } from '../stores/stdin.js';
import type { CliContext } from './context.js';
import { collect } from './flag-parsers.js';

export interface ChainFlags {
  token?: string;
  tokenFile?: string;
  tokenStdin?: boolean;
  envFile?: string[];
  env?: string[];
  envVar?: string[];
  from?: string;
  credentialsFile?: string;
}

/**
 * The chain flags. The token flags and --env-var name one credential: `status` leaves them out, and
 * env/run/whoami refuse them unless one provider is named (oneCredentialOptions).
 */
export function addChainOptions(cmd: Command, which: { token?: boolean } = {}): Command {
  const options = [
    ...(which.token === false
      ? []
      : [
          new Option('--token-stdin', 'read the token from the first line of stdin'),
          new Option('--token-file <path>', 'read the token from a file'),
          new Option(
            '--token <value>',
            'use this token (visible to other users in argv; prefer --token-stdin)',
          ),
        ]),
    new Option(
      '--env-file <path>',
      'dotenv file for the explicit env map (repeatable, later wins)',
    ).argParser(collect),
    new Option('--env <NAME=VALUE>', 'explicit env entry (repeatable, beats --env-file)').argParser(collect),
    ...(which.token === false
      ? []
      : [
          new Option(
            '--env-var <name>',
            "read this variable instead of the provider's (repeatable)",
          ).argParser(collect),
        ]),
    new Option('--from <steps>', 'only these chain steps: flag,options-env,env,file,session'),
    new Option('--credentials-file <path>', "use this file instead of cred's credentials file"),
  ];
  for (const option of options) cmd.addOption(option);
  return cmd;
}

export async function toResolveOptions(flags: ChainFlags, cli: CliContext): Promise<ResolveOptions> {
  const g = cli.global;
  const options: ResolveOptions = {
    ...(g.profile !== undefined ? { profile: g.profile } : {}),
    ...(flags.token !== undefined ? { token: flags.token } : {}),
    ...(flags.tokenFile !== undefined ? { tokenFile: flags.tokenFile } : {}),
    ...(flags.tokenStdin ? { tokenStdin: true } : {}),
    ...(flags.envVar ? { envVar: flags.envVar } : {}),
    ...(flags.from !== undefined ? { from: flags.from } : {}),
    ...(flags.credentialsFile ? { credentialsFile: flags.credentialsFile } : {}),
    deps: cli.deps,
    // The registry of this run: built-ins plus what the config file declares.
    registry: await cli.registry(),
    readStdinLine: onceLine(cli.deps),
  };
  if (flags.envFile?.length || flags.env?.length) {
    const vars: Record<string, string> = {};
    const origins: Record<string, string> = {};
    if (flags.envFile?.length) {
      const { readEnvFile } = await import('../stores/dotenv-file.js');
      for (const file of flags.envFile) {
        for (const [k, v] of Object.entries(await readEnvFile(file, cli.deps))) {
          vars[k] = v;
          origins[k] = `--env-file ${file}`;
        }
      }
    }
    for (const entry of flags.env ?? []) {
      const eq = entry.indexOf('=');
      if (eq <= 0)
        throw new UsageError('--env takes NAME=VALUE', 'for example --env QODER_PERSONAL_ACCESS_TOKEN=…');
      const name = entry.slice(0, eq);
      vars[name] = entry.slice(eq + 1);
      origins[name] = '--env';
    }
    options.env = vars;
    options.envOrigins = origins;
  }
  return options;
}
