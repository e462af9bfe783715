// The chain's vocabulary. "Not found" is a value (a Finding with a status), not an exception; only
// real failures carry an error, and those stop the chain (see index.ts).
import type { Deps } from '../deps.js';
import type { CredError } from '../errors.js';
import type { Provider, StepName } from '../provider.js';

export type FindingStatus =
  | 'found' // a step yields a value; the chain turns it into used or shadowed
  | 'used'
  | 'shadowed'
  | 'empty'
  | 'missing'
  | 'skipped'
  | 'expired'
  | 'error';

export interface Finding {
  step: StepName;
  /** Where cred looked, for humans: `QODER_PERSONAL_ACCESS_TOKEN`, `~/.podstack/credentials [prod]`. */
  location: string;
  status: FindingStatus;
  reason?: string;
  /** Present only when a value was found (found/used/shadowed, or expired: never used), trimmed. */
  value?: string;
  warnings?: string[];
  endpoint?: string;
  project?: string;
  expires?: string;
  error?: CredError;
}

export interface FlagInput {
  token?: string;
  tokenFile?: string;
  tokenStdin?: boolean;
}

/** The explicit env map of step 2 (`--env-file`, `--env`, the library's `options.env`). */
export interface OptionsEnv {
  vars: Readonly<Record<string, string>>;
  /** Where each variable came from, for --explain: `--env-file .env`, `--env`, `options.env`. */
  origins: Readonly<Record<string, string>>;
}

export interface ChainContext {
  provider: Provider;
  profile: string;
  /** `--profile` on the command line (or `profile` in the library): skips the process env. */
  profileExplicit: boolean;
  /** The provider's env var names, or those given with --env-var. */
  envVars: readonly string[];
  envVarOverridden: boolean;
  flags: FlagInput;
  optionsEnv?: OptionsEnv;
  credentialsFile?: string;
  deps: Deps;
  /** Reads one line of stdin once, however many providers ask (`--token-stdin`). */
  readStdinLine(): Promise<string>;
  /** Warnings that are not about one value (a file readable by others); printed once each. */
  note(warning: string): void;
}

export type Step = (ctx: ChainContext) => AsyncGenerator<Finding>;
