// The library's resolve() and explain(): build a chain context from options, run the chain, and turn
// its outcome into a Resolution (with the value and where it came from) or a typed error.
import { type ChainMode, nothingFoundError, runChain, STEP_NAMES } from './chain/index.js';
import type { ChainContext, Finding, FlagInput, OptionsEnv } from './chain/types.js';
import { type Deps, defaultDeps } from './deps.js';
import { type CredError, EXIT, UsageError } from './errors.js';
import { splitList } from './lists.js';
import { fingerprint, looksLikeToken, NAME_RUN, quoteInput } from './output/redact.js';
import { checkEnvName, headerFor, type Provider, type Source, type StepName } from './provider.js';
import { defaultRegistry, type Registry } from './registry.js';
import { onceLine } from './stores/stdin.js';

export interface ResolveOptions extends FlagInput {
  /** The explicit env map (step 2); beats the process env, as the Qoder SDK documents. */
  env?: Readonly<Record<string, string>>;
  /** Where each `env` entry came from, for --explain (the CLI fills this in). */
  envOrigins?: Readonly<Record<string, string>>;
  /** Profile name; when given it is an explicit choice and skips the process env (SPEC §2). */
  profile?: string;
  /** Set false when `profile` came from ambient state (CRED_PROFILE) rather than a caller's choice. */
  profileExplicit?: boolean;
  /** Limit the chain: `['env', 'file']` or `'env,file'`. */
  from?: readonly StepName[] | string;
  /** Replace the provider's env var names in steps 2–3. */
  envVar?: string | readonly string[];
  credentialsFile?: string;
  registry?: Registry;
  deps?: Partial<Deps>;
  /** Shared stdin reader when several providers resolve in one command. */
  readStdinLine?: () => Promise<string>;
}

/**
 * The options given that name one credential: a token, or the variables to read it from. A command
 * that hands credentials to several providers (env, run, whoami) refuses them without a single
 * provider named, or the one value would go to every provider, and to every provider's API.
 */
export function oneCredentialOptions(o: ResolveOptions): string[] {
  const given: [string, unknown][] = [
    ['--token', o.token !== undefined],
    ['--token-file', o.tokenFile !== undefined],
    ['--token-stdin', o.tokenStdin],
    ['--env-var', o.envVar !== undefined && o.envVar.length > 0],
  ];
  return given.filter(([, on]) => on).map(([name]) => name);
}

export interface Resolution {
  provider: string;
  profile: string;
  /** The credential itself. Never log it; print it only where printing it is the point. */
  token: string;
  source: Source;
  header: { name: string; value: string };
  endpoint?: string;
  project?: string;
  expires?: string;
  warnings: string[];
}

export interface ExplainedStep {
  step: StepName;
  location: string;
  status: Finding['status'];
  reason?: string;
  fingerprint?: string;
  /** For a shadowed value: whether it is the same token as the one used. */
  sameAsUsed?: boolean;
}

export interface Explanation {
  provider: string;
  profile: string;
  steps: ExplainedStep[];
  /** The resolution `resolve` would return, when it would succeed. */
  resolution?: Resolution;
  /** The error `resolve` would throw, when it would fail. */
  error?: CredError;
  exitCode: number;
  warnings: string[];
}

const PROFILE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function parseFrom(from: readonly string[] | string | undefined): StepName[] | undefined {
  if (from === undefined) return undefined;
  const steps = splitList(from).map((s) => (s === 'options.env' ? 'options-env' : s));
  for (const s of steps) {
    if (!STEP_NAMES.includes(s as StepName)) {
      throw new UsageError(`--from: unknown step ${quoteInput(s)}`, `steps are ${STEP_NAMES.join(', ')}`);
    }
  }
  if (!steps.length)
    throw new UsageError('--from needs at least one step', `steps are ${STEP_NAMES.join(', ')}`);
  return steps as StepName[];
}

function envVarList(envVar: ResolveOptions['envVar']): string[] | undefined {
  if (envVar === undefined) return undefined;
  const list = splitList(envVar);
  for (const name of list) {
    checkEnvName(name, '--env-var');
  }
  return list.length ? list : undefined;
}

/** The profile in force: the one given, else $CRED_PROFILE, else `default` — checked. */
export function profileOf(profile: string | undefined, env: Deps['env']): string {
  return checkProfile(profile ?? (env.CRED_PROFILE || 'default'));
}

export function checkProfile(profile: string): string {
  if (!PROFILE.test(profile)) {
    throw new UsageError(
      `invalid profile name ${quoteInput(profile)}`,
      'profile names use letters, digits, ".", "_" and "-", and start with a letter or digit',
    );
  }
  // A token pasted as the profile would be echoed by every message that names the profile (the
  // section, the keychain account, the hint), so a name shaped like one is refused, unshown.
  if (looksLikeToken(profile, NAME_RUN)) {
    throw new UsageError(
      `invalid profile name ${quoteInput(profile)}: it is shaped like a token (${NAME_RUN} or more letters and digits in a row)`,
      'profile names are words like prod or eu-west-1; give a token with --token-stdin or an env var, never as a profile',
    );
  }
  return profile;
}

/** The library's `options.env` holds strings, as an environment does; say which key does not. */
function checkEnvMap(env: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  if (typeof env !== 'object' || env === null)
    throw new UsageError('options.env must be an object of strings');
  for (const [name, value] of Object.entries(env)) {
    if (typeof value !== 'string' && value !== undefined) {
      // A variable name is shown; anything shaped like a token is shown by its length.
      const shown =
        /^[\w.-]{1,128}$/.test(name) && !looksLikeToken(name) ? JSON.stringify(name) : quoteInput(name);
      throw new UsageError(`options.env[${shown}] must be a string, not ${typeof value}`);
    }
  }
  return env;
}

interface Prepared {
  ctx: ChainContext;
  from: StepName[] | undefined;
  notes: string[];
}

function prepare(provider: Provider, options: ResolveOptions, deps: Deps): Prepared {
  const profile = profileOf(options.profile, deps.env);
  const custom = envVarList(options.envVar);
  const notes: string[] = [];
  const optionsEnv: OptionsEnv | undefined = options.env
    ? { vars: checkEnvMap(options.env), origins: options.envOrigins ?? {} }
    : undefined;
  const ctx: ChainContext = {
    provider,
    profile,
    profileExplicit: options.profile !== undefined && options.profileExplicit !== false,
    envVars: custom ?? provider.envVars,
    envVarOverridden: custom !== undefined,
    flags: { token: options.token, tokenFile: options.tokenFile, tokenStdin: options.tokenStdin },
    ...(optionsEnv ? { optionsEnv } : {}),
    ...(options.credentialsFile ? { credentialsFile: options.credentialsFile } : {}),
    deps,
    readStdinLine: options.readStdinLine ?? onceLine(deps),
    note: (w) => {
      if (!notes.includes(w)) notes.push(w);
    },
  };
  return { ctx, from: parseFrom(options.from), notes };
}

/**
 * A context value (PODSTACK_PROJECT): the one stored with the token wins; otherwise the explicit env
 * map, then the process env — the Podstack SDK reads PODSTACK_PROJECT whatever holds the token —
 * unless the chain was kept out of the process env (an explicit --profile, or --from without env):
 * a prod profile's token must not go out with the shell's dev project (SPEC §2, aws-cli#113).
 */
function contextValue(
  ctx: ChainContext,
  stored: string | undefined,
  name: string | undefined,
  processEnv: boolean,
): string | undefined {
  if (stored) return stored;
  if (!name) return undefined;
  return ctx.optionsEnv?.vars[name] || (processEnv ? ctx.deps.env[name] : undefined) || undefined;
}

function toResolution(
  ctx: ChainContext,
  from: StepName[] | undefined,
  winner: Finding,
  warnings: string[],
): Resolution {
  const token = winner.value!;
  const processEnv = !ctx.profileExplicit && (!from || from.includes('env'));
  const project = contextValue(ctx, winner.project, ctx.provider.contextVars?.project, processEnv);
  const endpoint = contextValue(ctx, winner.endpoint, ctx.provider.contextVars?.endpoint, processEnv);
  return {
    provider: ctx.provider.id,
    profile: ctx.profile,
    token,
    source: { step: winner.step, detail: winner.location },
    header: headerFor(ctx.provider, token),
    ...(endpoint ? { endpoint } : {}),
    ...(project ? { project } : {}),
    ...(winner.expires ? { expires: winner.expires } : {}),
    warnings,
  };
}

async function run(providerId: string, options: ResolveOptions, mode: ChainMode) {
  const deps = defaultDeps(options.deps);
  const provider = (options.registry ?? defaultRegistry).get(providerId);
  const { ctx, from, notes } = prepare(provider, options, deps);
  const outcome = await runChain(ctx, mode, from ? { from } : {}, notes);
  return { ctx, from, outcome };
}

/**
 * Resolves one provider's credential. `mode` `first` stops at the first value; `shadow` (what
 * `cred resolve` uses) also warns when a cheaper source holds a different token.
 */
export async function resolve(
  providerId: string,
  options: ResolveOptions = {},
  mode: Exclude<ChainMode, 'explain'> = 'first',
): Promise<Resolution> {
  const { ctx, from, outcome } = await run(providerId, options, mode);
  if (!outcome.winner || outcome.failure) throw nothingFoundError(ctx, outcome);
  return toResolution(ctx, from, outcome.winner, outcome.warnings);
}

/** Every step, its location and status — shadowed ones included — and the outcome resolve would have. */
export async function explain(providerId: string, options: ResolveOptions = {}): Promise<Explanation> {
  const { ctx, from, outcome } = await run(providerId, options, 'explain');
  const used = outcome.winner?.value;
  const usedPrint = used !== undefined ? fingerprint(used) : undefined;
  const steps = outcome.findings.map((f): ExplainedStep => {
    const print = f.value !== undefined ? fingerprint(f.value) : undefined;
    return {
      step: f.step,
      location: f.location,
      status: f.status,
      ...(f.reason ? { reason: f.reason } : {}),
      ...(print ? { fingerprint: print } : {}),
      ...(f.status === 'shadowed' && print ? { sameAsUsed: print === usedPrint } : {}),
    };
  });
  const ok = outcome.winner && !outcome.failure;
  const error = ok ? undefined : nothingFoundError(ctx, outcome);
  return {
    provider: ctx.provider.id,
    profile: ctx.profile,
    steps,
    ...(ok ? { resolution: toResolution(ctx, from, outcome.winner!, outcome.warnings) } : {}),
    ...(error ? { error } : {}),
    exitCode: error ? error.exitCode : EXIT.ok,
    warnings: outcome.warnings,
  };
}
