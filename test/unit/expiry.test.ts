// Expiry dates from CLI login files and session_command JSON: RFC 3339 (a date alone, or without a
// zone, is UTC on every machine), or an epoch number in seconds — or milliseconds, which a 13-digit
// value must be. Anything else is not a date (the caller makes it exit 7), never a loose guess.
import { describe, expect, it } from 'vitest';
import { epochMs, parseExpiry } from '../../src/provider.js';

describe('parseExpiry', () => {
  it.each([
    ['2030-01-01T00:00:00Z', Date.UTC(2030, 0, 1)],
    ['2030-01-01T01:00:00+01:00', Date.UTC(2030, 0, 1)],
    ['2030-01-01T00:00:00.123456789Z', Date.UTC(2030, 0, 1, 0, 0, 0, 123)],
    ['2030-01-01 00:00:00Z', Date.UTC(2030, 0, 1)],
    ['2030-01-01T00:00:00', Date.UTC(2030, 0, 1)], // no zone: UTC, not the machine's
    ['2030-01-01', Date.UTC(2030, 0, 1)],
    ['0001-01-01T00:00:00Z', Date.parse('0001-01-01T00:00:00Z')], // Go's zero time
    ['1900000000', 1_900_000_000_000], // epoch seconds as text
    [1_900_000_000, 1_900_000_000_000],
    [1_700_000_000_000, 1_700_000_000_000], // 13 digits: milliseconds
    ['Mon, 01 Jun 2099 12:34:56 GMT', Date.UTC(2099, 5, 1, 12, 34, 56)], // an HTTP date (RFC 2822)
    ['2099-06-01 12:34:56.5 +0200 CEST', Date.UTC(2099, 5, 1, 10, 34, 56, 500)], // Go's time.String()
  ] as [string | number, number][])('%j → %d', (value, ms) => {
    expect(parseExpiry(value)).toBe(ms);
  });

  it.each([
    '1',
    '12',
    'Jan 1 2099',
    '2021-02-30T00:00:00Z',
    '2021-13-01',
    'soon',
    '',
    '2030-01-01T25:00:00Z',
    'Tue, 30 Feb 2021 00:00:00 GMT',
  ])('%j is not a date', (value) => {
    expect(parseExpiry(value)).toBeUndefined();
  });

  it('epochMs reads seconds, and a value only milliseconds can be as milliseconds', () => {
    expect(epochMs(1_700_000_000)).toBe(1_700_000_000_000);
    expect(epochMs(1_700_000_000_000)).toBe(1_700_000_000_000);
  });
});
