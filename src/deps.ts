// The one place that touches ambient state: the process environment, the home folder, the clock,
// standard streams, the file system and (lazily) the keychain and the network. Everything else
// receives a `Deps`, so tests hand in a temp HOME, an env map and a fixed clock instead of mocking
// modules or mutating process.env.
import {
  closeSync,
  fstatSync,
  openSync,
  readFileSync,
  readlinkSync,
  readSync,
  type Stats,
  statSync,
  writeSync,
} from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import type { Keychain } from './stores/keychain.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** The file-system calls cred makes; node:fs by default. */
export interface FileSystem {
  readFileSync(path: string): Buffer;
  statSync(path: string): Stats;
  openSync(path: string, flags: string | number, mode?: number): number;
  fstatSync(fd: number): Stats;
  readSync(fd: number, buffer: Buffer, offset: number, length: number, position: number | null): number;
  closeSync(fd: number): void;
}

export interface Deps {
  env: Env;
  homedir: string;
  cwd: string;
  platform: NodeJS.Platform;
  now(): number;
  stdin: Readable;
  /**
   * stdin's descriptor, for the CLI's own process (bin/cred calls `cliMain`): a line is then read
   * from it synchronously, without reading ahead (src/stores/stdin.ts). Unset for a library host,
   * whose event loop must not block and whose stdin may be its own to read.
   */
  stdinFd?: number;
  stdout: Writable;
  stderr: Writable;
  /** Whether stdout/stdin/stderr are terminals (decides redaction in env/header and prompts). */
  isTTY: { stdin: boolean; stdout: boolean; stderr: boolean };
  fs: FileSystem;
  /** Loaded on first use only: the fast path never pays for a keychain binding. */
  keychain(): Promise<Keychain>;
  fetch: typeof fetch;
  /**
   * Gets ready to replace this process with a program, as a shell's `exec` does
   * (src/run/replace-process.ts). Only the CLI's own process has it (bin/cred calls `cliMain`): a
   * library's host is never replaced, and without it `cred run` spawns the command.
   */
  replaceProcess?: PrepareReplace;
}

/** Why the process was not replaced: no way to here (cred spawns instead), or the program failed. */
export type NotReplaced = { kind: 'unavailable'; why: string } | { kind: 'failed'; errno: string };

/**
 * Loads what replacing the process needs and notes how stdin, stdout and stderr are now — call it
 * before anything can make a Node stream over them — so the program gets them as cred got them. Gives the function that
 * replaces the process, or why that cannot be done here.
 */
export type PrepareReplace = () => ReplaceProcess | { kind: 'unavailable'; why: string };

/** Becomes the program (PATH searched); returns only when that did not happen. */
export type ReplaceProcess = (
  file: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
) => NotReplaced;

/**
 * tty.isatty, without loading node:tty (and with it node:net and the streams) for the usual pipe,
 * file or /dev/null: /dev/null is a character device like a terminal, and a common stdin or stdout
 * in scripts and CI.
 */
function isatty(fd: number): boolean {
  // On Linux a pipe or socket shows in /proc as `pipe:[…]` or `socket:[…]`: never a terminal, and
  // the usual case (`eval "$(cred env)"`, CI logs), found without building a Stats object, whose
  // Node functions are compiled on first use (≈ 0.8 M instructions, docs/speed.md).
  if (process.platform === 'linux') {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith('pipe:') || target.startsWith('socket:')) return false;
    } catch {
      // No /proc here (a sandbox): fstat decides.
    }
  }
  let st: Stats;
  try {
    st = fstatSync(fd);
  } catch {
    return false;
  }
  if (!st.isCharacterDevice() || st.rdev === devNullRdev()) return false;
  return process.getBuiltinModule('node:tty').isatty(fd);
}

/** The device number of /dev/null, or undefined where there is none (Windows). */
function devNullRdev(): number | undefined {
  try {
    return statSync('/dev/null').rdev;
  } catch {
    return undefined;
  }
}

/**
 * process.stdout/stderr, except that plain writes go straight to the file descriptor until anything
 * else about the stream is used: creating the stream (for a pipe, a socket) is a measurable part of
 * start-up (docs/speed.md). Once the real stream is touched, or a write would block (EAGAIN), all
 * writes go through it, so output order is kept.
 */
function directWriter(fd: 1 | 2, realStream: () => NodeJS.WriteStream): Writable {
  let direct = true;
  // The reader went away (`cred env | head -0`): what is left to write is dropped, silently and with
  // the command's own exit code, instead of an EPIPE crash (docs/decisions.md).
  let gone = false;
  let listening = false;
  const real = () => {
    const s = realStream();
    if (!listening) {
      listening = true;
      s.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPIPE') throw e;
        gone = true;
      });
    }
    return s;
  };
  const write = (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
    const done = typeof encoding === 'function' ? encoding : callback;
    if (gone) {
      if (typeof done === 'function') process.nextTick(done as () => void);
      return true;
    }
    if (direct && (typeof chunk === 'string' || chunk instanceof Uint8Array)) {
      const bytes =
        typeof chunk === 'string'
          ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
          : chunk;
      let offset = 0;
      try {
        while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
        if (typeof done === 'function') process.nextTick(done as () => void);
        return true;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') {
          gone = true;
          if (typeof done === 'function') process.nextTick(done as () => void);
          return true;
        }
        if (code !== 'EAGAIN') throw e;
        direct = false;
        return real().write(bytes.subarray(offset), done as () => void);
      }
    }
    direct = false;
    return (real().write as (...a: unknown[]) => boolean)(chunk, encoding, callback);
  };
  const stream = () => {
    direct = false;
    return real();
  };
  return new Proxy({} as Writable, {
    get(_target, key) {
      if (key === 'write') return write;
      const s = stream();
      const value = Reflect.get(s, key, s);
      return typeof value === 'function' ? value.bind(s) : value;
    },
    set: (_target, key, value) => Reflect.set(stream(), key, value),
    has: (_target, key) => key in stream(),
    getPrototypeOf: () => Object.getPrototypeOf(stream()),
  });
}

/**
 * The working folder, absolute; '.' when it has been deleted (process.cwd() fails there): relative
 * paths are then opened as given, so the kernel looks in the folder that is really current (and
 * finds it empty) rather than in one that may have been made again under the same name.
 */
function workingFolder(): string {
  try {
    return process.cwd();
  } catch {
    return '.';
  }
}

export function defaultDeps(overrides: Partial<Deps> = {}): Deps {
  const env = overrides.env ?? process.env;
  // The standard streams and their terminal checks are getters: creating process.stdin (a stream
  // over a pipe or file) costs start-up time, and the fast path never reads stdin (docs/speed.md).
  const base: Deps = {
    env,
    homedir: overrides.homedir ?? (env.HOME || process.getBuiltinModule('node:os').homedir()),
    get cwd() {
      return workingFolder();
    },
    platform: process.platform,
    now: () => Date.now(),
    get stdin() {
      return process.stdin;
    },
    stdout: directWriter(1, () => process.stdout),
    stderr: directWriter(2, () => process.stderr),
    isTTY: {
      get stdin() {
        return isatty(0);
      },
      get stdout() {
        return isatty(1);
      },
      get stderr() {
        return isatty(2);
      },
    },
    fs: { readFileSync, statSync, openSync, fstatSync, readSync, closeSync },
    async keychain() {
      const { loadKeychain } = await import('./stores/keychain-loader.js');
      // `this`: the Deps in use, so an overridden platform (or env) is the one the loader sees.
      return loadKeychain(this.env, { platform: this.platform });
    },
    fetch: (...args) => globalThis.fetch(...args),
  };
  // Copied as descriptors, not spread: spreading a Deps would call its stream getters.
  return Object.defineProperties(base, Object.getOwnPropertyDescriptors(overrides));
}
