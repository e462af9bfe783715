import { describe, expect, it } from 'vitest';
import { fingerprint, MASK, maskHeader, redact, scrub } from '../../src/output/redact.js';

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
