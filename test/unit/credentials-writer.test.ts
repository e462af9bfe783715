import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultDeps } from '../../src/deps.js';
import {
  checkStorableValue,
  removeIniKey,
  removeToken,
  setIniKey,
  writeToken,
} from '../../src/stores/credentials-writer.js';
import { iniSection, iniString, parseIniText } from '../../src/stores/ini-file.js';

const parse = (text: string) => parseIniText(text, '/x/credentials', { homedir: '/nowhere' });

describe('setIniKey: edits only the one line it must', () => {
  it.each([
    ['a new file', '', '[qoder]\ntoken = pt-new\n'],
    [
      'another section, kept; a blank line before the new one',
      '# mine\n[podstack]\ntoken = abc\n',
      '# mine\n[podstack]\ntoken = abc\n\n[qoder]\ntoken = pt-new\n',
    ],
    [
      'a last line without a newline',
      '[podstack]\ntoken = abc',
      '[podstack]\ntoken = abc\n\n[qoder]\ntoken = pt-new\n',
    ],
    [
      'an existing token, replaced in place with its spacing',
      '[qoder]\n  token=pt-old\nendpoint = e\n',
      '[qoder]\n  token=pt-new\nendpoint = e\n',
    ],
    [
      'a section without a token: after its last key, before the next section comment',
      '[qoder]\nendpoint = e\n\n; about podstack\n[podstack]\ntoken = abc\n',
      '[qoder]\nendpoint = e\ntoken = pt-new\n\n; about podstack\n[podstack]\ntoken = abc\n',
    ],
    [
      'an empty section: right after the header',
      '[qoder]\n[podstack]\ntoken = abc\n',
      '[qoder]\ntoken = pt-new\n[podstack]\ntoken = abc\n',
    ],
    ['CRLF stays CRLF', '[a]\r\nx = 1\r\n', '[a]\r\nx = 1\r\n\r\n[qoder]\r\ntoken = pt-new\r\n'],
    [
      'a repeated section: the last token (the one a reader uses) is replaced',
      '[qoder]\ntoken = one\n[qoder]\ntoken = two\n',
      '[qoder]\ntoken = one\n[qoder]\ntoken = pt-new\n',
    ],
    [
      'a profile section is not the default one',
      '[qoder]\ntoken = keep\n',
      '[qoder]\ntoken = keep\n\n[qoder:work]\ntoken = pt-new\n',
    ],
  ])('%s', (name, before, after) => {
    const section = name.startsWith('a profile') ? 'qoder:work' : 'qoder';
    expect(setIniKey(before, section, 'token', 'pt-new')).toBe(after);
  });
});

describe('removeIniKey: removes exactly the login', () => {
  it.each([
    [
      'the section it created, and the blank line before it',
      '[a]\nx = 1\n\n[qoder]\ntoken = t\n',
      '[a]\nx = 1\n',
    ],
    [
      'a section in the middle, keeping the separation',
      '[a]\nx = 1\n\n[qoder]\ntoken = t\n\n[b]\ny = 2\n',
      '[a]\nx = 1\n\n[b]\ny = 2\n',
    ],
    [
      'only the token when the section holds other keys or comments',
      '[qoder]\n# work account\ntoken = t\nendpoint = e\n',
      '[qoder]\n# work account\nendpoint = e\n',
    ],
    [
      'every duplicate, so none comes back',
      '[qoder]\ntoken = a\ntoken = b\n[x]\nk = v\n[qoder]\ntoken = c\n',
      '[x]\nk = v\n',
    ],
    ['not another profile', '[qoder:work]\ntoken = w\n[qoder]\ntoken = d\n', '[qoder:work]\ntoken = w\n'],
  ])('%s', (_name, before, after) => {
    expect(removeIniKey(before, 'qoder', 'token')).toEqual({ text: after, removed: true });
  });

  it('reports nothing removed and leaves the text alone', () => {
    const text = '[qoder:work]\ntoken = w\n';
    expect(removeIniKey(text, 'qoder', 'token')).toEqual({ text, removed: false });
  });
});

describe('checkStorableValue: only values that read back unchanged', () => {
  it.each(['pt-abc123', 'a=b==', 'ünïcødé-tøken', 'with inner space', 'x'])('accepts %j', (v) => {
    expect(() => checkStorableValue('token', v)).not.toThrow();
  });
  it.each(['a;b', 'a#b', '"quoted"', "'q'", 'true', 'false', 'null', 'a\nb', ' padded', ''])(
    'refuses %j (exit 2)',
    (v) => {
      expect(() => checkStorableValue('token', v)).toThrow(expect.objectContaining({ exitCode: 2 }));
    },
  );
});

// Files made of what people write: comments, blank lines, other sections and keys, either line ending.
const lineArb = fc.oneof(
  fc.constantFrom(
    '',
    '# comment',
    '; other comment',
    '  # indented',
    'endpoint = https://e',
    'x=1',
    'token = other',
  ),
  fc.constantFrom('[podstack]', '[qoder:work]', '[other]', '[a.b]', '[qoder:prod]'),
  fc.stringMatching(/^[a-z_]{1,8} = [A-Za-z0-9._-]{0,12}$/),
);
const fileArb = fc
  .tuple(fc.array(lineArb, { maxLength: 14 }), fc.constantFrom('\n', '\r\n'))
  .map(([lines, eol]) => lines.map((l) => l + eol).join(''));
const tokenArb = fc
  .stringMatching(/^[A-Za-z0-9][A-Za-z0-9._~+/=-]{0,40}$/)
  .filter((t) => !['true', 'false', 'null'].includes(t));

describe('properties', () => {
  it('set then read gives the token, and every other section is untouched', () => {
    fc.assert(
      fc.property(fileArb, tokenArb, (before, token) => {
        const after = setIniKey(before, 'qoder', 'token', token);
        const b = parse(before);
        const a = parse(after);
        expect(iniString(iniSection(a, 'qoder')!, 'token')).toBe(token);
        for (const name of ['podstack', 'qoder:work', 'other', 'a.b', 'qoder:prod']) {
          expect(iniSection(a, name)).toEqual(iniSection(b, name));
        }
        const comments = (t: string) => t.split(/\r?\n/).filter((l) => /^\s*[#;]/.test(l));
        expect(comments(after)).toEqual(comments(before));
      }),
      { numRuns: 300 },
    );
  });

  it('login then logout of a new section gives back the file byte for byte', () => {
    fc.assert(
      fc.property(fileArb, tokenArb, (before, token) => {
        fc.pre(!/^\s*\[qoder\]\s*$/m.test(before));
        const after = setIniKey(before, 'qoder', 'token', token);
        expect(removeIniKey(after, 'qoder', 'token')).toEqual({ text: before, removed: true });
      }),
      { numRuns: 300 },
    );
  });
});

describe('writeToken / removeToken on disk', () => {
  let dir: string;
  const deps = () => defaultDeps({ env: {}, homedir: dir });
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cred-writer-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a 0700 folder and a 0600 file, and leaves nothing else', async () => {
    const file = path.join(dir, 'conf', 'cred', 'credentials');
    await writeToken(file, 'qoder', 'pt-abcdef123456', deps());
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('[qoder]\ntoken = pt-abcdef123456\n');
    expect(readdirSync(path.dirname(file))).toEqual(['credentials']);
  });

  it('tightens a file others could read to 0600 and keeps a byte-order mark', async () => {
    const file = path.join(dir, 'credentials');
    writeFileSync(file, '\ufeff# mine\n[a]\nx = 1\n', { mode: 0o644 });
    await writeToken(file, 'qoder', 'pt-abcdef123456', deps());
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('\ufeff# mine\n[a]\nx = 1\n\n[qoder]\ntoken = pt-abcdef123456\n');
    await removeToken(file, 'qoder', deps());
    expect(readFileSync(file, 'utf8')).toBe('\ufeff# mine\n[a]\nx = 1\n');
  });

  it('refuses a malformed file with exit 7 and does not change it', async () => {
    const file = path.join(dir, 'credentials');
    writeFileSync(file, '[a]\njust words\n', { mode: 0o600 });
    await expect(writeToken(file, 'qoder', 'pt-abcdef123456', deps())).rejects.toMatchObject({
      exitCode: 7,
      message: expect.stringContaining('line 2'),
    });
    expect(readFileSync(file, 'utf8')).toBe('[a]\njust words\n');
    expect(readdirSync(dir)).toEqual(['credentials']);
  });

  it('writes through a symlink, which stays a symlink', async () => {
    const real = path.join(dir, 'dotfiles', 'credentials');
    mkdirSync(path.dirname(real));
    writeFileSync(real, '[a]\nx = 1\n', { mode: 0o600 });
    const link = path.join(dir, 'credentials');
    symlinkSync(real, link);
    await writeToken(link, 'qoder', 'pt-abcdef123456', deps());
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toContain('[qoder]\ntoken = pt-abcdef123456\n');
  });

  it("removes a dead writer's temp file on the next write", async () => {
    const file = path.join(dir, 'credentials');
    writeFileSync(file, '[a]\nx = 1\n', { mode: 0o600 });
    writeFileSync(path.join(dir, '.credentials.tmp-99999-deadbeef'), 'half a file');
    await writeToken(file, 'qoder', 'pt-abcdef123456', deps());
    expect(readdirSync(dir)).toEqual(['credentials']);
  });

  it('logout of a missing file creates nothing', async () => {
    const file = path.join(dir, 'none', 'credentials');
    expect(await removeToken(file, 'qoder', deps())).toMatchObject({ changed: false });
    expect(readdirSync(dir)).toEqual([]);
  });
});
