// Parallel first logins all try to make cred's folder. The one whose mkdir loses the race to
// another process must use the folder the other made, not fail with EEXIST (and lose its token).
// The race is made certain here: mkdir of cred's folder first lets "another process" make it.
import type * as fs from 'node:fs';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { defaultDeps } from '../../src/deps.js';
import { writeToken } from '../../src/stores/credentials-writer.js';

const lost = vi.hoisted(() => ({ dir: '' }));

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof fs>();
  return {
    ...real,
    mkdirSync: (dir: fs.PathLike, options?: fs.MakeDirectoryOptions) => {
      if (String(dir) === lost.dir) {
        lost.dir = '';
        real.mkdirSync(dir, { mode: 0o700 }); // the other login, a moment earlier
        throw Object.assign(new Error(`EEXIST: file already exists, mkdir '${dir}'`), { code: 'EEXIST' });
      }
      return real.mkdirSync(dir, options);
    },
  };
});

let home = '';
afterEach(() => rmSync(home, { recursive: true, force: true }));

it('a login whose mkdir loses the race uses the folder another login made', async () => {
  home = mkdtempSync(path.join(tmpdir(), 'cred-race-'));
  const dir = path.join(home, '.config', 'cred');
  lost.dir = dir;
  const deps = defaultDeps({ env: { HOME: home }, homedir: home, cwd: home });
  await writeToken(path.join(dir, 'credentials'), 'qoder', 'pt-race-0123456789', deps);
  expect(lost.dir).toBe(''); // the race did happen
  expect(readFileSync(path.join(dir, 'credentials'), 'utf8')).toBe('[qoder]\ntoken = pt-race-0123456789\n');
  expect(statSync(dir).mode & 0o777).toBe(0o700);
});
