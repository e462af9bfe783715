// The export formats behind `cred env --shell`. Each is a small pure module; `github` has two outputs
// (stdout and the $GITHUB_ENV file) and is driven by the command.
import { formatCmd } from './cmd.js';
import { formatDotenv } from './dotenv.js';
import { formatFish } from './fish.js';
import { githubMasks } from './github.js';
import { formatJson } from './json.js';
import { formatPosix } from './posix.js';
import { formatPowerShell } from './powershell.js';
import type { Formatter } from './types.js';

export type { EnvVar, Formatter } from './types.js';

export const SHELLS = [
  'posix',
  'bash',
  'zsh',
  'fish',
  'powershell',
  'cmd',
  'dotenv',
  'json',
  'github',
] as const;
export type Shell = (typeof SHELLS)[number];

/** bash and zsh read POSIX single quotes exactly as sh does, so they share its formatter. */
export const FORMATTERS: Record<Shell, Formatter> = {
  posix: formatPosix,
  bash: formatPosix,
  zsh: formatPosix,
  fish: formatFish,
  powershell: formatPowerShell,
  cmd: formatCmd,
  dotenv: formatDotenv,
  json: formatJson,
  github: githubMasks,
};

/** How to load the output, for the hint printed when stdout is a terminal. */
export const EVAL_HINT: Record<Shell, string> = {
  posix: 'eval "$(cred env)"',
  bash: 'eval "$(cred env --shell bash)"',
  zsh: 'eval "$(cred env --shell zsh)"',
  fish: 'cred env --shell fish | source',
  powershell: 'cred env --shell powershell | Out-String | Invoke-Expression',
  cmd: 'cred env --shell cmd > "%TEMP%\\cred.cmd" && call "%TEMP%\\cred.cmd"',
  dotenv: 'cred env --shell dotenv > .env',
  json: 'cred env --shell json | jq',
  github: 'cred env --shell github   (in a GitHub Actions step)',
};
