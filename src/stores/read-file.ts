// Defensive file loading for everything the chain reads (SPEC §5). A missing file is "not found"
// (undefined); anything else that stops cred from using the file is a StoreError naming the path.
import { constants, readlinkSync } from 'node:fs';
import type { Deps } from '../deps.js';
import { StoreError } from '../errors.js';
import { displayPath, inWorkingFolder } from './paths.js';

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
  /**
   * The user named this file on purpose (`--env-file`, `--token-file`, `NAME_FILE`), so it may be a
   * pipe: `--env-file <(sops -d .env)`. Read to its end within PIPE_WAIT_MS, never waited on longer.
   */
  pipes?: boolean;
  /**
   * How messages name the file, when `path` is not what the user gave (a resolved or followed
   * path): the given one keeps the rule that a bare word, maybe a token, is not shown.
   */
  shown?: string;
}

/** How long a pipe may take to reach its end (a decrypting command, a password manager). */
const PIPE_WAIT_MS = 10_000;
/** Test-only: a shorter wait, so the time-out can be tested (docs/resolution.md). */
const ENV_TEST_PIPE_WAIT = 'CRED_TEST_PIPE_WAIT_MS';

/**
 * Reads a pipe opened with O_NONBLOCK to its end, synchronously: no data yet is EAGAIN, so it sleeps
 * a little and tries again until the deadline. End of file from an anonymous pipe (`<(…)`) is the
 * writer closing it; from a named FIFO before anything came, it only means no writer has opened it
 * yet, so that waits too.
 */
function readPipe(fd: number, shown: string, deps: Deps, what: string, max: number): Buffer {
  // The test hook can only shorten the wait, never make it unbounded.
  const wait = Math.min(Number(deps.env[ENV_TEST_PIPE_WAIT]) || PIPE_WAIT_MS, PIPE_WAIT_MS);
  const deadline = Date.now() + wait;
  const named = !isAnonymousPipe(fd);
  const chunks: Buffer[] = [];
  let total = 0;
  const buf = Buffer.alloc(64 * 1024);
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    let n: number;
    try {
      n = deps.fs.readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      n = -1;
    }
    if (n > 0) {
      total += n;
      if (total > max) fail(shown, what, `is too large (more than ${max} bytes)`);
      chunks.push(Buffer.from(buf.subarray(0, n)));
      continue;
    }
    if (n === 0 && (total > 0 || !named)) break;
    if (Date.now() >= deadline) {
      fail(
        shown,
        what,
        `(a pipe) did not end within ${wait} ms`,
        'the command writing it may be waiting for input; run it on its own to see',
      );
    }
    Atomics.wait(nap, 0, 0, 5);
  }
  return Buffer.concat(chunks);
}

/** On Linux an anonymous pipe's fd links to `pipe:[…]`; elsewhere, take the end of file as real. */
function isAnonymousPipe(fd: number): boolean {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`).startsWith('pipe:');
  } catch {
    return true;
  }
}

/** `shown`: the file as messages name it (displayPath, or the caller's ReadOptions.shown). */
function fail(shown: string, what: string, reason: string, suggestion?: string): never {
  throw new StoreError(`${what} ${shown} ${reason}`, suggestion);
}

export function readTextFile(path: string, deps: Deps, opts: ReadOptions = {}): TextFile | undefined {
  const what = opts.what ?? 'file';
  const max = opts.maxBytes ?? MAX_SMALL_FILE;
  const name = inWorkingFolder(path, deps);
  const shown = opts.shown ?? displayPath(path, deps);
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not hang; we refuse non-regular files right after.
    fd = deps.fs.openSync(name, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    if (code === 'EACCES' || code === 'EPERM') fail(shown, what, 'is not readable (permission denied)');
    if (code === 'EISDIR') fail(shown, what, 'is a directory, not a file');
    fail(shown, what, `cannot be opened (${code ?? 'unknown error'})`);
  }
  try {
    const st = deps.fs.fstatSync(fd);
    if (st.isDirectory()) fail(shown, what, 'is a directory, not a file');
    let bytes: Buffer;
    if (opts.pipes && st.isFIFO()) {
      bytes = readPipe(fd, shown, deps, what, max);
    } else {
      if (!st.isFile()) fail(shown, what, 'is not a regular file');
      if (st.size > max) fail(shown, what, `is too large (${st.size} bytes; the limit is ${max})`);
      const buf = Buffer.alloc(st.size);
      let off = 0;
      while (off < st.size) {
        const n = deps.fs.readSync(fd, buf, off, st.size - off, off);
        if (n === 0) break;
        off += n;
      }
      bytes = buf.subarray(0, off);
    }
    if (bytes.includes(0)) fail(shown, what, 'is binary (it contains NUL bytes)');
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      fail(shown, what, 'is not valid UTF-8 text');
    }
    // TextDecoder has already dropped a leading byte-order mark from `text`.
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    return { path, text, mode: st.mode & 0o777, bom };
  } catch (e) {
    if (e instanceof StoreError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') fail(shown, what, 'is a directory, not a file');
    fail(shown, what, `cannot be read (${code ?? 'unknown error'})`);
  } finally {
    deps.fs.closeSync(fd);
  }
}
