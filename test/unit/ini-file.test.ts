import fc from 'fast-check';
import ini from 'ini';
import { describe, expect, it } from 'vitest';
import {
  checkIniLines,
  iniSection,
  iniString,
  isPlainIni,
  parseIniText,
  plainIniBody,
} from '../../src/stores/ini-file.js';

const deps = { homedir: '/home/u' };
const parse = (text: string) => parseIniText(text, '/home/u/.config/cred/credentials', deps);

describe('checkIniLines: what is well-formed', () => {
  it.each([
    ['empty', ''],
    ['comments', '; one\n# two\n   ; indented\n'],
    ['a section and keys', '[qoder]\ntoken = pt-x\nendpoint=https://e\n'],
    ['CRLF', '[qoder]\r\ntoken = pt-x\r\n'],
    ['old Mac CR', '[qoder]\rtoken = pt-x\r'],
    ['blank lines and spaces', '\n  [ qoder ]  \n\n  token   =   pt-x  \n'],
    ['profile sections', '[qoder:prod]\ntoken = a\n[podstack:eu-1]\ntoken = b\n'],
    ['a value holding =', '[a]\ntoken = abc==\n'],
    ['an empty value', '[a]\ntoken =\n'],
  ])('%s', (_name, text) => {
    expect(() => checkIniLines(text)).not.toThrow();
  });
});

describe('checkIniLines: what is rejected, with the line', () => {
  it.each([
    ['[qoder\ntoken = x\n', 'line 1: section header is not closed'],
    ['[]\n', 'line 1: empty section name'],
    ['[a]\njust words\n', 'line 2: expected "key = value"'],
    ['[a]\n= value\n', 'line 2: expected "key = value"'],
    ['[__proto__]\ntoken = x\n', 'line 1: section name [__proto__] is not allowed'],
    ['[constructor]\n', 'not allowed'],
    ['[prototype]\n', 'not allowed'],
    ['[a.__proto__]\n', 'not allowed'],
    ['[a]\n__proto__ = x\n', 'line 2: key "__proto__" is not allowed'],
    ['[a]\nconstructor = x\n', 'not allowed'],
    ['[a] ; trailing comment\n', 'not closed'],
    // `ini` drops such a line (so the key went missing, exit 3); configparser keeps the character.
    ['[a]\ntoken = pt-a\u2028bcdefghijklm\n', 'line 2: holds a Unicode line separator (U+2028 or U+2029)'],
    ['[a]\ntoken = x\u2029y\n', 'line 2: holds a Unicode line separator'],
    ['[a]\napi_token = pst_0123456789\u2028\n', 'line 2: holds a Unicode line separator'],
  ])('%j → %s', (text, message) => {
    expect(() => checkIniLines(text)).toThrow(message);
  });
});

it('a U+2028 in a comment or a section header is read like any character (ini and configparser agree)', () => {
  const doc = parse('# note \u2028 here\n[qoder]\ntoken = pt-ok-0123456789\n');
  expect(iniString(iniSection(doc, 'qoder')!, 'token')).toBe('pt-ok-0123456789');
});

describe('quoted values are recorded (to warn) and unwrapped', () => {
  it.each([
    ['[a]\ntoken = "pt-quoted"\n', 'pt-quoted', true],
    ["[a]\ntoken = 'pt-quoted'\n", 'pt-quoted', true],
    ['[a]\ntoken = pt-plain\n', 'pt-plain', false],
    ['[a]\ntoken = "pt-half\n', '"pt-half', false],
    ['[a]\ntoken = "mixed\'\n', '"mixed\'', false],
  ])('%j', (text, value, quoted) => {
    const doc = parse(text);
    expect(iniString(iniSection(doc, 'a')!, 'token')).toBe(value);
    expect(doc.quoted.has('a\0token')).toBe(quoted);
  });
});

describe('parseIniText', () => {
  it('names the file (with ~) and the line in a StoreError with exit 7', () => {
    let caught: unknown;
    try {
      parse('[ok]\nbroken line\n');
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ exitCode: 7, code: 'store_unusable' });
    expect((caught as Error).message).toBe(
      'malformed INI in ~/.config/cred/credentials: line 2: expected "key = value" or "[section]"',
    );
  });

  it.each([
    ['[qoder]\ntoken = a\n', 'qoder', 'token', 'a'],
    ['[qoder:prod]\ntoken = b\n', 'qoder:prod', 'token', 'b'],
    ['[a.b]\ntoken = c\n', 'a.b', 'token', 'c'],
    ['[a]\ntoken = e\ntoken = f\n', 'a', 'token', 'f'],
    ['[a]\nother = x\n', 'a', 'token', undefined],
    ['[a]\ntoken =\n', 'a', 'token', ''],
  ])('%j: [%s] %s = %j', (text, section, key, value) => {
    const s = iniSection(parse(text), section);
    expect(s).toBeDefined();
    expect(iniString(s!, key)).toBe(value);
  });

  it('a missing section is undefined, not an inherited property', () => {
    const doc = parse('[a]\ntoken = x\n');
    for (const name of ['b', 'toString', 'hasOwnProperty', 'a.b'])
      expect(iniSection(doc, name)).toBeUndefined();
  });
});

describe('values that ini cuts at ; or # are recorded (to warn)', () => {
  it.each([
    ['[a]\ntoken = abc#def\n', 'abc', true],
    ['[a]\ntoken = abc ; note\n', 'abc', true],
    ['[a]\ntoken = abc\\#def\n', 'abc#def', false],
    ['[a]\ntoken = abc\\\\#def\n', 'abc\\', true],
    ['[a]\ntoken = abc\\\\\\#def\n', 'abc\\#def', false],
    ['[a]\ntoken = abcdef\n', 'abcdef', false],
    ['[a]\ntoken = "abc#def"\n', 'abc#def', false],
  ])('%j', (text, value, commented) => {
    const doc = parse(text);
    expect(iniString(iniSection(doc, 'a')!, 'token')).toBe(value);
    expect(doc.commented.has('a\0token')).toBe(commented);
  });
});

describe('sections are looked up literally', () => {
  it.each([
    ['[qoder:eu.prod]\ntoken = a\n', 'qoder:eu.prod', 'a'],
    ['[qoder]\ntoken = a\n[other]\nx = 1\n[qoder]\ntoken = b\n', 'qoder', 'b'],
    ['[a]\ntoken = 1\n[a.b]\ntoken = 2\n', 'a', '1'],
    ['[a]\ntoken = 1\n[a.b]\ntoken = 2\n', 'a.b', '2'],
  ])('%j [%s] → %s', (text, name, token) => {
    const doc = parseIniText(text, '/x/credentials', { homedir: '/home/u' });
    expect(iniString(iniSection(doc, name)!, 'token')).toBe(token);
  });
});

describe('plain files: the whole-text check agrees with the line scan', () => {
  // Lines that exercise every branch of readIniLine, and the edges of the plain-file regexps.
  const LINES = [
    '',
    '   ',
    '\t',
    '\u00a0',
    '# c',
    '; c',
    '  # c = x # y',
    '[qoder]',
    '[ qoder ]',
    '  [qoder:prod]  ',
    '[a.b]',
    '[a]',
    '[]',
    '[ ]',
    '[ ]]',
    '[a]b]',
    '[qoder',
    'qoder]',
    '[__proto__]',
    '[a.constructor]',
    '[a] ; c',
    'token = pt-x',
    'token=pt-y',
    '  token   =   z  ',
    'token = "q"',
    "token = 'q'",
    'token = "half',
    'token = a#b',
    'token = a\\#b',
    'token = a ; c',
    '= v',
    'just words',
    '__proto__ = x',
    'constructor=1',
    'key = [qoder]',
    'x = 1 = 2',
    '\u00a0token = nb',
    'token = v\u2028w',
    '[qoder]\u00a0',
    '"k" = "v"',
    'a#b = c',
    '\ufeff[qoder]',
    '[qoder]\u2028',
    'endpoint = https://e.example/x?a=b',
  ];
  const NAMES = ['qoder', 'qoder:prod', 'a.b', 'a', 'a]b', ']', 'podstack', 'b', 'toString', 'a.constructor'];
  const junk = fc
    .array(
      fc.constantFrom('[', ']', '=', ';', '#', '"', "'", ' ', '\t', '\u00a0', '\u2028', 'a', 'q', '.', '_'),
      {
        maxLength: 8,
      },
    )
    .map((cs) => cs.join(''));
  const line = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...LINES) }, { weight: 1, arbitrary: junk });
  const text = fc
    .array(fc.tuple(line, fc.constantFrom('\n', '\r\n', '\r')), { maxLength: 12 })
    .map((ls) => ls.map(([l, eol]) => l + eol).join(''));

  it('a file called plain is one the line scan accepts, with the same sections and nothing to warn about', () => {
    let plain = 0;
    fc.assert(
      fc.property(text, (t) => {
        if (!isPlainIni(t)) return;
        plain++;
        const exact = checkIniLines(t);
        expect(exact.quoted.size + exact.commented.size).toBe(0);
        for (const name of NAMES) {
          const want = exact.bodies.get(name);
          const got = plainIniBody(t, name);
          expect(got === undefined, `[${name}] in ${JSON.stringify(t)}`).toBe(want === undefined);
          if (want && got !== undefined) expect(ini.parse(got)).toEqual(ini.parse(want.join('\n')));
        }
      }),
      { numRuns: 3000 },
    );
    // The property is not vacuous: a good share of the generated files are plain.
    expect(plain).toBeGreaterThan(300);
  });

  it('typical files are plain; quoted values, cut values and forbidden names are not', () => {
    expect(isPlainIni('')).toBe(true);
    expect(isPlainIni('# mine\n[qoder]\ntoken = pt-x\n\n[podstack:eu]\r\ntoken=abc\r\n')).toBe(true);
    for (const t of [
      '[a]\ntoken = "q"\n',
      '[a]\ntoken = a#b\n',
      '[a.__proto__]\n',
      '[a]\nbad\n',
      '[ ]\n',
      '[a]\ntoken = v\u2028w\n',
    ])
      expect(isPlainIni(t), JSON.stringify(t)).toBe(false);
  });

  it('stays linear on long lines built to make a regexp backtrack', () => {
    const n = 200_000;
    for (const t of [
      '='.repeat(n),
      `[${'a'.repeat(n)}`,
      `[]${' '.repeat(n)}x`,
      `a${'='.repeat(n)}`,
      ' '.repeat(n),
    ]) {
      const started = performance.now();
      isPlainIni(t);
      plainIniBody(t, 'a');
      // Seconds, not milliseconds, if anything were quadratic; a generous bound keeps this from
      // being a timing test.
      expect(performance.now() - started).toBeLessThan(2000);
    }
  });
});
