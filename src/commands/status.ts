// `cred status [--verify]`: one line per registered provider — resolved or not, source, redacted value.
// A provider that is merely not configured is normal (exit 0); an expired session (4) or a store cred
// cannot use (7: a malformed file, NAME and NAME_FILE both set) is shown on its line and sets the exit
// code. `--verify` checks every resolved credential with its provider, concurrently, and the exit code
// becomes the worst (highest) of all failures: 4 rejected, 5 forbidden, 6 network, 7 store.
import type { Command } from 'commander';
import { type CredError, EXIT, errorJson, isCredError, isNotConfigured, worstExitCode } from '../errors.js';
import { redact } from '../output/redact.js';
import { PLAIN, type Style } from '../output/style.js';
import { table } from '../output/table.js';
import type { Provider, Source } from '../provider.js';
import { profileOf, type Resolution, type ResolveOptions, resolve } from '../resolve.js';
import type { Verification } from '../verify/index.js';
import { canVerify } from '../verify/request.js';
import { DEFAULT_TIMEOUT_MS } from '../verify/timeout.js';
import { addChainOptions, type ChainFlags, toResolveOptions } from './chain-options.js';
import type { CliContext } from './context.js';
import { parseTimeout } from './flag-parsers.js';

export interface StatusOptions extends Pick<ChainFlags, 'envFile' | 'env' | 'from' | 'credentialsFile'> {
  verify?: boolean;
  timeout?: string;
}

export type StatusState = 'resolved' | 'not_configured' | 'expired' | 'error';

export interface ProviderStatus {
  provider: Provider;
  profile: string;
  state: StatusState;
  resolution?: Resolution;
  error?: CredError;
  verification?: Verification;
  verifyError?: CredError;
  /** With --verify: why this resolved provider was not checked (it declares no request). */
  notChecked?: string;
}

async function statusOf(
  provider: Provider,
  options: ResolveOptions,
  profile: string,
): Promise<ProviderStatus> {
  try {
    const resolution = await resolve(provider.id, options, 'first');
    return { provider, profile: resolution.profile, state: 'resolved', resolution };
  } catch (e) {
    if (!isCredError(e)) throw e;
    if (isNotConfigured(e)) return { provider, profile, state: 'not_configured' };
    return { provider, profile, state: e.code === 'auth_expired' ? 'expired' : 'error', error: e };
  }
}

/** The exit code: not configured is fine; every other failure counts, the highest wins. */
function statusExitCode(list: readonly ProviderStatus[]): number {
  return worstExitCode(list.flatMap((s) => [s.error, s.verifyError]));
}

async function collectStatus(
  providers: readonly Provider[],
  options: ResolveOptions,
  check: { verify: boolean; timeout?: number },
  cli: CliContext,
): Promise<ProviderStatus[]> {
  // A bad profile name is a usage error for the whole command, not a failure on every line.
  const profile = profileOf(options.profile, cli.deps.env);
  const list = await Promise.all(providers.map((p) => statusOf(p, options, profile)));
  if (!check.verify) return list;
  const { verifyResolution } = await import('../verify/index.js');
  await Promise.all(
    list.map(async (s) => {
      if (!s.resolution) return;
      if (!canVerify(s.provider)) {
        s.notChecked = 'not checked: the provider declares no verification request (verify_url)';
        return;
      }
      try {
        s.verification = await verifyResolution(s.provider, s.resolution, {
          ...(check.timeout !== undefined ? { timeout: check.timeout } : {}),
          deps: cli.deps,
        });
      } catch (e) {
        if (!isCredError(e)) throw e;
        s.verifyError = e;
      }
    }),
  );
  return list;
}

const SHOWN: Record<StatusState, string> = {
  resolved: 'resolved',
  not_configured: 'not configured',
  expired: 'expired',
  error: 'error',
};

function verifyNote(s: ProviderStatus): string {
  if (s.verification) return `verified${s.verification.identity ? `: ${s.verification.identity}` : ''}`;
  const e = s.verifyError;
  if (!e) return s.notChecked ?? '';
  if (e.exitCode === EXIT.rejected) return 'rejected (401)';
  if (e.exitCode === EXIT.forbidden) return 'forbidden (403)';
  return `check failed: ${e.message}`;
}

function sourceText(source: Source): string {
  return `${source.step}: ${source.detail}`;
}

/**
 * One line per provider, no header row (so `grep`/`wc -l` see one line each). Columns are aligned
 * on the resolved lines; a line's last cell (an error or a check's result) never widens a column.
 */
function printStatus(list: readonly ProviderStatus[], style: Style = PLAIN): string {
  const rows = list.map((s) => {
    const r = s.resolution;
    const cells = r
      ? [
          s.provider.id,
          SHOWN[s.state],
          sourceText(r.source),
          redact(r.token, s.provider.prefix),
          verifyNote(s),
        ]
      : [s.provider.id, SHOWN[s.state], s.error ? s.error.message : ''];
    while (cells.length && cells.at(-1) === '') cells.pop();
    return cells;
  });
  const tone = (state: StatusState) =>
    state === 'resolved' ? style.green : state === 'not_configured' ? style.dim : style.red;
  return table(rows, '', (cell, row, col) => (col === 1 ? tone(list[row]!.state)(cell) : cell));
}

function statusJson(list: readonly ProviderStatus[]) {
  return list.map((s) => ({
    provider: s.provider.id,
    profile: s.profile,
    resolved: s.state === 'resolved',
    status: s.state,
    source: s.resolution ? { step: s.resolution.source.step, detail: s.resolution.source.detail } : null,
    redacted: s.resolution ? redact(s.resolution.token, s.provider.prefix) : null,
    ...(s.error ? { error: errorJson(s.error) } : {}),
    ...(s.verification || s.verifyError
      ? {
          verified: Boolean(s.verification),
          ...(s.verification
            ? {
                identity: s.verification.identity ?? null,
                url: s.verification.url,
                httpStatus: s.verification.status,
              }
            : {}),
          ...(s.verifyError ? { verifyError: errorJson(s.verifyError) } : {}),
        }
      : {}),
    ...(s.notChecked ? { verified: null, notChecked: s.notChecked } : {}),
  }));
}

async function runStatus(opts: StatusOptions, cli: CliContext): Promise<void> {
  const registry = await cli.registry();
  const options: ResolveOptions = await toResolveOptions(opts, cli);
  const timeout = parseTimeout(opts.timeout);
  const list = await collectStatus(
    registry.list(),
    options,
    { verify: Boolean(opts.verify), ...(timeout !== undefined ? { timeout } : {}) },
    cli,
  );
  for (const s of list) for (const w of s.resolution?.warnings ?? []) cli.warn(w);
  if (cli.global.json) cli.json(statusJson(list));
  else cli.out(printStatus(list, await cli.style()));
  // The full reason and what to do, on stderr: stdout stays one line per provider.
  for (const s of list) {
    const e = s.verifyError ?? (s.state !== 'not_configured' ? s.error : undefined);
    if (!e) continue;
    // A store error's message is already on its stdout line; a failed check's is not.
    cli.reportError(e, s.provider.id, !s.verifyError);
  }
  cli.exitCode = statusExitCode(list);
}

export function registerStatus(program: Command, cli: CliContext): void {
  const cmd = program
    .command('status')
    .description('one line per provider: resolved or not, source, redacted value')
    .option('--verify', "also check each resolved credential with its provider's API (concurrently)")
    // No commander default: an absent --timeout leaves the library's (checkTimeout), shown here.
    .option(
      '--timeout <ms>',
      `with --verify: give up on each request after this many milliseconds (default: ${DEFAULT_TIMEOUT_MS})`,
    );
  addChainOptions(cmd, { token: false }).action((opts: StatusOptions) => runStatus(opts, cli));
}
