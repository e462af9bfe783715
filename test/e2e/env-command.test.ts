// `cred env`: which providers, which variables, the formats end to end, refusal, and redaction on a
// terminal (driven through a real pseudo-terminal with util-linux `script`).
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, CANARY, requireTool, type Sandbox, sandbox } from '../helpers/cli.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

const QODER = 'QODER_PERSONAL_ACCESS_TOKEN';
const PODSTACK_TOKEN = 'psk-live-0123456789abcdef';

/** Runs cred under a pseudo-terminal, so stdout is a TTY; returns everything the terminal showed. */
function onTerminal(b: Sandbox, args: string[], env: Record<string, string>): string {
  const cmd = ['node', BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync(requireTool('script'), ['-qec', cmd, '/dev/null'], {
    cwd: b.home,
    env: { ...b.env, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return r.stdout;
}

describe('cred env', () => {
  it('exports every provider that resolves and silently leaves out the rest', () => {
    box = sandbox();
    const r = box.run(['env'], { env: { [QODER]: CANARY, PODSTACK_API_TOKEN: PODSTACK_TOKEN } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`export ${QODER}='${CANARY}'\nexport PODSTACK_API_TOKEN='${PODSTACK_TOKEN}'\n`);
    expect(r.stderr).toBe('');
  });

  it('exports only the providers named, with the context variable when the resolution knows it', () => {
    box = sandbox();
    box.write('.config/cred/credentials', `[podstack]\ntoken = ${PODSTACK_TOKEN}\nproject = my-proj\n`);
    const r = box.run(['env', 'podstack', '--shell', 'json'], { env: { [QODER]: CANARY } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ PODSTACK_API_TOKEN: PODSTACK_TOKEN, PODSTACK_PROJECT: 'my-proj' });
  });

  it.each([
    [
      'the process env',
      { PODSTACK_API_TOKEN: 'ps-envtoken-00000001', PODSTACK_PROJECT: 'env-proj' },
      [],
      'env-proj',
    ],
    [
      '--env',
      {},
      ['--env', 'PODSTACK_API_TOKEN=ps-maptoken-0000001', '--env', 'PODSTACK_PROJECT=map-proj'],
      'map-proj',
    ],
  ])('exports PODSTACK_PROJECT set in %s beside the token', (_where, env, args, project) => {
    box = sandbox();
    const r = box.run(['env', 'podstack', '--shell', 'json', ...(args as string[])], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).PODSTACK_PROJECT).toBe(project);
  });

  it.each([
    ['an explicit --profile', ['--profile', 'prod']],
    ['--from without env', ['--profile', 'prod', '--from', 'file']],
  ])("with %s, the shell's PODSTACK_PROJECT does not go out with the profile's token", (_why, args) => {
    box = sandbox();
    box.write('.config/cred/credentials', '[podstack:prod]\ntoken = ps-prodtoken-00000001\n');
    const r = box.run(['env', 'podstack', '--shell', 'json', ...args], {
      env: { PODSTACK_PROJECT: 'dev-proj' },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ PODSTACK_API_TOKEN: 'ps-prodtoken-00000001' });
  });

  it('exports the first env var of a provider even when a later one held the value', () => {
    box = sandbox();
    const r = box.run(['env', 'qovery'], { env: { Q_CLI_ACCESS_TOKEN: 'qov-token-abcdef123456' } });
    expect(r.stdout).toBe("export QOVERY_API_TOKEN='qov-token-abcdef123456'\n");
  });

  it('fails with exit 3 when a named provider does not resolve, printing nothing on stdout', () => {
    box = sandbox();
    const r = box.run(['env', 'qoder', 'podstack'], { env: { [QODER]: CANARY } });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/no credential for Podstack/);
    expect(r.stderr).not.toContain(CANARY);
  });

  it('fails with exit 3 when no provider resolves at all, listing every place it looked', () => {
    box = sandbox();
    const r = box.run(['env']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/no provider resolved a credential/);
    // What every provider shares is said once; then each provider's places; the reasons are left
    // to `cred resolve PROVIDER --explain`, which the hint names.
    expect(r.stderr.split('--env-file, --env')).toHaveLength(2);
    for (const place of [
      'qoder: QODER_PERSONAL_ACCESS_TOKEN, ~/.config/cred/credentials [qoder], keychain cred/qoder:default',
      '~/.podstack/credentials [default]',
      '~/.qovery/context.json',
      'keychain cred/qovery:default',
    ])
      expect(r.stderr).toContain(place);
    expect(r.stderr).toContain('`cred resolve PROVIDER --explain` shows why');
    expect(r.stderr.split('\n')[0]!.length).toBeLessThan(700);
  });

  it.each([['env'], ['run', '--', 'true']])(
    '%s with only an expired session anywhere: exit 4 auth_expired, saying how to log in again',
    (...args) => {
      box = sandbox();
      box.write(
        '.qovery/context.json',
        JSON.stringify({
          access_token: 'qov-expired-token-000001',
          access_token_expiration: '2001-01-01T00:00:00Z',
        }),
      );
      const r = box.run(['--json', ...args]);
      expect(r.code).toBe(4);
      expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'auth_expired', exitCode: 4 });
      expect(r.stderr).toContain('qovery auth');
      // Said once, as the error; not first as a "left out" warning too.
      expect(r.stderr).not.toContain('left out');
    },
  );

  it('still fails on a real store failure when no provider is named (exit 7)', () => {
    box = sandbox();
    box.write('.podstack/credentials', '[default\napi_token = x\n');
    const r = box.run(['env'], { env: { [QODER]: CANARY } });
    expect(r.code).toBe(7);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/\.podstack\/credentials/);
  });

  it('refuses a flag token unless exactly one provider is named', () => {
    box = sandbox();
    box.write('tok', CANARY);
    const r = box.run(['env', '--token-file', 'tok']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/name exactly one provider/);
    expect(box.run(['env', 'qoder', '--token-file', 'tok']).stdout).toContain(CANARY);
  });

  it('--env-var names one credential too: env, run and whoami refuse it without one provider', () => {
    box = sandbox();
    const env = { MY_TOKEN: CANARY };
    for (const args of [
      ['env', '--env-var', 'MY_TOKEN'],
      ['run', '--env-var', 'MY_TOKEN', '--', 'true'],
      // Before any request: the one value would otherwise go to every provider's API.
      ['whoami', '--env-var', 'MY_TOKEN'],
    ]) {
      const r = box.run(args, { env });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/--env-var (names one credential|needs a provider)/);
      expect(r.stdout + r.stderr).not.toContain(CANARY);
    }
    expect(box.run(['env', 'qoder', '--env-var', 'MY_TOKEN'], { env }).stdout).toContain(CANARY);
  });

  it('rejects an unknown provider and an unknown --shell with exit 2', () => {
    box = sandbox();
    expect(box.run(['env', 'nope'], { env: { [QODER]: CANARY } }).code).toBe(2);
    expect(box.run(['env', '--shell', 'tcsh'], { env: { [QODER]: CANARY } }).code).toBe(2);
  });

  it('refuses a value the format cannot carry with exit 2, an empty stdout and no value on stderr', () => {
    box = sandbox();
    const value = `${CANARY}%PATH%`;
    const r = box.run(['env', 'qoder', '--shell', 'cmd'], { env: { [QODER]: value } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/cannot export QODER_PERSONAL_ACCESS_TOKEN as cmd: the value contains %/);
    expect(r.stderr).not.toContain(CANARY);
    const d = box.run(['env', 'qoder', '--shell', 'dotenv', '--json'], {
      env: { [QODER]: `${CANARY}\${HOME}` },
    });
    expect(d.code).toBe(2);
    expect(JSON.parse(d.stdout).error.code).toBe('unsafe_value');
    expect(d.stdout + d.stderr).not.toContain(CANARY);
  });

  it('writes dotenv that cred reads back exactly with --env-file', () => {
    box = sandbox();
    const value = `${CANARY}'s #x $y \`z\` !\n2nd line`;
    box.write('tok', value);
    const r = box.run(['env', 'qoder', '--shell', 'dotenv', '--token-file', 'tok']);
    expect(r.code).toBe(0);
    box.write('out.env', r.stdout);
    const back = box.run(['resolve', 'qoder', '--env-file', 'out.env', '--reveal']);
    expect(back.code).toBe(0);
    expect(back.stdout).toBe(`${value}\n`);
  });

  it('prints every format without error for a plain token', () => {
    box = sandbox();
    for (const shell of ['posix', 'bash', 'zsh', 'fish', 'powershell', 'cmd', 'dotenv', 'json']) {
      const r = box.run(['env', 'qoder', '--shell', shell], { env: { [QODER]: CANARY } });
      expect(r.code, shell).toBe(0);
      expect(r.stdout, shell).toContain(CANARY);
    }
  });

  it('redacts values on a terminal and says how to eval; --reveal shows them', () => {
    box = sandbox();
    const shown = onTerminal(box, ['env'], { [QODER]: CANARY });
    expect(shown).not.toContain(CANARY);
    expect(shown).toContain(`export ${QODER}='pt-…${CANARY.slice(-4)}'`);
    expect(shown).toContain('eval "$(cred env)"');
    const fish = onTerminal(box, ['env', '--shell', 'fish'], { [QODER]: CANARY });
    expect(fish).toContain('cred env --shell fish | source');
    const revealed = onTerminal(box, ['env', '--reveal'], { [QODER]: CANARY });
    expect(revealed).toContain(`export ${QODER}='${CANARY}'`);
  });
});
