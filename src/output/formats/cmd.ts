// cmd.exe: `set "NAME=value"`, meant for a batch file (`cred env --shell cmd > cred.cmd` then
// `call cred.cmd`). The quotes around the whole assignment keep `& | < > ^ ( )` literal, but cmd has
// no escape that survives every context: `%` is expanded even inside quotes (and `%%` only works in a
// batch file), `!` is expanded when delayed expansion is on, a `"` ends the quoting, and a line break
// ends the command. Values holding any of those are refused.
import { checkCommon, type EnvVar, type Formatter, refuse } from './types.js';

const UNSAFE: readonly (readonly [RegExp, string])[] = [
  [/[\r\n]/, 'contains a line break, which cmd cannot hold in one command'],
  [/"/, 'contains a double quote, which would end cmd quoting'],
  [/%/, 'contains %, which cmd expands even inside quotes'],
  [/!/, 'contains !, which cmd expands when delayed expansion is on'],
  // Other control characters (e.g. Ctrl-Z, which ends a batch file when read) are not carried either.
  [/[\x01-\x1f\x7f]/, 'contains a control character'],
];

export const formatCmd: Formatter = (vars: readonly EnvVar[]) =>
  vars
    .map((v) => {
      checkCommon('cmd', v);
      for (const [re, reason] of UNSAFE) if (re.test(v.value)) refuse('cmd', v.name, reason);
      return `set "${v.name}=${v.value}"\r\n`;
    })
    .join('');
