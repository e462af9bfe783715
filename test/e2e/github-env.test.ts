// `cred env --shell github`: masks on stdout, NAME<<DELIM blocks appended to $GITHUB_ENV, read back
// the way the Actions runner reads that file.
import { readFileSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CANARY, type Sandbox, sandbox } from '../helpers/cli.js';
import { parseGithubEnv } from '../unit/formats-helpers.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

describe('cred env --shell github', () => {
  it('appends values the runner reads back exactly, including EOF and newlines, and masks each line', () => {
    box = sandbox();
    const envFile = box.write('github_env', 'EARLIER=kept\n');
    const value = `${CANARY}\nEOF\nline three with EOF and <<EOF\n%0A`;
    box.write('.config/cred/credentials', '[podstack]\ntoken = psk-0123456789abcdef\nproject = proj-1\n');
    const r = box.run(['env', 'qoder', 'podstack', '--shell', 'github'], {
      env: { GITHUB_ENV: envFile, QODER_PERSONAL_ACCESS_TOKEN: value },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        `::add-mask::${CANARY}`,
        '::add-mask::EOF',
        '::add-mask::line three with EOF and <<EOF',
        '::add-mask::%250A',
        '::add-mask::psk-0123456789abcdef',
        '::add-mask::proj-1',
        '',
      ].join('\n'),
    );
    expect(r.stderr).not.toContain(CANARY);
    const parsed = parseGithubEnv(readFileSync(envFile, 'utf8'));
    expect(parsed).toEqual({
      EARLIER: 'kept',
      QODER_PERSONAL_ACCESS_TOKEN: value,
      PODSTACK_API_TOKEN: 'psk-0123456789abcdef',
      PODSTACK_PROJECT: 'proj-1',
    });
  });

  it('creates a missing $GITHUB_ENV file with mode 0600 (it holds the tokens)', () => {
    box = sandbox();
    const envFile = box.path('new_github_env');
    const r = box.run(['env', 'qoder', '--shell', 'github'], {
      env: { GITHUB_ENV: envFile, QODER_PERSONAL_ACCESS_TOKEN: CANARY },
    });
    expect(r.code).toBe(0);
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
  });

  it('a value the file cannot carry is refused before anything is printed', () => {
    box = sandbox();
    const envFile = box.write('github_env', '');
    // The masks alone would be printable; the project's final CR is what the file cannot carry.
    const r = box.run(['env', 'podstack', '--shell', 'github'], {
      env: { GITHUB_ENV: envFile, PODSTACK_API_TOKEN: CANARY, PODSTACK_PROJECT: 'proj-1\r' },
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(readFileSync(envFile, 'utf8')).toBe('');
    expect(r.stderr).not.toContain(CANARY);
  });

  it('uses a different random delimiter on every run', () => {
    box = sandbox();
    const envFile = box.write('github_env', '');
    for (let i = 0; i < 2; i++) {
      box.run(['env', 'qoder', '--shell', 'github'], {
        env: { GITHUB_ENV: envFile, QODER_PERSONAL_ACCESS_TOKEN: CANARY },
      });
    }
    const delims = readFileSync(envFile, 'utf8').match(/<<(.*)/g) ?? [];
    expect(delims.length).toBe(2);
    expect(delims[0]).not.toBe(delims[1]);
  });

  it('fails with exit 2 and a clear message when $GITHUB_ENV is unset, printing no mask or value', () => {
    box = sandbox();
    const r = box.run(['env', '--shell', 'github'], { env: { QODER_PERSONAL_ACCESS_TOKEN: CANARY } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--shell github needs \$GITHUB_ENV, which is not set/);
    expect(r.stderr).not.toContain(CANARY);
  });

  it('fails with exit 7 naming the file when $GITHUB_ENV cannot be written', () => {
    box = sandbox();
    const r = box.run(['env', '--shell', 'github'], {
      env: { QODER_PERSONAL_ACCESS_TOKEN: CANARY, GITHUB_ENV: box.path('no/such/dir/env') },
    });
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/cannot append to \$GITHUB_ENV/);
  });
});
