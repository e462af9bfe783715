// `cred status [--verify]`: one line per registered provider; exit 0 when providers are merely not
// configured; a store cred cannot use shows on its line (exit 7); --verify checks concurrently and
// exits with the worst failure. The canary never appears on stderr or in --json.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CANARY, type Sandbox, sandbox } from '../helpers/cli.js';
import {
  runCred,
  startHungServer,
  startProviderServer,
  type TestServer,
} from '../helpers/provider-server.js';

const FORBIDDEN = 'ps-FORBIDDEN-0a1b2c3d4e5f';
let box: Sandbox;
let qoder: TestServer;
let podstack: TestServer;
let qovery: TestServer;
let hungA: TestServer;
let hungB: TestServer;

beforeAll(async () => {
  qoder = await startProviderServer('qoder', { valid: [CANARY], echoToken: true });
  podstack = await startProviderServer('podstack', {
    valid: [CANARY],
    forbidden: [FORBIDDEN],
    echoToken: true,
  });
  qovery = await startProviderServer('qovery', { valid: [CANARY], echoToken: true, organizations: ['Acme'] });
  hungA = await startHungServer();
  hungB = await startHungServer();
});
afterAll(async () => {
  await Promise.all([qoder, podstack, qovery, hungA, hungB].map((s) => s.close()));
});
afterEach(() => box?.cleanup());

function status(args: string[], env: Record<string, string> = {}) {
  return runCred(['status', ...args], { env: { ...box.env, ...env }, cwd: box.home });
}

function clean(r: { stdout: string; stderr: string }, token = CANARY) {
  expect(r.stdout).not.toContain(token);
  expect(r.stderr).not.toContain(token);
}

describe('cred status', () => {
  it('nothing configured: one line per provider, exit 0', async () => {
    box = sandbox();
    const r = await status([]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(['qoder', 'podstack', 'qovery']);
    for (const l of lines) expect(l).toMatch(/not configured$/);
    const j = await status(['--json']);
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout)).toEqual(
      ['qoder', 'podstack', 'qovery'].map((provider) => ({
        provider,
        profile: 'default',
        resolved: false,
        status: 'not_configured',
        source: null,
        redacted: null,
      })),
    );
  });

  it('shows the source and the redacted value of each resolved provider, never the value', async () => {
    box = sandbox();
    box.write('.podstack/credentials', `[default]\napi_token = ${CANARY}\n`);
    const r = await status([], { QODER_PERSONAL_ACCESS_TOKEN: CANARY });
    expect(r.code).toBe(0);
    const [q, p, v] = r.stdout.trimEnd().split('\n');
    expect(q).toMatch(/^qoder\s+resolved\s+env: QODER_PERSONAL_ACCESS_TOKEN\s+pt-…8e0d$/);
    expect(p).toMatch(/^podstack\s+resolved\s+file: ~\/\.podstack\/credentials \[default\]\s+…8e0d$/);
    expect(v).toMatch(/^qovery\s+not configured$/);
    clean(r);
    const j = await status(['--json'], { QODER_PERSONAL_ACCESS_TOKEN: CANARY });
    expect(JSON.parse(j.stdout)[0]).toEqual({
      provider: 'qoder',
      profile: 'default',
      resolved: true,
      status: 'resolved',
      source: { step: 'env', detail: 'QODER_PERSONAL_ACCESS_TOKEN' },
      redacted: 'pt-…8e0d',
    });
    clean(j);
  });

  it('a store cred cannot use is shown on its line and exits 7; the others still resolve', async () => {
    box = sandbox();
    box.write('secret', `${CANARY}\n`);
    const r = await status(['--json'], {
      QODER_PERSONAL_ACCESS_TOKEN: CANARY,
      PODSTACK_API_TOKEN: CANARY,
      PODSTACK_API_TOKEN_FILE: box.path('secret'),
    });
    expect(r.code).toBe(7);
    const out = JSON.parse(r.stdout);
    expect(out[0]).toMatchObject({ provider: 'qoder', status: 'resolved' });
    expect(out[1]).toMatchObject({ provider: 'podstack', status: 'error', error: { exitCode: 7 } });
    expect(out[1].error.message).toContain('PODSTACK_API_TOKEN_FILE');
    clean(r);

    box.write('.config/cred/credentials', '[qoder\ntoken = x\n');
    const m = await status([]);
    expect(m.code).toBe(7);
    expect(m.stdout).toMatch(/^qoder\s+error\s+malformed INI in ~\/\.config\/cred\/credentials/m);
  });
});

describe('cred status --verify', () => {
  it('checks every resolved provider; the exit code is the worst failure', async () => {
    box = sandbox();
    box.write(
      '.config/cred/credentials',
      [
        `[qoder]\ntoken = ${CANARY}\nendpoint = ${qoder.url}`,
        `[podstack]\ntoken = ${FORBIDDEN}\nendpoint = ${podstack.url}`,
        `[qovery]\ntoken = ${CANARY}\nendpoint = ${qovery.url}`,
      ].join('\n\n'),
    );
    const r = await status(['--verify']);
    expect(r.code).toBe(5);
    const [q, p, v] = r.stdout.trimEnd().split('\n');
    expect(q).toMatch(/^qoder\s+resolved\s.*verified$/);
    expect(p).toMatch(/forbidden \(403\)$/);
    expect(v).toMatch(/verified: organizations: Acme$/);
    expect(r.stderr).toContain('missing permission: pods:read');
    clean(r);
    clean(r, FORBIDDEN);

    const j = await status(['--verify', '--json']);
    expect(j.code).toBe(5);
    const out = JSON.parse(j.stdout);
    expect(out.map((o: { verified: boolean }) => o.verified)).toEqual([true, false, true]);
    expect(out[1].verifyError).toMatchObject({ code: 'forbidden', exitCode: 5 });
    expect(out[2].identity).toBe('organizations: Acme');
    clean(j);
    clean(j, FORBIDDEN);
  });

  it('a rejected token: exit 4, with the sign-in prompt on stderr', async () => {
    box = sandbox();
    box.write('.config/cred/credentials', `[qovery]\ntoken = ${CANARY}-old\nendpoint = ${qovery.url}\n`);
    const r = await status(['--verify']);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/^qovery\s.*rejected \(401\)$/m);
    expect(r.stderr).toContain('Organization Settings → API Tokens');
    clean(r, `${CANARY}-old`);
  });

  it('runs the checks concurrently: two hung servers cost one time-out, not two (exit 6)', async () => {
    box = sandbox();
    box.write(
      '.config/cred/credentials',
      `[qoder]\ntoken = ${CANARY}\nendpoint = ${hungA.url}\n\n[qovery]\ntoken = ${CANARY}\nendpoint = ${hungB.url}\n`,
    );
    const r = await status(['--verify', '--timeout', '1500', '--json']);
    expect(r.code).toBe(6);
    expect(r.ms).toBeLessThan(2900);
    const out = JSON.parse(r.stdout);
    expect(out[0].verifyError).toMatchObject({ code: 'timeout', exitCode: 6 });
    expect(out[2].verifyError.message).toContain(hungB.host);
    clean(r);
  });

  it('not configured providers are not checked and keep exit 0', async () => {
    box = sandbox();
    const r = await status(['--verify']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});
