// GitHub Actions. Two outputs: `::add-mask::` commands for stdout (one per line of a multi-line value,
// since the runner masks log lines one at a time) and `NAME<<DELIM` blocks for the file named by
// $GITHUB_ENV. The delimiter is random and checked not to occur in the value, so a value cannot end
// the block early and forge another variable (the reason the runner documents random delimiters).
import { checkCommon, type EnvVar, refuse } from './types.js';

/** Workflow-command data escaping, as @actions/core does it: the runner undoes exactly this. */
export function escapeCommandData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function githubMasks(vars: readonly EnvVar[]): string {
  const out: string[] = [];
  for (const v of vars) {
    checkCommon('github', v);
    for (const line of v.value.split(/\r\n|\n|\r/)) {
      if (line.trim() !== '') out.push(`::add-mask::${escapeCommandData(line)}\n`);
    }
  }
  return out.join('');
}

export type RandomHex = () => string;
const defaultRandom: RandomHex = () =>
  process.getBuiltinModule('node:crypto').randomBytes(16).toString('hex');

/** `NAME<<DELIM\nvalue\nDELIM\n` for each variable, ready to append to $GITHUB_ENV. */
export function githubEnvFile(vars: readonly EnvVar[], random: RandomHex = defaultRandom): string {
  return vars
    .map((v) => {
      checkCommon('github', v);
      // The runner strips a CR before the line break that ends the value, so a final CR would be lost.
      if (v.value.endsWith('\r'))
        refuse('github', v.name, 'ends with a carriage return, which the runner drops');
      let delim = `ghadelimiter_${random()}`;
      for (let i = 0; v.value.includes(delim); i++) {
        if (i > 8) refuse('github', v.name, 'keeps containing the random delimiter');
        delim = `ghadelimiter_${random()}`;
      }
      return `${v.name}<<${delim}\n${v.value}\n${delim}\n`;
    })
    .join('');
}
