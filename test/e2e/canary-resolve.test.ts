// The canary: one recognisable token placed in each source in turn, then every resolve/providers
// output and failure path is run. The token must never reach stderr, and reaches stdout only where
// the output exists to carry it: `--reveal` (the raw value) and `--json --reveal` (the `token` field).
import { afterEach, describe, expect, it } from 'vitest';
import { CANARY, expectNoCanary, type RunResult, type Sandbox, sandbox } from '../helpers/cli.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

interface Placed {
  args: string[];
  env?: Record<string, string>;
  input?: string;
}

interface Source {
  name: string;
  provider: 'qoder' | 'podstack' | 'qovery';
  place(b: Sandbox): Placed;
}

const SOURCES: Source[] = [
  {
    name: '--token-stdin',
    provider: 'qoder',
    place: () => ({ args: ['--token-stdin'], input: `${CANARY}\n` }),
  },
  {
    name: '--token-file',
    provider: 'qoder',
    place: (b) => ({ args: ['--token-file', b.write('tok', `${CANARY}\n`)] }),
  },
  { name: '--token', provider: 'qoder', place: () => ({ args: ['--token', CANARY] }) },
  {
    name: '--env',
    provider: 'qoder',
    place: () => ({ args: ['--env', `QODER_PERSONAL_ACCESS_TOKEN=${CANARY}`] }),
  },
  {
    name: '--env-file',
    provider: 'qoder',
    place: (b) => ({ args: ['--env-file', b.write('.env', `QODER_PERSONAL_ACCESS_TOKEN="${CANARY}"\n`)] }),
  },
  {
    name: 'env',
    provider: 'qoder',
    place: () => ({ args: [], env: { QODER_PERSONAL_ACCESS_TOKEN: CANARY } }),
  },
  {
    name: 'NAME_FILE',
    provider: 'qoder',
    place: (b) => ({ args: [], env: { QODER_PERSONAL_ACCESS_TOKEN_FILE: b.write('secret', CANARY) } }),
  },
  {
    name: "cred's credentials file",
    provider: 'qoder',
    place: (b) => {
      b.write('.config/cred/credentials', `[qoder]\ntoken = ${CANARY}\n`);
      return { args: [] };
    },
  },
  {
    name: "Podstack's credentials file (quoted)",
    provider: 'podstack',
    place: (b) => {
      b.write('.podstack/credentials', `[default]\napi_token = "${CANARY}"\n`, 0o644);
      return { args: [] };
    },
  },
  {
    name: 'Podstack config.yaml',
    provider: 'podstack',
    place: (b) => {
      b.write('.podstack/config.yaml', `auth:\n  token: ${CANARY}\n  expires: 2999-01-01T00:00:00Z\n`);
      return { args: [] };
    },
  },
  {
    name: 'Qovery context.json',
    provider: 'qovery',
    place: (b) => {
      b.write(
        '.qovery/context.json',
        JSON.stringify({ access_token: CANARY, access_token_expiration: '2999-01-01T00:00:00Z' }),
      );
      return { args: [] };
    },
  },
  {
    name: 'Qovery alias env var',
    provider: 'qovery',
    place: () => ({ args: [], env: { Q_CLI_ACCESS_TOKEN: CANARY } }),
  },
];

function run(placed: Placed, args: string[], extraEnv: Record<string, string> = {}): RunResult {
  // `providers` takes no chain flags: it gets the source's environment only.
  const chainArgs = args.includes('providers') ? [] : placed.args;
  return box.run([...args, ...chainArgs], {
    env: { ...(placed.env ?? {}), ...extraEnv },
    ...(placed.input !== undefined ? { input: placed.input } : {}),
  });
}

describe.each(SOURCES)('canary in $name', (source) => {
  it('only --reveal and --json --reveal carry it, on stdout', () => {
    box = sandbox();
    const placed = source.place(box);
    const p = source.provider;

    const reveal = run(placed, ['resolve', p, '--reveal']);
    expect(reveal.code).toBe(0);
    expect(reveal.stdout).toBe(`${CANARY}\n`);
    expectNoCanary(reveal.stderr, 'stderr of --reveal');

    const jr = run(placed, ['resolve', p, '--json', '--reveal']);
    expect(jr.code).toBe(0);
    const parsed = JSON.parse(jr.stdout);
    expect(parsed.token).toBe(CANARY);
    delete parsed.token;
    expectNoCanary(JSON.stringify(parsed), 'the --json --reveal object outside `token`');
    expectNoCanary(jr.stderr, 'stderr of --json --reveal');

    for (const args of [
      ['resolve', p],
      ['resolve', p, '--json'],
      ['resolve', p, '--explain'],
      ['resolve', p, '--explain', '--json'],
      ['--debug', 'resolve', p],
      ['--debug', 'resolve', p, '--explain'],
      ['--debug', '--json', 'resolve', p, '--explain'],
      ['--debug', 'providers'],
      ['--json', 'providers'],
    ]) {
      const r = run(placed, args);
      expect(r.code, args.join(' ')).toBe(0);
      expectNoCanary(r.stdout, `stdout of ${args.join(' ')}`);
      expectNoCanary(r.stderr, `stderr of ${args.join(' ')}`);
    }
  });

  it('no failure path shows it', () => {
    box = sandbox();
    const placed = source.place(box);
    const p = source.provider;
    const step = run(placed, ['resolve', p, '--json']);
    const from = JSON.parse(step.stdout).source.step as string;
    // Flags and the explicit map serve every profile; every other source is profile-bound (and
    // an explicit --profile skips the env), so a missing profile fails there.
    const noProfile = from === 'flag' || from === 'options-env' ? 0 : 3;
    const failures: [string[], number][] = [
      [['--profile', 'nope', 'resolve', p], noProfile],
      [['--profile', 'nope', '--json', 'resolve', p], noProfile],
      [['--debug', '--profile', 'nope', 'resolve', p, '--explain'], noProfile],
      [['resolve', 'nosuch'], 2],
      [['--json', 'resolve', 'nosuch'], 2],
      [['resolve', p, '--bogus'], 2],
      [['resolve', p, '--from', 'bogus'], 2],
      [['--debug', '--json', 'resolve', p, '--env', 'NOEQUALS'], 2],
    ];
    const others = ['flag', 'options-env', 'env', 'file', 'session'].filter((s) => s !== from).join(',');
    failures.push(
      [['resolve', p, '--from', others], 3],
      [['--debug', '--json', 'resolve', p, '--from', others, '--explain'], 3],
    );
    for (const [args, code] of failures) {
      const r = run(placed, args);
      expect(r.code, args.join(' ')).toBe(code);
      expectNoCanary(r.stdout, `stdout of ${args.join(' ')}`);
      expectNoCanary(r.stderr, `stderr of ${args.join(' ')}`);
    }
  });
});

describe('the canary inside a file that cannot be used', () => {
  const CASES: [string, string, string, string[]][] = [
    [
      'malformed INI',
      '.config/cred/credentials',
      `[qoder]\ntoken = ${CANARY}\n${CANARY}\n[broken`,
      ['resolve', 'qoder'],
    ],
    ['INI __proto__', '.config/cred/credentials', `[__proto__]\ntoken = ${CANARY}\n`, ['resolve', 'qoder']],
    [
      'malformed Podstack INI',
      '.podstack/credentials',
      `[default\napi_token = ${CANARY}\n`,
      ['resolve', 'podstack'],
    ],
    ['malformed JSON', '.qovery/context.json', `{"access_token": "${CANARY}", }`, ['resolve', 'qovery']],
    ['JSON of the wrong shape', '.qovery/context.json', `["${CANARY}"]`, ['resolve', 'qovery']],
    ['malformed YAML', '.podstack/config.yaml', `auth:\n  token: [${CANARY}\n`, ['resolve', 'podstack']],
    ['YAML tab indentation', '.podstack/config.yaml', `auth:\n\ttoken: ${CANARY}\n`, ['resolve', 'podstack']],
    [
      'YAML bad expiry',
      '.podstack/config.yaml',
      `auth:\n  token: ${CANARY}\n  expires: not-a-date-${CANARY}\n`,
      ['resolve', 'podstack'],
    ],
    [
      'expired YAML session',
      '.podstack/config.yaml',
      `auth:\n  token: ${CANARY}\n  expires: 2001-01-01T00:00:00Z\n`,
      ['resolve', 'podstack'],
    ],
    [
      'expired Qovery session',
      '.qovery/context.json',
      JSON.stringify({ access_token: CANARY, access_token_expiration: '2001-01-01T00:00:00Z' }),
      ['resolve', 'qovery'],
    ],
    [
      'malformed dotenv',
      'app.env',
      `QODER_PERSONAL_ACCESS_TOKEN=${CANARY}\n${CANARY}\n`,
      ['resolve', 'qoder', '--env-file', 'app.env'],
    ],
    [
      'unclosed dotenv quote',
      'app.env',
      `QODER_PERSONAL_ACCESS_TOKEN="${CANARY}\n`,
      ['resolve', 'qoder', '--env-file', 'app.env'],
    ],
    ['binary token file', 'tok', `${CANARY}\0`, ['resolve', 'qoder', '--token-file', 'tok']],
  ];
  it.each(CASES)('%s', (_name, rel, content, args) => {
    box = sandbox();
    box.write(rel, content);
    for (const extra of [[], ['--json'], ['--explain'], ['--explain', '--json'], ['--debug']]) {
      const r = box.run([...args, ...extra]);
      expect(r.code, `${args.join(' ')} ${extra.join(' ')}`).not.toBe(0);
      expect(r.stderr).not.toContain('internal error');
      expectNoCanary(r.stdout, `stdout of ${extra.join(' ')}`);
      expectNoCanary(r.stderr, `stderr of ${extra.join(' ')}`);
    }
  });

  it('NAME and NAME_FILE both set', () => {
    box = sandbox();
    const file = box.write('secret', CANARY);
    const r = box.run(['--debug', 'resolve', 'qoder', '--explain'], {
      env: { QODER_PERSONAL_ACCESS_TOKEN: CANARY, QODER_PERSONAL_ACCESS_TOKEN_FILE: file },
    });
    expect(r.code).toBe(7);
    expectNoCanary(r.stdout + r.stderr, 'output');
  });
});

it('a YAML warning (an unknown tag) does not print the source line holding the token', () => {
  // yaml reports this through process.emitWarning, quoting the line, unless told not to.
  box = sandbox();
  box.write('.podstack/config.yaml', `auth:\n  token: !secret ${CANARY}\n`);
  const r = box.run(['resolve', 'podstack']);
  expect(r.code).toBe(0);
  expect(r.stderr).not.toContain(CANARY);
  expect(r.stdout).not.toContain(CANARY);
});
