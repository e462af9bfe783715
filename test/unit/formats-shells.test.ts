// Property test: the posix and fish formatters' output, evaluated by the real shells, reproduces each
// generated value exactly, and no canary command embedded in a value ever runs. All values go into one
// script per shell (each value printed back NUL-terminated), so hundreds of values cost one spawn.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFish } from '../../src/output/formats/fish.js';
import { formatPosix } from '../../src/output/formats/posix.js';
import { requireTool } from '../helpers/cli.js';
import { sampleValues } from './formats-helpers.js';

let dir: string;
let marker: string;
let values: string[];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cred-shells-'));
  marker = path.join(dir, 'pwned');
  values = sampleValues(marker, 300);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NAME = 'CRED_T';

function runScript(shell: string, script: string): Buffer {
  const file = path.join(dir, `${shell}.script`);
  writeFileSync(file, script);
  const r = spawnSync(requireTool(shell), [file], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LC_ALL: 'C.UTF-8' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`${shell} exited ${r.status}: ${String(r.stderr).slice(0, 500)}`);
  return r.stdout;
}

function expectRoundTrip(out: Buffer) {
  const got = out.toString('utf8').split('\0');
  expect(got.pop()).toBe('');
  expect(got.length).toBe(values.length);
  for (let i = 0; i < values.length; i++) {
    if (got[i] !== values[i]) expect({ i, got: got[i] }).toEqual({ i, got: values[i] });
  }
  expect(existsSync(marker)).toBe(false);
}

describe.each(['bash', 'dash', 'zsh'])('posix output evaluated by %s', (shell) => {
  it('reproduces every generated value exactly and never runs a canary', () => {
    expect(values.length).toBeGreaterThanOrEqual(300);
    const script = values
      .map((value) => `${formatPosix([{ name: NAME, value }])}printf '%s\\0' "$${NAME}"\n`)
      .join('');
    expectRoundTrip(runScript(shell, script));
  });
});

describe('fish output evaluated by fish', () => {
  it('reproduces every generated value exactly and never runs a canary', () => {
    const script = values
      .map((value) => `${formatFish([{ name: NAME, value }])}printf '%s\\0' "$${NAME}"\n`)
      .join('');
    expectRoundTrip(runScript('fish', script));
  });
});

describe('the canary check itself', () => {
  it('does see a canary run when a value is pasted unquoted', () => {
    const probe = path.join(dir, 'probe');
    runScript('bash', `export X=$(touch ${probe})\n`);
    expect(existsSync(probe)).toBe(true);
  });
});
