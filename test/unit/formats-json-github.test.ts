import { describe, expect, it } from 'vitest';
import { escapeCommandData, githubEnvFile, githubMasks } from '../../src/output/formats/github.js';
import { formatJson } from '../../src/output/formats/json.js';
import { formatPosix } from '../../src/output/formats/posix.js';
import { parseGithubEnv, sampleValues } from './formats-helpers.js';

const values = sampleValues('/tmp/x', 200);

describe('json', () => {
  it('is one object mapping each name to its exact value', () => {
    const vars = values.map((value, i) => ({ name: `V${i}`, value }));
    const parsed = JSON.parse(formatJson(vars));
    expect(Object.keys(parsed).length).toBe(values.length);
    values.forEach((v, i) => {
      expect(parsed[`V${i}`]).toBe(v);
    });
  });
});

describe('posix', () => {
  it.each([
    ['plain', "export T='plain'\n"],
    ["it's", "export T='it'\\''s'\n"],
    ["'", "export T=\\'\n"],
    ["''x''", "export T=\\'\\''x'\\'\\'\n"],
    ['', "export T=''\n"],
  ])('writes %j as %j (never an empty quoted piece)', (value, out) => {
    expect(formatPosix([{ name: 'T', value }])).toBe(out);
  });

  it('refuses NUL and lone surrogates, naming the variable', () => {
    expect(() => formatPosix([{ name: 'T', value: 'a\0' }])).toThrow(/cannot export T as posix: .*NUL/);
    expect(() => formatPosix([{ name: 'T', value: 'a\uD800' }])).toThrow(/lone surrogate/);
  });
});

describe('github', () => {
  it('masks each non-empty line of a value, escaped as workflow-command data', () => {
    const out = githubMasks([{ name: 'T', value: 'first line\nsecond %0A 50%\r\n\nthird' }]);
    expect(out).toBe('::add-mask::first line\n::add-mask::second %250A 50%25\n::add-mask::third\n');
    expect(escapeCommandData('a\rb\nc%')).toBe('a%0Db%0Ac%25');
  });

  it('writes heredoc blocks the runner reads back exactly, for every generated value', () => {
    const ok = values.filter((v) => !v.endsWith('\r'));
    const vars = ok.map((value, i) => ({ name: `V${i}`, value }));
    const parsed = parseGithubEnv(githubEnvFile(vars));
    ok.forEach((v, i) => {
      expect(parsed[`V${i}`]).toBe(v);
    });
  });

  it('draws a new delimiter when the value contains the first one', () => {
    const draws = ['aaaa', 'bbbb'];
    const text = githubEnvFile([{ name: 'T', value: 'x\nghadelimiter_aaaa\ny' }], () => draws.shift()!);
    expect(text).toBe('T<<ghadelimiter_bbbb\nx\nghadelimiter_aaaa\ny\nghadelimiter_bbbb\n');
    expect(parseGithubEnv(text)).toEqual({ T: 'x\nghadelimiter_aaaa\ny' });
  });

  it('uses a random 128-bit delimiter by default', () => {
    const a = githubEnvFile([{ name: 'T', value: 'v' }]);
    const b = githubEnvFile([{ name: 'T', value: 'v' }]);
    expect(a).toMatch(/^T<<ghadelimiter_[0-9a-f]{32}\nv\nghadelimiter_[0-9a-f]{32}\n$/);
    expect(a).not.toBe(b);
  });

  it('refuses a value ending in a carriage return (the runner drops it)', () => {
    expect(() => githubEnvFile([{ name: 'T', value: 'v\r' }])).toThrow(/carriage return/);
  });
});
