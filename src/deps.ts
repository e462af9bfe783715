// The one place that touches ambient state: the process environment, the home folder, the clock,
// standard streams, the file system and (lazily) the keychain and the network. Everything else
// receives a `Deps`, so tests hand in a temp HOME, an env map and a fixed clock instead of mocking
// modules or mutating process.env.
import fs from 'node:fs';
import os from 'node:os';
import type { Readable, Writable } from 'node:stream';
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
  return {
    env,
    homedir: overrides.homedir ?? (env.HOME || os.homedir()),
    cwd: process.cwd(),
    platform: process.platform,
    now: () => Date.now(),
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: {
      stdin: Boolean(process.stdin.isTTY),
      stdout: Boolean(process.stdout.isTTY),
      stderr: Boolean(process.stderr.isTTY),
    },
    fs,
    keychain: async () => {
      const { loadKeychain } = await import('./stores/keychain-loader.js');
      return loadKeychain(env);
    },
    fetch: (...args) => globalThis.fetch(...args),
    ...overrides,
  };
}
