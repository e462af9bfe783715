// cred's own login in a real Secret Service (gnome-keyring on a private D-Bus), with both backends:
// @napi-rs/keyring (the default) and keytar (CRED_KEYCHAIN_BACKEND=keytar).
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { CANARY, type Sandbox, sandbox } from '../helpers/cli.js';
import { useKeyringBus } from '../helpers/keyring-bus.js';

const bus = useKeyringBus();
let box: Sandbox;
afterEach(() => box?.cleanup());

/** How each backend names the account attribute in the Secret Service (see docs/keychain.md). */
// keytar (libsecret) also matches on the schema attribute that libsecret adds to what it stores.
const BACKENDS = [
  { backend: 'keyring', accountAttribute: 'username', extra: [] },
  { backend: 'keytar', accountAttribute: 'account', extra: ['xdg:schema', 'org.freedesktop.Secret.Generic'] },
] as const;

function noCanary(r: { stdout: string; stderr: string }) {
  expect(r.stderr).not.toContain(CANARY);
  expect(r.stdout).not.toContain(CANARY);
}

describe.each(BACKENDS)('keychain backend $backend', ({ backend, accountAttribute, extra }) => {
  const profile = `p-${backend}`;
  const account = `qoder:${profile}`;
  const env = () => ({ DBUS_SESSION_BUS_ADDRESS: bus().address, CRED_KEYCHAIN_BACKEND: backend });

  it('login → resolve (source: keychain) → logout → not configured', () => {
    box = sandbox();
    const login = box.run(['--profile', profile, 'login', 'qoder', '--with-token'], {
      env: env(),
      input: `${CANARY}\n`,
    });
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    expect(login.stdout).toContain(`stored in keychain cred/${account}`);
    noCanary(login);

    // Another process reads it back, redacted, naming the keychain as the source.
    const resolved = box.run(['--profile', profile, 'resolve', 'qoder', '--json'], { env: env() });
    expect(resolved.code).toBe(0);
    const json = JSON.parse(resolved.stdout);
    expect(json.source).toEqual({ step: 'session', detail: `keychain cred/${account}` });
    expect(json.redacted).toBe(`pt-…${CANARY.slice(-4)}`);
    noCanary(resolved);
    const revealed = box.run(['--profile', profile, 'resolve', 'qoder', '--reveal'], { env: env() });
    expect(revealed.stdout).toBe(`${CANARY}\n`);

    // It is really in the Secret Service (not the kernel keyring): an independent client sees it.
    const tool = bus().secretTool(['lookup', 'service', 'cred', accountAttribute, account]);
    expect(tool.stdout).toBe(CANARY);

    const logout = box.run(['--profile', profile, 'logout', 'qoder'], { env: env() });
    expect(logout.code).toBe(0);
    expect(logout.stdout).toBe(`Removed qoder (profile ${profile}) from keychain cred/${account}\n`);
    expect(bus().secretTool(['lookup', 'service', 'cred', accountAttribute, account]).stdout).toBe('');

    const after = box.run(['--profile', profile, 'resolve', 'qoder', '--json'], { env: env() });
    expect(after.code).toBe(3);
    expect(JSON.parse(after.stdout).error.code).toBe('auth_not_configured');
    expect(after.stderr).toContain(`keychain cred/${account} (no stored login)`);

    const again = box.run(['--profile', profile, 'logout', 'qoder'], { env: env() });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`Nothing to remove for qoder (profile ${profile})\n`);
  });

  it('reads a login another program wrote to the Secret Service, and CRED_PROFILE picks the account', () => {
    box = sandbox();
    const value = `pt-written-by-secret-tool-${backend}`;
    const stored = bus().secretTool(
      ['store', '--label', 'test', 'service', 'cred', accountAttribute, `podstack:ext-${backend}`, ...extra],
      value,
    );
    expect(stored.code).toBe(0);
    const r = box.run(['resolve', 'podstack', '--reveal'], {
      env: { ...env(), CRED_PROFILE: `ext-${backend}` },
    });
    expect(r.stdout).toBe(`${value}\n`);
    const explained = box.run(['resolve', 'podstack', '--explain'], {
      env: { ...env(), CRED_PROFILE: `ext-${backend}` },
    });
    expect(explained.stdout).toMatch(new RegExp(`session +keychain cred/podstack:ext-${backend} +used`));
    expect(box.run(['logout', 'podstack'], { env: { ...env(), CRED_PROFILE: `ext-${backend}` } }).code).toBe(
      0,
    );
  });

  it("run hands a keychain login to the command, which inherits no descriptor of cred's (no D-Bus connection)", () => {
    box = sandbox();
    const value = `pt-for-the-command-${backend}`;
    const stored = bus().secretTool(
      ['store', '--label', 'test', 'service', 'cred', accountAttribute, `podstack:run-${backend}`, ...extra],
      value,
    );
    expect(stored.code).toBe(0);
    const runEnv = { ...env(), CRED_PROFILE: `run-${backend}` };
    const printed = box.run(['run', '--provider', 'podstack', '--', 'printenv', 'PODSTACK_API_TOKEN'], {
      env: runEnv,
    });
    expect(printed.stdout).toBe(`${value}\n`);
    // cred talked to the Secret Service before it became `ls`: `ls` sees only what it would see
    // if this test had started it.
    const fds = box.run(['run', '--provider', 'podstack', '--', 'ls', '/proc/self/fd'], { env: runEnv });
    const direct = spawnSync('ls', ['/proc/self/fd'], {
      cwd: box.home,
      env: box.env,
      input: '',
      encoding: 'utf8',
    });
    expect(fds.stderr).toBe('');
    expect(fds.stdout).toBe(direct.stdout);
  });

  it('logout removes only that profile: the other profile and the file store keep theirs', () => {
    box = sandbox();
    const e = env();
    const a = `pt-profile-a-${backend}-123456`;
    const b = `pt-profile-b-${backend}-123456`;
    expect(box.run(['--profile', 'a', 'login', 'qovery', '--with-token'], { env: e, input: a }).code).toBe(0);
    expect(box.run(['--profile', 'b', 'login', 'qovery', '--with-token'], { env: e, input: b }).code).toBe(0);
    expect(
      box.run(['--profile', 'a', 'login', 'qovery', '--with-token', '--store', 'file'], { env: e, input: b })
        .code,
    ).toBe(0);
    const out = box.run(['--profile', 'a', 'logout', 'qovery'], { env: e });
    expect(out.stdout.split('\n').filter(Boolean).sort()).toEqual([
      'Removed qovery (profile a) from keychain cred/qovery:a',
      'Removed qovery (profile a) from ~/.config/cred/credentials [qovery:a]',
    ]);
    expect(box.run(['--profile', 'b', 'resolve', 'qovery', '--reveal'], { env: e }).stdout).toBe(`${b}\n`);
    expect(box.run(['--profile', 'a', 'resolve', 'qovery'], { env: e }).code).toBe(3);
    box.run(['--profile', 'b', 'logout', 'qovery'], { env: e });
  });
});

describe('the backends do not share entries', () => {
  it('a keytar login is not seen by the default backend (they name the account attribute differently)', () => {
    box = sandbox();
    const e = { DBUS_SESSION_BUS_ADDRESS: bus().address };
    expect(
      box.run(['--profile', 'split', 'login', 'qoder', '--with-token'], {
        env: { ...e, CRED_KEYCHAIN_BACKEND: 'keytar' },
        input: CANARY,
      }).code,
    ).toBe(0);
    expect(box.run(['--profile', 'split', 'resolve', 'qoder'], { env: e }).code).toBe(3);
    expect(
      box.run(['--profile', 'split', 'logout', 'qoder'], { env: { ...e, CRED_KEYCHAIN_BACKEND: 'keytar' } })
        .code,
    ).toBe(0);
  });
});
