import { describe, expect, it } from 'vitest';
import { podstack } from '../../providers/podstack.js';
import { qoder } from '../../providers/qoder.js';
import { qovery } from '../../providers/qovery.js';
import { EXIT } from '../../src/errors.js';
import type { Provider, Source } from '../../src/provider.js';
import { answerError, identityOf, parseProblem, signInPrompt } from '../../src/verify/answer.js';
import type { HttpAnswer } from '../../src/verify/http.js';
import { CANARY } from '../helpers/cli.js';

const answer = (status: number, body: unknown, headers: Record<string, string> = {}): HttpAnswer => ({
  status,
  headers: new Headers(headers),
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

const envSource: Source = { step: 'env', detail: 'QODER_PERSONAL_ACCESS_TOKEN' };

function fail(provider: Provider, a: HttpAnswer, source: Source = envSource) {
  return answerError(a, {
    provider,
    source,
    url: new URL('https://api.example.test/some/path?limit=1'),
    header: { name: 'Authorization', value: `Bearer ${CANARY}` },
    token: CANARY,
  });
}

describe('provider error bodies', () => {
  it('parses Qoder {type, error:{type, message}}', () => {
    const p = parseProblem(
      answer(401, {
        type: 'error',
        error: { type: 'authentication_error', message: 'Invalid API key or token.' },
      }),
      [CANARY],
    );
    expect(p).toEqual({ type: 'authentication_error', message: 'Invalid API key or token.', scopes: [] });
  });

  it('parses Qovery {status, error, message}', () => {
    const p = parseProblem(
      answer(403, {
        status: 403,
        error: 'Forbidden',
        message: 'Insufficient permissions to access this resource',
      }),
      [],
    );
    expect(p).toEqual({
      type: 'Forbidden',
      message: 'Insufficient permissions to access this resource',
      scopes: [],
    });
  });

  it('finds the missing scope in the body or in WWW-Authenticate', () => {
    expect(parseProblem(answer(403, { error: 'x', required_permission: 'pods:read' }), []).scopes).toEqual([
      'pods:read',
    ]);
    expect(parseProblem(answer(403, { error: { type: 'e', scopes: ['a', 'b'] } }), []).scopes).toEqual([
      'a',
      'b',
    ]);
    const challenge = answer(403, '', {
      'www-authenticate': 'Bearer error="insufficient_scope", scope="agents:read agents:write"',
    });
    expect(parseProblem(challenge, []).scopes).toEqual(['agents:read', 'agents:write']);
  });

  it('scrubs the token, control characters and length; never echoes a body that is not JSON', () => {
    const p = parseProblem(answer(401, { message: `bad token ${CANARY}\n\u001b[31mred${'x'.repeat(500)}` }), [
      CANARY,
    ]);
    expect(p.message).not.toContain(CANARY);
    expect(p.message).not.toMatch(/[\u0000-\u001f]/);
    expect(p.message!.length).toBeLessThanOrEqual(201);
    expect(parseProblem(answer(401, `<html>${CANARY}</html>`), [CANARY])).toEqual({ scopes: [] });
  });
});

describe('what each status means', () => {
  it('401 → exit 4 with a sign-in prompt naming the source, where to get a token and the pitfalls', () => {
    const e = fail(
      qoder,
      answer(401, { type: 'error', error: { type: 'authentication_error', message: `no ${CANARY}` } }),
    );
    expect(e.code).toBe('auth_rejected');
    expect(e.exitCode).toBe(EXIT.rejected);
    expect(e.message).toContain('QODER_PERSONAL_ACCESS_TOKEN');
    expect(e.message).toContain('authentication_error');
    expect(e.suggestion).toContain('Account → Integrations');
    expect(e.suggestion).toContain('x-api-key');
    expect(`${e.message}${e.suggestion}`).not.toContain(CANARY);
  });

  it('shows the header sent without the token, even when the template has no scheme', () => {
    const e = answerError(answer(401, {}), {
      provider: qoder,
      source: envSource,
      url: new URL('https://api.example.test/me'),
      header: { name: 'X-Api-Key', value: CANARY },
      token: CANARY,
    });
    expect(e.message).toContain('sent as `X-Api-Key: …`');
    expect(e.message).not.toContain(CANARY);
    expect(fail(qovery, answer(401, {})).message).toContain('sent as `Authorization: Bearer …`');
  });

  it('scrubs a header a plugin encoded (Basic base64(user:token)) when the server echoes it', () => {
    const encoded = Buffer.from(`me:${CANARY}`).toString('base64');
    const e = answerError(answer(401, { message: `bad credentials: Basic ${encoded}` }), {
      provider: qoder,
      source: envSource,
      url: new URL('https://api.example.test/me'),
      header: { name: 'Authorization', value: `Basic ${encoded}` },
      token: CANARY,
    });
    expect(e.message).not.toContain(encoded);
    expect(e.message).toContain('bad credentials');
  });

  it('403 → exit 5 naming the missing permission', () => {
    const e = fail(
      podstack,
      answer(403, {
        error: 'permission_denied',
        message: 'Access denied to resource',
        required_permission: 'pods:read',
      }),
    );
    expect(e.code).toBe('forbidden');
    expect(e.exitCode).toBe(EXIT.forbidden);
    expect(e.message).toContain('missing permission: pods:read');
    const q = fail(
      qovery,
      answer(403, {
        status: 403,
        error: 'Forbidden',
        message: 'Insufficient permissions to access this resource',
      }),
    );
    expect(q.message).toContain('Insufficient permissions');
    expect(q.message).toContain('GET /some/path');
    expect(q.suggestion).toMatch(/scope \(Admin, Read, Deploy or Write\)/);
  });

  it.each([
    [500, 'server_error'],
    [503, 'server_error'],
    [429, 'rate_limited'],
    [404, 'unexpected_response'],
    [302, 'unexpected_response'],
  ])('%i → exit 6 (%s) naming the host', (status, code) => {
    const e = fail(
      qoder,
      answer(status, { message: `oops ${CANARY}` }, { location: 'https://elsewhere.test/x' }),
    );
    expect(e.code).toBe(code);
    expect(e.exitCode).toBe(EXIT.network);
    expect(e.message).toContain('api.example.test');
    expect(e.message).not.toContain(CANARY);
  });

  it.each([
    [{ step: 'flag', detail: '--token' }, 'the token came from --token'],
    [{ step: 'options-env', detail: 'QODER_PERSONAL_ACCESS_TOKEN (--env-file .env)' }, '--env-file .env'],
    [
      { step: 'env', detail: 'QODER_PERSONAL_ACCESS_TOKEN' },
      'replace the value of QODER_PERSONAL_ACCESS_TOKEN',
    ],
    [
      { step: 'env', detail: 'QODER_PERSONAL_ACCESS_TOKEN_FILE (/run/secrets/qoder)' },
      'replace the token in /run/secrets/qoder (the file QODER_PERSONAL_ACCESS_TOKEN_FILE names)',
    ],
    [{ step: 'file', detail: '~/.config/cred/credentials [qoder]' }, '~/.config/cred/credentials [qoder]'],
    [{ step: 'session', detail: 'keychain cred/qoder:default' }, 'cred login qoder'],
  ] as [Source, string][])('the prompt for a token from %j says where to fix it', (source, text) => {
    expect(signInPrompt(qoder, source)).toContain(text);
  });

  it("a Qovery CLI session points at the CLI's own login command", () => {
    expect(signInPrompt(qovery, { step: 'session', detail: '~/.qovery/context.json' })).toContain(
      'qovery auth',
    );
  });
});

describe('identity from a 2xx answer', () => {
  it.each([
    [qovery, { results: [{ name: 'Acme' }, { name: 'Beta' }] }, 'organizations: Acme, Beta'],
    [podstack, { pods: [], user: { email: 'dev@example.com' } }, 'dev@example.com'],
    [podstack, { pods: [] }, undefined],
    [qoder, { data: [], has_more: false }, undefined],
    [qoder, 'not json', undefined],
  ])('%s', (provider, body, expected) => {
    expect(identityOf(provider, answer(200, body), [CANARY])).toBe(expected);
  });

  it('never returns the token', () => {
    expect(identityOf(podstack, answer(200, { email: `${CANARY}@x.test` }), [CANARY])).toBe('****@x.test');
  });
});
