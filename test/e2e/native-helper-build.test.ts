// The build compiles `run`'s native exec helper (scripts/native.mjs); a machine without a C
// compiler still installs: the build says so in one line and leaves no helper, and `run` then
// spawns the command (test/e2e/run-child.test.ts runs every case that way too).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

let out: string;
afterEach(() => rmSync(out, { recursive: true, force: true }));

function build(env: Record<string, string>) {
  out = mkdtempSync(path.join(tmpdir(), 'cred-native-build-'));
  const script = `import('./scripts/native.mjs').then((m) => process.stdout.write(String(m.buildNativeHelper(${JSON.stringify(out)}))))`;
  return spawnSync(process.execPath, ['-e', script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

describe('building the native exec helper', () => {
  it('with a compiler: dist/native/exec.node, loadable, with both functions', () => {
    const r = build({});
    expect(r.stderr).toBe('');
    const file = path.join(out, 'native', 'exec.node');
    expect(r.stdout).toBe(file);
    const mod = { exports: {} as Record<string, unknown> };
    process.dlopen(mod, file);
    expect(Object.keys(mod.exports).sort()).toEqual(['exec', 'stdioFlags']);
  });

  it('without one (CC=false): one line saying so, no helper, and the build goes on', () => {
    const r = build({ CC: 'false', CXX: 'false' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('undefined');
    expect(r.stderr).toMatch(
      /^build: native exec helper not built \(.*\); cred run will spawn commands instead\n$/,
    );
    expect(existsSync(path.join(out, 'native', 'exec.node'))).toBe(false);
  });
});
