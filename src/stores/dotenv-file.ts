// dotenv files for --env-file, parsed with the `dotenv` package (the loader most Node users already
// trust). dotenv skips lines it does not understand; a credentials tool should not, so a small line
// check runs first and rejects such a file with the line number.
import type { Deps } from '../deps.js';
import { StoreError } from '../errors.js';
import { displayPath, expandHome } from './paths.js';
import { readTextFile } from './read-file.js';

// `s`: the file is split into lines at CR/LF only (as dotenv does), so a U+2028/U+2029 inside a
// value is part of it, and `.` must match it too.
const ASSIGN = /^\s*(?:export\s+)?[\w.-]+\s*(?:=|:\s)\s*(.*)$/s;

/** Throws an Error naming the line; the caller adds the file. */
export function checkDotenvLines(text: string): void {
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*(#.*)?$/s.test(line)) continue;
    const m = ASSIGN.exec(line);
    if (!m) throw new Error(`line ${i + 1}: expected NAME=value`);
    const value = m[1]!;
    const q = value[0];
    if (q !== '"' && q !== "'" && q !== '`') continue;
    // A quoted value may span lines: find its closing quote (not escaped), here or below.
    const closes = (s: string, from: number) => new RegExp(`(^|[^\\\\])${q}`).test(s.slice(from));
    if (closes(value, 1)) continue;
    let j = i + 1;
    while (j < lines.length && !closes(lines[j]!, 0)) j++;
    if (j >= lines.length) throw new Error(`line ${i + 1}: quoted value is never closed`);
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
