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

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

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
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.trim();
    const at = `line ${i + 1}`;
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      if (!line.endsWith(']')) throw new Error(`${at}: section header is not closed with ]`);
      section = line.slice(1, -1).trim();
      if (!section) throw new Error(`${at}: empty section name`);
      if (section.split('.').some((part) => FORBIDDEN.has(part))) {
        throw new Error(`${at}: section name [${section}] is not allowed`);
      }
      body = bodies.get(section) ?? [];
      bodies.set(section, body);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`${at}: expected "key = value" or "[section]"`);
    const key = line.slice(0, eq).trim();
    if (FORBIDDEN.has(key)) throw new Error(`${at}: key "${key}" is not allowed`);
    body?.push(raw);
    const value = line.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]) {
      quoted.add(`${section}\0${key}`);
    } else if (/(^|[^\\])[;#]/.test(value)) {
      commented.add(`${section}\0${key}`);
    }
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
