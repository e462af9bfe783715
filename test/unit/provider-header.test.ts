import { describe, expect, it } from 'vitest';
import { podstack } from '../../providers/podstack.js';
import { qoder } from '../../providers/qoder.js';
import { qovery } from '../../providers/qovery.js';
import { defineProvider, headerFor } from '../../src/provider.js';
import { Registry } from '../../src/registry.js';

const jwt = [
  Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url'),
  Buffer.from('{"sub":"u"}').toString('base64url'),
  'c2lnbmF0dXJl',
].join('.');

describe('headerFor', () => {
  it.each([
    // Replacement-string patterns must come through literally.
    ['pt-abc$`"x\'y1234567'],
    ["pt-$&$'$$$1"],
    ['pt-plain-token-1234'],
  ])('Qoder sends Bearer with the value unchanged: %s', (token) => {
    expect(headerFor(qoder, token)).toEqual({ name: 'Authorization', value: `Bearer ${token}` });
  });

  it.each([
    [qovery, 'qov-api-token-123', 'Token qov-api-token-123'],
    [qovery, jwt, `Bearer ${jwt}`],
    [podstack, 'ps_abcdef', 'Bearer ps_abcdef'],
  ])('%s.id scheme', (provider, token, value) => {
    expect(headerFor(provider, token).value).toBe(value);
  });

  it('fills every {token} of a declared template, literally', () => {
    const p = defineProvider({
      id: 'acme',
      name: 'Acme',
      envVars: ['ACME_TOKEN'],
      header: { name: 'X-Acme', template: '{token}/{token}' },
    });
    expect(headerFor(p, '$`x$&').value).toBe('$`x$&/$`x$&');
  });
});

describe('defineProvider: the id', () => {
  it.each(['constructor', 'prototype', 'Qoder', '1abc', 'a b', ''])(
    '%j is refused, for plugins as for config files (it becomes an INI section name)',
    (id) => {
      expect(() =>
        defineProvider({ id, name: 'x', envVars: ['X_TOKEN'], header: { name: 'A', template: '{token}' } }),
      ).toThrow(/provider id/);
    },
  );
});

describe('Registry.register: extending a provider that has its own header rule', () => {
  it('a new header replaces the rule, for plugins as for config files', () => {
    const registry = new Registry();
    registry.register({ ...qovery, header: { name: 'X-Api-Key', template: '{token}' }, origin: 'plugin p' });
    const q = registry.get('qovery');
    expect(headerFor(q, jwt)).toEqual({ name: 'X-Api-Key', value: jwt });
    expect(q.origin).toBe('built-in, extended by plugin p');
  });

  it('extending other fields keeps the rule, also when the same header is written out again', () => {
    const registry = new Registry();
    registry.register({ ...qovery, sessionCommand: ['qovery', 'token'], origin: 'plugin p' });
    expect(headerFor(registry.get('qovery'), jwt).value).toBe(`Bearer ${jwt}`);
    const { headerFor: _rule, ...plain } = qovery;
    registry.register({ ...plain, header: { name: 'Authorization', template: 'Token {token}' } });
    expect(headerFor(registry.get('qovery'), jwt).value).toBe(`Bearer ${jwt}`);
  });

  it('a new header that brings its own rule keeps that rule', () => {
    const registry = new Registry();
    registry.register({
      ...qovery,
      header: { name: 'X-Api-Key', template: '{token}' },
      headerFor: (token) => ({ name: 'X-Api-Key', value: `k=${token}` }),
    });
    expect(headerFor(registry.get('qovery'), 'abc').value).toBe('k=abc');
  });
});
