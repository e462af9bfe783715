// Deps for in-process command tests: a temp HOME on the real file system, an env map, captured
// stdout/stderr, a chosen terminal-ness, a fixed clock and an in-memory keychain. No module mocks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { main } from '../../src/cli.js';
import type { Deps } from '../../src/deps.js';
import { defaultDeps } from '../../src/deps.js';
import type { Keychain } from '../../src/stores/keychain.js';

export class MemoryKeychain implements Keychain {
  readonly entries = new Map<string, string>();
  async get(service: string, account: string) {
    return this.entries.get(`${service}/${account}`);
  }
  async set(service: string, account: string, secret: string) {
    this.entries.set(`${service}/${account}`, secret);
  }
  async delete(service: string, account: string) {
    return this.entries.delete(`${service}/${account}`);
  }
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

export interface InProcess {
  home: string;
  keychain: MemoryKeychain;
  run(
    argv: string[],
    opts?: { env?: Record<string, string>; stdin?: string; tty?: boolean },
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  cleanup(): void;
}

export function inProcess(): InProcess {
  const home = mkdtempSync(path.join(tmpdir(), 'cred-cmd-'));
  const keychain = new MemoryKeychain();
  return {
    home,
    keychain,
    async run(argv, opts = {}) {
      const out = collector();
      const err = collector();
      const deps: Partial<Deps> = {
        env: { HOME: home, ...opts.env },
        homedir: home,
        now: () => Date.parse('2026-11-24T12:00:00Z'),
        stdin: Readable.from(opts.stdin === undefined ? [] : [opts.stdin]),
        stdout: out.stream,
        stderr: err.stream,
        isTTY: { stdin: false, stdout: Boolean(opts.tty), stderr: false },
        keychain: async () => keychain,
      };
      const code = await main(argv, defaultDeps(deps));
      return { code, stdout: out.text(), stderr: err.text() };
    },
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}
