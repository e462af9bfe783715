import { describe, expect, it } from 'vitest';
import {
  fingerprint,
  looksLikeToken,
  MASK,
  maskHeader,
  quotedText,
  redact,
  scrub,
} from '../../src/output/redact.js';

describe('redact (SPEC §4)', () => {
  it.each([
    ['pt-abcdef0123459f3a', 'pt-', 'pt-…9f3a'],
    ['pt-abcdefgh9f3a', 'pt-', 'pt-…9f3a'],
    ['qov_abcdefghijkl', undefined, '…ijkl'],
    ['abcdefghijkl', undefined, '…ijkl'], // exactly 12: the last four
    ['abcdefghijk', undefined, MASK], // 11: nothing at all
    ['pt-abcdefgh', 'pt-', MASK], // under 12 even with the prefix
    ['', undefined, MASK],
    ['xx-abcdefghijklmnop', 'pt-', '…mnop'], // a prefix it does not have is not shown
    ['pt-ünïcødé-tøkén-ab', 'pt-', 'pt-…n-ab'],
  ])('%j (prefix %j) → %j', (value, prefix, shown) => {
    expect(redact(value, prefix)).toBe(shown);
  });

  it.each(['abcdefghijk', 'pt-abcdefgh', 'short', 'abcdefghijklmnopqrstuvwxyz0123456789'])(
    '%j never shows more than the prefix and 4 characters',
    (value) => {
      const shown = redact(value, 'pt-').replace('pt-', '').replace('…', '');
      expect(shown === MASK || shown.length <= 4).toBe(true);
    },
  );
});

describe('fingerprint', () => {
  it.each([
    ['pt-abc', '87794a'],
    ['', 'e3b0c4'],
  ])('%j → first 6 hex of SHA-256', (value, print) => {
    expect(fingerprint(value)).toBe(print);
  });
  it('tells different values apart and the same value together', () => {
    expect(fingerprint('pt-one-token-000001')).not.toBe(fingerprint('pt-one-token-000002'));
    expect(fingerprint('pt-one-token-000001')).toBe(fingerprint('pt-one-token-000001'));
    expect(fingerprint('pt-one-token-000001')).toMatch(/^[0-9a-f]{6}$/);
  });
});

describe('scrub', () => {
  it.each([
    ['token pt-secret-1 here', ['pt-secret-1'], `token ${MASK} here`],
    ['twice a1b2 a1b2', ['a1b2'], `twice ${MASK} ${MASK}`],
    ['too short to scrub: abc', ['abc'], 'too short to scrub: abc'],
  ])('%j', (text, secrets, out) => {
    expect(scrub(text, secrets)).toBe(out);
  });
});

describe('looksLikeToken and quotedText: the shape of a token cred was never told', () => {
  it.each([
    ['pt-CANARY7f3a9c2e1d5b4a6f8e0d', true],
    ['podtokSECRETsess1234567', true],
    ['ghp_0123456789abcdefABCDEF', true],
    ['abcdef0123456789', true], // exactly 16
    ['abcdef012345678', false], // 15
    ['production-eu-west-1', false], // words and a number, split at the separators
    ['prod', false],
    ['abcdefghijklmnopqrstuvwxyz', false], // letters only: a word, however long
    ['12345678901234567890', false], // digits only: an id or a timestamp
    ['550e8400-e29b-41d4-a716-446655440000', false], // a UUID's runs are short
  ])('%j → %s', (word, shaped) => {
    expect(looksLikeToken(word)).toBe(shaped);
  });

  it('quotedText hides token-shaped runs and, with a prefix, the prefixed value in any case', () => {
    expect(quotedText('token podtokSECRETsess1234567 expired; see /run/user/1000/bus', [])).toBe(
      'token **** expired; see /run/user/1000/bus',
    );
    expect(quotedText('got PT-abc123xyz back', [], { prefix: 'pt-' })).toBe('got **** back');
    expect(quotedText('got PT-abc123xyz back', [])).toBe('got PT-abc123xyz back'); // too short for a run
    expect(quotedText('not logged in; run qodercli login', [])).toBe('not logged in; run qodercli login');
    // The prefix only at the start of a word.
    expect(quotedText('interrupt-handler123 failed', [], { prefix: 'pt-' })).toBe(
      'interrupt-handler123 failed',
    );
    expect(quotedText('GET /x?token%3Dpt-abc_DEF12 failed', [], { prefix: 'pt-' })).toBe(
      'GET /x?token%3D**** failed',
    );
    // shapes: false masks only the values given (an identity to show).
    expect(quotedText('acct_1MqW2LKZ8x9y0zAB', [], { shapes: false })).toBe('acct_1MqW2LKZ8x9y0zAB');
    expect(quotedText('me pt-secret-0123456789', ['pt-secret-0123456789'], { shapes: false })).toBe(
      'me ****',
    );
  });
});

describe('maskHeader', () => {
  it.each([
    [{ name: 'Authorization', value: 'Bearer pt-secret-0000' }, 'pt-secret-0000', 'Bearer ****'],
    [{ name: 'X-Key', value: 'pt-secret-0000/pt-secret-0000' }, 'pt-secret-0000', '****/****'],
    // A plugin that encodes the token: no verbatim copy to replace, so all but the scheme goes.
    [
      { name: 'Authorization', value: `Basic ${Buffer.from('u:pt-secret-0000').toString('base64')}` },
      'pt-secret-0000',
      'Basic ****',
    ],
    [{ name: 'X-Sig', value: 'c2lnbmVkLXRva2Vu' }, 'pt-secret-0000', '****'],
  ])('%j', (header, token, shown) => {
    expect(maskHeader(header, token, '****')).toEqual({ name: header.name, value: shown });
  });
});
