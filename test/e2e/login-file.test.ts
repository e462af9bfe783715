// `cred login --store file` and `cred logout`: what is read, what is refused, what is written where,
// and that nothing but the one profile's token is touched.
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CANARY, type Sandbox, sandbox } from '../helpers/cli.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

const FILE = '.config/cred/credentials';
const login = (b: Sandbox, args: string[], input: string, env: Record<string, string> = {}) =>
  b.run(['login', ...args, '--store', 'file', '--with-token'], { input, env });

describe('cred login --store file', () => {
  it('stores the first line of stdin, trimmed, and says where, redacted', () => {
    box = sandbox();
    const r = login(box, ['qoder'], `  ${CANARY}  \nsecond line ignored\n`);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `Logged in to qoder (profile default): pt-…${CANARY.slice(-4)} stored in ~/.config/cred/credentials [qoder]\n`,
    );
    expect(r.stderr).toBe('');
    expect(readFileSync(box.path(FILE), 'utf8')).toBe(`[qoder]\ntoken = ${CANARY}\n`);
  });

  it("makes cred's own folder 0700 even when it existed as 0755; leaves a folder the user chose alone", () => {
    box = sandbox();
    mkdirSync(box.path('.config/cred'), { recursive: true });
    chmodSync(box.path('.config/cred'), 0o755);
    expect(login(box, ['qoder'], `${CANARY}\n`).code).toBe(0);
    expect(statSync(box.path('.config/cred')).mode & 0o777).toBe(0o700);
    expect(statSync(box.path(FILE)).mode & 0o777).toBe(0o600);

    mkdirSync(box.path('shared'), { mode: 0o755 });
    chmodSync(box.path('shared'), 0o755);
    expect(login(box, ['qoder', '--credentials-file', box.path('shared/creds')], `${CANARY}\n`).code).toBe(0);
    expect(statSync(box.path('shared')).mode & 0o777).toBe(0o755);
    expect(statSync(box.path('shared/creds')).mode & 0o777).toBe(0o600);
  });

  it("a symlinked ~/.config (dotfiles) is still cred's own folder: an existing 0755 cred/ becomes 0700", () => {
    box = sandbox();
    mkdirSync(box.path('dotfiles/config/cred'), { recursive: true });
    chmodSync(box.path('dotfiles/config/cred'), 0o755);
    writeFileSync(box.path('dotfiles/config/cred/credentials'), '[podstack]\ntoken = ps-other-000000001\n', {
      mode: 0o600,
    });
    symlinkSync(box.path('dotfiles/config'), box.path('.config'));
    expect(login(box, ['qoder'], `${CANARY}\n`).code).toBe(0);
    expect(statSync(box.path('dotfiles/config/cred')).mode & 0o777).toBe(0o700);
  });

  it('a symlinked credentials file stays a link, also when its target does not exist yet', () => {
    box = sandbox();
    mkdirSync(box.path('.config/cred'), { recursive: true });
    mkdirSync(box.path('dotfiles'));
    symlinkSync('../../dotfiles/creds', box.path(FILE)); // relative, and dangling
    expect(login(box, ['qoder'], `${CANARY}\n`).code).toBe(0);
    expect(lstatSync(box.path(FILE)).isSymbolicLink()).toBe(true);
    expect(readFileSync(box.path('dotfiles/creds'), 'utf8')).toBe(`[qoder]\ntoken = ${CANARY}\n`);
    expect(statSync(box.path('dotfiles/creds')).mode & 0o777).toBe(0o600);
    // And an existing target is written through the same way.
    expect(login(box, ['qoder', '--profile', 'p2'], `${CANARY}\n`).code).toBe(0);
    expect(lstatSync(box.path(FILE)).isSymbolicLink()).toBe(true);
    expect(readFileSync(box.path('dotfiles/creds'), 'utf8')).toContain('[qoder:p2]');
  });

  it('a relative link under a symlinked folder is followed as the kernel follows it', () => {
    box = sandbox();
    mkdirSync(box.path('real/sub'), { recursive: true });
    mkdirSync(box.path('real/secrets'));
    symlinkSync('real/sub', box.path('linkdir')); // ~/linkdir -> real/sub
    symlinkSync('../secrets/creds', box.path('real/sub/credentials')); // dangling, relative
    const file = box.path('linkdir/credentials');
    expect(login(box, ['qoder', '--credentials-file', file], `${CANARY}\n`).code).toBe(0);
    expect(readFileSync(box.path('real/secrets/creds'), 'utf8')).toBe(`[qoder]\ntoken = ${CANARY}\n`);
    const back = box.run(['resolve', 'qoder', '--reveal', '--credentials-file', file]);
    expect(back.stdout).toBe(`${CANARY}\n`);
    // A `..` inside the link text comes after a symlinked folder: the kernel follows lnk first.
    mkdirSync(box.path('real/a/b'), { recursive: true });
    symlinkSync('real/a/b', box.path('lnk'));
    symlinkSync('lnk/../targetC', box.path('credC'));
    expect(login(box, ['qoder', '--credentials-file', box.path('credC')], `${CANARY}\n`).code).toBe(0);
    expect(existsSync(box.path('real/a/targetC'))).toBe(true);
    expect(box.run(['resolve', 'qoder', '--reveal', '--credentials-file', box.path('credC')]).stdout).toBe(
      `${CANARY}\n`,
    );
  });

  it('--json prints the result object without the token', () => {
    box = sandbox();
    const r = box.run(['--json', 'login', 'qoder', '--store', 'file', '--with-token'], { input: CANARY });
    expect(JSON.parse(r.stdout)).toEqual({
      provider: 'qoder',
      profile: 'default',
      store: 'file',
      location: '~/.config/cred/credentials [qoder]',
      redacted: `pt-…${CANARY.slice(-4)}`,
      warnings: [],
    });
  });

  it('--profile beats CRED_PROFILE, which beats default', () => {
    box = sandbox();
    login(box, ['qoder'], 'pt-from-cred-profile-env', { CRED_PROFILE: 'ci' });
    box.run(['--profile', 'mine', 'login', 'qoder', '--store', 'file', '--with-token'], {
      input: 'pt-from-profile-flag',
      env: { CRED_PROFILE: 'ci' },
    });
    expect(readFileSync(box.path(FILE), 'utf8')).toBe(
      '[qoder:ci]\ntoken = pt-from-cred-profile-env\n\n[qoder:mine]\ntoken = pt-from-profile-flag\n',
    );
  });

  it('warns about the format (naming the source, never the value) and still stores it', () => {
    box = sandbox();
    const r = login(box, ['qoder'], 'Bearer pt-with-a-scheme-123456');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('stdin (--with-token): the value starts with "Bearer "');
    const other = login(box, ['--profile', 'x', 'qoder'], 'not-a-qoder-pat-0123456');
    expect(other.stderr).toContain('does not look like a Qoder token (expected prefix pt-)');
    for (const out of [r.stderr, other.stderr]) {
      expect(out).not.toContain('pt-with-a-scheme-123456');
      expect(out).not.toContain('not-a-qoder-pat-0123456');
    }
  });

  it.each([
    ['an empty line', '\n'],
    ['only spaces', '   \n'],
    ['nothing at all', ''],
  ])('refuses %s with exit 2 and writes nothing', (_name, input) => {
    box = sandbox();
    const r = login(box, ['qoder'], input);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('refusing to store an empty Qoder token');
    expect(existsSync(box.path('.config'))).toBe(false);
  });

  it('without a terminal and without --with-token: exit 2 naming --with-token', () => {
    box = sandbox();
    const r = box.run(['login', 'qoder', '--store', 'file'], { input: CANARY });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--with-token');
    expect(existsSync(box.path(FILE))).toBe(false);
  });

  it('refuses a value an INI file cannot carry unchanged (exit 2), pointing at the keychain', () => {
    box = sandbox();
    const r = login(box, ['qoder'], 'pt-has;semicolon-123456');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--store keychain');
    expect(r.stderr).not.toContain('semicolon');
  });

  it('refuses to edit a malformed file (exit 7, naming the file and line) and leaves it alone', () => {
    box = sandbox();
    box.write(FILE, '[podstack]\ntoken = x\nstray words\n');
    const r = login(box, ['qoder'], CANARY);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('~/.config/cred/credentials: line 3');
    expect(readFileSync(box.path(FILE), 'utf8')).toBe('[podstack]\ntoken = x\nstray words\n');
  });

  it('usage errors: unknown provider, bad --store, bad profile name', () => {
    box = sandbox();
    expect(login(box, ['nope'], CANARY).code).toBe(2);
    expect(box.run(['login', 'qoder', '--store', 'vault', '--with-token'], { input: CANARY }).code).toBe(2);
    expect(
      box.run(['--profile', '../x', 'login', 'qoder', '--store', 'file', '--with-token'], { input: CANARY })
        .code,
    ).toBe(2);
    expect(existsSync(box.path('.config'))).toBe(false);
  });

  it('honours --credentials-file and CRED_CREDENTIALS_FILE', () => {
    box = sandbox();
    login(box, ['qoder', '--credentials-file', box.path('a/creds')], 'pt-into-flag-file-123');
    login(box, ['qoder'], 'pt-into-env-file-12345', { CRED_CREDENTIALS_FILE: box.path('b/creds') });
    expect(readFileSync(box.path('a/creds'), 'utf8')).toBe('[qoder]\ntoken = pt-into-flag-file-123\n');
    expect(readFileSync(box.path('b/creds'), 'utf8')).toBe('[qoder]\ntoken = pt-into-env-file-12345\n');
  });
});

describe('cred logout', () => {
  const SEED = [
    '# mine',
    '[qoder]',
    'token = pt-default-0123456789',
    '',
    '[qoder:work]',
    '; work PAT, rotate monthly',
    'token = pt-work-0123456789',
    'endpoint = https://openapi.qoder.sh',
    '',
    '[podstack]',
    'token = ps-0123456789',
    '',
  ].join('\n');

  it('removes exactly that profile token, keeping its other keys and comments, and says so', () => {
    box = sandbox();
    box.write(FILE, SEED);
    const r = box.run(['--profile', 'work', 'logout', 'qoder']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Removed qoder (profile work) from ~/.config/cred/credentials [qoder:work]\n');
    expect(readFileSync(box.path(FILE), 'utf8')).toBe(SEED.replace('token = pt-work-0123456789\n', ''));
    // No D-Bus here: the keychain could not be looked at, and stderr says so.
    expect(r.stderr).toContain('not checked: keychain cred/qoder:work: no D-Bus session');
  });

  it('a login then its logout gives back the file byte for byte', () => {
    box = sandbox();
    box.write(FILE, SEED);
    expect(login(box, ['--profile', 'new', 'qoder'], CANARY).code).toBe(0);
    expect(readFileSync(box.path(FILE), 'utf8')).not.toBe(SEED);
    expect(box.run(['--profile', 'new', 'logout', 'qoder']).code).toBe(0);
    expect(readFileSync(box.path(FILE), 'utf8')).toBe(SEED);
  });

  it('"nothing to remove" with exit 0 when nothing was stored, and creates nothing', () => {
    box = sandbox();
    const r = box.run(['logout', 'qovery']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Nothing to remove for qovery (profile default)\n');
    expect(existsSync(box.path('.config'))).toBe(false);
    const j = box.run(['--json', 'logout', 'qovery']);
    expect(JSON.parse(j.stdout)).toMatchObject({ provider: 'qovery', removed: [], nothingToRemove: true });
  });

  it("does not touch a provider CLI's own files", () => {
    box = sandbox();
    const ctx = box.write('.qovery/context.json', '{"access_token":"abc"}');
    box.run(['logout', 'qovery']);
    expect(readFileSync(ctx, 'utf8')).toBe('{"access_token":"abc"}');
  });
});
