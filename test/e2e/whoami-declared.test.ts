// A provider declared in the config file (SPEC §7) is verified like a built-in: its verify_url, its
// header template, its identity_field. One without a verify_url is skipped by `status --verify`.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CANARY, type Sandbox, sandbox } from '../helpers/cli.js';
import { runCred, startDeclaredServer, type TestServer } from '../helpers/provider-server.js';

let box: Sandbox;
let acme: TestServer;

beforeAll(async () => {
  acme = await startDeclaredServer({
    name: 'X-Acme-Key',
    value: CANARY,
    body: { account: { email: 'ops@acme.test' } },
  });
});
afterAll(() => acme.close());
afterEach(() => box?.cleanup());

function config(extra = '') {
  box = sandbox();
  box.write(
    '.config/cred/config',
    `[provider "acme"]\nenv = ACME_TOKEN\nheader = X-Acme-Key: {token}\nverify_url = {endpoint}/v2/me?fields=email\nendpoint = ${acme.url}\nidentity_field = account.email\n\n[provider "bare"]\nenv = BARE_TOKEN\n${extra}`,
  );
}

describe('declared providers', () => {
  it('whoami sends verify_url with the declared header and prints identity_field', async () => {
    config();
    const before = acme.requests.length;
    const r = await runCred(['whoami', 'acme', '--json'], {
      env: { ...box.env, ACME_TOKEN: CANARY },
      cwd: box.home,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const got = acme.requests.slice(before);
    expect(got.map((q) => [q.method, q.path, q.headers['x-acme-key'], q.headers.authorization])).toEqual([
      ['GET', '/v2/me?fields=email', CANARY, undefined],
    ]);
    expect(JSON.parse(r.stdout)).toMatchObject({ provider: 'acme', identity: 'ops@acme.test' });
    expect(r.stdout).not.toContain(CANARY);
  });

  it('a 401 from a declared provider is exit 4 without echoing the token', async () => {
    config();
    const bad = `${CANARY}-bad`;
    const r = await runCred(['whoami', 'acme'], { env: { ...box.env, ACME_TOKEN: bad }, cwd: box.home });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('ACME_TOKEN');
    expect(r.stderr).not.toContain(bad);
  });

  it('status --verify skips a provider without verify_url; whoami names it a usage error', async () => {
    config();
    const env = { ...box.env, ACME_TOKEN: CANARY, BARE_TOKEN: 'bare-token-0123456789' };
    const r = await runCred(['status', '--verify'], { env, cwd: box.home });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^acme\s.*verified: ops@acme\.test$/m);
    expect(r.stdout).toMatch(/^bare\s+resolved\s.*not checked/m);
    const w = await runCred(['whoami', 'bare'], { env, cwd: box.home });
    expect(w.code).toBe(2);
    expect(w.stderr).toContain('no verification request');
  });

  it('whoami with no provider, when only unverifiable ones resolve: exit 2 saying so, not "not configured"', async () => {
    config();
    const env = { ...box.env, BARE_TOKEN: 'bare-token-0123456789' };
    const w = await runCred(['whoami'], { env, cwd: box.home });
    expect(w.code).toBe(2);
    expect(w.stderr).toContain('nothing to check: the providers that resolve (bare)');
  });
});
