// `cred env [providers...]`: export lines for a shell or CI system. The formats are pure modules in
// src/output/formats/; this command resolves, picks the format, redacts on a terminal and, for
// GitHub Actions, appends to the file named by $GITHUB_ENV.
import { type Command, Option } from 'commander';
import { StoreError, UsageError } from '../errors.js';
import { githubEnvFile } from '../output/formats/github.js';
import { EVAL_HINT, FORMATTERS, SHELLS, type Shell } from '../output/formats/index.js';
import type { EnvVar } from '../output/formats/types.js';
import { redact } from '../output/redact.js';
import { collectHandover, type Handover } from '../run/collect.js';
import { addChainOptions, type ChainFlags, toResolveOptions } from './chain-options.js';
import type { CliContext } from './context.js';

export interface EnvCommandOptions extends ChainFlags {
  shell?: Shell;
  reveal?: boolean;
}

/** The variables as printed: credentials replaced by their redacted form when not revealing. */
function shown(h: Handover, reveal: boolean): EnvVar[] {
  if (reveal) return h.vars;
  return h.vars.map((v) => {
    const s = h.secrets.find((x) => x.name === v.name);
    return s ? { name: v.name, value: redact(s.token, s.provider.prefix) } : v;
  });
}

function githubEnvPath(cli: CliContext): string {
  const file = cli.deps.env.GITHUB_ENV;
  if (!file) {
    throw new UsageError(
      '--shell github needs $GITHUB_ENV, which is not set (it is set inside a GitHub Actions step)',
      'outside GitHub Actions use --shell posix, dotenv or json',
      'github_env_unset',
    );
  }
  return file;
}

async function appendFile(file: string, text: string): Promise<void> {
  const fs = await import('node:fs');
  try {
    // 0600 when cred creates the file (outside a runner, or a step that names a new one): it holds
    // the tokens. An existing file keeps its mode.
    fs.appendFileSync(file, text, { encoding: 'utf8', mode: 0o600 });
  } catch (e) {
    throw new StoreError(
      `cannot append to $GITHUB_ENV (${file}): ${(e as NodeJS.ErrnoException).code ?? 'write failed'}`,
    );
  }
}

async function runEnv(ids: string[], opts: EnvCommandOptions, cli: CliContext): Promise<void> {
  const shell: Shell = opts.shell ?? (cli.global.json ? 'json' : 'posix');
  const options = await toResolveOptions(opts, cli);
  const handover = await collectHandover(ids, options, cli);
  const terminal = cli.deps.isTTY.stdout && !opts.reveal;
  const vars = shown(handover, !terminal);
  // Format everything before printing anything: a refused value leaves stdout empty. The real values
  // are checked even when redacted ones are shown, so a terminal sees the same refusal a pipe would.
  const text = FORMATTERS[shell](vars);
  if (terminal) FORMATTERS[shell](handover.vars);
  // Fail before printing anything when there is nowhere to write the github block, or when a value
  // cannot go into it.
  const githubFile = shell === 'github' ? githubEnvPath(cli) : undefined;
  const githubBlock = githubFile ? githubEnvFile(handover.vars) : undefined;
  // For github the masks go out before the file is written, so the runner knows the values before
  // any later step could log them.
  cli.deps.stdout.write(text);
  if (githubFile && githubBlock) {
    await appendFile(githubFile, githubBlock);
    cli.err(`cred: exported ${handover.vars.map((v) => v.name).join(', ')} to $GITHUB_ENV`);
  }
  if (terminal) {
    cli.err(
      `cred: values are redacted because stdout is a terminal; load them with: ${EVAL_HINT[shell]} (or pass --reveal)`,
    );
  }
}

export function registerEnv(program: Command, cli: CliContext): void {
  const cmd = program
    .command('env')
    .description('print export lines for shells and CI (all providers that resolve, or the ones named)')
    .argument('[providers...]', 'provider ids (default: every provider that resolves)')
    .addOption(new Option('--shell <format>', 'output format (default: posix)').choices(SHELLS))
    .option('--reveal', 'print real values even when stdout is a terminal');
  addChainOptions(cmd).action((ids: string[], opts: EnvCommandOptions) => runEnv(ids, opts, cli));
}
