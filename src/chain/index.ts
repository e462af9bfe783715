// The composition root of the resolution chain: the one place that knows the order of the steps and
// the rules that bend it. Each rule says why it exists.
import {
  AuthEnvVarNotConfiguredError,
  AuthExpiredError,
  AuthNotConfiguredError,
  type CredError,
} from '../errors.js';
import type { StepName } from '../provider.js';
import { credentialsPath, displayPath } from '../stores/paths.js';
import { credSection, fromCredentialsFile } from './credentials-file.js';
import { fromEnv } from './env.js';
import { fromFlag } from './flag.js';
import { fromOptionsEnv } from './options-env.js';
import { fromSession } from './session.js';
import type { ChainContext, Finding, Step } from './types.js';

/** Most explicit first: what the user typed, then what they passed in, then ambient state, then stores. */
export const STEPS: readonly (readonly [StepName, Step])[] = [
  ['flag', fromFlag],
  ['options-env', fromOptionsEnv],
  ['env', fromEnv],
  ['file', fromCredentialsFile],
  ['session', fromSession],
];

export const STEP_NAMES: readonly StepName[] = STEPS.map(([name]) => name);

/**
 * The steps the shadow warning may inspect after a winner is found: cheap and side-effect free.
 * The keychain (may prompt or hang) and session_command (runs a program) are never touched for it.
 */
const CHEAP: ReadonlySet<StepName> = new Set(['flag', 'options-env', 'env', 'file']);

/**
 * - `first`: stop at the first value (env, run, header, whoami, status).
 * - `shadow`: also inspect the cheap steps after the winner, to warn when they hold another token (resolve).
 * - `explain`: inspect everything, recording failures instead of stopping, to show the whole chain.
 */
export type ChainMode = 'first' | 'shadow' | 'explain';

export interface ChainOutcome {
  findings: Finding[];
  winner?: Finding;
  /** The failure that decides the outcome: an error met before any value. */
  failure?: CredError;
  /** Warnings to show once: file notes, the winner's own, and the shadow warning. */
  warnings: string[];
}

export interface ChainLimits {
  /** `--from`: only these steps run (CI can say `env,file` so no keychain is touched). */
  from?: readonly StepName[];
}

export async function runChain(
  ctx: ChainContext,
  mode: ChainMode,
  limits: ChainLimits = {},
  notes: string[] = [],
): Promise<ChainOutcome> {
  const findings: Finding[] = [];
  let winner: Finding | undefined;
  let failure: CredError | undefined;

  const decided = () => winner !== undefined || failure !== undefined;
  const keepGoing = (step: StepName) =>
    !decided() || mode === 'explain' || (mode === 'shadow' && winner !== undefined && CHEAP.has(step));

  outer: for (const [name, step] of STEPS) {
    if (limits.from && !limits.from.includes(name)) {
      if (mode === 'explain')
        findings.push({ step: name, location: '—', status: 'skipped', reason: 'not in --from' });
      continue;
    }
    // The process env has no profiles, so it would serve every profile; an explicit --profile is a
    // choice of stored credentials and must not be overridden by an ambient variable (aws-cli#113).
    // CRED_PROFILE is ambient itself, so it does not skip the env.
    if (name === 'env' && ctx.profileExplicit) {
      if (mode === 'explain' || !decided()) {
        findings.push({
          step: name,
          location: ctx.envVars.join(', '),
          status: 'skipped',
          reason: `--profile ${ctx.profile} was given (the environment has no profiles)`,
        });
      }
      continue;
    }
    if (!keepGoing(name)) break;
    for await (const found of step(ctx)) {
      const f = { ...found };
      if (f.status === 'found') {
        if (failure) {
          // Nothing won: an earlier failure stopped the chain, so this value shadows nothing and
          // is shadowed by nothing (--explain only; resolve never reads it).
          f.status = 'skipped';
          f.reason = 'not used: the chain stopped at the error above';
        } else {
          f.status = winner ? 'shadowed' : 'used';
          winner ??= f;
        }
      } else if (f.status === 'error' && !decided()) {
        // A real failure stops the chain: a corrupt file must not let a later, wrong credential win.
        failure = f.error;
      }
      findings.push(f);
      if (decided() && !keepGoing(name)) break outer;
    }
  }

  const warnings = [...notes];
  if (winner?.warnings) warnings.push(...winner.warnings);
  if (winner?.value !== undefined && mode !== 'first') {
    // Only the cheap steps count, in explain mode too: the keychain or a session_command never decides it.
    const value = winner.value;
    const other = findings.find(
      (f) => f.status === 'shadowed' && CHEAP.has(f.step) && f.value !== undefined && f.value !== value,
    );
    if (other) {
      warnings.push(`${other.location} holds a different token, shadowed by ${winner.location}`);
    }
  }
  return {
    findings,
    ...(winner ? { winner } : {}),
    ...(failure ? { failure } : {}),
    warnings: dedupe(warnings),
  };
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}

/** The error for a chain that found nothing usable, with a hint that can fix it. */
export function nothingFoundError(ctx: ChainContext, outcome: ChainOutcome): CredError {
  if (outcome.failure) return outcome.failure;
  const expired = outcome.findings.find((f) => f.status === 'expired');
  const who = `${ctx.provider.name} (${ctx.provider.id}), profile ${ctx.profile}`;
  const login = `cred login ${ctx.provider.id}${ctx.profile === 'default' ? '' : ` --profile ${ctx.profile}`}`;
  if (expired) {
    return new AuthExpiredError(
      `the only ${who} credential found is an expired session: ${expired.location} ${expired.reason ?? ''}`.trim(),
      `log in again, or run \`${login}\``,
    );
  }
  const looked = outcome.findings
    .filter((f) => f.location !== '—')
    .map((f) => `${f.location} (${f.reason ?? f.status})`);
  const firstVar = ctx.envVars[0] ?? '';
  // An explicit --profile skipped the process env (SPEC §2): exporting a variable cannot fix it.
  const noEnv = ctx.profileExplicit ? ' (the environment serves no --profile)' : '';
  if (ctx.envVarOverridden) {
    return new AuthEnvVarNotConfiguredError(
      `${ctx.envVars.join(', ')} not set for ${who}; looked at: ${looked.join('; ')}`,
      looked,
      noEnv
        ? `pass it with --env ${firstVar}=…${noEnv}`
        : `export ${firstVar}=… or pass it with --env ${firstVar}=…`,
    );
  }
  const file = displayPath(credentialsPath(ctx.deps, ctx.credentialsFile), ctx.deps);
  return new AuthNotConfiguredError(
    `no credential for ${who}; looked at: ${looked.join('; ')}`,
    looked,
    noEnv
      ? `run \`${login}\`, or add a [${credSection(ctx.provider.id, ctx.profile)}] section to ${file}${noEnv}`
      : `export ${firstVar}=…, or run \`${login}\``,
  );
}
