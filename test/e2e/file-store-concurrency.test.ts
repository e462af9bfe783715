// cred's credentials file under pressure: many writers at once lose nothing, and a writer killed
// mid-write leaves the old file whole. The file keeps its comments and other sections, stays 0600,
// and no temp or lock file is left behind.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCred, type Sandbox, sandbox, spawnCred } from '../helpers/cli.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

const SEED = [
  '# cred credentials — hand-edited',
  '[podstack]',
  'token = ps-seed-0123456789',
  'endpoint = https://api.podstack.example',
  '',
  '; the work account',
  '[qovery:work]',
  'token = qv-seed-0123456789',
  '',
].join('\n');

function runAsync(b: Sandbox, args: string[], env: Record<string, string> = {}, input = '') {
  return runCred(args, { env: { ...b.env, ...env }, cwd: b.home, input });
}

const tokenFor = (i: number) => `pt-concurrent-${String(i).padStart(2, '0')}-abcdef`;

/** `n` logins at once, profiles p0…p{n-1}; each must succeed silently. */
async function loginAll(b: Sandbox, n: number): Promise<void> {
  const runs = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      runAsync(
        b,
        ['--profile', `p${i}`, 'login', 'qoder', '--store', 'file', '--with-token'],
        {},
        `${tokenFor(i)}\n`,
      ),
    ),
  );
  for (const r of runs) {
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }
}

describe('the file store', () => {
  it('24 concurrent logins on one file: all 24 profiles readable, the rest intact, 0600, nothing left over', async () => {
    box = sandbox();
    const file = box.write('.config/cred/credentials', SEED, 0o600);
    await loginAll(box, 24);

    const text = readFileSync(file, 'utf8');
    expect(text.startsWith(SEED)).toBe(true);
    for (let i = 0; i < 24; i++) {
      expect(text.split(`\n[qoder:p${i}]\ntoken = ${tokenFor(i)}\n`)).toHaveLength(2);
    }
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(readdirSync(path.dirname(file))).toEqual(['credentials']);

    // Every profile resolves from the file, in fresh processes.
    const resolved = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        runAsync(box, ['--profile', `p${i}`, 'resolve', 'qoder', '--reveal']),
      ),
    );
    resolved.forEach((r, i) => {
      expect(r.stdout).toBe(`${tokenFor(i)}\n`);
    });
    const seeded = await runAsync(box, ['resolve', 'podstack', '--reveal']);
    expect(seeded.stdout).toBe('ps-seed-0123456789\n');
  });

  it('concurrent first logins on a fresh HOME: every one makes or finds the folder, none is lost', async () => {
    // The race itself (another login makes the folder first) is pinned down in
    // test/unit/credentials-writer-race.test.ts; this is the same with real processes.
    box = sandbox();
    await loginAll(box, 12);
    const file = path.join(box.home, '.config', 'cred', 'credentials');
    const text = readFileSync(file, 'utf8');
    for (let i = 0; i < 12; i++) expect(text).toContain(`[qoder:p${i}]\ntoken = ${tokenFor(i)}\n`);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(statSync(path.dirname(path.dirname(file))).mode & 0o777).not.toBe(0o700);
  });

  it('a writer killed (SIGKILL) before its rename leaves the old file intact; the next writer cleans up', async () => {
    box = sandbox();
    const file = box.write('.config/cred/credentials', SEED, 0o600);
    const dir = path.dirname(file);
    const victim = spawnCred(
      ['login', 'qoder', '--store', 'file', '--with-token'],
      // Test-only hook (docs/keychain.md): pause between the fsync'd temp file and the rename.
      { ...box.env, CRED_TEST_PAUSE_BEFORE_RENAME_MS: '20000' },
      box.home,
    );
    victim.stdin.end('pt-killed-writer-0123456789\n');
    const exited = new Promise((r) => victim.on('exit', r));
    // Wait until it holds the lock and its temp file is fully written.
    let temp: string | undefined;
    for (let i = 0; i < 200 && !temp; i++) {
      temp = readdirSync(dir).find((n) => n.startsWith('.credentials.tmp-'));
      if (!temp) await new Promise((r) => setTimeout(r, 50));
    }
    expect(temp).toBeDefined();
    expect(readFileSync(path.join(dir, temp!), 'utf8')).toContain('pt-killed-writer-0123456789');
    victim.kill('SIGKILL');
    await exited;

    expect(readFileSync(file, 'utf8')).toBe(SEED);
    const meanwhile = await runAsync(box, ['resolve', 'podstack', '--reveal']);
    expect(meanwhile.stdout).toBe('ps-seed-0123456789\n');

    // The next login takes over the dead writer's lock once it is stale and removes its temp file.
    const next = await runAsync(
      box,
      ['login', 'qoder', '--store', 'file', '--with-token'],
      {},
      'pt-next-writer-0123456789\n',
    );
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(`${SEED}\n[qoder]\ntoken = pt-next-writer-0123456789\n`);
    expect(readdirSync(dir)).toEqual(['credentials']);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
