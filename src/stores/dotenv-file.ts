// dotenv files for --env-file, parsed with the `dotenv` package (the loader most Node users already
// trust). dotenv skips lines it does not understand; a credentials tool should not, so a small line
// check runs first and rejects such a file with the line number.
import type { Deps } from '../deps.js';
import { StoreError } from '../errors.js';
import { displayPath, expandHome } from './paths.js';
import { readTextFile } from './read-file.js';

// `s`: the file is split into lines at CR/LF only, so `.` must match U+2028/U+2029 too; whether one
// may be there at all is decided below.
const ASSIGN = /^\s*(?:export\s+)?[\w.-]+\s*(?:=|:\s)\s*(.*)$/s;
const SEPARATOR = /[\u2028\u2029]/;
const SEPARATOR_OUTSIDE_QUOTES =
  'holds a Unicode line separator (U+2028 or U+2029) outside quotes, where dotenv loaders split lines differently';

/**
 * After the closing quote of a value that holds line breaks, only white space and a `#` comment may
 * follow: with other text Node's dotenv stops reading the value as quoted, so its line breaks start
 * new lines that can set other variables, while python-dotenv refuses the line.
 */
function checkAfterQuote(rest: string, index: number): void {
  if (SEPARATOR.test(rest)) throw new Error(`line ${index + 1}: ${SEPARATOR_OUTSIDE_QUOTES}`);
  if (!/^[ \t]*(#.*)?$/.test(rest)) throw new Error(`line ${index + 1}: text after the closing quote`);
}

/** Index of the first `q` at or after `from` that no backslash escapes, or -1. */
function closingQuote(s: string, q: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === q && s[i - 1] !== '\\') return i;
  }
  return -1;
}

/**
 * Throws an Error naming the line; the caller adds the file. A U+2028/U+2029 is accepted only inside
 * a quoted value: Node's dotenv reads one anywhere else as a line break (a comment could then set a
 * variable), python-dotenv does not.
 */
export function checkDotenvLines(text: string): void {
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const bad = (why: string) => new Error(`line ${i + 1}: ${why}`);
    if (/^\s*(#.*)?$/s.test(line)) {
      if (SEPARATOR.test(line)) throw bad(SEPARATOR_OUTSIDE_QUOTES);
      continue;
    }
    const m = ASSIGN.exec(line);
    if (!m) throw bad('expected NAME=value');
    const value = m[1]!;
    const before = line.slice(0, line.length - value.length);
    const q = value[0];
    if (q !== '"' && q !== "'" && q !== '`') {
      if (SEPARATOR.test(line)) throw bad(SEPARATOR_OUTSIDE_QUOTES);
      continue;
    }
    if (SEPARATOR.test(before)) throw bad(SEPARATOR_OUTSIDE_QUOTES);
    // A quoted value may span lines: find its closing quote (not escaped), here or below.
    const close = closingQuote(value, q, 1);
    if (close >= 0) {
      // One line: text after the quote only changes how the loaders read this one value, unless a
      // separator inside the quotes would then start a new line for Node's dotenv.
      const rest = value.slice(close + 1);
      if (SEPARATOR.test(rest)) throw bad(SEPARATOR_OUTSIDE_QUOTES);
      if (SEPARATOR.test(value)) checkAfterQuote(rest, i);
      continue;
    }
    let j = i + 1;
    while (j < lines.length && closingQuote(lines[j]!, q, 0) < 0) j++;
    if (j >= lines.length) throw bad('quoted value is never closed');
    const last = lines[j]!;
    checkAfterQuote(last.slice(closingQuote(last, q, 0) + 1), j);
    i = j;
  }
}

export async function readEnvFile(file: string, deps: Deps): Promise<Record<string, string>> {
  const path = expandHome(file, deps);
  const shown = displayPath(path, deps);
  // Named on purpose, so it may be a pipe: `--env-file <(sops -d .env)`.
  const text = readTextFile(path, deps, { what: 'env file', pipes: true });
  if (!text) throw new StoreError(`env file ${shown} does not exist`);
  try {
    checkDotenvLines(text.text);
  } catch (e) {
    throw new StoreError(`malformed dotenv file ${shown}: ${(e as Error).message}`);
  }
  // dotenv is CommonJS: bundled and imported lazily, its functions sit on the default export.
  const dotenv = await import('dotenv');
  const parse = dotenv.parse ?? (dotenv as unknown as { default: typeof dotenv }).default.parse;
  return parse(text.text);
}
