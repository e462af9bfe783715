// Bad input (SPEC §5): every file the chain reads survives being missing, a directory, unreadable,
// binary, huge, malformed or a FIFO — each with its exit code and a one-line reason naming the file.
import { spawnSync } from 'node:child_process';
import fs, { chmodSync, existsSync, mkdirSync, truncateSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BIN,
  CANARY,
  expectNoCanary,
  type RunResult,
  requireTool,
  type Sandbox,
  sandbox,
} from '../helpers/cli.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

interface Setup {
  args: string[];
  env?: Record<string, string>;
}

/** The places a file can be named from, each with what it is called in messages. */
const PLACES: Record<string, { rel: string; setup: (p: string) => Setup; display: string }> = {
  "cred's credentials file": {
    rel: '.config/cred/credentials',
    setup: () => ({ args: ['resolve', 'qoder'] }),
    display: '~/.config/cred/credentials',
  },
  '--credentials-file': {
    rel: 'elsewhere/creds.ini',
    setup: (p) => ({ args: ['resolve', 'qoder', '--credentials-file', p] }),
    display: '~/elsewhere/creds.ini',
  },
  "Podstack's credentials file": {
    rel: '.podstack/credentials',
    setup: () => ({ args: ['resolve', 'podstack'] }),
    display: '~/.podstack/credentials',
  },
  '--token-file': {
    rel: 'token.txt',
    setup: (p) => ({ args: ['resolve', 'qoder', '--token-file', p] }),
    display: '~/token.txt',
  },
  NAME_FILE: {
    rel: 'secrets/pat',
    setup: (p) => ({ args: ['resolve', 'qoder'], env: { QODER_PERSONAL_ACCESS_TOKEN_FILE: p } }),
    display: '~/secrets/pat',
  },
  '--env-file': {
    rel: 'app.env',
    setup: (p) => ({ args: ['resolve', 'qoder', '--env-file', p] }),
    display: '~/app.env',
  },
  'Qovery context.json': {
    rel: '.qovery/context.json',
    setup: () => ({ args: ['resolve', 'qovery'] }),
    display: '~/.qovery/context.json',
  },
  'Podstack config.yaml': {
    rel: '.podstack/config.yaml',
    setup: () => ({ args: ['resolve', 'podstack'] }),
    display: '~/.podstack/config.yaml',
  },
};
const ALL = Object.keys(PLACES);
/** Files the user names on purpose may be pipes: `--env-file <(sops -d .env)` (docs/resolution.md). */
const NAMED = new Set(['--token-file', 'NAME_FILE', '--env-file']);

/** Exactly one error line on stderr, naming the file; the JSON error on stdout with --json. */
function expectOneLineError(r: RunResult, code: number, mention: string[]): void {
  expect(r.signal).toBeNull();
  expect(r.code).toBe(code);
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('cred: error:'));
  expect(errors).toHaveLength(1);
  for (const m of mention) expect(errors[0]).toContain(m);
  expect(r.stderr).not.toContain('internal error');
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

function runPlace(name: string, extra: string[] = [], asNobody = false): RunResult {
  const place = PLACES[name]!;
  const s = place.setup(box.path(place.rel));
  return runCred([...s.args, ...extra], s.env ?? {}, asNobody);
}

/**
 * Spawns the built bin through its shebang (`env -S node --`: the `--` keeps Node 20 from claiming
 * `--env-file PATH` itself, nodejs/node#54232). As root (CI), `asNobody` runs
 * cred as uid 65534 so that a mode-000 file is really unreadable; the sandbox's folders are made
 * traversable so that only the file itself refuses.
 */
function runCred(args: string[], extraEnv: Record<string, string>, asNobody = false): RunResult {
  const env = { ...box.env, ...extraEnv };
  let argv = [BIN, ...args];
  if (asNobody) {
    for (const dir of ['', '.config', '.config/cred', 'elsewhere', '.podstack', 'secrets', '.qovery']) {
      if (existsSync(box.path(dir))) chmodSync(box.path(dir), 0o711);
    }
    if (process.getuid?.() === 0) {
      argv = [requireTool('setpriv'), '--reuid=65534', '--regid=65534', '--clear-groups', ...argv];
      const canRead = spawnSync(argv[0]!, [
        ...argv.slice(1, 4),
        process.execPath,
        '-e',
        `require('fs').accessSync(${JSON.stringify(BIN)}, 4)`,
      ]);
      if (canRead.status !== 0)
        throw new Error(`uid 65534 cannot read ${BIN}: this test needs a world-readable checkout`);
    }
  }
  const r = spawnSync(argv[0]!, argv.slice(1), {
    env,
    cwd: asNobody ? '/' : box.home,
    encoding: 'utf8',
    timeout: 15_000,
    input: '',
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

describe('a file that does not exist', () => {
  it.each([
    "cred's credentials file",
    "Podstack's credentials file",
    'Qovery context.json',
    'Podstack config.yaml',
  ])('%s is simply missing (exit 3, not configured)', (name) => {
    box = sandbox();
    const r = runPlace(name, ['--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).error.code).toBe('auth_not_configured');
  });

  it.each(['--token-file', 'NAME_FILE'])('%s named explicitly: exit 7 naming it', (name) => {
    box = sandbox();
    expectOneLineError(runPlace(name), 7, [PLACES[name]!.display, 'does not exist']);
  });

  it('--env-file named explicitly: exit 7 naming it', () => {
    box = sandbox();
    const r = runPlace('--env-file');
    expectOneLineError(r, 7, ['~/app.env', 'does not exist']);
  });
});

describe.each(ALL)('%s', (name) => {
  const place = PLACES[name]!;

  it('is a directory: exit 7', () => {
    box = sandbox();
    mkdirSync(box.path(place.rel), { recursive: true });
    expectOneLineError(runPlace(name), 7, [place.display, 'directory']);
  });

  it('is binary: exit 7', () => {
    box = sandbox();
    box.write(place.rel, Buffer.from([0x70, 0x74, 0x2d, 0x00, 0x01, 0xff, 0x0a]));
    expectOneLineError(runPlace(name), 7, [place.display, 'binary']);
  });

  it('is not UTF-8 text: exit 7', () => {
    box = sandbox();
    box.write(place.rel, Buffer.from([0x61, 0x3d, 0xc3, 0x28, 0xff, 0xfe, 0x0a]));
    expectOneLineError(runPlace(name), 7, [place.display]);
  });

  // The files a user names may be pipes (below); every other place refuses a FIFO without reading it.
  if (!NAMED.has(name)) {
    it('is a FIFO: exit 7 at once, no hang', () => {
      box = sandbox();
      box.write(place.rel, '');
      spawnSync('rm', ['-f', box.path(place.rel)]);
      const mk = spawnSync(requireTool('mkfifo'), [box.path(place.rel)]);
      expect(mk.status).toBe(0);
      expectOneLineError(runPlace(name), 7, [place.display, 'not a regular file']);
    });
  }

  it('is unreadable: exit 7, permission denied', () => {
    box = sandbox();
    box.write(place.rel, 'whatever\n', 0o000);
    const r = runPlace(name, [], true);
    expectOneLineError(r, 7, [place.display, 'not readable']);
  });
});

describe('size limits', () => {
  const SMALL = ['--token-file', 'NAME_FILE', '--env-file', 'Qovery context.json', 'Podstack config.yaml'];
  it.each(SMALL)('%s over 1 MiB: exit 7', (name) => {
    box = sandbox();
    const p = box.write(PLACES[name]!.rel, 'x');
    truncateSync(p, 1024 * 1024 + 1);
    expectOneLineError(runPlace(name), 7, [PLACES[name]!.display, 'too large']);
  });

  it.each(["cred's credentials file", "Podstack's credentials file"])('%s over 64 MiB: exit 7', (name) => {
    box = sandbox();
    const p = box.write(PLACES[name]!.rel, '[x]\n');
    truncateSync(p, 64 * 1024 * 1024 + 1);
    expectOneLineError(runPlace(name), 7, [PLACES[name]!.display, 'too large']);
  });

  it('a credentials file with 100,000 profiles (over 1 MiB) still works', () => {
    box = sandbox();
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i++) lines.push(`[qoder:p${i}]`, `token = pt-profile-token-${i}`);
    box.write('.config/cred/credentials', `${lines.join('\n')}\n`);
    const r = box.run(['--profile', 'p99999', 'resolve', 'qoder', '--reveal']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('pt-profile-token-99999\n');
  });
});

describe('malformed content: exit 7 naming the file and the line', () => {
  it.each([
    [
      "cred's credentials file",
      '[qoder]\ntoken = pt-ok-token-000001\n[broken\n',
      ['malformed INI', 'line 3'],
    ],
    ["cred's credentials file", '[qoder]\njust some words\n', ['malformed INI', 'line 2']],
    ["cred's credentials file", '[__proto__]\ntoken = pt-ok-token-000001\n', ['[__proto__]', 'line 1']],
    ["cred's credentials file", '[constructor]\ntoken = x\n', ['[constructor]']],
    ["cred's credentials file", '[qoder]\n__proto__ = x\n', ['__proto__']],
    [
      "Podstack's credentials file",
      '[default]\napi_token = ps-ok-token-0001\n[__proto__]\napi_token = x\n',
      ['[__proto__]', 'line 3'],
    ],
    ["Podstack's credentials file", '[default\napi_token = ps-ok-token-0001\n', ['malformed INI', 'line 1']],
    [
      '--env-file',
      'QODER_PERSONAL_ACCESS_TOKEN=pt-ok-token-000001\nnot an assignment\n',
      ['malformed dotenv', 'line 2'],
    ],
    ['--env-file', 'QODER_PERSONAL_ACCESS_TOKEN="pt-ok-token-000001\n', ['malformed dotenv', 'never closed']],
    [
      'Qovery context.json',
      '{"access_token": "qv-token-abcdefgh",',
      ['malformed JSON', '(line 1, column 38)'],
    ],
    [
      'Podstack config.yaml',
      'auth:\n  token: [ps-token-abcdefgh\n',
      ['malformed YAML', '(line 3, column 1)'],
    ],
    ['Podstack config.yaml', 'auth: *undefined_alias\n', ['malformed YAML']],
  ])('%s: %j', (name, content, mention) => {
    box = sandbox();
    box.write(PLACES[name]!.rel, content);
    const r = runPlace(name);
    expectOneLineError(r, 7, [PLACES[name]!.display, ...mention]);
    expect(r.stderr).not.toContain('token-0');
    expect(r.stderr).not.toContain('abcdefgh');
  });

  it('a malformed file stops the chain even when a later source has a value', () => {
    box = sandbox();
    box.write('.config/cred/credentials', '[qoder\n');
    box.write('.podstack/credentials', '[default]\napi_token = ps-later-token-0001\n');
    box.write('.config/cred/credentials', '[podstack\n');
    const r = box.run(['resolve', 'podstack', '--json']);
    expect(r.code).toBe(7);
    expect(JSON.parse(r.stdout).error).toMatchObject({ exitCode: 7 });
    // --explain: the later value was not shadowed by a winner (there is none); it was not used.
    const x = JSON.parse(box.run(['resolve', 'podstack', '--explain', '--json']).stdout);
    expect(x.exitCode).toBe(7);
    const later = x.steps.find(
      (s: { location: string }) => s.location === '~/.podstack/credentials [default]',
    );
    expect(later).toMatchObject({
      status: 'skipped',
      reason: 'not used: the chain stopped at the error above',
    });
    expect(later.fingerprint).toMatch(/^[0-9a-f]{6}$/);
    expect(later.sameAsUsed).toBeUndefined();
  });

  it('a malformed file after the winner does not matter to resolve, and --explain shows the error', () => {
    box = sandbox();
    box.write('.config/cred/credentials', '[qoder\n');
    const env = { QODER_PERSONAL_ACCESS_TOKEN: 'pt-env-token-000001' };
    expect(box.run(['resolve', 'qoder', '--reveal'], { env }).code).toBe(0);
    const x = JSON.parse(box.run(['resolve', 'qoder', '--explain', '--json'], { env }).stdout);
    expect(x.exitCode).toBe(0);
    expect(x.steps.find((s: { step: string }) => s.step === 'file')).toMatchObject({ status: 'error' });
  });
});

describe('a credentials file others can read', () => {
  it.each([
    ["cred's credentials file", '[qoder]\ntoken = pt-file-token-000001\n', 'qoder'],
    ["Podstack's credentials file", '[default]\napi_token = ps-file-token-0001\n', 'podstack'],
  ])('%s: one warning naming it, then the value is used', (name, content, provider) => {
    box = sandbox();
    box.write(PLACES[name]!.rel, content, 0o644);
    for (const extra of [[], ['--explain'], ['--json']]) {
      const r = box.run(['resolve', provider, ...extra]);
      expect(r.code).toBe(0);
      const warnings = r.stderr.split('\n').filter((l) => l.includes('can be read by other users'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(PLACES[name]!.display);
    }
  });

  it('mode 0600: no warning', () => {
    box = sandbox();
    box.write('.config/cred/credentials', '[qoder]\ntoken = pt-file-token-000001\n', 0o600);
    expect(box.run(['resolve', 'qoder']).stderr).toBe('');
  });
});

describe('a pipe where the user names a file (process substitution)', () => {
  const bash = () => requireTool('bash');
  const TOKEN = 'pt-from-a-pipe-000000001';
  it.each([
    ['--token-file', `--token-file <(printf '%s\\n' ${TOKEN})`],
    ['--env-file', `--env-file <(sleep 0.3; echo QODER_PERSONAL_ACCESS_TOKEN=${TOKEN})`],
  ])('%s <(…) is read to its end', (_name, flag) => {
    box = sandbox();
    const r = spawnSync(bash(), ['-c', `"${BIN}" resolve qoder --reveal ${flag}`], {
      env: box.env,
      cwd: box.home,
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${TOKEN}\n`);
  });

  it('a pipe that never ends but keeps writing stops at the 1 MiB limit: exit 7, at once', () => {
    box = sandbox();
    const r = spawnSync(bash(), ['-c', `"${BIN}" resolve qoder --token-file <(yes 2>/dev/null)`], {
      env: box.env,
      cwd: box.home,
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(r.status).toBe(7);
    expect(r.stderr).toMatch(
      /^cred: error: token file \/dev\/fd\/\d+ is too large \(more than 1048576 bytes\)\n/,
    );
  });

  it('NAME_FILE=<(…) is read to its end', () => {
    box = sandbox();
    const r = spawnSync(
      bash(),
      ['-c', `QODER_PERSONAL_ACCESS_TOKEN_FILE=<(echo ${TOKEN}) "${BIN}" resolve qoder --reveal`],
      { env: box.env, cwd: box.home, encoding: 'utf8', timeout: 20000 },
    );
    expect(r.stdout).toBe(`${TOKEN}\n`);
  });

  it('a named FIFO with a writer is read; one whose writer never ends is cut off with exit 7, not a hang', () => {
    box = sandbox();
    const fifo = box.path('token.fifo');
    expect(spawnSync(requireTool('mkfifo'), [fifo]).status).toBe(0);
    const ok = spawnSync(
      bash(),
      [
        '-c',
        `(sleep 0.2; echo ${TOKEN} > "${fifo}") & "${BIN}" resolve qoder --reveal --token-file "${fifo}"; wait`,
      ],
      { env: box.env, cwd: box.home, encoding: 'utf8', timeout: 20000 },
    );
    expect(ok.stdout).toBe(`${TOKEN}\n`);
    const started = Date.now();
    const stuck = spawnSync(
      bash(),
      ['-c', `"${BIN}" resolve qoder --token-file <(echo -n pt-; exec sleep 30 2>/dev/null)`],
      {
        env: { ...box.env, CRED_TEST_PIPE_WAIT_MS: '500' },
        cwd: box.home,
        encoding: 'utf8',
        timeout: 20000,
      },
    );
    expect(stuck.status).toBe(7);
    expect(Date.now() - started).toBeLessThan(10000);
    expect(stuck.stderr).toMatch(
      /^cred: error: token file \/dev\/fd\/\d+ \(a pipe\) did not end within 500 ms\n/,
    );
  });
});

describe('a working folder that has been deleted', () => {
  /**
   * Runs cred from a folder removed after cd-ing into it (a Node parent, so PWD is ours to set);
   * `remake` makes a folder of the same name again, with `files` in it, before cred starts.
   */
  function inDeletedFolder(
    args: string[],
    env: Record<string, string>,
    { remake = undefined as Record<string, string> | undefined, prepare = (_box: Sandbox) => {} } = {},
  ): RunResult {
    box = sandbox();
    prepare(box);
    const folder = box.path('gone');
    const parent = `
      const fs = require('node:fs');
      const path = require('node:path');
      const { spawnSync } = require('node:child_process');
      const [folder, bin, args, env, remake] = process.argv.slice(1).map((a, i) => (i < 2 ? a : JSON.parse(a)));
      fs.mkdirSync(folder);
      process.chdir(folder);
      fs.rmdirSync(folder);
      if (remake) {
        fs.mkdirSync(folder);
        for (const [name, text] of Object.entries(remake)) fs.writeFileSync(path.join(folder, name), text);
      }
      const r = spawnSync(bin, args, { env, encoding: 'utf8' });
      process.stdout.write(JSON.stringify({ code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr }));`;
    const r = spawnSync(
      process.execPath,
      [
        '-e',
        parent,
        folder,
        BIN,
        JSON.stringify(args),
        JSON.stringify({ ...box.env, PWD: folder, ...env }),
        JSON.stringify(remake ?? null),
      ],
      { cwd: box.home, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as RunResult;
  }

  it('a token from the environment still resolves, and run still runs', () => {
    const env = { QODER_PERSONAL_ACCESS_TOKEN: 'pt-from-the-env-000001' };
    for (const remake of [undefined, {}]) {
      const resolved = inDeletedFolder(['resolve', 'qoder', '--reveal'], env, { remake });
      expect([resolved.code, resolved.stdout, resolved.stderr]).toEqual([0, 'pt-from-the-env-000001\n', '']);
      const ran = inDeletedFolder(['run', '--', 'printenv', 'QODER_PERSONAL_ACCESS_TOKEN'], env, { remake });
      expect([ran.code, ran.stdout, ran.stderr]).toEqual([0, 'pt-from-the-env-000001\n', '']);
    }
  });

  it('a relative path is looked for in the deleted folder itself, never in one made again under its name', () => {
    const remake = { tok: 'pt-in-the-new-folder-01\n' };
    const r = inDeletedFolder(['resolve', 'qoder', '--token-file', 'tok'], {}, { remake });
    expect(r.code).toBe(7);
    expect(r.stderr).toBe('cred: error: token file tok does not exist\n');
  });

  it('a session_command runs there too (the command it starts is found, and can see where it is)', () => {
    const r = inDeletedFolder(
      ['resolve', 'tok', '--reveal'],
      {},
      {
        prepare: (b) => {
          b.write('.config/cred/helper.sh', '#!/bin/sh\ncd . && echo pt-from-the-helper-0001\n', 0o700);
          b.write(
            '.config/cred/config',
            '[provider "tok"]\nenv = TOK_TOKEN\nsession_command = ./helper.sh\n',
          );
        },
      },
    );
    expect([r.code, r.stdout, r.stderr]).toEqual([0, 'pt-from-the-helper-0001\n', '']);
  });
});

describe('names shaped like a token, and a stdin that is not a stream of text', () => {
  it('a config or credentials file named like a token is shown by its length in every error', () => {
    box = sandbox();
    mkdirSync(box.path(CANARY));
    const config = box.run(['--config', CANARY, 'resolve', 'qoder']);
    expect(config.code).toBe(7);
    expect(config.stderr).toBe(
      `cred: error: config file (${CANARY.length} characters, not shown) is a directory, not a file\n`,
    );
    const creds = `f${CANARY}`;
    box.write(creds, 'x\0y');
    const login = box.run(['login', 'qoder', '--with-token', '--store', 'file'], {
      env: { CRED_CREDENTIALS_FILE: creds },
      input: 'pt-typed-for-login-0001\n',
    });
    expect(login.code).toBe(7);
    expect(login.stderr).toContain(`credentials file (${creds.length} characters, not shown) is binary`);
    box.write(creds, '[broken\n');
    const malformed = box.run(['login', 'qoder', '--with-token', '--store', 'file'], {
      env: { CRED_CREDENTIALS_FILE: creds },
      input: 'pt-typed-for-login-0001\n',
    });
    expect(malformed.code).toBe(7);
    expect(malformed.stderr).toContain(`malformed INI in (${creds.length} characters, not shown)`);
    expectNoCanary(malformed.stderr, 'malformed credentials file');
    expectNoCanary(config.stderr + login.stderr, 'stderr');
  });

  it('--token-stdin from a directory is exit 7 naming stdin, not an empty token', () => {
    box = sandbox();
    const dir = fs.openSync(box.home, 'r');
    try {
      const r = spawnSync(BIN, ['resolve', 'qoder', '--token-stdin'], {
        cwd: box.home,
        env: box.env,
        stdio: [dir, 'pipe', 'pipe'],
        encoding: 'utf8',
      });
      expect(r.status).toBe(7);
      expect(r.stderr).toBe(
        'cred: error: stdin cannot be read (EISDIR)\ncred: hint: pipe the token into cred, or use --token-file\n',
      );
    } finally {
      fs.closeSync(dir);
    }
  });
});
