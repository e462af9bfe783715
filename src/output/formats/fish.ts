// fish: `set -gx NAME 'value'`. In fish's single quotes the only escapes are `\\` and `\'`; `$`,
// parentheses, globs and newlines are literal. `--` ends set's options, so a value starting with `-`
// is never read as one.
import { checkCommon, type EnvVar, type Formatter } from './types.js';

export function quoteFish(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

export const formatFish: Formatter = (vars: readonly EnvVar[]) =>
  vars
    .map((v) => {
      checkCommon('fish', v);
      return `set -gx -- ${v.name} ${quoteFish(v.value)}\n`;
    })
    .join('');
