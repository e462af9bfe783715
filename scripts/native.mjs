// Builds the native helper `cred run` uses to replace its own process with the command
// (src/native/exec.c, src/run/replace-process.ts) into <out>/native/exec.node, with node-gyp.
// It is Node-API, so one build serves every Node version on this platform. Building it needs a C
// compiler and Node's headers (.ci/run installs build-essential); without them the build says so
// and carries on, and `cred run` spawns the command and waits for it instead.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const SOURCES = ['exec.c', 'binding.gyp'];

/**
 * node-gyp normally fetches Node's headers from nodejs.org; `npm_config_nodedir` (npm passes its
 * `nodedir` setting) or this Node's own include/ folder (distribution packages and the official
 * tarballs ship it) avoid the download, which a machine without network needs.
 */
function nodedirArgs() {
  if (process.env.npm_config_nodedir) return [];
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return existsSync(path.join(prefix, 'include', 'node', 'common.gypi')) ? [`--nodedir=${prefix}`] : [];
}

/** Returns the built file, or undefined (after one line on stderr) when it could not be built. */
export function buildNativeHelper(out) {
  if (process.platform === 'win32') return undefined; // No exec() on Windows: `run` spawns there.
  // In a temp folder, so node-gyp's build/ tree never lands in src/.
  const work = mkdtempSync(path.join(tmpdir(), 'cred-native-'));
  try {
    for (const f of SOURCES) copyFileSync(path.join('src', 'native', f), path.join(work, f));
    execFileSync(
      process.execPath,
      [require.resolve('node-gyp/bin/node-gyp.js'), 'rebuild', ...nodedirArgs()],
      {
        cwd: work,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    const target = path.join(out, 'native', 'exec.node');
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(path.join(work, 'build', 'Release', 'exec.node'), target);
    return target;
  } catch (e) {
    const detail = String(e.stderr ?? e.message)
      .split('\n')
      .filter((l) => /error/i.test(l))
      .slice(0, 1)
      .join('');
    console.warn(
      `build: native exec helper not built (${detail.trim() || 'node-gyp failed'}); cred run will spawn commands instead`,
    );
    return undefined;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
