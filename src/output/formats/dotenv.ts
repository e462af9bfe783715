// dotenv: `NAME='value'` or `NAME="value"`, chosen per value so that the three loaders people use read
// back the exact value — Node's `dotenv`, python-dotenv and cred's own `--env-file`. They disagree:
// - Node converts CR/CRLF to LF everywhere and, in double quotes, turns only `\n` and `\r` into
//   line breaks (a `\\` or `\"` stays two characters);
// - python-dotenv expands `${VAR}` in every form, treats `\\` and `\'` as escapes in single quotes
//   and the usual C escapes (`\\ \' \" \a \b \f \n \r \t \v`) in double quotes;
// - cred's --env-file checker ends a quoted value at the first quote not preceded by a backslash.
// A plain value (letters, digits and `_ . - : / + = @ , ~`, as real tokens are) is written unquoted,
// which every loader — and `docker run --env-file` / `kubectl --from-env-file`, which take the rest of
// the line literally — reads the same. Otherwise single quotes carry any value without `'`, CR or `${`, whose backslashes are never
// followed by `\` and never come last; double quotes carry a value without `"`, `\` or `${`, with
// CR written as `\r`. A value neither form carries is refused, naming the reason.
import { checkCommon, type EnvVar, type Formatter, refuse } from './types.js';

const PLAIN = /^[A-Za-z0-9_.:/+=@,~-]+$/;

function singleQuoted(value: string): string | undefined {
  if (/['\r]/.test(value)) return undefined;
  if (/\\(\\|$)/.test(value)) return undefined;
  return `'${value}'`;
}

function doubleQuoted(value: string): string | undefined {
  if (/["\\]/.test(value)) return undefined;
  return `"${value.replace(/\r/g, '\\r')}"`;
}

function reason(value: string): string {
  if (value.includes("'") && value.includes('"')) return 'holds both a single and a double quote';
  if (value.includes("'")) return 'holds a single quote and a backslash';
  if (value.includes('\r')) return 'holds a carriage return and a backslash';
  return 'holds a backslash the loaders read differently';
}

/** The dotenv right-hand side for a value, or the reason no form carries it through every loader. */
export function quoteDotenv(value: string): { text: string } | { reason: string } {
  if (value.includes('${'))
    return { reason: 'holds "${", which python-dotenv expands as a variable in every quoting form' };
  const text = PLAIN.test(value) ? value : (singleQuoted(value) ?? doubleQuoted(value));
  return text !== undefined ? { text } : { reason: reason(value) };
}

export const formatDotenv: Formatter = (vars: readonly EnvVar[]) =>
  vars
    .map((v) => {
      checkCommon('dotenv', v);
      const q = quoteDotenv(v.value);
      if ('reason' in q) refuse('dotenv', v.name, q.reason);
      return `${v.name}=${q.text}\n`;
    })
    .join('');
