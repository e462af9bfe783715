// The chain's order rules (src/chain/index.ts), run for real against a temp HOME and an env map
// handed in through Deps — no module mocks. The keychain is a small in-memory one given via Deps.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { podstack } from '../../providers/podstack.js';
import { qoder } from '../../providers/qoder.js';
import { type ChainMode, nothingFoundError, runChain, STEP_NAMES } from '../../src/chain/index.js';
import type { ChainContext } from '../../src/chain/types.js';
import { type Deps, defaultDeps } from '../../src/deps.js';
import type { Provider } from '../../src/provider.js';
import { explain, resolve } from '../../src/resolve.js';
import type { Keychain } from '../../src/stores/keychain.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), 'cred-unit-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function write(rel: string, text: string): void {
  const p = path.join(home, rel);
  mkdirSync(path.dirname(p), { recursive: true, mode: 0o700 });
  writeFileSync(p, text, { mode: 0o600 });
}

/** An in-memory keychain that records which accounts were read. */
function memoryKeychain(entries: Record<string, string> = {}): Keychain & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    get: async (_service, account) => {
      reads.push(account);
      return entries[account];
    },
    set: async () => {},
    delete: async () => false,
  };
}

const sink = () =>
  new Writable({
    write(_c, _e, cb) {
      cb();
    },
  });

function deps(
  env: Record<string, string>,
  keychain = memoryKeychain(),
  now = Date.parse('2026-01-01T00:00:00Z'),
): Deps {
  return defaultDeps({
    env,
    homedir: home,
    now: () => now,
    stdin: Readable.from(['pt-from-stdin-000001\n']),
    stdout: sink(),
    stderr: sink(),
    keychain: async () => keychain,
  });
}

function context(provider: Provider, d: Deps, over: Partial<ChainContext> = {}): ChainContext {
  return {
    provider,
    profile: 'default',
    profileExplicit: false,
    envVars: provider.envVars,
    envVarOverridden: false,
    flags: {},
    deps: d,
    readStdinLine: async () => 'pt-from-stdin-000001',
    note: () => {},
    ...over,
  };
}

describe('the order', () => {
  it('is flag, options-env, env, file, session', () => {
    expect(STEP_NAMES).toEqual(['flag', 'options-env', 'env', 'file', 'session']);
  });

  it.each<[ChainMode, string[]]>([
    ['first', ['flag', 'options-env', 'env']],
    ['shadow', ['flag', 'options-env', 'env', 'file']],
    ['explain', ['flag', 'options-env', 'env', 'file', 'session']],
  ])('mode %s inspects %j when env wins', async (mode, steps) => {
    write('.config/cred/credentials', '[qoder]\ntoken = pt-file-token-00001\n');
    const keychain = memoryKeychain({ 'qoder:default': 'pt-keychain-tok-0001' });
    const d = deps({ QODER_PERSONAL_ACCESS_TOKEN: 'pt-env-token-000001' }, keychain);
    const out = await runChain(context(qoder, d), mode);
    expect([...new Set(out.findings.map((f) => f.step))]).toEqual(steps);
    expect(out.winner).toMatchObject({ step: 'env', status: 'used', value: 'pt-env-token-000001' });
    // The keychain (which may prompt or hang) is read only to explain, never for the shadow warning.
    expect(keychain.reads).toEqual(mode === 'explain' ? ['qoder:default'] : []);
    const shadowWarning = out.warnings.filter((w) => w.includes('different token'));
    expect(shadowWarning).toHaveLength(mode === 'first' ? 0 : 1);
  });

  it('the keychain login shadowed by env gives no shadow warning even in explain', async () => {
    const keychain = memoryKeychain({ 'qoder:default': 'pt-keychain-tok-0001' });
    const out = await runChain(
      context(qoder, deps({ QODER_PERSONAL_ACCESS_TOKEN: 'pt-env-token-000001' }, keychain)),
      'explain',
    );
    expect(out.findings.find((f) => f.location.startsWith('keychain'))?.status).toBe('shadowed');
    expect(out.warnings).toEqual([]);
  });

  it('a real failure before any value stops the chain: a later value never wins', async () => {
    write('.config/cred/credentials', '[qoder\n');
    write('.podstack/credentials', '[default]\napi_token = ps-later-token-001\n');
    write('.config/cred/credentials', '[podstack\n');
    const out = await runChain(context(podstack, deps({})), 'first');
    expect(out.winner).toBeUndefined();
    expect(out.failure).toMatchObject({ exitCode: 7 });
    expect(out.findings.map((f) => f.status)).toEqual(['missing', 'missing', 'missing', 'error']);
    const explained = await runChain(context(podstack, deps({})), 'explain');
    expect(explained.winner).toBeUndefined();
    expect(nothingFoundError(context(podstack, deps({})), explained).exitCode).toBe(7);
  });

  it('a failure after the winner does not change the outcome', async () => {
    write('.config/cred/credentials', '[qoder\n');
    const out = await runChain(
      context(qoder, deps({ QODER_PERSONAL_ACCESS_TOKEN: 'pt-env-token-000001' })),
      'explain',
    );
    expect(out.winner?.step).toBe('env');
    expect(out.failure).toBeUndefined();
    expect(out.findings.find((f) => f.step === 'file')?.status).toBe('error');
  });

  it('--from runs only the listed steps, and explain lists the rest as skipped', async () => {
    write('.config/cred/credentials', '[qoder]\ntoken = pt-file-token-00001\n');
    const d = deps({ QODER_PERSONAL_ACCESS_TOKEN: 'pt-env-token-000001' });
    const out = await runChain(context(qoder, d), 'explain', { from: ['file'] });
    expect(out.winner?.step).toBe('file');
    expect(out.findings.filter((f) => f.status === 'skipped').map((f) => f.step)).toEqual([
      'flag',
      'options-env',
      'env',
      'session',
    ]);
  });

  it('an explicit profile skips the env; the skip is shown', async () => {
    const d = deps({ QODER_PERSONAL_ACCESS_TOKEN: 'pt-env-token-000001' });
    const out = await runChain(context(qoder, d, { profile: 'prod', profileExplicit: true }), 'explain');
    expect(out.winner).toBeUndefined();
    expect(out.findings.find((f) => f.step === 'env')).toMatchObject({ status: 'skipped' });
  });

  it('only an expired session: auth_expired, exit 4, saying how to log in', async () => {
    write(
      '.qovery/context.json',
      JSON.stringify({
        access_token: 'qv-old-token-0000001',
        access_token_expiration: '2025-01-01T00:00:00Z',
      }),
    );
    await expect(resolve('qovery', { deps: deps({}) })).rejects.toMatchObject({
      code: 'auth_expired',
      exitCode: 4,
      message: expect.stringContaining('qovery auth'),
    });
    // The same session one day before it expires is used.
    const early = deps({}, memoryKeychain(), Date.parse('2024-12-31T00:00:00Z'));
    await expect(resolve('qovery', { deps: early })).resolves.toMatchObject({
      token: 'qv-old-token-0000001',
    });
  });
});

describe('library resolve() and explain()', () => {
  it.each([
    [{ profile: 'prod' }, 'file'],
    [{ profile: 'prod', profileExplicit: false }, 'env'],
    [{}, 'env'],
  ])('options %j: the winner is %s', async (options, step) => {
    write(
      '.config/cred/credentials',
      '[qoder:prod]\ntoken = pt-prod-token-00001\n[qoder]\ntoken = pt-file-token-00001\n',
    );
    const r = await resolve('qoder', {
      ...options,
      deps: deps({ QODER_PERSONAL_ACCESS_TOKEN: 'pt-env-token-000001' }),
    });
    expect(r.source.step).toBe(step);
  });

  it('CRED_PROFILE picks the profile but does not skip the env', async () => {
    write('.config/cred/credentials', '[qoder:prod]\ntoken = pt-prod-token-00001\n');
    const withEnv = await resolve('qoder', {
      deps: deps({ CRED_PROFILE: 'prod', QODER_PERSONAL_ACCESS_TOKEN: 'pt-env-token-000001' }),
    });
    expect(withEnv).toMatchObject({ profile: 'prod', source: { step: 'env' } });
    const without = await resolve('qoder', { deps: deps({ CRED_PROFILE: 'prod' }) });
    expect(without).toMatchObject({ profile: 'prod', token: 'pt-prod-token-00001' });
  });

  it('options.env beats the process env; envVar replaces the names in both', async () => {
    const d = deps({ QODER_PERSONAL_ACCESS_TOKEN: 'pt-env-token-000001', MY_PAT: 'pt-my-pat-00000001' });
    expect(
      (await resolve('qoder', { env: { QODER_PERSONAL_ACCESS_TOKEN: 'pt-map-token-00001' }, deps: d })).token,
    ).toBe('pt-map-token-00001');
    expect((await resolve('qoder', { envVar: 'MY_PAT', deps: d })).token).toBe('pt-my-pat-00000001');
    await expect(resolve('qoder', { envVar: 'OTHER', deps: d })).rejects.toMatchObject({
      code: 'auth_access_token_env_var_not_configured',
      exitCode: 3,
    });
    await expect(resolve('qoder', { deps: deps({}) })).rejects.toMatchObject({
      code: 'auth_not_configured',
      exitCode: 3,
    });
  });

  it('explain() fingerprints values and says which shadowed ones are the same token', async () => {
    write('.config/cred/credentials', '[qoder]\ntoken = pt-env-token-000001\n');
    const x = await explain('qoder', {
      env: { QODER_PERSONAL_ACCESS_TOKEN: 'pt-map-token-00001' },
      deps: deps({ QODER_PERSONAL_ACCESS_TOKEN: 'pt-env-token-000001' }),
    });
    expect(x.exitCode).toBe(0);
    const byStep = Object.fromEntries(x.steps.filter((s) => s.fingerprint).map((s) => [s.step, s]));
    expect(byStep['options-env']).toMatchObject({ status: 'used' });
    expect(byStep.env).toMatchObject({ status: 'shadowed', sameAsUsed: false });
    expect(byStep.file).toMatchObject({
      status: 'shadowed',
      sameAsUsed: false,
      fingerprint: byStep.env!.fingerprint,
    });
    expect(JSON.stringify(x.steps)).not.toContain('pt-');
  });
});
