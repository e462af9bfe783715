// `cred whoami` when the network fails: a server that never answers (the time-out is honoured within
// 1 s), a refused port, a DNS failure, a TLS failure — exit 6 naming the host — and the proxy
// variables (HTTPS_PROXY/HTTP_PROXY in either case, NO_PROXY). The canary never shows.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CANARY, type Sandbox, sandbox } from '../helpers/cli.js';
import {
  refusedPort,
  runCred,
  startHungServer,
  startProviderServer,
  startProxy,
  type TestServer,
} from '../helpers/provider-server.js';

let box: Sandbox;
let qoder: TestServer;
let hung: TestServer;
let proxy: TestServer & { seen: { method: string; target: string }[] };

beforeAll(async () => {
  qoder = await startProviderServer('qoder', { valid: [CANARY] });
  hung = await startHungServer();
  proxy = await startProxy();
});
afterAll(async () => {
  await Promise.all([qoder, hung, proxy].map((s) => s.close()));
});
afterEach(() => box?.cleanup());

function whoami(args: string[], env: Record<string, string> = {}) {
  box = sandbox();
  return runCred(['whoami', 'qoder', ...args], {
    env: { ...box.env, QODER_PERSONAL_ACCESS_TOKEN: CANARY, ...env },
    cwd: box.home,
  });
}

function clean(r: { stdout: string; stderr: string }) {
  expect(r.stdout).not.toContain(CANARY);
  expect(r.stderr).not.toContain(CANARY);
}

describe('network failures: exit 6 naming the host', () => {
  it('a server that never answers: --timeout is honoured within 1 s', async () => {
    const r = await whoami(['--endpoint', hung.url, '--timeout', '1500', '--json']);
    expect(r.code).toBe(6);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'timeout', exitCode: 6 });
    expect(r.stderr).toContain(`no answer from ${hung.host} within 1500 ms`);
    expect(r.ms).toBeGreaterThanOrEqual(1500);
    expect(r.ms).toBeLessThan(2500);
    clean(r);
  });

  it('connection refused', async () => {
    const port = await refusedPort();
    const r = await whoami(['--endpoint', `http://127.0.0.1:${port}`, '--json']);
    expect(r.code).toBe(6);
    expect(JSON.parse(r.stdout).error.code).toBe('connection_refused');
    expect(r.stderr).toContain(`connection refused by 127.0.0.1:${port}`);
    clean(r);
  });

  it('a DNS failure', async () => {
    const r = await whoami(['--endpoint', 'https://cred-no-such-host.invalid', '--timeout', '5000']);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('cred-no-such-host.invalid');
    clean(r);
  });

  it('a TLS failure (https to a port that speaks plain HTTP)', async () => {
    const r = await whoami(['--endpoint', `https://127.0.0.1:${qoder.port}`, '--json']);
    expect(r.code).toBe(6);
    expect(JSON.parse(r.stdout).error.code).toBe('tls_error');
    expect(r.stderr).toContain(`TLS handshake with 127.0.0.1:${qoder.port} failed`);
    clean(r);
  });

  it('a bad --timeout or --endpoint is a usage error (exit 2)', async () => {
    expect((await whoami(['--timeout', 'soon'])).code).toBe(2);
    expect((await whoami(['--endpoint', 'ftp://example.com'])).code).toBe(2);
  });

  it('help shows the default --timeout: the library default, applied when the flag is absent', async () => {
    const r = await whoami(['--help']);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('after this many milliseconds (default: 10000)');
  });
});

describe('proxies', () => {
  it.each([
    ['HTTPS_PROXY/HTTP_PROXY', (u: string) => ({ HTTPS_PROXY: u, HTTP_PROXY: u })],
    ['lower-case http_proxy', (u: string) => ({ http_proxy: u })],
  ])('goes through %s; the provider still gets the exact header', async (_name, vars) => {
    const seen = proxy.seen.length;
    const got = qoder.requests.length;
    const r = await whoami(['--endpoint', qoder.url], vars(proxy.url));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(proxy.seen.slice(seen).map((s) => s.target)).toEqual([
      expect.stringContaining(`127.0.0.1:${qoder.port}`),
    ]);
    expect(qoder.requests.slice(got).map((q) => [q.method, q.path, q.headers.authorization])).toEqual([
      ['GET', '/api/v1/cloud/agents?limit=1', `Bearer ${CANARY}`],
    ]);
    clean(r);
  });

  it('NO_PROXY sends the request directly', async () => {
    const seen = proxy.seen.length;
    const r = await whoami(['--endpoint', qoder.url], {
      HTTP_PROXY: proxy.url,
      NO_PROXY: 'localhost,127.0.0.1',
    });
    expect(r.code).toBe(0);
    expect(proxy.seen.length).toBe(seen);
  });

  it('a proxy that refuses connections: exit 6 naming the proxy', async () => {
    const port = await refusedPort();
    const r = await whoami(['--endpoint', qoder.url, '--json'], { HTTP_PROXY: `http://127.0.0.1:${port}` });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(`proxy 127.0.0.1:${port}`);
    clean(r);
  });
});
