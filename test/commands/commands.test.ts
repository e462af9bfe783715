// The command layer in-process: main(argv, deps) with an env map, a temp HOME, captured streams and
// an in-memory keychain, asserting exact stdout/stderr and exit codes.
import { afterEach, describe, expect, it } from 'vitest';
import { KeychainFailedError } from '../../src/stores/keychain.js';
import { type InProcess, inProcess } from '../helpers/fake-deps.js';

const PAT = 'pt-inprocess00009f3a';
let t: InProcess;
afterEach(() => t?.cleanup());

describe('resolve', () => {
  it('prints the redacted value and its source', async () => {
    t = inProcess();
    const r = await t.run(['resolve', 'qoder'], { env: { QODER_PERSONAL_ACCESS_TOKEN: PAT } });
    expect(r).toEqual({
      code: 0,
      stdout: [
        'provider  qoder',
        'profile   default',
        'token     pt-…9f3a',
        'source    env: QODER_PERSONAL_ACCESS_TOKEN',
        'header    Authorization: Bearer pt-…9f3a',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  it('--json is the contract object, with token only under --reveal', async () => {
    t = inProcess();
    const env = { QODER_PERSONAL_ACCESS_TOKEN: PAT };
    const plain = JSON.parse((await t.run(['resolve', 'qoder', '--json'], { env })).stdout);
    expect(plain).toEqual({
      provider: 'qoder',
      profile: 'default',
      source: { step: 'env', detail: 'QODER_PERSONAL_ACCESS_TOKEN' },
      redacted: 'pt-…9f3a',
      header: { name: 'Authorization', value: 'Bearer pt-…9f3a' },
      warnings: [],
    });
    const revealed = JSON.parse((await t.run(['resolve', 'qoder', '--json', '--reveal'], { env })).stdout);
    expect(revealed).toEqual({ ...plain, token: PAT });
  });

  it('reads cred login from the keychain (in memory here), after env and files', async () => {
    t = inProcess();
    await t.keychain.set('cred', 'qovery:default', 'qov-keychain-token-0001');
    const r = await t.run(['resolve', 'qovery', '--json'], {
      env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x' },
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).source).toEqual({ step: 'session', detail: 'keychain cred/qovery:default' });
  });

  it('--from env,file never touches the keychain', async () => {
    t = inProcess();
    await t.keychain.set('cred', 'qoder:default', PAT);
    const r = await t.run(['resolve', 'qoder', '--from', 'env,file', '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).error.code).toBe('auth_not_configured');
  });

  it('an unknown provider is a usage error, one line and a hint', async () => {
    t = inProcess();
    const r = await t.run(['resolve', 'nope']);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'cred: error: unknown provider "nope"\ncred: hint: known providers: qoder, podstack, qovery (see `cred providers`)\n',
    });
  });

  it("a flag or argument commander rejects reads like cred's own usage errors", async () => {
    t = inProcess();
    const r = await t.run(['resolve', 'qoder', '--nope']);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: "cred: error: unknown option '--nope'\ncred: hint: run `cred --help` for usage\n",
    });
    const missing = await t.run(['header']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      "cred: error: missing required argument 'provider'\ncred: hint: run `cred --help` for usage\n",
    );
  });
});

describe('hand-over', () => {
  it('env --shell json maps each variable to its value', async () => {
    t = inProcess();
    const r = await t.run(['env', '--shell', 'json'], {
      env: { QODER_PERSONAL_ACCESS_TOKEN: PAT, PODSTACK_API_TOKEN: 'ps-token-000000000001' },
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      QODER_PERSONAL_ACCESS_TOKEN: PAT,
      PODSTACK_API_TOKEN: 'ps-token-000000000001',
    });
  });

  it('header is redacted on a terminal and says how to use it', async () => {
    t = inProcess();
    const r = await t.run(['header', 'qoder'], { env: { QODER_PERSONAL_ACCESS_TOKEN: PAT }, tty: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Authorization: Bearer pt-…9f3a\n');
    expect(r.stderr).toContain('redacted');
    expect(r.stderr).not.toContain(PAT);
  });
});

describe('login, status, logout', () => {
  it('login --with-token stores in the keychain; status shows it; logout removes it', async () => {
    t = inProcess();
    const env = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x' };
    const login = await t.run(['login', 'qoder', '--with-token'], { env, stdin: `${PAT}\n` });
    expect(login.code).toBe(0);
    expect(t.keychain.entries.get('cred/qoder:default')).toBe(PAT);
    expect(login.stdout + login.stderr).not.toContain(PAT);

    const status = await t.run(['status'], { env });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^qoder\s+resolved\s+session: keychain cred\/qoder:default\s+pt-…9f3a$/m);

    const logout = await t.run(['logout', 'qoder'], { env });
    expect(logout.code).toBe(0);
    expect(t.keychain.entries.size).toBe(0);
  });

  it('a keychain that fails while storing: exit 7, and the hint offers --store file', async () => {
    t = inProcess();
    t.keychain.set = async () => {
      throw new KeychainFailedError('the keychain failed (Secret Service: no result found)');
    };
    const r = await t.run(['login', 'qoder', '--with-token', '--profile', 'work'], {
      env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x' },
      stdin: `${PAT}\n`,
    });
    expect(r.code).toBe(7);
    expect(r.stderr).toBe(
      'cred: error: the keychain failed (Secret Service: no result found)\n' +
        "cred: hint: store it in cred's credentials file instead: `cred login qoder --profile work --store file`\n",
    );
  });

  it('login refuses an empty token with exit 2 and stores nothing', async () => {
    t = inProcess();
    const r = await t.run(['login', 'qoder', '--with-token'], {
      env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x' },
      stdin: '\n',
    });
    expect(r.code).toBe(2);
    expect(t.keychain.entries.size).toBe(0);
  });
});

describe('colour', () => {
  const ESC = '\u001b[';
  it('status colours its state column on a terminal only, and never with --no-color or NO_COLOR', async () => {
    t = inProcess();
    const env = { QODER_PERSONAL_ACCESS_TOKEN: PAT };
    expect((await t.run(['status'], { env, tty: true })).stdout).toContain(`${ESC}32mresolved`);
    expect((await t.run(['status'], { env })).stdout).not.toContain(ESC);
    expect((await t.run(['status', '--no-color'], { env, tty: true })).stdout).not.toContain(ESC);
    expect((await t.run(['status'], { env: { ...env, NO_COLOR: '1' }, tty: true })).stdout).not.toContain(
      ESC,
    );
  });

  it('resolve --explain marks used and shadowed on a terminal', async () => {
    t = inProcess();
    const r = await t.run(['resolve', 'qoder', '--explain', '--token', 'pt-flagtoken-0000000'], {
      env: { QODER_PERSONAL_ACCESS_TOKEN: PAT },
      tty: true,
    });
    expect(r.stdout).toContain(`${ESC}32mused`);
    expect(r.stdout).toContain(`${ESC}33mshadowed`);
  });
});
