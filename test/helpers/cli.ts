// Spawns the built bin/cred in a temp HOME with a controlled environment: the e2e layer's one way in.
import { type SpawnSyncOptions, spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin', 'cred');

/** A recognisable token that tests look for in every output that must not carry it. */
export const CANARY = 'pt-CANARY7f3a9c2e1d5b4a6f8e0d';

/** Any recognisable piece of the canary: redaction may show `pt-` and the last 4, nothing more. */
const CANARY_PIECES = [CANARY, CANARY.slice(3, -4), CANARY.slice(3, 15), CANARY.slice(10, -4)];

/** Fails when `text` carries the canary or a fragment of it. */
export function expectNoCanary(text: string, where: string): void {
  for (const piece of CANARY_PIECES) expect(text, `${where} carries the canary`).not.toContain(piece);
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Sandbox {
  home: string;
  /** Minimal env: PATH, HOME, and nothing of the developer's own credentials. */
  env: Record<string, string>;
  write(rel: string, content: string | Buffer, mode?: number): string;
  path(rel: string): string;
  run(
    args: string[],
    opts?: { env?: Record<string, string | undefined>; input?: string; timeout?: number },
  ): RunResult;
  cleanup(): void;
}

/** Every sandbox not yet cleaned up; test/helpers/setup.ts removes them after each test file. */
const live = new Set<string>();

export function cleanupAllSandboxes(): void {
  for (const home of live) rmSync(home, { recursive: true, force: true });
  live.clear();
}

/** `bin`: another copy of cred to run (credWithoutExecHelper); the built bin/cred by default. */
export function sandbox({ bin = BIN }: { bin?: string } = {}): Sandbox {
  const home = mkdtempSync(path.join(tmpdir(), 'cred-e2e-'));
  live.add(home);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    // No D-Bus session unless a test sets one: the keychain is skipped at once.
  };
  const full = (rel: string) => (path.isAbsolute(rel) ? rel : path.join(home, rel));
  return {
    home,
    env,
    path: full,
    write(rel, content, mode = 0o600) {
      const p = full(rel);
      mkdirSync(path.dirname(p), { recursive: true, mode: 0o700 });
      writeFileSync(p, content, { mode });
      chmodSync(p, mode);
      return p;
    },
    run(args, opts = {}) {
      const merged: Record<string, string> = { ...env };
      for (const [k, v] of Object.entries(opts.env ?? {})) {
        if (v === undefined) delete merged[k];
        else merged[k] = v;
      }
      const spawnOpts: SpawnSyncOptions = {
        cwd: home,
        env: merged,
        input: opts.input ?? '',
        encoding: 'utf8',
        timeout: opts.timeout ?? 20_000,
      };
      // Through the shebang, as a user runs it (`#!/usr/bin/env -S node --`).
      const r = spawnSync(bin, args, spawnOpts);
      return {
        code: r.status,
        signal: r.signal,
        stdout: String(r.stdout ?? ''),
        stderr: String(r.stderr ?? ''),
      };
    },
    cleanup() {
      rmSync(home, { recursive: true, force: true });
      live.delete(home);
    },
  };
}

/** Async spawn for tests that need to interact with a running cred (signals, streaming). */
export function spawnCred(args: string[], env: Record<string, string>, cwd: string, bin = BIN) {
  return spawn(bin, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
}

/**
 * A copy of the built cred (bin/ and dist/) without the native helper `run` replaces its process
 * with (dist/native/exec.node), as an install without a C compiler has: `run` spawns the command.
 * Removed with the sandboxes after the test file.
 */
export function credWithoutExecHelper(): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'cred-copy-'));
  live.add(copy);
  cpSync(path.join(ROOT, 'bin'), path.join(copy, 'bin'), { recursive: true });
  cpSync(path.join(ROOT, 'dist'), path.join(copy, 'dist'), { recursive: true });
  rmSync(path.join(copy, 'dist', 'native'), { recursive: true, force: true });
  return path.join(copy, 'bin', 'cred');
}

/** Fails loudly when a tool the tests need is missing (CI installs it; see .ci/run). */
export function requireTool(name: string): string {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const found = r.stdout.trim();
  if (r.status !== 0 || !found) {
    throw new Error(`${name} is not installed: these tests need it (bash .ci/run installs it)`);
  }
  return found;
}

/** Runs bin/cred without blocking this process, so in-process servers can answer it. */
export function runCred(
  args: string[],
  opts: { env: Record<string, string>; cwd: string; input?: string; timeout?: number },
): Promise<RunResult & { ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(BIN, args, { env: opts.env, cwd: opts.cwd, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeout ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Wall time of a run, for the generous "never hangs" upper bounds (never a pass/fail timing). */
export function timed<T>(fn: () => T): { result: T; ms: number } {
  const start = process.hrtime.bigint();
  const result = fn();
  return { result, ms: Number((process.hrtime.bigint() - start) / 1_000_000n) };
}
