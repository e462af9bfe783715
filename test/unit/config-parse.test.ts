import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  parseConfig,
  parseHeader,
  pickField,
  sectionToDefinition,
  splitCommand,
} from '../../src/config.js';
import { defineProvider } from '../../src/provider.js';
import { Registry } from '../../src/registry.js';

const FILE = '/home/u/.config/cred/config';
const SHOWN = '~/.config/cred/config';

function definitionOf(text: string, registry = new Registry()) {
  const doc = parseConfig(text, SHOWN);
  const section = doc.sections[0]!;
  const base = registry.has(section.id) ? registry.get(section.id) : undefined;
  return sectionToDefinition(section, base, FILE, SHOWN);
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('reads plugins and provider sections with their lines, taking values literally', () => {
    const doc = parseConfig(
      [
        '# comment',
        'plugins = ./a.mjs, pkg-b',
        '',
        '[provider "acme"]',
        'env = ACME_TOKEN',
        'verify_url = https://api.acme.test/me?x=1#frag ; not a comment',
        '[provider zeta]',
        'env = Z',
      ].join('\n'),
      SHOWN,
    );
    expect(doc.plugins).toEqual([
      { spec: './a.mjs', line: 2 },
      { spec: 'pkg-b', line: 2 },
    ]);
    expect(doc.sections.map((s) => s.id)).toEqual(['acme', 'zeta']);
    expect(doc.sections[0]!.keys.verify_url).toEqual({
      value: 'https://api.acme.test/me?x=1#frag ; not a comment',
      line: 6,
    });
  });

  it.each([
    ['[profile acme]\n', 1, undefined, 'unknown section'],
    ['[provider "Acme!"]\n', 1, undefined, 'provider id'],
    ['[provider "__proto__"]\n', 1, undefined, 'provider id'],
    ['token = x\n', 1, 'token', 'unknown key outside a section'],
    ['[provider "a"]\nenv = A\nsesion_command = x\n', 3, 'sesion_command', 'unknown key'],
    ['[provider "a"]\nenv = A\nenv = B\n', 3, 'env', 'set twice'],
    ['[provider "a"]\njust words\n', 2, undefined, 'expected "key = value"'],
  ])('rejects %j at line %i', (text, line, key, problem) => {
    const e = configError(() => parseConfig(text, SHOWN));
    expect(e.exitCode).toBe(7);
    expect(e.message).toContain(`invalid config file ${SHOWN}, line ${line}`);
    if (key) expect(e.message).toContain(`key ${key}`);
    expect(e.message).toContain(problem);
  });
});

describe('splitCommand', () => {
  it.each([
    ['qodercli auth token', ['qodercli', 'auth', 'token']],
    ['  a   b  ', ['a', 'b']],
    [`tool 'two words' "say \\"hi\\"" a\\ b`, ['tool', 'two words', 'say "hi"', 'a b']],
    [`tool '' "$HOME" *`, ['tool', '', '$HOME', '*']],
    ['["tool", "a b", "{profile}"]', ['tool', 'a b', '{profile}']],
    ['tool x|y;z', ['tool', 'x|y;z']],
  ])('%s', (input, argv) => {
    expect(splitCommand(input)).toEqual(argv);
  });

  it.each([
    [`tool 'open`, 'never closed'],
    [`tool "open`, 'never closed'],
    ['tool \\', 'lone backslash'],
    ['["tool", 1]', 'JSON array of strings'],
    ['[not json', 'not a JSON array'],
    ['', 'empty'],
  ])('rejects %j', (input, why) => {
    expect(() => splitCommand(input)).toThrow(why);
  });
});

describe('parseHeader and pickField', () => {
  it('splits a header at the first colon', () => {
    expect(parseHeader('Authorization: Bearer {token}')).toEqual({
      name: 'Authorization',
      template: 'Bearer {token}',
    });
    expect(parseHeader('X-Api-Key:{token}')).toEqual({ name: 'X-Api-Key', template: '{token}' });
    expect(() => parseHeader('Authorization: Bearer')).toThrow('{token}');
    expect(() => parseHeader('Bad Name: {token}')).toThrow('not a valid header name');
  });

  it.each([
    [{ email: 'a@b.c' }, 'email', 'a@b.c'],
    [{ user: { email: 'a@b.c' } }, 'user.email', 'a@b.c'],
    [{ results: [{ name: 'x' }] }, 'results.0.name', 'x'],
    [{ id: 42 }, 'id', '42'],
    [{ names: ['a', 'b'] }, 'names', 'a, b'],
    [{ user: null }, 'user.email', undefined],
    [{ email: '' }, 'email', undefined],
    [{}, 'constructor', undefined],
  ])('picks %j . %s', (body, field, expected) => {
    expect(pickField(body, field)).toBe(expected);
  });
});

describe('sectionToDefinition', () => {
  it('maps every key onto the provider description', () => {
    const def = definitionOf(
      [
        '[provider "acme"]',
        'name = Acme Cloud',
        'env = ACME_TOKEN, ACME_API_KEY',
        'header = X-Api-Key: {token}',
        'prefix = ak_',
        'credentials_file = creds.ini',
        'credentials_key = api_key',
        'verify_url = https://api.acme.test/v1/me',
        'identity_field = user.email',
        'session_command = ./bin/acme-token --profile {profile}',
        'session_timeout = 2500',
        'token_help = make one at https://acme.test/tokens',
      ].join('\n'),
    );
    const p = defineProvider(def);
    expect(p).toMatchObject({
      id: 'acme',
      name: 'Acme Cloud',
      envVars: ['ACME_TOKEN', 'ACME_API_KEY'],
      header: { name: 'X-Api-Key', template: '{token}' },
      prefix: 'ak_',
      ownCredentials: { path: '/home/u/.config/cred/creds.ini', key: 'api_key' },
      sessionCommand: ['/home/u/.config/cred/bin/acme-token', '--profile', '{profile}'],
      sessionTimeoutMs: 2500,
      tokenHelp: 'make one at https://acme.test/tokens',
      origin: SHOWN,
    });
    expect(p.verify?.url).toBe('https://api.acme.test/v1/me');
    expect(p.verify?.identity?.({ user: { email: 'me@acme.test' } })).toBe('me@acme.test');
  });

  it('defaults to a Bearer Authorization header and credentials key "token"', () => {
    const p = defineProvider(
      definitionOf('[provider "acme"]\nenv = ACME_TOKEN\ncredentials_file = ~/.acme/credentials\n'),
    );
    expect(p.header).toEqual({ name: 'Authorization', template: 'Bearer {token}' });
    expect(p.ownCredentials).toEqual({ path: '~/.acme/credentials', key: 'token' });
    expect(p.sessionCommand).toBeUndefined();
  });

  it('extends a built-in: keeps what the section does not set', () => {
    const registry = new Registry();
    registry.register(definitionOf('[provider "qoder"]\nsession_command = qodercli token\n', registry));
    const q = registry.get('qoder');
    expect(q.envVars).toEqual(['QODER_PERSONAL_ACCESS_TOKEN']);
    expect(q.prefix).toBe('pt-');
    expect(q.verify?.path).toBe('/api/v1/cloud/agents?limit=1');
    expect(q.sessionCommand).toEqual(['qodercli', 'token']);
    expect(q.origin).toBe(`built-in, extended by ${SHOWN}`);
  });

  it("a declared header replaces a built-in's own header rule (Qovery JWTs)", () => {
    const registry = new Registry();
    registry.register(
      definitionOf('[provider "qovery"]\nheader = Authorization: Bearer {token}\n', registry),
    );
    const q = registry.get('qovery');
    expect(q.headerFor).toBeUndefined();
    expect(q.header.template).toBe('Bearer {token}');
  });

  it('identity_field alone extends the built-in verification request', () => {
    const registry = new Registry();
    registry.register(definitionOf('[provider "podstack"]\nidentity_field = account.email\n', registry));
    const p = registry.get('podstack');
    expect(p.verify?.path).toBe('/v1/pods');
    expect(p.verify?.identity?.({ account: { email: 'x@y.z' } })).toBe('x@y.z');
  });

  it.each([
    ['[provider "acme"]\nheader = X: {token}\n', 1, 'env', 'needs env'],
    ['[provider "acme"]\nenv = 1BAD\n', 2, 'env', '"1BAD" is not a valid variable name'],
    ['[provider "acme"]\nenv = A\nheader = Authorization Bearer {token}\n', 3, 'header', 'Name: template'],
    ['[provider "acme"]\nenv = A\nheader = X-A: a\x01{token}\n', 3, 'header', 'control character'],
    ['[provider "acme"]\nenv = A\nverify_url = ftp://x\n', 3, 'verify_url', 'http or https'],
    ['[provider "acme"]\nenv = A\nverify_url = {endpoint}/me\n', 3, 'verify_url', 'set endpoint'],
    ['[provider "acme"]\nenv = A\nidentity_field = email\n', 3, 'identity_field', 'needs verify_url'],
    ['[provider "acme"]\nenv = A\nsession_command = tool "x\n', 3, 'session_command', 'never closed'],
    ['[provider "acme"]\nenv = A\nsession_command =\n', 3, 'session_command', 'is empty'],
    [
      '[provider "acme"]\nenv = A\nsession_command = t\nsession_timeout = 10s\n',
      4,
      'session_timeout',
      'milliseconds',
    ],
    ['[provider "acme"]\nenv = A\nsession_timeout = 100\n', 3, 'session_timeout', 'only applies'],
    ['[provider "acme"]\nenv = A\ncredentials_key = k\n', 3, 'credentials_key', 'needs credentials_file'],
    ['[provider "acme"]\nenv = A\nprefix =\n', 3, 'prefix', 'is empty'],
  ])('rejects %j naming line %i and key %s', (text, line, key, problem) => {
    const e = configError(() => definitionOf(text));
    expect(e.exitCode).toBe(7);
    expect(e.code).toBe('config_invalid');
    expect(e.message).toContain(`${SHOWN}, line ${line}, key ${key}`);
    expect(e.message).toContain(problem);
  });
});
