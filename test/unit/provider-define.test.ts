// defineProvider is the one gate every provider passes (built-ins, config sections, plugins, the
// library's registerProvider): plugins are plain JavaScript, so it checks the shape at run time and
// answers a bad definition with a typed error, never a TypeError or a provider that misbehaves later.
import { describe, expect, it } from 'vitest';
import { builtinProviders } from '../../providers/index.js';
import { CredError } from '../../src/errors.js';
import { defineProvider, headerFor, type ProviderDefinition } from '../../src/provider.js';
import { Registry } from '../../src/registry.js';

const good: ProviderDefinition = {
  id: 'acme',
  name: 'Acme',
  envVars: ['ACME_TOKEN'],
  header: { name: 'Authorization', template: 'Bearer {token}' },
};

function refusal(def: unknown): CredError {
  try {
    defineProvider(def as ProviderDefinition);
  } catch (e) {
    expect(e).toBeInstanceOf(CredError);
    return e as CredError;
  }
  throw new Error(`accepted ${JSON.stringify(def)}`);
}

describe('defineProvider refuses a definition that would misbehave', () => {
  it.each([
    ['not an object', null, /must be an object/],
    ['no id', { ...good, id: undefined }, /needs an id/],
    ['an id that is not a string', { ...good, id: 7 }, /needs an id/],
    [
      'envVars as a string (it would be read letter by letter)',
      { ...good, envVars: 'ACME_TOKEN' },
      /envVars/,
    ],
    ['empty envVars', { ...good, envVars: [] }, /envVars/],
    ['a name that is not a string in envVars', { ...good, envVars: [1] }, /envVars/],
    ['no header', { ...good, header: undefined }, /header/],
    [
      'a header name HTTP does not allow',
      { ...good, header: { name: 'Bad Name:', template: '{token}' } },
      /header name/,
    ],
    ['a template without {token}', { ...good, header: { name: 'X-Key', template: 'Bearer' } }, /\{token\}/],
    [
      'a line break in the template',
      { ...good, header: { name: 'X-Key', template: '{token}\r\nX: y' } },
      /line break/,
    ],
    ['headerFor that is not a function', { ...good, headerFor: 'Bearer' }, /headerFor/],
    ['a verify URL that is not http(s)', { ...good, verify: { url: 'ftp://a.example/x' } }, /http or https/],
    [
      'a verify URL with a password',
      { ...good, verify: { url: 'https://u:p@a.example/x' } },
      /user name or password/,
    ],
    [
      'a default endpoint that is not a URL',
      { ...good, verify: { defaultEndpoint: 'api.example' } },
      /not a URL/,
    ],
  ])('%s', (_what, def, message) => {
    const e = refusal(def);
    expect(e.code).toBe('provider_invalid');
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(message);
  });

  it('accepts a good one, and a {endpoint} template in verify.url', () => {
    expect(defineProvider(good).origin).toBe('built-in');
    expect(
      defineProvider({ ...good, verify: { url: '{endpoint}/v1/me', defaultEndpoint: 'https://a.example' } })
        .id,
    ).toBe('acme');
  });

  it.each(builtinProviders.map((p) => [p.id, p] as const))(
    'the built-in %s passes the same checks (built-ins skip them at start-up)',
    (_id, p) => {
      const { origin: _origin, ...def } = p;
      expect(defineProvider(def)).toEqual(p);
    },
  );

  it('extending a provider with only some fields keeps the rest (no TypeError on a missing header)', () => {
    const r = new Registry();
    const q = r.register({ id: 'qovery', name: 'Qovery (work)' } as ProviderDefinition);
    expect(q.name).toBe('Qovery (work)');
    expect(q.header.template).toBe('Token {token}');
    expect(q.headerFor).toBeDefined(); // the JWT rule stays with the header it belongs to
    expect(() => r.register({ id: 'qovery', envVars: 'X' } as unknown as ProviderDefinition)).toThrow(
      CredError,
    );
    // A key given as undefined keeps the existing value; a new headerFor drops the old rule's words.
    const kept = r.register({ id: 'qovery', header: undefined } as unknown as ProviderDefinition);
    expect(kept.header.template).toBe('Token {token}');
    const own = r.register({
      id: 'qovery',
      headerFor: () => ({ name: 'Authorization', value: 'x' }),
    } as unknown as ProviderDefinition);
    expect(own.headerRule).toBeUndefined();
  });

  it('registerProvider(null) is the same typed refusal', () => {
    expect(() => new Registry().register(null as unknown as ProviderDefinition)).toThrow(CredError);
  });
});

describe("headerFor checks what a plugin's headerFor returns", () => {
  it.each([
    ['a number', () => 42],
    ['no name', () => ({ value: 'x' })],
    ['a name HTTP does not allow', () => ({ name: 'Bad Name:', value: 'x' })],
    ['a value that is not a string', () => ({ name: 'X-Key', value: 7 })],
  ])('%s: a typed error naming the provider', (_what, fn) => {
    const p = defineProvider({ ...good, headerFor: fn as unknown as ProviderDefinition['headerFor'] });
    let caught: unknown;
    try {
      headerFor(p, 'acme_token_value');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CredError);
    expect((caught as CredError).code).toBe('provider_invalid');
    expect((caught as CredError).message).toContain('provider "acme"');
    expect((caught as CredError).message).not.toContain('acme_token_value');
  });
});
