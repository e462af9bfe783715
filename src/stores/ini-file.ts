// INI credentials files (cred's own and Podstack's), parsed with the `ini` package. The package is
// lenient to a fault (a stray word becomes `word = true`, `[__proto__]` silently vanishes), so the
// whole file is checked first, and only the section asked for is handed to `ini` — a
// 100,000-profile file costs one check, not 100,000 parsed sections.
//
// The line check (checkIniLines) is what defines the format: it rejects what is malformed with the
// line number, records which values were wrapped in quotes or cut at a `;`/`#` so the chain can
// warn about them, and notes which lines belong to which section. At start-up it runs in V8's
// interpreter, one line at a time, and it was most of the cost of a large file. So a plain file — blank lines, comments, [sections] and `key = value` lines with no
// quotes, no `;`/`#` after the `=` and no forbidden name — is recognised by three regexps over the
// whole text instead, and its sections are found by searching for their headers; anything else
// takes the line scan, which stays the definition of what is accepted (docs/speed.md).
import ini from 'ini';
import type { Deps } from '../deps.js';
import { StoreError } from '../errors.js';
import { displayPath } from './paths.js';
import { MAX_CREDENTIALS_FILE, readTextFile } from './read-file.js';

export type IniSection = Record<string, unknown>;

export interface IniDoc {
  path: string;
  mode: number;
  /** The body of the [name] sections, as INI text (a repeated section's are joined, later keys win). */
  body(name: string): string | undefined;
  /** `section\0key` of every value written in quotes. */
  quoted: ReadonlySet<string>;
  /** `section\0key` of every unquoted value holding `;` or `#`, which `ini` cuts there as a comment. */
  commented: ReadonlySet<string>;
}

/** Names that would reach an object's prototype: refused as sections, keys and provider ids. */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
/** A dotted section name with a forbidden part (`[a.__proto__]`): `ini` would nest it. */
const FORBIDDEN_PART = new RegExp(`(?:^|\\.)(?:${[...FORBIDDEN_NAMES].join('|')})(?:\\.|$)`);
/**
 * A `;` or `#` after an even number of backslashes (none, or escaped backslashes): `ini` cuts an
 * unquoted value there (`a\\;b` reads as `a\`).
 */
const COMMENT_CHAR = /(?:^|[^\\])(?:\\\\)*[;#]/;

// The line scan below reads every line of files of up to 100,000 profiles, and at start-up its code
// is not yet optimised, so it avoids per-line work that adds up: character codes instead of
// startsWith, regexps made once, no try/catch inside the loop (docs/speed.md).
const SEMICOLON = 59;
const HASH = 35;
const OPEN = 91;
const CLOSE = 93;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;

export type IniLine =
  | { type: 'blank' | 'comment' }
  | { type: 'header'; name: string }
  | { type: 'key'; key: string; value: string };

/** How cred reads one INI line (the writer reads lines the same way); throws when it is neither. */
export function readIniLine(raw: string): IniLine {
  const line = raw.trim();
  if (line === '') return { type: 'blank' };
  const first = line.charCodeAt(0);
  if (first === SEMICOLON || first === HASH) return { type: 'comment' };
  if (first === OPEN) {
    if (line.charCodeAt(line.length - 1) !== CLOSE) throw new Error('section header is not closed with ]');
    const name = line.slice(1, -1).trim();
    if (!name) throw new Error('empty section name');
    if (FORBIDDEN_PART.test(name)) throw new Error(`section name [${name}] is not allowed`);
    return { type: 'header', name };
  }
  const eq = line.indexOf('=');
  if (eq <= 0) throw new Error('expected "key = value" or "[section]"');
  // `ini` drops a key line holding one (its `.` stops there) while Python's configparser keeps the
  // character in the value: a file the readers disagree on is malformed, not "without the key".
  // (In a comment or a header both read it the same, so those pass.)
  // The raw line: trim() would strip one at either end, and ini would still drop the line.
  if (raw.includes('\u2028') || raw.includes('\u2029')) {
    throw new Error('holds a Unicode line separator (U+2028 or U+2029), which INI readers disagree on');
  }
  const key = line.slice(0, eq).trim();
  if (FORBIDDEN_NAMES.has(key)) throw new Error(`key "${key}" is not allowed`);
  return { type: 'key', key, value: line.slice(eq + 1).trim() };
}

/** Throws a message without the file name; the caller adds it. */
export function checkIniLines(text: string): {
  quoted: Set<string>;
  commented: Set<string>;
  bodies: Map<string, string[]>;
} {
  const quoted = new Set<string>();
  const commented = new Set<string>();
  const bodies = new Map<string, string[]>();
  let section = '';
  let body: string[] | undefined;
  const lines = text.includes('\r') ? text.split(/\r\n|\n|\r/) : text.split('\n');
  let i = 0;
  try {
    for (; i < lines.length; i++) {
      const raw = lines[i]!;
      const line = readIniLine(raw);
      if (line.type === 'header') {
        section = line.name;
        body = bodies.get(section);
        if (!body) {
          body = [];
          bodies.set(section, body);
        }
      } else if (line.type === 'key') {
        body?.push(raw);
        const { key, value } = line;
        const q = value.charCodeAt(0);
        if (
          value.length >= 2 &&
          (q === DOUBLE_QUOTE || q === SINGLE_QUOTE) &&
          value.charCodeAt(value.length - 1) === q
        ) {
          quoted.add(`${section}\0${key}`);
        } else if ((value.includes(';') || value.includes('#')) && COMMENT_CHAR.test(value)) {
          commented.add(`${section}\0${key}`);
        }
      }
    }
  } catch (e) {
    throw new Error(`line ${i + 1}: ${(e as Error).message}`);
  }
  return { quoted, commented, bodies };
}

// What makes a file not plain (each regexp is linear in the file, however long its lines):
const NOT_PLAIN = [
  // A line that is not blank, a comment, "[...]", or "key = value" with no quote or comment
  // character in the value (which the line scan would record as quoted or cut). One regexp, one
  // pass: every part of it stops at the end of its line or at the first character it is after.
  /(?:^|\r\n|\n|\r)(?![^\S\r\n]*(?:$|\r|\n|[;#]|\[[^\r\n]*\][^\S\r\n]*(?:$|\r|\n)|[^\s=;#[][^\r\n=]*=[^\r\n;#"']*(?:$|\r|\n)))/,
  // a header with nothing in it, a Unicode line separator, or a forbidden name anywhere
  /\[[^\S\r\n]*\]/,
  /[\u2028\u2029]/,
  new RegExp([...FORBIDDEN_NAMES].join('|')),
];
const EMPTY: ReadonlySet<string> = new Set();

/** Whether the line scan would accept the file and find no quoted or cut value in it. */
export function isPlainIni(text: string): boolean {
  return !NOT_PLAIN.some((re) => re.test(text));
}

/** The body of the [name] sections of a plain file, found by searching for the header. */
export function plainIniBody(text: string, name: string): string | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const header = new RegExp(`\\[[^\\S\\r\\n]*${escaped}[^\\S\\r\\n]*\\]([^\\S\\r\\n]*)(?=\\r|\\n|$)`, 'g');
  const nextHeader = /(?:\r\n|\n|\r)[^\S\r\n]*\[/g;
  const bodies: string[] = [];
  for (let m = header.exec(text); m; m = header.exec(text)) {
    // A header only if nothing but white space comes before it on its line.
    let i = m.index - 1;
    while (i >= 0 && text[i] !== '\n' && text[i] !== '\r' && /\s/.test(text[i]!)) i--;
    if (i >= 0 && text[i] !== '\n' && text[i] !== '\r') continue;
    nextHeader.lastIndex = header.lastIndex;
    const end = nextHeader.exec(text)?.index ?? text.length;
    bodies.push(text.slice(header.lastIndex, end));
  }
  return bodies.length ? bodies.join('\n') : undefined;
}

export function parseIniText(text: string, path: string, deps: Pick<Deps, 'homedir'>, mode = 0o600): IniDoc {
  try {
    if (isPlainIni(text)) {
      return { path, mode, body: (name) => plainIniBody(text, name), quoted: EMPTY, commented: EMPTY };
    }
    const { quoted, commented, bodies } = checkIniLines(text);
    return { path, mode, body: (name) => bodies.get(name)?.join('\n'), quoted, commented };
  } catch (e) {
    throw new StoreError(`malformed INI in ${displayPath(path, deps)}: ${(e as Error).message}`);
  }
}

export function readIniFile(path: string, deps: Deps, what = 'credentials file'): IniDoc | undefined {
  const file = readTextFile(path, deps, { maxBytes: MAX_CREDENTIALS_FILE, what });
  if (!file) return undefined;
  return parseIniText(file.text, path, deps, file.mode);
}

/**
 * A section by name, its body parsed by `ini`. The body is parsed without its header, so a dotted
 * name (`[qoder:eu.prod]`) is taken literally instead of being nested the way `ini` nests sections.
 */
export function iniSection(doc: IniDoc, name: string): IniSection | undefined {
  const body = doc.body(name);
  return body === undefined ? undefined : (ini.parse(body) as IniSection);
}

/** A string value from a section (ini turns a bare `key` into `true`; that is not a value). */
export function iniString(section: IniSection, key: string): string | undefined {
  if (!Object.hasOwn(section, key)) return undefined;
  const v = section[key];
  return typeof v === 'string' ? v : undefined;
}
