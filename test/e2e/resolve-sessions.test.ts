// Provider files as their CLIs and SDKs write them: Podstack's INI profiles (comments, CRLF, BOM,
// quotes), Podstack's config.yaml, Qovery's context.json (JWT → Bearer, expiry honoured), and the
// value-hygiene warnings of SPEC §4.
import { afterEach, describe, expect, it } from 'vitest';
import { type RunResult, type Sandbox, sandbox } from '../helpers/cli.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

function ok(r: RunResult) {
  expect(r.stderr).not.toContain('error');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

function jwt(sub: string): string {
  const b = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b({ alg: 'RS256', typ: 'JWT' })}.${b({ sub, iat: 1 })}.c2lnbmF0dXJlLXNpZ25hdHVyZQ`;
}

describe('Podstack credentials profiles', () => {
  const BOM = '\uFEFF';
  it.each([
    ['plain', '[default]\napi_token = ps-plain-token-0001\n', 'default', 'ps-plain-token-0001'],
    [
      'comments with ; and #',
      '; written by hand\n# another comment\n[default]\n; inside\napi_token = ps-comment-token-01\n# trailing\n',
      'default',
      'ps-comment-token-01',
    ],
    [
      'CRLF line ends',
      '[default]\r\napi_token = ps-crlf-token-0001\r\n[prod]\r\napi_token = ps-crlf-prod-0002\r\n',
      'prod',
      'ps-crlf-prod-0002',
    ],
    [
      'a byte-order mark',
      `${BOM}[default]\napi_token = ps-bom-token-00001\n`,
      'default',
      'ps-bom-token-00001',
    ],
    [
      'spaces around the value',
      '[default]\napi_token =    ps-spaced-token-01   \n',
      'default',
      'ps-spaced-token-01',
    ],
    [
      'several profiles',
      '[default]\napi_token = ps-default-000001\n\n[production]\napi_token = ps-production-0002\n',
      'production',
      'ps-production-0002',
    ],
  ])('%s', (_name, content, profile, token) => {
    box = sandbox();
    box.write('.podstack/credentials', content);
    const out = ok(box.run(['--profile', profile, 'resolve', 'podstack', '--json', '--reveal']));
    expect(out.token).toBe(token);
    expect(out.source).toEqual({ step: 'file', detail: `~/.podstack/credentials [${profile}]` });
    expect(out.warnings).toEqual([]);
  });

  it.each([
    ['double', '"ps-quoted-token-001"'],
    ['single', "'ps-quoted-token-001'"],
  ])('%s-quoted value: unwrapped, with a warning naming the source', (_kind, written) => {
    box = sandbox();
    box.write('.podstack/credentials', `[default]\napi_token = ${written}\n`);
    const r = box.run(['resolve', 'podstack', '--json', '--reveal']);
    const out = ok(r);
    expect(out.token).toBe('ps-quoted-token-001');
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]).toContain('~/.podstack/credentials [default]');
    expect(out.warnings[0]).toContain('quotes');
    expect(out.warnings[0]).not.toContain('ps-quoted-token-001');
    expect(r.stderr.split('\n').filter((l) => l.includes('quotes'))).toHaveLength(1);
  });

  it('a value cut at # (an inline comment to INI readers) is used with a warning', () => {
    box = sandbox();
    box.write('.podstack/credentials', '[default]\napi_token = ps-before-hash-001#after\n');
    const out = ok(box.run(['resolve', 'podstack', '--json', '--reveal']));
    expect(out.token).toBe('ps-before-hash-001');
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]).toContain('ignored the rest as a comment');
    expect(out.warnings[0]).not.toContain('after');
  });

  it('a bare true/false is not a token: exit 3 saying so', () => {
    box = sandbox();
    box.write('.podstack/credentials', '[default]\napi_token = true\n');
    const r = box.run(['resolve', 'podstack', '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).error.message).toContain('api_token is not a text value');
  });

  it('a missing profile is exit 3, naming the file and the section', () => {
    box = sandbox();
    box.write('.podstack/credentials', '[default]\napi_token = ps-default-000001\n');
    const r = box.run(['--profile', 'staging', 'resolve', 'podstack', '--json']);
    expect(r.code).toBe(3);
    const err = JSON.parse(r.stdout).error;
    expect(err.code).toBe('auth_not_configured');
    expect(err.message).toContain('~/.podstack/credentials [staging]');
    expect(err.message).toContain('no [staging] section');
  });

  it('a profile without api_token is exit 3', () => {
    box = sandbox();
    box.write('.podstack/credentials', '[default]\napi_endpoint = https://eu.podstack.example\n');
    const r = box.run(['resolve', 'podstack', '--explain', '--json']);
    expect(r.code).toBe(3);
    const step = JSON.parse(r.stdout).steps.find((s: { location: string }) =>
      s.location.includes('.podstack/credentials'),
    );
    expect(step).toMatchObject({ status: 'missing', reason: 'no api_token key' });
  });

  it('api_endpoint (and project) are picked up from the profile', () => {
    box = sandbox();
    box.write(
      '.podstack/credentials',
      '[prod]\napi_token = ps-prod-token-00001\napi_endpoint = https://eu.podstack.example\nproject = research\n',
    );
    const out = ok(box.run(['--profile', 'prod', 'resolve', 'podstack', '--json']));
    expect(out.endpoint).toBe('https://eu.podstack.example');
    expect(out.project).toBe('research');
    const human = box.run(['--profile', 'prod', 'resolve', 'podstack']);
    expect(human.stdout).toContain('endpoint  https://eu.podstack.example');
  });

  it("cred's own file: [podstack] is default, [podstack:prod] is prod, with endpoint", () => {
    box = sandbox();
    box.write(
      '.config/cred/credentials',
      '[podstack]\ntoken = ps-cred-default-001\n\n[podstack:prod]\ntoken = ps-cred-prod-00002\nendpoint = https://p.example\n',
    );
    expect(ok(box.run(['resolve', 'podstack', '--json', '--reveal'])).token).toBe('ps-cred-default-001');
    const prod = ok(box.run(['--profile', 'prod', 'resolve', 'podstack', '--json', '--reveal']));
    expect(prod).toMatchObject({ token: 'ps-cred-prod-00002', endpoint: 'https://p.example' });
    expect(prod.source.detail).toBe('~/.config/cred/credentials [podstack:prod]');
  });
});

describe('Podstack CLI session (config.yaml)', () => {
  const yaml = [
    'auth:',
    '  token: ps-session-default-1',
    '  expires: 2999-01-01T00:00:00Z',
    'profiles:',
    '  prod:',
    '    token: ps-session-prod-002',
    '    project: ml',
    '    api_endpoint: https://eu.podstack.example',
    '',
  ].join('\n');

  it('auth.token serves default; profiles.<name>.token any other', () => {
    box = sandbox();
    box.write('.podstack/config.yaml', yaml);
    const def = ok(box.run(['resolve', 'podstack', '--json', '--reveal']));
    expect(def).toMatchObject({
      token: 'ps-session-default-1',
      source: { step: 'session', detail: '~/.podstack/config.yaml' },
    });
    const prod = ok(box.run(['--profile', 'prod', 'resolve', 'podstack', '--json', '--reveal']));
    expect(prod).toMatchObject({
      token: 'ps-session-prod-002',
      project: 'ml',
      endpoint: 'https://eu.podstack.example',
    });
  });

  it('an expired login is not used: exit 4, auth_expired, says how to log in again', () => {
    box = sandbox();
    box.write(
      '.podstack/config.yaml',
      'auth:\n  token: ps-session-old-0001\n  expires: 2001-01-01T00:00:00Z\n',
    );
    const r = box.run(['resolve', 'podstack', '--json']);
    expect(r.code).toBe(4);
    const err = JSON.parse(r.stdout).error;
    expect(err.code).toBe('auth_expired');
    expect(err.message).toContain('podstack login');
    expect(r.stdout + r.stderr).not.toContain('ps-session-old-0001');
  });
});

describe('Qovery CLI session (context.json)', () => {
  const later = '2999-01-01T00:00:00Z';

  it('a JWT from the CLI login is sent as Bearer (shown redacted)', () => {
    box = sandbox();
    const token = jwt('someone');
    box.write(
      '.qovery/context.json',
      JSON.stringify({ access_token: token, access_token_expiration: later }),
    );
    const out = ok(box.run(['resolve', 'qovery', '--json']));
    expect(out.source).toEqual({ step: 'session', detail: '~/.qovery/context.json' });
    expect(out.header).toEqual({ name: 'Authorization', value: `Bearer …${token.slice(-4)}` });
    expect(out.expires).toBe('2999-01-01T00:00:00.000Z');
    const human = box.run(['resolve', 'qovery']);
    expect(human.stdout).toContain('Authorization: Bearer …');
    expect(human.stdout).not.toContain(token);
  });

  it.each([
    ['QOVERY_API_TOKEN', 'qov_api_token_abcdef123456', 'Token'],
    ['QOVERY_CLI_ACCESS_TOKEN', jwt('cli'), 'Bearer'],
    ['Q_CLI_ACCESS_TOKEN', 'qov_api_token_abcdef123456', 'Token'],
  ])('%s holding %s is sent as %s', (name, token, scheme) => {
    box = sandbox();
    const out = ok(box.run(['resolve', 'qovery', '--json'], { env: { [name]: token } }));
    expect(out.header.value).toBe(`${scheme} …${token.slice(-4)}`);
  });

  it('an expired session is not used: exit 4, auth_expired, says how to log in again', () => {
    box = sandbox();
    box.write(
      '.qovery/context.json',
      JSON.stringify({ access_token: jwt('old'), access_token_expiration: '2001-01-01T00:00:00Z' }),
    );
    const r = box.run(['resolve', 'qovery', '--json']);
    expect(r.code).toBe(4);
    const err = JSON.parse(r.stdout).error;
    expect(err).toMatchObject({ code: 'auth_expired', exitCode: 4 });
    expect(err.message).toContain('qovery auth');
    expect(r.stderr).toContain('qovery auth');
    const x = box.run(['resolve', 'qovery', '--explain', '--json']);
    expect(x.code).toBe(4);
    const step = JSON.parse(x.stdout).steps.find(
      (s: { location: string }) => s.location === '~/.qovery/context.json',
    );
    expect(step.status).toBe('expired');
    // A value was found, though not used: its fingerprint tells it apart from the other sources.
    expect(step.fingerprint).toMatch(/^[0-9a-f]{6}$/);
    expect(x.stdout).not.toContain(jwt('old'));
  });

  it('an expired session shadowed by a valid env var: the env var wins', () => {
    box = sandbox();
    box.write(
      '.qovery/context.json',
      JSON.stringify({ access_token: jwt('old'), access_token_expiration: '2001-01-01T00:00:00Z' }),
    );
    const env = { QOVERY_API_TOKEN: 'qov_api_token_abcdef123456' };
    const out = ok(box.run(['resolve', 'qovery', '--json'], { env }));
    expect(out.source).toEqual({ step: 'env', detail: 'QOVERY_API_TOKEN' });
    const x = JSON.parse(box.run(['resolve', 'qovery', '--explain', '--json'], { env }).stdout);
    expect(x.exitCode).toBe(0);
    expect(x.steps.find((s: { location: string }) => s.location === '~/.qovery/context.json').status).toBe(
      'expired',
    );
  });

  it('has no profiles: it serves default only', () => {
    box = sandbox();
    box.write(
      '.qovery/context.json',
      JSON.stringify({ access_token: jwt('x'), access_token_expiration: later }),
    );
    const r = box.run(['--profile', 'prod', 'resolve', 'qovery', '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).error.message).toContain('serves default only');
  });
});

describe('value hygiene (SPEC §4): used, with a warning that names the source', () => {
  it.each([
    ['a value starting with "Bearer "', 'Bearer pt-schemed-token-01', 'starts with "Bearer "'],
    ['a Qoder value without pt-', 'not-a-pat-token-00001', 'expected prefix pt-'],
    ['a control character inside', 'pt-has\u0007bell-token-1', 'control character'],
  ])('%s', (_name, value, warning) => {
    box = sandbox();
    const r = box.run(['resolve', 'qoder', '--json'], { env: { QODER_PERSONAL_ACCESS_TOKEN: value } });
    const out = ok(r);
    expect(out.warnings.join('\n')).toContain(warning);
    expect(out.warnings.join('\n')).toContain('QODER_PERSONAL_ACCESS_TOKEN');
    expect(r.stderr).toContain(warning);
    expect(r.stderr).not.toContain(value);
  });

  it('--token warns that argv is visible to other users', () => {
    box = sandbox();
    const r = box.run(['resolve', 'qoder', '--token', 'pt-argv-token-00001']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('argv');
    expect(r.stderr).not.toContain('pt-argv-token-00001');
  });

  it.each([
    ['pt-abcdefghij1234', 'pt-…1234'],
    ['abcdefghij1234', '…1234'],
    ['pt-short', '****'],
    ['elevenchars', '****'],
  ])('%s is shown as %s', (token, shown) => {
    box = sandbox();
    const out = ok(box.run(['resolve', 'qovery', '--json'], { env: { QOVERY_API_TOKEN: token } }));
    const qoder = ok(
      box.run(['resolve', 'qoder', '--json'], { env: { QODER_PERSONAL_ACCESS_TOKEN: token } }),
    );
    expect(qoder.redacted).toBe(shown);
    expect(out.redacted).toBe(shown.replace('pt-…', '…'));
  });
});
