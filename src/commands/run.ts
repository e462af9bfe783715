// `cred run [--provider p]... [--mask] -- CMD ARGS...`: runs CMD with the credentials in its
// environment only. Without --mask cred becomes CMD, as `exec` does, so exit status, signals and
// stdio are CMD's own; with --mask (or where that cannot be done) it spawns CMD, forwards signals
// and passes its end on. A command that cannot start is reported the way shells report it (127 not
// found, 126 not executable).
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import type { ReplaceProcess } from '../deps.js';
import { quotedText } from '../output/redact.js';
import { type ChildEnd, exitBySignal, runChild } from '../run/child.js';
import { collectHandover, inheritedSecrets } from '../run/collect.js';
import { addChainOptions, type ChainFlags, toResolveOptions } from './chain-options.js';
import type { CliContext } from './context.js';
import { collect } from './flag-parsers.js';

export interface RunCommandOptions extends ChainFlags {
  provider?: string[];
  mask?: boolean;
}

const EXIT_NOT_FOUND = 127;
const EXIT_NOT_EXECUTABLE = 126;

/** The exit code a shell would report for how the child ended (128+N for a signal). */
function shellExitCode(end: ChildEnd): number {
  if (end.kind === 'exit') return end.code;
  if (end.kind === 'signal')
    return 128 + (process.getBuiltinModule('node:os').constants.signals[end.signal] ?? 0);
  return end.errno === 'ENOENT' ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE;
}

function spawnMessage(command: string, errno: string, secrets: readonly string[]): string {
  // `cred run -- $TOKEN` is a mistake worth not echoing: the values handed over, JWTs and
  // token-shaped runs are masked, so a path such as /nix/store/<hash>-python3/bin/python stays
  // readable around its hash.
  const shown = quotedText(command, secrets);
  if (errno === 'ENOENT') return `${shown}: command not found`;
  if (errno === 'EACCES') return `${shown}: permission denied (not an executable file)`;
  return `${shown}: cannot run (${errno})`;
}

/** Waits until everything cred wrote has reached its descriptor, which the command inherits. */
function flushed(stream: Writable): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/**
 * Becomes the command, as a shell's `exec` does (src/run/replace-process.ts): returns only when
 * that did not happen — the command could not be run (its errno, reported as a spawn would be), or
 * this process cannot be replaced (undefined: spawn it instead).
 */
async function replaceWith(
  replace: ReplaceProcess | undefined,
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  cli: CliContext,
): Promise<ChildEnd | undefined> {
  if (!replace) return undefined;
  await flushed(cli.deps.stdout);
  await flushed(cli.deps.stderr);
  const result = replace(command, args, env);
  if (result.kind === 'failed') return { kind: 'spawn-error', errno: result.errno };
  cli.debug(`run: ${result.why}; spawning the command instead`);
  return undefined;
}

/** Gets ready to become the command, unless --mask must stand between it and the terminal. */
function prepareReplace(opts: RunCommandOptions, cli: CliContext): ReplaceProcess | undefined {
  const prepared = opts.mask ? undefined : cli.deps.replaceProcess?.();
  if (typeof prepared !== 'object') return prepared;
  cli.debug(`run: ${prepared.why}; the command will be spawned`);
  return undefined;
}

async function runRun(argv: string[], opts: RunCommandOptions, cli: CliContext): Promise<void> {
  const [command, ...args] = argv;
  // First, before loading plugins or reading anything can make a stream over stdio: the command
  // gets stdio's flags as cred got them.
  const replace = prepareReplace(opts, cli);
  const options = await toResolveOptions(opts, cli);
  const handover = await collectHandover(opts.provider ?? [], options, cli);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(cli.deps.env)) if (v !== undefined) env[k] = v;
  // A handed-over provider's context variables (PODSTACK_PROJECT) are what its resolution says, or
  // unset: with --profile prod the shell's dev project must not go along with the prod token.
  for (const { provider } of handover.secrets) {
    for (const name of Object.values(provider.contextVars ?? {})) delete env[name];
  }
  for (const v of handover.vars) {
    env[v.name] = v.value;
    // NAME and NAME_FILE both set is an error for cred (and Docker entrypoints): the child gets NAME only.
    delete env[`${v.name}_FILE`];
  }
  if (cli.global.debug) {
    // The command's name as errors show it: `cred --debug run -- $TOKEN` must not print the token.
    // Only with --debug: the token-shape scrub's regexps are not worth compiling otherwise.
    const shown = quotedText(
      command!,
      handover.secrets.map((x) => x.token),
    );
    cli.debug(`run: ${shown} with ${handover.vars.map((v) => v.name).join(', ')} in its environment`);
  }
  const end =
    (await replaceWith(replace, command!, args, env, cli)) ??
    (await runChild({
      command: command!,
      args,
      env,
      ...(opts.mask
        ? {
            mask: [
              ...handover.secrets.map((s) => s.token),
              ...inheritedSecrets((await cli.registry()).list(), env),
            ],
          }
        : {}),
      stdout: cli.deps.stdout,
      stderr: cli.deps.stderr,
    }));
  cli.exitCode = shellExitCode(end);
  if (end.kind === 'spawn-error') {
    const message = spawnMessage(
      command!,
      end.errno,
      handover.secrets.map((x) => x.token),
    );
    // The child never ran, so stdout is cred's: --json gets its error object, as for any failure.
    if (cli.global.json) {
      const code = end.errno === 'ENOENT' ? 'command_not_found' : 'command_not_executable';
      cli.out(JSON.stringify({ error: { code, message, exitCode: cli.exitCode } }));
    }
    cli.err(`cred: error: ${message}`);
  }
  if (end.kind === 'signal') exitBySignal(end.signal);
}

export function registerRun(program: Command, cli: CliContext): void {
  const cmd = program
    .command('run')
    .description('run a command with credentials in its environment (not its argv)')
    .argument('<command...>', 'the command and its arguments, after --')
    .usage('[options] -- <command...>')
    .option(
      '--provider <id>',
      'hand over this provider (repeatable; default: every one that resolves)',
      collect,
    )
    .option('--mask', "replace credential values in the command's stdout/stderr with ****");
  addChainOptions(cmd).action((argv: string[], opts: RunCommandOptions) => runRun(argv, opts, cli));
}
