// The one writer of cred's credentials file (SPEC §4). It edits the text, not a parsed object, so
// every other section, key, comment, blank line and line ending stays byte for byte; it refuses to
// touch a file the reader would call malformed; and it writes atomically under a lock:
//
//   lock (credentials.lock, proper-lockfile) → read → edit → temp file in the same folder (0600)
//   → fsync → rename over the file → fsync the folder → unlock
//
// Concurrent writers queue on the lock, so none loses another's change. A writer killed mid-write
// leaves the old file whole (the rename never happened); its temp file is removed by the next
// writer, which holds the lock and so knows any temp file is a dead writer's, and its lock is taken
// over once stale (LOCK_STALE_MS). docs/keychain.md describes the guarantees.

import {
  chmodSync,
  closeSync,
  fchmodSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join as joinPath, resolve as resolvePath } from 'node:path';
import ini from 'ini';
import type { Deps } from '../deps.js';
import { StoreError, UsageError } from '../errors.js';
import { checkIniLines, iniSection, iniString, parseIniText, readIniLine } from './ini-file.js';
import { configDir, displayGivenPath, displayPath } from './paths.js';
import { MAX_CREDENTIALS_FILE, readTextFile } from './read-file.js';

/** A dead writer's lock is taken over after this long (proper-lockfile refreshes a live one). */
const LOCK_STALE_MS = 5000;
/** Test-only: pause between writing the temp file and the rename, so a test can kill the writer. */
const ENV_TEST_PAUSE = 'CRED_TEST_PAUSE_BEFORE_RENAME_MS';

// ---------------------------------------------------------------------------------------------
// Text edits (pure)

interface Line {
  text: string;
  eol: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const re = /([^\r\n]*)(\r\n|\n|\r|$)/g;
  let m: RegExpExecArray | null;
  // biome-ignore lint/suspicious/noAssignInExpressions: the classic exec loop
  while ((m = re.exec(text)) !== null) {
    if (m[0] === '') break;
    lines.push({ text: m[1]!, eol: m[2]! });
  }
  return lines;
}

function join(lines: readonly Line[]): string {
  return lines.map((l) => l.text + l.eol).join('');
}

/** The file's own line ending (its first one), LF for a new file. */
function eolOf(lines: readonly Line[]): string {
  return lines.find((l) => l.eol !== '')?.eol ?? '\n';
}

/** Throws a UsageError when `key = value` would not read back as exactly `value`. */
export function checkStorableValue(key: string, value: string): void {
  const line = `[s]\n${key} = ${value}\n`;
  let ok = false;
  if (!/[\r\n]/.test(value) && value.trim() === value && value !== '') {
    try {
      const { quoted } = checkIniLines(line);
      const parsed = ini.parse(line) as Record<string, Record<string, unknown>>;
      ok = !quoted.size && parsed.s?.[key] === value;
    } catch {
      ok = false;
    }
  }
  if (!ok) {
    throw new UsageError(
      'this value cannot be stored in an INI credentials file unchanged (it holds a line break, ";", "#", quotes, or is true/false/null)',
      'store it in the keychain instead (`--store keychain`)',
    );
  }
}

/** Sets `key = value` in every-other-byte-preserving fashion; the last existing key line is replaced. */
export function setIniKey(text: string, section: string, key: string, value: string): string {
  const lines = splitLines(text);
  const eol = eolOf(lines);
  let current = '';
  let lastKey = -1;
  let lastHeader = -1;
  let lastInSection = -1; // last key line of the last block of this section
  lines.forEach((l, i) => {
    const k = readIniLine(l.text);
    if (k.type === 'header') {
      current = k.name;
      if (current === section) {
        lastHeader = i;
        lastInSection = i;
      }
    } else if (k.type === 'key' && current === section) {
      lastInSection = i;
      if (k.key === key) lastKey = i;
    }
  });

  if (lastKey >= 0) {
    const line = lines[lastKey]!;
    const eq = line.text.indexOf('=');
    const after = /^\s*/.exec(line.text.slice(eq + 1))![0];
    line.text = `${line.text.slice(0, eq + 1)}${after}${value}`;
    return join(lines);
  }
  const fresh: Line = { text: `${key} = ${value}`, eol };
  if (lastHeader >= 0) {
    const at = lastInSection;
    if (lines[at]!.eol === '') lines[at]!.eol = eol;
    lines.splice(at + 1, 0, fresh);
    return join(lines);
  }
  // A blank line before the new section, always: removeIniKey takes exactly that one away again.
  const last = lines.at(-1);
  if (last) {
    if (last.eol === '') last.eol = eol;
    lines.push({ text: '', eol });
  }
  lines.push({ text: `[${section}]`, eol }, fresh);
  return join(lines);
}

/**
 * Removes every `key` line of the section (an earlier duplicate would otherwise come back to life).
 * A block left with no keys and no comments loses its header too, and, at the end of the file, the
 * blank line before it — so a login that created the section and its logout leave the file as it was.
 */
export function removeIniKey(text: string, section: string, key: string): { text: string; removed: boolean } {
  const lines = splitLines(text);
  const drop = new Set<number>();
  let removed = false;
  let i = 0;
  while (i < lines.length) {
    const k = readIniLine(lines[i]!.text);
    if (k.type !== 'header' || k.name !== section) {
      i++;
      continue;
    }
    const header = i;
    let end = i + 1;
    while (end < lines.length && readIniLine(lines[end]!.text).type !== 'header') end++;
    let keep = false;
    let hit = false;
    for (let j = header + 1; j < end; j++) {
      const kj = readIniLine(lines[j]!.text);
      if (kj.type === 'key' && kj.key === key) {
        drop.add(j);
        hit = true;
      } else if (kj.type !== 'blank') keep = true;
    }
    if (hit) {
      removed = true;
      if (!keep) {
        for (let j = header; j < end; j++) drop.add(j);
        const prev = header - 1;
        if (end === lines.length && prev >= 0 && readIniLine(lines[prev]!.text).type === 'blank')
          drop.add(prev);
      }
    }
    i = end;
  }
  if (!removed) return { text, removed };
  return { text: join(lines.filter((_, j) => !drop.has(j))), removed };
}

// ---------------------------------------------------------------------------------------------
// The file

export interface WriteResult {
  /** The file written (symlinks followed). */
  path: string;
  changed: boolean;
}

type Edit = (text: string) => { text: string; changed: boolean };

function tempPrefix(target: string): string {
  return `.${basename(target)}.tmp-`;
}

/**
 * Follows a symlink (a dotfiles manager's link stays a link), also one whose target does not exist
 * yet, which realpath cannot resolve; a missing file is its own path.
 */
function realTarget(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    let path = absolute(file);
    for (let hops = 0; hops < 40; hops++) {
      let link: string;
      try {
        link = readlinkSync(path);
      } catch {
        return path; // not a link (or not there): the end of the chain
      }
      // As the kernel reads it: from the folder the link is really in, and with the link's own
      // folders (a `lnk/..` in it) resolved by realpath, not cancelled as text.
      const raw = isAbsolute(link) ? link : `${realFolder(dirname(path))}/${link}`;
      path = joinPath(realFolder(dirname(raw)), basename(raw));
    }
    throw new StoreError(`${file} is a chain of more than 40 symbolic links (a loop?)`);
  }
}

/** The path made absolute; as given when the working folder has been deleted (no cwd to join). */
function absolute(file: string): string {
  try {
    return resolvePath(file);
  } catch {
    return file;
  }
}

function realFolder(dir: string): string {
  try {
    // .native: libc's realpath reads `lnk/..` as the kernel does; the JS one normalises it as text.
    return realpathSync.native(dir);
  } catch {
    return dir;
  }
}

/**
 * The file's folder exists, and cred's own folder is 0700 (SPEC §4) — also one that existed before,
 * often 0755 when a config file was put there by hand. A folder the user chose elsewhere
 * (--credentials-file) is theirs and left as it is.
 */
function ensureDir(dir: string, own: boolean): void {
  // Parents get the usual mode (a new ~/.config should not be private); cred's own folder is 0700.
  // mkdir first and EEXIST is fine: parallel first logins all try to make the folder, and a
  // stat-then-mkdir would let one of them fail on the folder another has just made.
  mkdirSync(dirname(dir), { recursive: true });
  let made = false;
  try {
    mkdirSync(dir, { mode: 0o700 });
    made = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const st = statSync(dir);
  if (!st.isDirectory()) throw new StoreError(`${dir} is not a folder`);
  if (made ? (st.mode & 0o777) !== 0o700 : own && st.mode & 0o077) chmodSync(dir, 0o700);
}

function removeLeftovers(dir: string, target: string): void {
  const prefix = tempPrefix(target);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    try {
      unlinkSync(joinPath(dir, name));
    } catch {
      // Someone else's cleanup won the race; nothing to do.
    }
  }
}

function writeAll(fd: number, data: Buffer): void {
  let off = 0;
  while (off < data.length) off += writeSync(fd, data, off, data.length - off);
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not every platform can fsync a folder (Windows); the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Reads, edits and replaces the file under the lock. */
async function editCredentialsFile(file: string, deps: Deps, edit: Edit): Promise<WriteResult> {
  const target = realTarget(file);
  // A bare word given as the path (a token pasted into --credentials-file) is not shown resolved.
  const shown = displayGivenPath(file, target, deps);
  const dir = dirname(target);
  try {
    // Both sides through realpath: a symlinked ~/.config (dotfiles) is still cred's own folder.
    ensureDir(dir, realTarget(dir) === realTarget(configDir(deps)));
  } catch (e) {
    if (e instanceof StoreError) throw e;
    throw new StoreError(`cannot create the folder for ${shown} (${(e as NodeJS.ErrnoException).code})`);
  }

  const lockfile = (await import('proper-lockfile')).default;
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(target, {
      realpath: false,
      lockfilePath: `${target}.lock`,
      stale: LOCK_STALE_MS,
      retries: { retries: 200, factor: 1.2, minTimeout: 10, maxTimeout: 200, randomize: true },
      onCompromised: (err) => {
        compromised = err;
      },
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOCKED') {
      throw new StoreError(
        `${shown} is locked by another cred process (${shown}.lock)`,
        `retry in a moment; a lock left by a crashed process is taken over after ${LOCK_STALE_MS / 1000} seconds`,
      );
    }
    throw new StoreError(`cannot lock ${shown} (${code ?? 'unknown error'})`);
  }

  let tmp: string | undefined;
  try {
    removeLeftovers(dir, target);
    const current = readTextFile(target, deps, {
      maxBytes: MAX_CREDENTIALS_FILE,
      what: 'credentials file',
      shown,
    });
    const before = current?.text ?? '';
    // Named as the user gave it (a bare token-shaped word stays hidden), as removeToken does.
    if (current) parseIniText(before, file, deps, current.mode);
    const next = edit(before);
    if (!next.changed) return { path: target, changed: false };

    // readTextFile drops a UTF-8 byte-order mark; put it back so the bytes stay the user's.
    const bom = current?.bom ?? false;
    const data = Buffer.from((bom ? '\ufeff' : '') + next.text, 'utf8');
    const random = process.getBuiltinModule('node:crypto').randomBytes(4).toString('hex');
    tmp = joinPath(dir, `${tempPrefix(target)}${process.pid}-${random}`);
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      fchmodSync(fd, 0o600);
      writeAll(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    const pause = Number(deps.env[ENV_TEST_PAUSE] ?? 0);
    if (pause > 0) await sleep(pause);
    if (compromised)
      throw new StoreError(`lost the lock on ${shown} while writing; the file was not changed`);
    renameSync(tmp, target);
    tmp = undefined;
    fsyncDir(dir);
    return { path: target, changed: true };
  } catch (e) {
    if (e instanceof StoreError || e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new StoreError(`cannot write ${shown} (${code ?? (e as Error).name}); the file was not changed`);
  } finally {
    if (tmp) {
      try {
        unlinkSync(tmp);
      } catch {
        // Already gone.
      }
    }
    await release().catch(() => {});
  }
}

/** Stores `token` in `[section]` of the credentials file. */
export function writeToken(file: string, section: string, token: string, deps: Deps): Promise<WriteResult> {
  checkStorableValue('token', token);
  return editCredentialsFile(file, deps, (text) => {
    const next = setIniKey(text, section, 'token', token);
    const doc = parseIniText(next, file, deps);
    const s = iniSection(doc, section);
    if (!s || iniString(s, 'token') !== token) {
      throw new StoreError(`cred could not edit ${displayPath(file, deps)} safely; the file was not changed`);
    }
    return { text: next, changed: next !== text };
  });
}

/** Removes the token of `[section]`; `changed` says whether there was one. */
export async function removeToken(file: string, section: string, deps: Deps): Promise<WriteResult> {
  // Nothing stored and nothing to lock: a logout must not create folders or lock files.
  const current = readTextFile(file, deps, { maxBytes: MAX_CREDENTIALS_FILE, what: 'credentials file' });
  if (!current) return { path: realTarget(file), changed: false };
  parseIniText(current.text, file, deps, current.mode);
  if (!removeIniKey(current.text, section, 'token').removed)
    return { path: realTarget(file), changed: false };
  return editCredentialsFile(file, deps, (text) => {
    const { text: next, removed } = removeIniKey(text, section, 'token');
    return { text: next, changed: removed };
  });
}
