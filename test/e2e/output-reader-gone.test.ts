// A reader that goes away before cred writes (`cred env | head -0`, `| grep -q`): Node ignores
// SIGPIPE, so the write fails with EPIPE. cred drops what is left, says nothing and keeps the
// command's own exit code (docs/decisions.md) instead of crashing with a stack trace.
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, CANARY, requireTool, type Sandbox, sandbox } from '../helpers/cli.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

/** Runs cred with stdout on a pipe whose read end is already closed (so every write is EPIPE). */
function withReaderGone(args: string[], env: Record<string, string>) {
  const parent = [
    'import os, subprocess, sys',
    'r, w = os.pipe()',
    'os.close(r)',
    'p = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)',
    'sys.stdout.write("%d\\n%s" % (p.returncode, p.stderr.decode()))',
  ].join('\n');
  const r = spawnSync(requireTool('python3'), ['-c', parent, BIN, ...args], {
    cwd: box.home,
    env: { ...box.env, ...env },
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  const [code, ...stderr] = r.stdout.split('\n');
  return { code: Number(code), stderr: stderr.join('\n') };
}

describe('stdout whose reader has gone', () => {
  it.each([
    ['resolve qoder', ['resolve', 'qoder'], 0],
    ['resolve --json', ['resolve', 'qoder', '--json'], 0],
    ['env', ['env'], 0],
    ['status', ['status'], 0],
    ['providers', ['providers'], 0],
    ['resolve of an unknown provider, --json', ['resolve', 'nope', '--json'], 2],
  ] as const)(
    '%s: no crash, nothing on stderr but its own errors, its own exit code',
    (_name, args, code) => {
      box = sandbox();
      const r = withReaderGone([...args], { QODER_PERSONAL_ACCESS_TOKEN: CANARY });
      expect(r.code).toBe(code);
      expect(r.stderr).not.toMatch(/EPIPE|internal error|at |node:/);
      if (code === 0) expect(r.stderr).toBe('');
    },
  );
});
