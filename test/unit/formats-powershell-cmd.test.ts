// PowerShell and cmd are not installed here (no pwsh, no Windows), so their output is checked against
// the quoting rules their documentation gives, with a small reference reader for each:
// - PowerShell (about_Quoting_Rules): a single-quoted string is verbatim; two consecutive single
//   quotes stand for one; the tokenizer treats U+2018–U+201B as single quotes too.
// - cmd (`set /?`, and cmd's parsing phases): in `set "NAME=value"` everything between the first
//   quote and the last is the assignment; `%` expands even inside quotes, `!` under delayed
//   expansion, a `"` toggles quoting, a line break ends the command.
import { describe, expect, it } from 'vitest';
import { CredError } from '../../src/errors.js';
import { formatCmd } from '../../src/output/formats/cmd.js';
import { formatPowerShell } from '../../src/output/formats/powershell.js';
import { sampleValues } from './formats-helpers.js';

const values = sampleValues('C:\\pwned', 400);
const QUOTES = new Set(["'", '\u2018', '\u2019', '\u201A', '\u201B']);

/** Reads `$env:NAME = '…'` the way PowerShell's tokenizer reads a single-quoted string. */
function readPowerShell(line: string): { name: string; value: string; rest: string } {
  const m = /^\$env:([A-Za-z_][A-Za-z0-9_]*) = /.exec(line);
  if (!m) throw new Error('not an assignment');
  const chars = [...line.slice(m[0].length)];
  if (!QUOTES.has(chars[0]!)) throw new Error('value is not single-quoted');
  let value = '';
  let i = 1;
  for (;;) {
    if (i >= chars.length) throw new Error('unterminated string');
    const c = chars[i]!;
    if (QUOTES.has(c)) {
      if (QUOTES.has(chars[i + 1] ?? '')) {
        value += chars[i + 1];
        i += 2;
        continue;
      }
      break;
    }
    value += c;
    i++;
  }
  return { name: m[1]!, value, rest: chars.slice(i + 1).join('') };
}

describe('powershell output (documented quoting rules; no pwsh on this machine)', () => {
  it('reads back every generated value exactly, with nothing after the string', () => {
    expect(values.length).toBeGreaterThanOrEqual(200);
    for (const value of values) {
      const r = readPowerShell(formatPowerShell([{ name: 'CRED_T', value }]));
      expect(r).toEqual({ name: 'CRED_T', value, rest: '\n' });
    }
  });

  it.each([
    ["it's", "$env:T = 'it''s'\n"],
    ['$env:HOME `n', "$env:T = '$env:HOME `n'\n"],
    ['\u2019x\u2018', "$env:T = '\u2019\u2019x\u2018\u2018'\n"],
  ])('writes %j as %j', (value, out) => {
    expect(formatPowerShell([{ name: 'T', value }])).toBe(out);
  });

  it('refuses a NUL', () => {
    expect(() => formatPowerShell([{ name: 'T', value: 'a\0b' }])).toThrow(/NUL/);
  });
});

describe('cmd output (documented parsing rules; no cmd.exe on this machine)', () => {
  const UNSAFE = /["%!\r\n\x01-\x1f\x7f]/;

  it('carries every safe generated value exactly and refuses every unsafe one with exit 2', () => {
    let carried = 0;
    for (const value of values) {
      if (UNSAFE.test(value)) {
        let err: unknown;
        try {
          formatCmd([{ name: 'CRED_T', value }]);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(CredError);
        expect((err as CredError).exitCode).toBe(2);
        expect((err as CredError).message).toMatch(/^cannot export CRED_T as cmd: the value contains /);
        continue;
      }
      const out = formatCmd([{ name: 'CRED_T', value }]);
      const m = /^set "CRED_T=([^"%!\r\n]*)"\r\n$/.exec(out);
      expect(m?.[1]).toBe(value);
      carried++;
    }
    expect(carried).toBeGreaterThan(20);
  });

  it.each([
    ['a%PATH%b', /%/],
    ['hey!', /!/],
    ['say "hi"', /double quote/],
    ['two\nlines', /line break/],
    ['a\x1ab', /control character/],
  ])('refuses %j', (value, reason) => {
    expect(() => formatCmd([{ name: 'T', value }])).toThrow(reason);
  });

  it('keeps & | < > ^ ( ) literal inside the quotes', () => {
    expect(formatCmd([{ name: 'T', value: 'a&b|c<d>e^f(g)' }])).toBe('set "T=a&b|c<d>e^f(g)"\r\n');
  });
});
