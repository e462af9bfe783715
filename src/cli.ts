// Builds the commander program from the command modules and maps every outcome to an exit code in
// one place. Commands never call process.exit: they set cli.exitCode or throw a CredError.
import { Command, CommanderError, Option } from 'commander';
import { registerCompletion } from './commands/completion.js';
import { CliContext } from './commands/context.js';
import { registerEnv } from './commands/env.js';
import { registerHeader } from './commands/header.js';
import { registerLogin } from './commands/login.js';
import { registerLogout } from './commands/logout.js';
import { registerProviders } from './commands/providers.js';
import { registerResolve } from './commands/resolve.js';
import { registerRun } from './commands/run.js';
import { registerStatus } from './commands/status.js';
import { registerWhoami } from './commands/whoami.js';
import { type Deps, defaultDeps } from './deps.js';
import { type CredError, EXIT, errorJson, isCredError, UsageError } from './errors.js';
import { quoteInput, TOKEN_SIZED } from './output/redact.js';
import { nativeReplaceProcess } from './run/replace-process.js';

const VERSION = '0.1.0';

export function buildProgram(cli: CliContext, argv?: readonly string[]): Command {
  const program = new Command('cred')
    .description('resolve API credentials, say where each came from, and hand them over safely')
    .version(VERSION, '-V, --version')
    .addOption(new Option('--profile <name>', 'profile to resolve (default: $CRED_PROFILE or "default")'))
    .option('--json', 'machine-readable output on stdout')
    .option('--no-color', 'no colour (also NO_COLOR)')
    .option(
      '--config <path>',
      'config file declaring providers (default: $CRED_CONFIG or ~/.config/cred/config)',
    )
    .option('--quiet', 'no warnings')
    .option('--debug', 'trace what cred does on stderr (never shows a token)')
    .showHelpAfterError('cred: hint: run `cred --help` for usage')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => cli.deps.stdout.write(s),
      writeErr: (s) => cli.deps.stderr.write(s),
      // commander quotes what it did not understand ('--pt-…', an unknown command); a token pasted
      // into the wrong place must not come back on stderr, so long quoted words are not shown.
      // Its `error: …` gets cred's prefix, like every other diagnostic.
      outputError: (s, write) => write(hideLongQuoted(s).replace(/^error: /, 'cred: error: ')),
    });
  cli.attach(program);
  // --debug says how start-up compiled cred: bin/cred leaves which code cache it used (docs/speed.md).
  program.hook('preAction', () => {
    const cache = (globalThis as Record<symbol, unknown>)[Symbol.for('cred.codeCache')];
    if (typeof cache === 'string') cli.debug(`start-up: code cache ${cache}`);
  });
  // Start-up: when argv names a command that does not look at the others (not `completion`,
  // which walks the whole program), only that command is built (docs/speed.md). Commander stays
  // the one parser; anything else (help, a typo, an alias, no command) builds them all.
  const word = argv && commandWord(program, argv);
  const only = BUILT_ALONE.has(word ?? '') && COMMANDS.find(([name]) => name === word);
  for (const [, register] of only ? [only] : COMMANDS) register(program, cli);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput(program.configureOutput());
  return program;
}

const LONG_QUOTED = new RegExp(`'([^'\\s]{${TOKEN_SIZED},})'`, 'g');

function hideLongQuoted(message: string): string {
  return message.replace(LONG_QUOTED, (_m, word: string) => `'${quoteInput(word)}'`);
}

const COMMANDS: [string, (program: Command, cli: CliContext) => void][] = [
  ['resolve', registerResolve],
  ['env', registerEnv],
  ['run', registerRun],
  ['header', registerHeader],
  ['whoami', registerWhoami],
  ['status', registerStatus],
  ['login', registerLogin],
  ['logout', registerLogout],
  ['providers', registerProviders],
  ['completion', registerCompletion],
];

const BUILT_ALONE = new Set(['resolve', 'env', 'run', 'header', 'whoami', 'status']);

/** The first word of argv that is not a global option or its value, using the program's own options. */
function commandWord(program: Command, argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-')) return arg;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const option = program.options.find((o) => o.long === flag || o.short === flag);
    if (!option) return undefined;
    if ((option.required || option.optional) && eq < 0) i++;
  }
  return undefined;
}

function wantsJson(argv: readonly string[], cli: CliContext): boolean {
  return Boolean(cli.global.json) || argv.slice(0, argv.indexOf('--') >>> 0).includes('--json');
}

function report(error: CredError, argv: readonly string[], cli: CliContext): number {
  if (wantsJson(argv, cli)) {
    cli.out(JSON.stringify({ error: errorJson(error) }));
  }
  cli.reportError(error);
  return error.exitCode;
}

/** Runs cred with these arguments (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], overrides: Partial<Deps> = {}): Promise<number> {
  const cli = new CliContext(defaultDeps(overrides));
  const program = buildProgram(cli, argv);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return cli.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are successful exits; anything else commander rejects is a usage error.
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      ) {
        return EXIT.ok;
      }
      // `cred run ls -la`: commander read -la as one of cred's options, as `run` documents.
      if (
        e.code === 'commander.unknownOption' &&
        !argv.includes('--') &&
        commandWord(program, argv) === 'run'
      ) {
        cli.err('cred: hint: put -- before the command, so its options stay its own: cred run -- CMD ARGS…');
      }
      if (wantsJson(argv, cli)) {
        const message = hideLongQuoted(e.message.replace(/^error: /, ''));
        cli.out(JSON.stringify({ error: errorJson(new UsageError(message)) }));
      }
      return EXIT.usage;
    }
    if (isCredError(e)) return report(e, argv, cli);
    // A bug: say so without a stack trace (it could hold a value); --debug shows the stack's frames.
    const err = e as Error;
    if (wantsJson(argv, cli)) {
      const message = `internal error (${err?.name ?? 'Error'}); please report it`;
      cli.out(JSON.stringify({ error: { code: 'internal_error', message, exitCode: EXIT.internal } }));
    }
    cli.err(
      `cred: internal error: ${err?.name ?? 'Error'}; please report it (rerun with --debug for details)`,
    );
    if (cli.global.debug && err?.stack) {
      // Frames only: a multi-line message (a child process's, say) must not come along.
      cli.debug(
        err.stack
          .split('\n')
          .filter((l) => /^\s+at /.test(l))
          .join('\n'),
      );
    }
    return EXIT.internal;
  }
}

/**
 * bin/cred's entry: main() for the CLI's own process, which `cred run` may replace with the
 * command (the native helper the build puts in `distDir`/native), and whose stdin is read straight
 * from its descriptor. A host calling main() in-process is never replaced, nor blocked on stdin. `overrides`: the build's code-cache warm-up (scripts/code-cache.mjs) enters
 * here too, with its own Deps, so the caches hold this code.
 */
export function cliMain(
  argv: readonly string[],
  distDir: string,
  overrides: Partial<Deps> = {},
): Promise<number> {
  return main(argv, {
    replaceProcess: nativeReplaceProcess(`${distDir}/native/exec.node`),
    stdinFd: 0,
    ...overrides,
  });
}
