// Property test: what `--shell dotenv` writes is read back exactly by Node's dotenv, python-dotenv
// (with its default ${VAR} interpolation) and cred's own --env-file reader; a value no quoting form
// carries through all three is refused with exit 2, a reason, and no trace of the value.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'dotenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDeps } from '../../src/deps.js';
import { CredError } from '../../src/errors.js';
import { formatDotenv, quoteDotenv } from '../../src/output/formats/dotenv.js';
import { readEnvFile } from '../../src/stores/dotenv-file.js';
import { requireTool } from '../helpers/cli.js';
import { sampleValues } from './formats-helpers.js';

let dir: string;
let accepted: string[];
let refused: string[];
let file: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cred-dotenv-'));
  const all = sampleValues(path.join(dir, 'pwned'), 700);
  accepted = all.filter((v) => 'text' in quoteDotenv(v));
  refused = all.filter((v) => 'reason' in quoteDotenv(v));
  file = path.join(dir, 'out.env');
  writeFileSync(file, formatDotenv(accepted.map((value, i) => ({ name: `V${i}`, value }))));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectAll(read: Record<string, string>) {
  for (let i = 0; i < accepted.length; i++) {
    if (read[`V${i}`] !== accepted[i]) expect({ i, got: read[`V${i}`] }).toEqual({ i, got: accepted[i] });
  }
  expect(Object.keys(read).length).toBe(accepted.length);
}

describe('dotenv output', () => {
  it('accepts at least 200 of the generated values (the rest are refused with a reason)', () => {
    expect(accepted.length).toBeGreaterThanOrEqual(200);
    expect(refused.length).toBeGreaterThan(0);
  });

  it("is read back exactly by Node's dotenv", async () => {
    const { readFileSync } = await import('node:fs');
    expectAll(parse(readFileSync(file)));
  });

  it("is read back exactly by cred's own --env-file reader", async () => {
    expectAll(await readEnvFile(file, defaultDeps({ env: {} })));
  });

  it('is read back exactly by python-dotenv (interpolation on, its default)', () => {
    const py =
      'import json,sys\nfrom dotenv import dotenv_values\nsys.stdout.write(json.dumps(dotenv_values(sys.argv[1])))';
    const r = spawnSync(requireTool('python3'), ['-c', py, file], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(r.stderr).toBe('');
    expectAll(JSON.parse(r.stdout));
  });

  it('refuses what it cannot carry, naming the variable and the reason, never the value', () => {
    for (const value of refused) {
      let err: unknown;
      try {
        formatDotenv([{ name: 'SECRET_X', value }]);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CredError);
      const e = err as CredError;
      expect(e.exitCode).toBe(2);
      expect(e.message).toMatch(/^cannot export SECRET_X as dotenv: the value holds /);
      if (value.length >= 6) expect(e.message).not.toContain(value);
    }
  });

  it.each([
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${ is the case under test
    ['${HOME}', /"\$\{"/],
    ['a${', /"\$\{"/],
    [`it's "x"\n`, /both a single and a double quote \(no quoting carries it\) and a line break/],
    [`it's "x" #1`, /both a single and a double quote .* and a "#"/],
    ["it's \\ ", /single quote and a backslash .* and white space at an end/],
    [`"it's" x`, /both a single and a double quote .* and a quote first/],
    ['a\r\\b', /carriage return and a backslash .* and a line break/],
    ['a\\\\b\u2028', /backslash the loaders read differently .* and a line break/],
  ])('refuses %j: %s', (value, reason) => {
    expect(() => formatDotenv([{ name: 'T', value }])).toThrow(reason);
  });

  it.each([
    ['pt-abc123', 'T=pt-abc123\n'],
    ['has space', "T='has space'\n"],
    ["it's", `T="it's"\n`],
    ['a\rb', 'T="a\\rb"\n'],
    ['multi\nline', "T='multi\nline'\n"],
    ['$HOME', "T='$HOME'\n"],
    ['', "T=''\n"],
    // No quoting carries these through all three loaders, but every one takes them literally unquoted.
    [`it's "x"`, `T=it's "x"\n`],
    ["it's \\", "T=it's \\\n"],
    ['ends\\', 'T=ends\\\n'],
    ['a\\\\b', 'T=a\\\\b\n'],
  ])('writes %j as %j', (value, line) => {
    expect(formatDotenv([{ name: 'T', value }])).toBe(line);
  });
});
