// One recognisable token through every command and the mistakes a user makes with it: it may reach
// stdout only where the output exists to carry it (env, header, --reveal, the child of run), and
// never stderr. The resolve-specific paths are in canary-resolve.test.ts.
import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CANARY, expectNoCanary, type RunResult, type Sandbox, sandbox } from '../helpers/cli.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

const inEnv = { QODER_PERSONAL_ACCESS_TOKEN: CANARY };

function never(r: RunResult, where: string): void {
  expectNoCanary(r.stderr, `${where}: stderr`);
  expectNoCanary(r.stdout, `${where}: stdout`);
}

describe('the canary token', () => {
  it.each([
    ['env', ['env', '--debug'], 0],
    ['env fish', ['env', 'qoder', '--shell', 'fish'], 0],
    ['env dotenv', ['env', '--shell', 'dotenv'], 0],
    ['env json', ['env', '--json'], 0],
    ['header', ['header', 'qoder', '--debug'], 0],
    ['resolve --reveal', ['resolve', 'qoder', '--reveal', '--debug'], 0],
  ])('%s: on stdout (its job), never on stderr', (_name, args, code) => {
    box = sandbox();
    const r = box.run(args as string[], { env: inEnv });
    expect(r.code).toBe(code);
    expect(r.stdout).toContain(CANARY);
    expectNoCanary(r.stderr, 'stderr');
  });

  it('run: the child gets it in its env; cred says nothing of it; --mask hides it', () => {
    box = sandbox();
    const plain = box.run(['run', '--debug', '--', 'sh', '-c', 'printf %s "$QODER_PERSONAL_ACCESS_TOKEN"'], {
      env: inEnv,
    });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toBe(CANARY);
    expectNoCanary(plain.stderr, 'stderr');
    const masked = box.run(
      ['run', '--mask', '--', 'sh', '-c', 'echo "$QODER_PERSONAL_ACCESS_TOKEN" >&2; exit 3'],
      {
        env: inEnv,
      },
    );
    expect(masked.code).toBe(3);
    never(masked, 'run --mask');
    expect(masked.stderr).toContain('****');
  });

  it.each([
    ['status', ['status'], 0],
    ['status --json --debug', ['status', '--json', '--debug'], 0],
    ['providers', ['providers', '--json'], 0],
    ['completion', ['completion', 'bash'], 0],
    ['whoami, refused port', ['whoami', 'qoder', '--endpoint', 'http://127.0.0.1:9', '--debug'], 6],
    ['whoami --json, refused port', ['whoami', 'qoder', '--json', '--endpoint', 'http://127.0.0.1:9'], 6],
    ['status --verify, refused port', ['status', '--verify', '--timeout', '2000'], 6],
  ])('%s: nowhere', (_name, args, code) => {
    box = sandbox();
    // status --verify checks qoder against the endpoint in cred's file: a port nothing listens on.
    box.write(
      '.config/cred/credentials',
      '[qoder]\ntoken = pt-fileonly-0000000000\nendpoint = http://127.0.0.1:9\n',
    );
    const r = box.run(args as string[], { env: inEnv });
    expect(r.code).toBe(code);
    never(r, args.join(' '));
  });

  it.each([
    ['as the provider id', ['resolve', CANARY]],
    ['in --env-var', ['resolve', 'qoder', '--env-var', CANARY]],
    [
      'in --env-var, where it is a well-formed name',
      ['resolve', 'qoder', '--env-var', `pt_${CANARY.slice(3)}`],
    ],
    ['in --from', ['resolve', 'qoder', '--from', CANARY]],
    ['in --profile', ['resolve', 'qoder', '--profile', `${CANARY}/x`]],
    ['in --profile, where it is a well-formed name', ['resolve', 'qoder', '--profile', CANARY]],
    ['in --profile=, for env', ['env', `--profile=${CANARY}`]],
    ['in --endpoint', ['whoami', 'qoder', '--endpoint', CANARY]],
    ['in --timeout', ['whoami', 'qoder', '--timeout', CANARY]],
    ['as an extra argument to login', ['login', 'qoder', CANARY]],
    ['as an unknown option', ['resolve', 'qoder', `--${CANARY}`]],
    ['in --env without =', ['resolve', 'qoder', '--env', CANARY]],
  ])('typed by mistake %s: exit 2 and never echoed', (_name, args) => {
    box = sandbox();
    // Another token is configured, so each command gets as far as reading the mistaken value.
    const r = box.run([...(args as string[]), '--json'], {
      env: { QODER_PERSONAL_ACCESS_TOKEN: 'pt-another-token-0000' },
    });
    expect(r.code).toBe(2);
    never(r, args.join(' '));
  });

  it('set by mistake as CRED_PROFILE: exit 2 and never echoed', () => {
    box = sandbox();
    for (const args of [['resolve', 'qoder'], ['status'], ['run', '--', 'true']]) {
      const r = box.run([...args, '--json'], { env: { CRED_PROFILE: CANARY } });
      expect(r.code).toBe(2);
      never(r, `CRED_PROFILE … ${args.join(' ')}`);
    }
  });

  it.each([
    ['in --token-file', ['resolve', 'qoder', '--token-file', CANARY], {}, 7],
    ['in --env-file', ['resolve', 'qoder', '--env-file', CANARY], {}, 7],
    ['in --config', ['resolve', 'qoder', '--config', CANARY], {}, 7],
    ['in NAME_FILE', ['resolve', 'qoder'], { QODER_PERSONAL_ACCESS_TOKEN_FILE: CANARY }, 7],
    ['in --credentials-file', ['resolve', 'qoder', '--explain', '--credentials-file', CANARY], {}, 3],
    // Stored where asked (a file by that name), and still not shown.
    [
      'in --credentials-file, for login',
      ['login', 'qoder', '--store', 'file', '--with-token', '--credentials-file', CANARY],
      {},
      0,
    ],
  ])(
    'typed by mistake %s where a path belongs: never echoed, even with --debug',
    (_name, args, env, code) => {
      box = sandbox();
      const r = box.run([...(args as string[]), '--debug'], { env, input: 'pt-typed-into-login-0000\n' });
      expect(r.code).toBe(code);
      never(r, (args as string[]).join(' '));
    },
  );

  it('written into a session_command line or a D-Bus address: never echoed where those are named', () => {
    box = sandbox();
    box.write(
      '.config/cred/config',
      `[provider "tok"]\nenv = TOK_TOKEN\nsession_command = /bin/false --api-key ${CANARY}\n`,
    );
    for (const args of [
      ['resolve', 'tok'],
      ['resolve', 'tok', '--explain'],
      ['env', '--debug'],
    ]) {
      const r = box.run(args);
      expect(r.code).toBe(3);
      never(r, `session_command … ${args.join(' ')}`);
    }
    const bus = box.run(['login', 'qoder', '--with-token'], {
      env: { DBUS_SESSION_BUS_ADDRESS: `garbage${CANARY}` },
      input: 'pt-typed-into-login-0000\n',
    });
    expect(bus.stderr).toContain('transport');
    never(bus, 'DBUS_SESSION_BUS_ADDRESS');
  });

  it('login --store file then logout: never printed; stored 0600', () => {
    box = sandbox();
    const login = box.run(['login', 'qoder', '--store', 'file', '--with-token', '--debug'], {
      input: `${CANARY}\n`,
    });
    expect(login.code).toBe(0);
    never(login, 'login');
    const file = box.path('.config/cred/credentials');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const resolved = box.run(['resolve', 'qoder', '--explain', '--debug']);
    expect(resolved.code).toBe(0);
    never(resolved, 'resolve --explain after login');
    const logout = box.run(['logout', 'qoder', '--debug']);
    expect(logout.code).toBe(0);
    never(logout, 'logout');
  });
});
