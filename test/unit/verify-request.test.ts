import { describe, expect, it } from 'vitest';
import { podstack } from '../../providers/podstack.js';
import { qoder } from '../../providers/qoder.js';
import { qovery } from '../../providers/qovery.js';
import { EXIT } from '../../src/errors.js';
import { defineProvider, headerFor } from '../../src/provider.js';
import { proxySettings } from '../../src/verify/http.js';
import { verifyResolution } from '../../src/verify/index.js';
import { buildRequest, parseEndpoint } from '../../src/verify/request.js';
import { checkTimeout, DEFAULT_TIMEOUT_MS } from '../../src/verify/timeout.js';

const JWT = `${Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"u1"}').toString('base64url')}.c2lnbmF0dXJl`;

describe('verification request per provider (SPEC §1)', () => {
  it.each([
    [qoder, 'pt-abcdefghijkl', 'https://api.qoder.com/api/v1/cloud/agents?limit=1', 'Bearer pt-abcdefghijkl'],
    [podstack, 'ps_tok_123456789', 'https://api.podstack.ai/v1/pods', 'Bearer ps_tok_123456789'],
    [qovery, 'qov_api_123456789', 'https://api.qovery.com/organization', 'Token qov_api_123456789'],
    [qovery, JWT, 'https://api.qovery.com/organization', `Bearer ${JWT}`],
  ])('%s: default endpoint, path and header', (provider, token, url, auth) => {
    const t = buildRequest(provider, token, undefined, undefined);
    expect(t.url.href).toBe(url);
    expect(t.header).toEqual({ name: 'Authorization', value: auth });
    expect(t.endpointFrom).toBe('default');
  });

  it('endpoint precedence: --endpoint, then the stored endpoint, then the default', () => {
    const stored = 'https://podstack.internal.example';
    expect(buildRequest(podstack, 'x'.repeat(16), 'http://127.0.0.1:9999', stored).url.href).toBe(
      'http://127.0.0.1:9999/v1/pods',
    );
    const fromStore = buildRequest(podstack, 'x'.repeat(16), undefined, stored);
    expect(fromStore.url.href).toBe('https://podstack.internal.example/v1/pods');
    expect(fromStore.endpointFrom).toBe('credential');
  });

  it('keeps a base path and drops a trailing slash', () => {
    expect(buildRequest(qoder, 'pt-abcdefghijkl', 'https://gw.example/qoder/', undefined).url.href).toBe(
      'https://gw.example/qoder/api/v1/cloud/agents?limit=1',
    );
  });

  it('a config-declared URL template: {endpoint} takes the endpoint; without it the origin is replaced', () => {
    const acme = defineProvider({
      id: 'acme',
      name: 'Acme',
      envVars: ['ACME_TOKEN'],
      header: { name: 'X-Acme-Key', template: '{token}' },
      verify: { url: 'https://api.acme.dev/v2/me?fields=email' },
    });
    expect(buildRequest(acme, 'k'.repeat(20), undefined, undefined).url.href).toBe(
      'https://api.acme.dev/v2/me?fields=email',
    );
    const moved = buildRequest(acme, 'k'.repeat(20), 'http://127.0.0.1:4000', undefined);
    expect(moved.url.href).toBe('http://127.0.0.1:4000/v2/me?fields=email');
    expect(moved.header).toEqual({ name: 'X-Acme-Key', value: 'k'.repeat(20) });

    const templ = defineProvider({
      ...acme,
      id: 'templ',
      verify: { url: '{endpoint}/whoami', defaultEndpoint: 'https://t.example' },
    });
    expect(buildRequest(templ, 'k'.repeat(20), undefined, undefined).url.href).toBe(
      'https://t.example/whoami',
    );
    expect(buildRequest(templ, 'k'.repeat(20), undefined, 'https://stored.example/').url.href).toBe(
      'https://stored.example/whoami',
    );
  });

  it.each([
    ['ftp://example.com', 'http or https'],
    ['not a url', 'not a URL'],
    ['https://user:secret@example.com', 'user name or password'],
  ])('rejects the endpoint %s as a usage error', (raw, why) => {
    expect(() => parseEndpoint(raw, '--endpoint')).toThrow(why);
    const err = (() => {
      try {
        buildRequest(qoder, 'pt-abcdefghijkl', raw, undefined);
      } catch (e) {
        return e as Error & { exitCode: number };
      }
    })();
    expect(err?.exitCode).toBe(EXIT.usage);
    expect(err?.message).not.toContain('secret');
  });

  it.each([['pt-abc\ndef-ghijklmnop'], ['pt-abcdefghijkl\u2028'], ['pt-abcdefghij\u0000kl']])(
    'refuses a value a header cannot carry (%j) before sending, naming its source, without quoting it',
    async (token) => {
      const resolution = {
        provider: 'qoder',
        profile: 'default',
        token,
        source: { step: 'file' as const, detail: '~/.config/cred/credentials [qoder]' },
        header: headerFor(qoder, token),
        warnings: [],
      };
      // A fetch that fails the test if called: the check comes first.
      const deps = { fetch: () => Promise.reject(new Error('sent a request')) };
      const err = await verifyResolution(qoder, resolution, { deps }).then(
        () => undefined,
        (e: Error & { code: string }) => e,
      );
      expect(err?.code).toBe('unsafe_value');
      expect(err?.message).toContain('from ~/.config/cred/credentials [qoder]');
      expect(err?.message).not.toContain('abcdef');
    },
  );

  it('a provider without a verification request is a usage error', () => {
    const bare = defineProvider({
      id: 'bare',
      name: 'Bare',
      envVars: ['BARE_TOKEN'],
      header: { name: 'Authorization', template: 'Bearer {token}' },
    });
    expect(() => buildRequest(bare, 'b'.repeat(16), undefined, undefined)).toThrow(/no verification request/);
  });
});

describe('time-out and proxy settings', () => {
  it('defaults to 10 s and refuses nonsense', () => {
    expect(checkTimeout(undefined)).toBe(DEFAULT_TIMEOUT_MS);
    expect(DEFAULT_TIMEOUT_MS).toBe(10_000);
    expect(checkTimeout(250)).toBe(250);
    for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 31]) expect(() => checkTimeout(bad)).toThrow(/--timeout/);
  });

  it.each([
    [{}, undefined],
    [{ HTTPS_PROXY: 'http://p:3128' }, { httpProxy: '', httpsProxy: 'http://p:3128', noProxy: '' }],
    [
      { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2', NO_PROXY: 'localhost' },
      { httpProxy: '', httpsProxy: 'http://lower:1', noProxy: 'localhost' },
    ],
    [
      { http_proxy: 'http://p:8080', no_proxy: '.internal,127.0.0.1' },
      { httpProxy: 'http://p:8080', httpsProxy: '', noProxy: '.internal,127.0.0.1' },
    ],
    [{ HTTP_PROXY: '', HTTPS_PROXY: '' }, undefined],
  ])('reads %j (lower case first, as curl does)', (env, expected) => {
    expect(proxySettings(env)).toEqual(expected);
  });
});
