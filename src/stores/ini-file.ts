// INI credentials files (cred's own and Podstack's), parsed with the `ini` package. The package is
// lenient to a fault (a stray word becomes `word = true`, `[__proto__]` silently vanishes), so a small
// line check runs first: it rejects what is malformed with the line number, and records which values
// were wrapped in quotes so the chain can warn about them (Python's configparser would keep them).
import ini from 'ini';
import type { Deps } from '../deps.js';
import { StoreError } from '../errors.js';
import { displayPath } from './paths.js';
import { MAX_CREDENTIALS_FILE, readTextFile } from './read-file.js';

export type IniSection = Record<string, unknown>;

export interface IniDoc {
  path: string;
  mode: number;
  data: Record<string, unknown>;
  /** `section\0key` of every value written in quotes. */
  quoted: ReadonlySet<string>;
  /** `section\0key` of every unquoted value holding `;` or `#`, which `ini` cuts there as a comment. */
  commented: ReadonlySet<string>;
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Throws a message without the file name; the caller adds it. */
export function checkIniLines(text: string): { quoted: Set<string>; commented: Set<string> } {
  const quoted = new Set<string>();
  const commented = new Set<string>();
  let section = '';
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const at = `line ${i + 1}`;
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      if (!line.endsWith(']')) throw new Error(`${at}: section header is not closed with ]`);
      section = line.slice(1, -1).trim();
      if (!section) throw new Error(`${at}: empty section name`);
      if (section.split('.').some((part) => FORBIDDEN.has(part))) {
        throw new Error(`${at}: section name [${section}] is not allowed`);
      }
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`${at}: expected "key = value" or "[section]"`);
    const key = line.slice(0, eq).trim();
    if (FORBIDDEN.has(key)) throw new Error(`${at}: key "${key}" is not allowed`);
    const value = line.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]) {
      quoted.add(`${section}\0${key}`);
    } else if (/(^|[^\\])[;#]/.test(value)) {
      commented.add(`${section}\0${key}`);
    }
  }
  return { quoted, commented };
}

export function parseIniText(text: string, path: string, deps: Pick<Deps, 'homedir'>, mode = 0o600): IniDoc {
  let quoted: Set<string>;
  let commented: Set<string>;
  try {
    ({ quoted, commented } = checkIniLines(text));
  } catch (e) {
    throw new StoreError(`malformed INI in ${displayPath(path, deps)}: ${(e as Error).message}`);
  }
  return { path, mode, data: ini.parse(text) as Record<string, unknown>, quoted, commented };
}

export function readIniFile(path: string, deps: Deps, what = 'credentials file'): IniDoc | undefined {
  const file = readTextFile(path, deps, { maxBytes: MAX_CREDENTIALS_FILE, what });
  if (!file) return undefined;
  return parseIniText(file.text, path, deps, file.mode);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A section by name; `ini` nests dotted names (`[a.b]`), so those are walked. */
export function iniSection(doc: IniDoc, name: string): IniSection | undefined {
  if (Object.hasOwn(doc.data, name) && isRecord(doc.data[name])) return doc.data[name] as IniSection;
  let node: unknown = doc.data;
  for (const part of name.split('.')) {
    if (!isRecord(node) || !Object.hasOwn(node, part)) return undefined;
    node = node[part];
  }
  return isRecord(node) ? node : undefined;
}

/** A string value from a section (ini turns a bare `key` into `true`; that is not a value). */
export function iniString(section: IniSection, key: string): string | undefined {
  if (!Object.hasOwn(section, key)) return undefined;
  const v = section[key];
  return typeof v === 'string' ? v : undefined;
}
