// PowerShell: `$env:NAME = 'value'`. A single-quoted string is verbatim ($, backticks and newlines are
// literal); a quote inside is written twice. PowerShell's tokenizer counts the typographic quotes
// U+2018–U+201B as single quotes too, so each of those is doubled as well (about_Quoting_Rules).
import { checkCommon, type EnvVar, type Formatter } from './types.js';

const SINGLE_QUOTES = /['\u2018\u2019\u201A\u201B]/g;

function quotePowerShell(value: string): string {
  return `'${value.replace(SINGLE_QUOTES, (q) => q + q)}'`;
}

export const formatPowerShell: Formatter = (vars: readonly EnvVar[]) =>
  vars
    .map((v) => {
      checkCommon('powershell', v);
      return `$env:${v.name} = ${quotePowerShell(v.value)}\n`;
    })
    .join('');
