// The one place that touches ambient state: the process environment, the home folder, the clock,
// standard streams, the file system and (lazily) the keychain and the network. Everything else
// receives a `Deps`, so tests hand in a temp HOME, an env map and a fixed clock instead of mocking
// modules or mutating process.env.
import fs from 'node:fs';
import os from 'node:os';
import type { Readable, Writable } from 'node:stream';
import tty from 'node:tty';
import type { Keychain } from './stores/keychain.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** The file-system calls cred makes; node:fs by default. */
export interface FileSystem {
  readFileSync(path: string): Buffer;
  statSync(path: string): fs.Stats;
  openSync(path: string, flags: string | number, mode?: number): number;
  fstatSync(fd: number): fs.Stats;
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
  stdout: Writable;
  stderr: Writable;
  /** Whether stdout/stdin/stderr are terminals (decides redaction in env/header and prompts). */
  isTTY: { stdin: boolean; stdout: boolean; stderr: boolean };
  fs: FileSystem;
  /** Loaded on first use only: the fast path never pays for a keychain binding. */
  keychain(): Promise<Keychain>;
  fetch: typeof fetch;
}

export function defaultDeps(overrides: Partial<Deps> = {}): Deps {
  const env = overrides.env ?? process.env;
  // The standard streams and their terminal checks are getters: creating process.stdin (a stream
  // over a pipe or file) costs start-up time, and the fast path never reads stdin (docs/speed.md).
  const base: Deps = {
    env,
    homedir: overrides.homedir ?? (env.HOME || os.homedir()),
    cwd: process.cwd(),
    platform: process.platform,
    now: () => Date.now(),
    get stdin() {
      return process.stdin;
    },
    get stdout() {
      return process.stdout;
    },
    get stderr() {
      return process.stderr;
    },
    isTTY: {
      get stdin() {
        return tty.isatty(0);
      },
      get stdout() {
        return tty.isatty(1);
      },
      get stderr() {
        return tty.isatty(2);
      },
    },
    fs,
    keychain: async () => {
      const { loadKeychain } = await import('./stores/keychain-loader.js');
      return loadKeychain(env);
    },
    fetch: (...args) => globalThis.fetch(...args),
  };
  // Copied as descriptors, not spread: spreading a Deps would call its stream getters.
  return Object.defineProperties(base, Object.getOwnPropertyDescriptors(overrides));
}
