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
// CR written as `\r`. A value neither form carries is still written unquoted when every loader
// takes it literally that way: no line break, no `#`, no white space at either end, no quote first.
// Only a value none of the forms carries is refused, naming the reason.
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

/**
 * Why a value cannot go unquoted: each loader cuts an unquoted value at a line break or a `#`,
 * trims white space at its ends (Python's idea of white space takes in C0/C1 separators), and reads
 * a leading quote as the start of a quoted value.
 */
function unquotedProblem(value: string): string | undefined {
  if (/[\r\n\u0085\u2028\u2029]/.test(value)) return 'a line break';
  if (value.includes('#')) return 'a "#"';
  const edge = /[\s\0-\x1f\x7f-\x9f]/;
  if (edge.test(value[0]!) || edge.test(value[value.length - 1]!)) return 'white space at an end';
  if (/^['"`]/.test(value)) return 'a quote first';
  return undefined;
}

function reason(value: string, unquoted: string): string {
  const quoted =
    value.includes("'") && value.includes('"')
      ? 'both a single and a double quote'
      : value.includes("'")
        ? 'a single quote and a backslash'
        : value.includes('\r')
          ? 'a carriage return and a backslash'
          : 'a backslash the loaders read differently';
  return `holds ${quoted} (no quoting carries it) and ${unquoted} (so it cannot go unquoted)`;
}

/** The dotenv right-hand side for a value, or the reason no form carries it through every loader. */
export function quoteDotenv(value: string): { text: string } | { reason: string } {
  if (value.includes('${'))
    return { reason: 'holds "${", which python-dotenv expands as a variable in every quoting form' };
  const text = PLAIN.test(value) ? value : (singleQuoted(value) ?? doubleQuoted(value));
  if (text !== undefined) return { text };
  const unquoted = unquotedProblem(value);
  return unquoted === undefined ? { text: value } : { reason: reason(value, unquoted) };
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
