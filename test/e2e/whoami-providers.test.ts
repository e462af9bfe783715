// `cred whoami` against real servers that implement each provider's documented contract: the exact
// method, path and Authorization header received; 200/401/403/500 and their exit codes; the canary
// token never on stderr or in --json.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CANARY, type Sandbox, sandbox } from '../helpers/cli.js';
import {
  type ProviderKind,
  runCred,
  startProviderServer,
  type TestServer,
} from '../helpers/provider-server.js';

const VAR: Record<ProviderKind, string> = {
  qoder: 'QODER_PERSONAL_ACCESS_TOKEN',
  podstack: 'PODSTACK_API_TOKEN',
  qovery: 'QOVERY_API_TOKEN',
};
const PATH: Record<ProviderKind, string> = {
  qoder: '/api/v1/cloud/agents?limit=1',
  podstack: '/v1/pods',
  qovery: '/organization',
};
const SCHEME: Record<ProviderKind, string> = { qoder: 'Bearer', podstack: 'Bearer', qovery: 'Token' };
const KINDS: ProviderKind[] = ['qoder', 'podstack', 'qovery'];

// One server per provider: CANARY is valid; FORBIDDEN is known but lacks permission; others get 401.
const FORBIDDEN = 'pt-FORBIDDEN0a1b2c3d4e5f6a7b';
const servers = {} as Record<ProviderKind, TestServer>;
let failing: TestServer;
let box: Sandbox;

beforeAll(async () => {
  for (const kind of KINDS) {
    servers[kind] = await startProviderServer(kind, {
      valid: [CANARY],
      forbidden: [FORBIDDEN],
      echoToken: true,
      email: 'dev@example.com',
      organizations: ['Acme', 'Beta Labs'],
    });
  }
  failing = await startProviderServer('qovery', { status: 500, echoToken: true });
});
afterAll(async () => {
  await Promise.all([...Object.values(servers), failing].map((s) => s.close()));
});
afterEach(() => box?.cleanup());

function whoami(kind: ProviderKind, token: string, extra: string[] = [], endpoint = servers[kind].url) {
  box = sandbox();
  return runCred(['whoami', kind, '--endpoint', endpoint, ...extra], {
    env: { ...box.env, [VAR[kind]]: token },
    cwd: box.home,
  });
}

function noCanary(r: { stdout: string; stderr: string }, token = CANARY) {
  expect(r.stdout).not.toContain(token);
  expect(r.stderr).not.toContain(token);
}

describe.each(KINDS)('cred whoami %s', (kind) => {
  it('200: sends the documented request, prints identity, source and redacted value', async () => {
    const before = servers[kind].requests.length;
    const r = await whoami(kind, CANARY);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const got = servers[kind].requests.slice(before);
    expect(got).toHaveLength(1);
    expect(got[0]!.method).toBe('GET');
    expect(got[0]!.path).toBe(PATH[kind]);
    expect(got[0]!.headers.authorization).toBe(`${SCHEME[kind]} ${CANARY}`);
    expect(got[0]!.headers['x-api-key']).toBeUndefined();
    expect(r.stdout).toContain(`env: ${VAR[kind]}`);
    expect(r.stdout).toContain(kind === 'qoder' ? 'pt-…8e0d' : '…8e0d');
    if (kind === 'qovery') expect(r.stdout).toContain('organizations: Acme, Beta Labs');
    if (kind === 'podstack') expect(r.stdout).toContain('dev@example.com');
    noCanary(r);
  });

  it('200 --json: one object, redacted', async () => {
    const r = await whoami(kind, CANARY, ['--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      provider: kind,
      profile: 'default',
      source: { step: 'env', detail: VAR[kind] },
      url: `${servers[kind].url}${PATH[kind]}`,
      status: 200,
    });
    expect(out.redacted).toMatch(/…8e0d$/);
    noCanary(r);
  });

  it('401: exit 4, a sign-in prompt naming the source and where to make a token; no token echoed', async () => {
    const bad = `${CANARY}-revoked`;
    const r = await whoami(kind, bad);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(VAR[kind]);
    expect(r.stderr).toMatch(/401/);
    expect(r.stderr).toContain(
      { qoder: 'Account → Integrations', podstack: 'Account → API Tokens', qovery: 'API Tokens' }[kind],
    );
    if (kind === 'qoder') expect(r.stderr).toContain('x-api-key');
    if (kind === 'qovery') expect(r.stderr).toContain('`Authorization: Token <token>`, not Bearer');
    noCanary(r, bad);
    noCanary(r);

    const j = await whoami(kind, bad, ['--json']);
    expect(j.code).toBe(4);
    expect(JSON.parse(j.stdout).error).toMatchObject({ code: 'auth_rejected', exitCode: 4 });
    noCanary(j, bad);
  });

  it('403: exit 5 naming the missing permission', async () => {
    const r = await whoami(kind, FORBIDDEN);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/403/);
    expect(r.stderr).toMatch(
      {
        qoder: /permission_error/,
        podstack: /missing permission: pods:read/,
        qovery: /Insufficient permissions/,
      }[kind],
    );
    noCanary(r, FORBIDDEN);
    const j = await whoami(kind, FORBIDDEN, ['--json']);
    expect(JSON.parse(j.stdout).error).toMatchObject({ code: 'forbidden', exitCode: 5 });
    noCanary(j, FORBIDDEN);
  });
});

describe('whoami: other answers and where the endpoint comes from', () => {
  it('500: exit 6 naming the host, body never echoed with the token', async () => {
    const r = await whoami('qovery', CANARY, ['--json'], failing.url);
    expect(r.code).toBe(6);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'server_error', exitCode: 6 });
    expect(r.stderr).toContain(failing.host);
    noCanary(r);
  });

  it("honours the credentials file's endpoint, and --endpoint beats it", async () => {
    box = sandbox();
    box.write('.config/cred/credentials', `[qoder]\ntoken = ${CANARY}\nendpoint = ${servers.qoder.url}\n`);
    const before = servers.qoder.requests.length;
    const r = await runCred(['whoami', 'qoder'], { env: box.env, cwd: box.home });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('file: ~/.config/cred/credentials [qoder]');
    expect(servers.qoder.requests.length).toBe(before + 1);

    const other = await startProviderServer('qoder', { valid: [CANARY] });
    try {
      const o = await runCred(['whoami', 'qoder', '--endpoint', other.url], { env: box.env, cwd: box.home });
      expect(o.code).toBe(0);
      expect(other.requests).toHaveLength(1);
      expect(servers.qoder.requests.length).toBe(before + 1);
    } finally {
      await other.close();
    }
  });

  it("honours a Podstack profile's api_endpoint from ~/.podstack/credentials", async () => {
    box = sandbox();
    box.write(
      '.podstack/credentials',
      `[production]\napi_token = ${CANARY}\napi_endpoint = ${servers.podstack.url}\n`,
    );
    const before = servers.podstack.requests.length;
    const r = await runCred(['--profile', 'production', 'whoami', 'podstack', '--json'], {
      env: box.env,
      cwd: box.home,
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      profile: 'production',
      identity: 'dev@example.com',
      endpointFrom: 'credential',
      source: { step: 'file', detail: '~/.podstack/credentials [production]' },
    });
    expect(servers.podstack.requests.slice(before).map((q) => q.headers.authorization)).toEqual([
      `Bearer ${CANARY}`,
    ]);
    noCanary(r);
  });

  it('sends a Qovery CLI-login JWT as Bearer', async () => {
    const jwt = [
      Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url'),
      Buffer.from('{"sub":"user-1"}').toString('base64url'),
      'c2lnbmF0dXJlLWNhbmFyeQ',
    ].join('.');
    const s = await startProviderServer('qovery', { valid: [jwt], organizations: ['Acme'] });
    try {
      box = sandbox();
      box.write(
        '.qovery/context.json',
        JSON.stringify({ access_token: jwt, access_token_expiration: '2999-01-01T00:00:00Z' }),
      );
      const r = await runCred(['whoami', 'qovery', '--endpoint', s.url], { env: box.env, cwd: box.home });
      expect(r.code).toBe(0);
      expect(s.requests.map((q) => q.headers.authorization)).toEqual([`Bearer ${jwt}`]);
      expect(r.stdout).toContain('session: ~/.qovery/context.json');
      expect(r.stdout).toContain('organizations: Acme');
      noCanary(r, jwt);
    } finally {
      await s.close();
    }
  });

  it('with no provider named, checks every provider that resolves; exit is the worst failure', async () => {
    box = sandbox();
    box.write(
      '.config/cred/credentials',
      `[qoder]\ntoken = ${CANARY}\nendpoint = ${servers.qoder.url}\n\n[qovery]\ntoken = ${FORBIDDEN}-x\nendpoint = ${servers.qovery.url}\n`,
    );
    const r = await runCred(['whoami', '--json'], { env: box.env, cwd: box.home });
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout) as { provider: string; error?: { code: string } }[];
    expect(out.map((o) => o.provider)).toEqual(['qoder', 'qovery']);
    expect(out[0]!.error).toBeUndefined();
    expect(out[1]!.error?.code).toBe('auth_rejected');
    noCanary(r);
    noCanary(r, `${FORBIDDEN}-x`);

    const empty = sandbox();
    try {
      const none = await runCred(['whoami'], { env: empty.env, cwd: empty.home });
      expect(none.code).toBe(3);
      expect(none.stderr).toContain('no provider resolved a credential');
    } finally {
      empty.cleanup();
    }
  });
});
