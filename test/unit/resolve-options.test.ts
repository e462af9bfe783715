import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkProfile, parseFrom, resolve } from '../../src/resolve.js';

describe('parseFrom (--from)', () => {
  it.each([
    [undefined, undefined],
    ['env', ['env']],
    ['env,file', ['env', 'file']],
    [' env , file ', ['env', 'file']],
    ['flag,options-env,env,file,session', ['flag', 'options-env', 'env', 'file', 'session']],
    ['options.env', ['options-env']],
    [
      ['session', 'flag'],
      ['session', 'flag'],
    ],
    ['env,,file', ['env', 'file']],
  ])('%j → %j', (from, steps) => {
    expect(parseFrom(from)).toEqual(steps);
  });

  it.each([
    ['keychain', 'unknown step "keychain"'],
    ['env,files', 'unknown step "files"'],
    ['ENV', 'unknown step "ENV"'],
    ['', 'needs at least one step'],
    [',', 'needs at least one step'],
    [[], 'needs at least one step'],
  ])('%j is a usage error (exit 2): %s', (from, message) => {
    expect(() => parseFrom(from)).toThrow(message);
    try {
      parseFrom(from);
    } catch (e) {
      expect(e).toMatchObject({ exitCode: 2 });
    }
  });
});

describe('checkProfile', () => {
  it.each([
    'default',
    'prod',
    'eu-west-1',
    'team.alpha',
    'a_b',
    '0',
    'A'.repeat(128),
    // Words and a number joined: names, not tokens.
    'production2024eu',
    'tenant42production',
    'myCompanyProd2024',
    'customer-acme-prod-eu',
  ])('%j is accepted', (name) => {
    expect(checkProfile(name)).toBe(name);
  });
  it.each([
    '',
    ' prod',
    'has space',
    '-flag',
    '.hidden',
    'a/b',
    'a:b',
    'a]b',
    'A'.repeat(129),
    '__proto__',
    'pt-CANARY7f3a9c2e1d5b4a6f8e0d', // a pasted token
  ])('%j is a usage error', (name) => {
    expect(() => checkProfile(name)).toThrow(/invalid profile name/);
  });
});

describe('relative paths', () => {
  it("a relative --token-file is read from the working folder in deps, not the process's", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cred-cwd-'));
    try {
      writeFileSync(path.join(dir, 'tok.txt'), 'pt-relative-token-0001\n', { mode: 0o600 });
      expect(process.cwd()).not.toBe(dir);
      const r = await resolve('qoder', { tokenFile: 'tok.txt', deps: { cwd: dir, env: {}, homedir: dir } });
      expect(r.token).toBe('pt-relative-token-0001');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('options.env (the library)', () => {
  it('a value that is not a string is a typed usage error naming the key, never the value', async () => {
    let caught: unknown;
    try {
      await resolve('qoder', {
        env: { QODER_PERSONAL_ACCESS_TOKEN: 12345 as unknown as string },
        deps: { env: {}, homedir: '/nowhere' },
      });
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ code: 'usage', exitCode: 2 });
    expect((caught as Error).message).toBe(
      'options.env["QODER_PERSONAL_ACCESS_TOKEN"] must be a string, not number',
    );
  });
});
