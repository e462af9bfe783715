// INI credentials files (cred's own and Podstack's), parsed with the `ini` package. The package is
// lenient to a fault (a stray word becomes `word = true`, `[__proto__]` silently vanishes), so a small
// line check runs first: it rejects what is malformed with the line number, and records which values
// were wrapped in quotes so the chain can warn about them (Python's configparser would keep them).
// The check also notes which lines belong to which section, so only the section asked for is handed
// to `ini` — a 100,000-profile file costs one line scan, not 100,000 parsed sections.
import ini from 'ini';
import type { Deps } from '../deps.js';
import { StoreError } from '../errors.js';
import { displayPath } from './paths.js';
import { MAX_CREDENTIALS_FILE, readTextFile } from './read-file.js';

export type IniSection = Record<string, unknown>;

export interface IniDoc {
  path: string;
  mode: number;
  /** Body lines of each section, by name (a repeated section's lines are concatenated, later keys win). */
  bodies: ReadonlyMap<string, readonly string[]>;
  /** `section\0key` of every value written in quotes. */
  quoted: ReadonlySet<string>;
  /** `section\0key` of every unquoted value holding `;` or `#`, which `ini` cuts there as a comment. */
  commented: ReadonlySet<string>;
}

/** Names that would reach an object's prototype: refused as sections, keys and provider ids. */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
/** A dotted section name with a forbidden part (`[a.__proto__]`): `ini` would nest it. */
const FORBIDDEN_PART = new RegExp(`(?:^|\\.)(?:${[...FORBIDDEN_NAMES].join('|')})(?:\\.|$)`);
/** A `;` or `#` not escaped with a backslash: `ini` cuts an unquoted value there. */
const COMMENT_CHAR = /(?:^|[^\\])[;#]/;

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

export function parseIniText(text: string, path: string, deps: Pick<Deps, 'homedir'>, mode = 0o600): IniDoc {
  try {
    return { path, mode, ...checkIniLines(text) };
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
  const body = doc.bodies.get(name);
  return body ? (ini.parse(body.join('\n')) as IniSection) : undefined;
}

/** A string value from a section (ini turns a bare `key` into `true`; that is not a value). */
export function iniString(section: IniSection, key: string): string | undefined {
  if (!Object.hasOwn(section, key)) return undefined;
  const v = section[key];
  return typeof v === 'string' ? v : undefined;
}
