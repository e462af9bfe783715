// Shared by the export-format tests. Generated values for the export-format property tests: biased towards everything a shell or a
// loader treats specially — quotes, `$`, backticks, backslashes, `!`, `%`, globs, whitespace, line
// breaks, non-ASCII — plus canary commands that must never run.
import fc from 'fast-check';

export const SPECIALS = [
  "'",
  '"',
  '`',
  '$',
  '\\',
  '!',
  '%',
  '*',
  '?',
  '[',
  ']',
  '{',
  '}',
  '~',
  '#',
  ';',
  '&',
  '|',
  '<',
  '>',
  '(',
  ')',
  ' ',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '-',
  '=',
  '^',
  ',',
  '@',
  ':',
  '\\\\',
  "\\'",
  '\\"',
  '\\n',
  "''",
  '""',
  '$$',
  '${',
  '$(',
  '!!',
  '%%',
  '%PATH%',
  '!x!',
  '$HOME',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${ is what python-dotenv expands
  '${HOME}',
  "$'",
  'EOF',
  '\u00e9',
  '\u65e5\u672c',
  '\u{1F600}',
  '\u00a0',
  '\u2018',
  '\u2019',
  '\u201c',
  '\u200b',
  '\u0007',
  // Line and paragraph separators (a JS regexp's `.` and `$` stop at them), NEL, and the control
  // characters Python's str.isspace() counts as whitespace.
  '\u2028',
  '\u2029',
  '\u0085',
  '\u000b',
  '\u000c',
  '\u001c',
];

/** Fragments that run a command (creating `marker`) if a shell ever evaluates them as code. */
export function canaries(marker: string): string[] {
  return [
    `$(touch ${marker})`,
    `\`touch ${marker}\``,
    `'; touch ${marker}; '`,
    `"; touch ${marker}; "`,
    `\n touch ${marker}\n`,
    `(touch ${marker})`,
    `'(touch ${marker})'`,
    `$(touch ${marker})\\`,
  ];
}

const plain = fc.string({ unit: 'grapheme-ascii', maxLength: 6 });
const unicode = fc.string({ unit: 'grapheme', maxLength: 3 });

/** Values without NUL (no environment can hold one). */
export function shellValue(marker: string): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...SPECIALS) },
    { weight: 3, arbitrary: plain },
    { weight: 1, arbitrary: unicode },
    { weight: 1, arbitrary: fc.constantFrom(...canaries(marker)) },
  );
  return fc.array(piece, { minLength: 0, maxLength: 12 }).map((parts) => parts.join('').replace(/\0/g, ''));
}

/** `n` values drawn with a fixed seed, so a failure reproduces; the first few are fixed edge cases. */
export function sampleValues(marker: string, n: number, seed = 4242): string[] {
  const fixed = ['', ' ', "'", '\\', '-e', '-n', '--', '\n', 'a\n', '\r', '$', '!', ...canaries(marker)];
  return [...fixed, ...fc.sample(shellValue(marker), { numRuns: n, seed })];
}

/** The runner's reading of $GITHUB_ENV (actions/runner FileCommandManager): NAME=VALUE or heredoc. */
export function parseGithubEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let index = 0;
  const readLine = (): { line: string; newline: string } | null => {
    if (index >= text.length) return null;
    const lf = text.indexOf('\n', index);
    if (lf < 0) {
      const line = text.slice(index);
      index = text.length;
      return { line, newline: '' };
    }
    const cr = lf > index && text[lf - 1] === '\r';
    const line = text.slice(index, cr ? lf - 1 : lf);
    index = lf + 1;
    return { line, newline: cr ? '\r\n' : '\n' };
  };
  for (let l = readLine(); l; l = readLine()) {
    const { line } = l;
    if (!line) continue;
    const eq = line.indexOf('=');
    const hd = line.indexOf('<<');
    if (eq >= 0 && (hd < 0 || eq < hd)) {
      out[line.slice(0, eq)] = line.slice(eq + 1);
      continue;
    }
    const key = line.slice(0, hd);
    const delim = line.slice(hd + 2);
    if (!key || !delim) throw new Error(`invalid line ${line}`);
    const start = index;
    let end = index;
    for (let t = readLine(); t === null || t.line !== delim; t = readLine()) {
      if (t === null) throw new Error(`matching delimiter not found '${delim}'`);
      if (!t.newline) throw new Error('EOF marker missing new line');
      end = index - t.newline.length;
    }
    out[key] = end > start ? text.slice(start, end) : '';
  }
  return out;
}
