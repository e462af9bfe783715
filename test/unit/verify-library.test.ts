// The library API (SPEC §6) against real servers on 127.0.0.1: verify(), the typed errors it throws
// for each kind of failure, and onAuthExpired firing at most once per session.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuthExpiredEvent,
  AuthRejectedError,
  createSession,
  type Deps,
  EXIT,
  ForbiddenError,
  NetworkError,
  verify,
} from '../../src/index.js';
import { CANARY } from '../helpers/cli.js';
import {
  refusedPort,
  startHungServer,
  startProviderServer,
  startProxy,
  type TestServer,
} from '../helpers/provider-server.js';

let home: string;
const servers: TestServer[] = [];
const GOOD = 'pt-good0123456789abcdef';

beforeAll(() => {
  home = mkdtempSync(path.join(tmpdir(), 'cred-verify-'));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(home, { recursive: true, force: true });
});

async function qoderServer(opts: Parameters<typeof startProviderServer>[1] = {}) {
  const s = await startProviderServer('qoder', { valid: [GOOD], ...opts });
  servers.push(s);
  return s;
}

const deps = (env: Record<string, string>): Partial<Deps> => ({ env: { HOME: home, ...env }, homedir: home });

async function caught(p: Promise<unknown>): Promise<Error & { code: string; exitCode: number }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code: string; exitCode: number };
  }
  throw new Error('expected a rejection');
}

describe('verify()', () => {
  it('sends the documented request and returns the identity without the token', async () => {
    const s = await qoderServer();
    const v = await verify('qoder', {
      deps: deps({ QODER_PERSONAL_ACCESS_TOKEN: GOOD }),
      endpoint: s.url,
    });
    expect(s.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: '/api/v1/cloud/agents?limit=1',
      headers: { authorization: `Bearer ${GOOD}` },
    });
    expect(v).toMatchObject({
      provider: 'qoder',
      profile: 'default',
      source: { step: 'env', detail: 'QODER_PERSONAL_ACCESS_TOKEN' },
      redacted: 'pt-…cdef',
      status: 200,
      endpointFrom: 'option',
    });
    expect(JSON.stringify(v)).not.toContain(GOOD);
  });

  it('uses options.env over the process env (SPEC §2)', async () => {
    const s = await qoderServer();
    await verify('qoder', {
      deps: deps({ QODER_PERSONAL_ACCESS_TOKEN: 'pt-wrong000000000000' }),
      env: { QODER_PERSONAL_ACCESS_TOKEN: GOOD },
      endpoint: s.url,
    });
    expect(s.requests.at(-1)?.headers.authorization).toBe(`Bearer ${GOOD}`);
  });

  it.each([
    [401, AuthRejectedError, EXIT.rejected],
    [403, ForbiddenError, EXIT.forbidden],
    [500, NetworkError, EXIT.network],
  ])('a %i answer is a typed error (exit %#)', async (status, type, exit) => {
    const s = await qoderServer(
      status === 403
        ? { forbidden: [CANARY], echoToken: true }
        : status === 500
          ? { status: 500 }
          : { echoToken: true },
    );
    const e = await caught(
      verify('qoder', { deps: deps({ QODER_PERSONAL_ACCESS_TOKEN: CANARY }), endpoint: s.url }),
    );
    expect(e).toBeInstanceOf(type);
    expect(e.exitCode).toBe(exit);
    expect(
      JSON.stringify({ m: e.message, s: (e as { suggestion?: string }).suggestion, j: e }),
    ).not.toContain(CANARY);
  });
});

describe('network failures name the host and honour the time-out', () => {
  it('a server that never answers: timeout after the given milliseconds', async () => {
    const s = await startHungServer();
    servers.push(s);
    const started = performance.now();
    const e = await caught(
      verify('qoder', { deps: deps({ QODER_PERSONAL_ACCESS_TOKEN: CANARY }), endpoint: s.url, timeout: 400 }),
    );
    const ms = performance.now() - started;
    expect(e).toMatchObject({ code: 'timeout', exitCode: EXIT.network });
    expect(e.message).toContain(s.host);
    expect(e.message).toContain('400 ms');
    expect(ms).toBeGreaterThanOrEqual(380);
    expect(ms).toBeLessThan(1400);
  });

  it('connection refused', async () => {
    const port = await refusedPort();
    const e = await caught(
      verify('qoder', {
        deps: deps({ QODER_PERSONAL_ACCESS_TOKEN: CANARY }),
        endpoint: `http://127.0.0.1:${port}`,
      }),
    );
    expect(e).toMatchObject({ code: 'connection_refused', exitCode: EXIT.network });
    expect(e.message).toContain(`127.0.0.1:${port}`);
  });

  it('a TLS failure (https to a plain HTTP port)', async () => {
    const s = await qoderServer();
    const e = await caught(
      verify('qoder', {
        deps: deps({ QODER_PERSONAL_ACCESS_TOKEN: CANARY }),
        endpoint: `https://127.0.0.1:${s.port}`,
        timeout: 5000,
      }),
    );
    expect(e).toMatchObject({ code: 'tls_error', exitCode: EXIT.network });
    expect(e.message).toContain(`127.0.0.1:${s.port}`);
  });

  it('a DNS failure', async () => {
    const e = await caught(
      verify('qoder', {
        deps: deps({ QODER_PERSONAL_ACCESS_TOKEN: CANARY }),
        endpoint: 'http://cred-no-such-host.invalid',
        timeout: 5000,
      }),
    );
    expect(e.exitCode).toBe(EXIT.network);
    expect(e.message).toContain('cred-no-such-host.invalid');
  });

  it('goes through HTTPS_PROXY/HTTP_PROXY, and around it for NO_PROXY hosts', async () => {
    const s = await qoderServer();
    const proxy = await startProxy();
    servers.push(proxy);
    const env = { QODER_PERSONAL_ACCESS_TOKEN: GOOD, HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url };
    await verify('qoder', { deps: deps(env), endpoint: s.url });
    expect(proxy.seen.map((r) => r.target)).toContainEqual(expect.stringContaining(`127.0.0.1:${s.port}`));
    expect(s.requests.at(-1)?.headers.authorization).toBe(`Bearer ${GOOD}`);

    const before = proxy.seen.length;
    await verify('qoder', { deps: deps({ ...env, no_proxy: '127.0.0.1' }), endpoint: s.url });
    expect(proxy.seen.length).toBe(before);
  });
});

describe('a proxy that says no', () => {
  it('407 from the proxy: exit 6 naming the proxy and the host', async () => {
    const s = await qoderServer();
    const proxy = await startProxy({ refuse: 407 });
    servers.push(proxy);
    const e = await caught(
      verify('qoder', {
        deps: deps({ QODER_PERSONAL_ACCESS_TOKEN: CANARY, HTTP_PROXY: `http://user:pw@${proxy.host}` }),
        endpoint: s.url,
      }),
    );
    expect(e.exitCode).toBe(EXIT.network);
    expect(e.message).toBe(
      `the proxy ${proxy.host} refused the connection to ${s.host} (HTTP 407: it wants a user name and password)`,
    );
    expect(e.message).not.toContain('pw');
    expect(s.requests).toHaveLength(0);
  });
});

describe('onAuthExpired (SPEC §6: at most once per session)', () => {
  it('fires exactly once across several 401s in one session, with no token in the event', async () => {
    const s = await qoderServer();
    const events: AuthExpiredEvent[] = [];
    const session = createSession({
      deps: deps({ QODER_PERSONAL_ACCESS_TOKEN: CANARY }),
      endpoint: s.url,
      onAuthExpired: (e) => {
        events.push(e);
      },
    });
    for (let i = 0; i < 4; i++) {
      const e = await caught(session.verify('qoder'));
      expect(e.code).toBe('auth_rejected');
    }
    expect(s.requests.length).toBeGreaterThanOrEqual(4);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      provider: 'qoder',
      profile: 'default',
      status: 401,
      source: { step: 'env', detail: 'QODER_PERSONAL_ACCESS_TOKEN' },
    });
    expect(JSON.stringify(events[0])).not.toContain(CANARY);
    expect(session.fired).toBe(true);

    // A new session fires again.
    let again = 0;
    const second = createSession({ onAuthExpired: () => void again++ });
    await caught(
      second.verify('qoder', { deps: deps({ QODER_PERSONAL_ACCESS_TOKEN: CANARY }), endpoint: s.url }),
    );
    expect(again).toBe(1);
  });

  it('a callback that throws: the call still throws the auth error, with the callback error as its cause', async () => {
    const s = await qoderServer();
    const mine = new Error('my sign-in prompt failed');
    const e = await caught(
      verify('qoder', {
        deps: deps({ QODER_PERSONAL_ACCESS_TOKEN: CANARY }),
        endpoint: s.url,
        onAuthExpired: () => {
          throw mine;
        },
      }),
    );
    expect(e).toBeInstanceOf(AuthRejectedError);
    expect(e.code).toBe('auth_rejected');
    expect((e as Error & { cause?: unknown }).cause).toBe(mine);
  });

  it('without a session, one callback function fires at most once however many calls pass it', async () => {
    const s = await qoderServer();
    let calls = 0;
    const onAuthExpired = () => {
      calls++;
    };
    const results = await Promise.allSettled(
      [1, 2, 3].map(() =>
        verify('qoder', {
          deps: deps({ QODER_PERSONAL_ACCESS_TOKEN: CANARY }),
          endpoint: s.url,
          onAuthExpired,
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(calls).toBe(1);
  });

  it('does not fire for a 403 or a server error, and does fire for an expired CLI session', async () => {
    const s = await qoderServer({ forbidden: [CANARY] });
    let calls = 0;
    const session = createSession({ onAuthExpired: () => void calls++ });
    await caught(
      session.verify('qoder', { deps: deps({ QODER_PERSONAL_ACCESS_TOKEN: CANARY }), endpoint: s.url }),
    );
    expect(calls).toBe(0);

    const { writeFileSync, mkdirSync } = await import('node:fs');
    const h = mkdtempSync(path.join(tmpdir(), 'cred-verify-exp-'));
    mkdirSync(path.join(h, '.qovery'), { mode: 0o700 });
    writeFileSync(
      path.join(h, '.qovery', 'context.json'),
      JSON.stringify({
        access_token: 'qov-expired-session-token',
        access_token_expiration: '2020-01-01T00:00:00Z',
      }),
      { mode: 0o600 },
    );
    const e = await caught(
      session.verify('qovery', { deps: { env: { HOME: h }, homedir: h }, from: 'file,session' }),
    );
    rmSync(h, { recursive: true, force: true });
    expect(e.code).toBe('auth_expired');
    expect(calls).toBe(1);
  });
});
