// Providers declared in a config file: where the file is found, what a declared provider does, how a
// section extends a built-in, and how an invalid file is reported (exit 7, file, line, key).
import { afterEach, describe, expect, it } from 'vitest';
import { CANARY, type Sandbox, sandbox } from '../helpers/cli.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

const TOKEN = 'acme_live_5c1e9d27b4f0a863';
const ACME = '[provider "acme"]\nenv = ACME_TOKEN, ACME_KEY\nheader = X-Api-Key: {token}\nprefix = acme_\n';

describe('config file location', () => {
  it('reads ~/.config/cred/config by default; no file means only the built-ins', () => {
    box = sandbox();
    let r = box.run(['providers', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).map((p: { id: string }) => p.id)).toEqual(['qoder', 'podstack', 'qovery']);
    // Qovery's header scheme includes its rule for the CLI login's JWT (SPEC §1).
    expect(JSON.parse(r.stdout)[2]).toMatchObject({
      header: 'Authorization: Token {token}',
      headerRule: 'a JWT (the CLI login) is sent as Bearer',
    });
    expect(box.run(['providers']).stdout).toContain(
      'Authorization: Token {token} (a JWT (the CLI login) is sent as Bearer)',
    );
    box.write('.config/cred/config', ACME);
    r = box.run(['providers', '--json']);
    const acme = JSON.parse(r.stdout).find((p: { id: string }) => p.id === 'acme');
    expect(acme).toMatchObject({
      envVars: ['ACME_TOKEN', 'ACME_KEY'],
      header: 'X-Api-Key: {token}',
      origin: '~/.config/cred/config',
    });
  });

  it('honours $XDG_CONFIG_HOME, $CRED_CONFIG and --config, in rising order', () => {
    box = sandbox();
    box.write('xdg/cred/config', '[provider "fromxdg"]\nenv = X\n');
    box.write('env.ini', '[provider "fromenv"]\nenv = E\n');
    box.write('flag.ini', '[provider "fromflag"]\nenv = F\n');
    const ids = (args: string[], env: Record<string, string>) =>
      JSON.parse(box.run(['providers', '--json', ...args], { env }).stdout).map((p: { id: string }) => p.id);
    const xdg = { XDG_CONFIG_HOME: box.path('xdg') };
    expect(ids([], xdg)).toContain('fromxdg');
    expect(ids([], { ...xdg, CRED_CONFIG: box.path('env.ini') })).toContain('fromenv');
    const flag = ids(['--config', 'flag.ini'], { ...xdg, CRED_CONFIG: box.path('env.ini') });
    expect(flag).toContain('fromflag');
    expect(flag).not.toContain('fromenv');
  });

  it('a --config or $CRED_CONFIG file that does not exist is exit 7 naming it', () => {
    box = sandbox();
    let r = box.run(['resolve', 'qoder', '--config', 'nope.ini', '--json']);
    expect(r.code).toBe(7);
    expect(JSON.parse(r.stdout).error.code).toBe('config_missing');
    expect(r.stderr).toContain('~/nope.ini (from --config) does not exist');
    r = box.run(['providers'], { env: { CRED_CONFIG: '~/missing.ini' } });
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('~/missing.ini (from $CRED_CONFIG) does not exist');
  });

  it('a config file that is a directory or binary is exit 7', () => {
    box = sandbox();
    box.write('dir/x', '');
    expect(box.run(['providers', '--config', 'dir']).code).toBe(7);
    box.write('bin.ini', Buffer.from([0x5b, 0, 0x5d]));
    const r = box.run(['providers', '--config', 'bin.ini']);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('binary');
  });
});

describe('invalid config', () => {
  it.each([
    ['[provider "acme"]\nenv = ACME_TOKEN\nheadr = X: {token}\n', 3, 'headr'],
    ['[provider "acme"]\nenv = ACME_TOKEN\nheader = Bearer {token}\n', 3, 'header'],
    ['\n\n[provider "acme"]\nheader = X: {token}\n', 3, 'env'],
    ['[provider "acme"]\nenv = ACME_TOKEN\nsession_command = "unclosed\n', 3, 'session_command'],
  ])('%j: exit 7 naming file, line %i and key %s, for every command', (text, line, key) => {
    box = sandbox();
    box.write('.config/cred/config', text);
    for (const args of [['resolve', 'qoder'], ['providers'], ['env']]) {
      const r = box.run(args, { env: { QODER_PERSONAL_ACCESS_TOKEN: 'pt-0123456789abcdef' } });
      expect(r.code).toBe(7);
      expect(r.stderr).toContain(`invalid config file ~/.config/cred/config, line ${line}, key ${key}`);
      expect(r.stdout).not.toContain('pt-0123456789abcdef');
    }
    const r = box.run(['resolve', 'qoder', '--json']);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'config_invalid', exitCode: 7 });
  });
});

describe('a declared provider', () => {
  it('resolves through the whole chain: flag, options.env, env, credentials files', () => {
    box = sandbox();
    box.write(
      '.config/cred/config',
      `${ACME}credentials_file = ~/.acme/credentials\ncredentials_key = api_key\n`,
    );
    const src = (args: string[], env: Record<string, string> = {}) => {
      const r = box.run(['resolve', 'acme', '--json', ...args], { env });
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout);
    };
    box.write(
      '.acme/credentials',
      `[default]\napi_key = ${TOKEN}\n[prod]\napi_key = acme_prod_0f9e8d7c6b5a\n`,
    );
    expect(src([]).source).toEqual({ step: 'file', detail: '~/.acme/credentials [default]' });
    expect(src(['--profile', 'prod']).redacted).toBe('acme_…6b5a');
    box.write('.config/cred/credentials', `[acme]\ntoken = ${TOKEN}x\n`);
    expect(src([]).source.detail).toBe('~/.config/cred/credentials [acme]');
    expect(src([], { ACME_KEY: TOKEN }).source).toEqual({ step: 'env', detail: 'ACME_KEY' });
    expect(src(['--env', `ACME_TOKEN=${TOKEN}`], { ACME_KEY: TOKEN }).source.step).toBe('options-env');
    const out = src(['--reveal', '--token', TOKEN]);
    expect(out.token).toBe(TOKEN);
    expect(out.header).toEqual({ name: 'X-Api-Key', value: 'acme_…a863' });
  });

  it('warns when a value does not fit its prefix, naming the source only', () => {
    box = sandbox();
    box.write('.config/cred/config', ACME);
    const r = box.run(['resolve', 'acme'], { env: { ACME_TOKEN: 'other-0123456789abcdef' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'ACME_TOKEN: the value does not look like a acme token (expected prefix acme_)',
    );
    expect(r.stderr).not.toContain('0123456789abcdef');
  });

  it('is not configured (exit 3) when nothing holds a value, listing where it looked', () => {
    box = sandbox();
    box.write('.config/cred/config', ACME);
    const r = box.run(['resolve', 'acme']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('ACME_TOKEN');
    expect(r.stderr).toContain('ACME_KEY');
  });
});

describe('extending a built-in', () => {
  it('keeps its env vars and prefix, adds what the section says, and says where it came from', () => {
    box = sandbox();
    box.write(
      '.config/cred/config',
      '[provider "qoder"]\ncredentials_file = ~/.qoder/creds\ncredentials_key = pat\n',
    );
    box.write('.qoder/creds', '[default]\npat = pt-fromqoderfile0001\n');
    let r = box.run(['resolve', 'qoder', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      source: { step: 'file', detail: '~/.qoder/creds [default]' },
      redacted: 'pt-…0001',
    });
    r = box.run(['resolve', 'qoder', '--json'], {
      env: { QODER_PERSONAL_ACCESS_TOKEN: 'pt-fromenv000000002' },
    });
    expect(JSON.parse(r.stdout).source.step).toBe('env');
    r = box.run(['providers', '--json']);
    const q = JSON.parse(r.stdout).find((p: { id: string }) => p.id === 'qoder');
    expect(q.origin).toBe('built-in, extended by ~/.config/cred/config');
    expect(q.envVars).toEqual(['QODER_PERSONAL_ACCESS_TOKEN']);
  });
});

describe('config file permissions', () => {
  // Not only commands and plugins: an endpoint or header in such a file decides where the token goes.
  it.each([
    ['a session_command', '[provider "qoder"]\nsession_command = qodercli token\n'],
    ['an endpoint', '[provider "qoder"]\nendpoint = https://elsewhere.example\n'],
  ])('warns when others can change a config file, e.g. one with %s', (_what, config) => {
    box = sandbox();
    box.write('.config/cred/config', config, 0o666);
    let r = box.run(['resolve', 'qoder'], { env: { QODER_PERSONAL_ACCESS_TOKEN: 'pt-0123456789abcdef' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'cred: warning: ~/.config/cred/config can be changed by other users (mode 666); it decides what cred runs and where it sends your token; run: chmod go-w ~/.config/cred/config',
    );
    box.write('.config/cred/config', config, 0o600);
    r = box.run(['resolve', 'qoder'], { env: { QODER_PERSONAL_ACCESS_TOKEN: 'pt-0123456789abcdef' } });
    expect(r.stderr).toBe('');
  });

  it('a token pasted where a variable name belongs is not echoed', () => {
    box = sandbox();
    box.write('.config/cred/config', `[provider "acme"]\nenv = ${CANARY}\n`);
    const r = box.run(['resolve', 'acme']);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('line 2, key env');
    expect(r.stderr).not.toContain(CANARY);
  });
});
