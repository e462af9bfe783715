// POSIX sh (also bash, zsh, dash, ksh): `export NAME='value'`. Inside single quotes nothing is special
// — not `$`, backticks, `\`, `!` or newlines — so the only character to handle is the single quote
// itself, written outside the quotes as `\'`. Empty quoted pieces are never emitted, so zsh's
// RC_QUOTES option (where `''` inside quotes means a quote) cannot change the meaning.
import { checkCommon, type EnvVar, type Formatter } from './types.js';

export function quotePosix(value: string): string {
  if (value === '') return "''";
  return value
    .split("'")
    .map((part) => (part === '' ? '' : `'${part}'`))
    .join("\\'");
}

export const formatPosix: Formatter = (vars: readonly EnvVar[]) =>
  vars
    .map((v) => {
      checkCommon('posix', v);
      return `export ${v.name}=${quotePosix(v.value)}\n`;
    })
    .join('');
