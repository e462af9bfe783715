// Defensive file loading for everything the chain reads (SPEC §5). A missing file is "not found"
// (undefined); anything else that stops cred from using the file is a StoreError naming the path.
import { constants } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import type { Deps } from '../deps.js';
import { StoreError } from '../errors.js';
import { displayPath } from './paths.js';

/** Files that hold one token or one session should be tiny; 1 MiB is already absurd. */
const MAX_SMALL_FILE = 1024 * 1024;
/**
 * Credentials INI files may hold many profiles: a 100,000-profile file is about 5.4 MiB and must
 * still work, so they get a larger ceiling (docs/resolution.md explains the choice).
 */
export const MAX_CREDENTIALS_FILE = 64 * 1024 * 1024;

export interface TextFile {
  path: string;
  text: string;
  /** Permission bits, for the "readable by others" warning. */
  mode: number;
  /** The file began with a UTF-8 byte-order mark (removed from `text`; a writer puts it back). */
  bom: boolean;
}

export interface ReadOptions {
  maxBytes?: number;
  /** What the file is, for messages: "credentials file", "token file", … */
  what?: string;
}

function fail(path: string, deps: Deps, what: string, reason: string, suggestion?: string): never {
  throw new StoreError(`${what} ${displayPath(path, deps)} ${reason}`, suggestion);
}

export function readTextFile(path: string, deps: Deps, opts: ReadOptions = {}): TextFile | undefined {
  const what = opts.what ?? 'file';
  const max = opts.maxBytes ?? MAX_SMALL_FILE;
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not hang; we refuse non-regular files right after.
    // A relative path is the user's, relative to the working folder cred was given (deps.cwd, as
    // the config file's paths are), not to whatever process.cwd() is in a library caller.
    fd = deps.fs.openSync(resolvePath(deps.cwd, path), constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    if (code === 'EACCES' || code === 'EPERM') fail(path, deps, what, 'is not readable (permission denied)');
    if (code === 'EISDIR') fail(path, deps, what, 'is a directory, not a file');
    fail(path, deps, what, `cannot be opened (${code ?? 'unknown error'})`);
  }
  try {
    const st = deps.fs.fstatSync(fd);
    if (st.isDirectory()) fail(path, deps, what, 'is a directory, not a file');
    if (!st.isFile()) fail(path, deps, what, 'is not a regular file');
    if (st.size > max) fail(path, deps, what, `is too large (${st.size} bytes; the limit is ${max})`);
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const n = deps.fs.readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    const bytes = buf.subarray(0, off);
    if (bytes.includes(0)) fail(path, deps, what, 'is binary (it contains NUL bytes)');
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      fail(path, deps, what, 'is not valid UTF-8 text');
    }
    // TextDecoder has already dropped a leading byte-order mark from `text`.
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    return { path, text, mode: st.mode & 0o777, bom };
  } catch (e) {
    if (e instanceof StoreError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') fail(path, deps, what, 'is a directory, not a file');
    fail(path, deps, what, `cannot be read (${code ?? 'unknown error'})`);
  } finally {
    deps.fs.closeSync(fd);
  }
}
