// The V8 code caches bin/cred loads on Node 20 (docs/speed.md, "The code cache"): used by the build
// and by bench/instructions.mjs, which remakes them under its own V8 flags.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The code caches the build makes for bin/cred on Node 20 (below): V8 deserializes every function a
 * cache holds, whether or not the run calls it, so each fast-path command gets a cache made by
 * running that command alone, and `dist/cli.cjs.v8cache`, made by running resolve, env, header and
 * `resolve --json`, serves every other command. bin/cred picks `dist/cli.cjs.<word>.v8cache` for
 * the first word of argv that does not start with "-", when the bundle's stamp lists that word.
 */
const CODE_CACHES = {
  '': [['resolve', 'qoder'], ['env'], ['header', 'qoder'], ['resolve', 'qoder', '--json']],
  resolve: [['resolve', 'qoder']],
  env: [['env']],
  header: [['header', 'qoder']],
  run: [['run', '--', process.execPath, '-e', '']],
};

/**
 * The last line of a stamped dist/cli.cjs: `//# credBuild=<id> resolve env header run` — the build
 * id (32 hex) and the words that have a cache of their own. bin/cred reads it with string methods
 * (it cannot import this file); the build and the tests use this.
 */
export const STAMP = /\/\/# credBuild=([0-9a-f]{32})((?: [a-z]+)*)\n$/;

/** The cache file for a command word, or the general one for ''. */
export const cacheFile = (file, word) => (word ? `${file}.${word}.v8cache` : `${file}.v8cache`);

/**
 * Node 20 has no compile cache, so the build makes code caches for bin/cred: it stamps dist/cli.cjs
 * with a build id and the words that have a cache of their own, runs commands once in a child Node (the bundle compiled exactly as bin/cred
 * compiles it) and saves V8's code cache, id first, per CODE_CACHES. On Node 22+ bin/cred uses
 * Node's own cache instead and these files are ignored; V8 rejects them under another Node version
 * or flags. `nodeFlags`: V8 flags the caches are made under (bench/instructions.mjs runs cred with
 * a fixed random seed, and a cache is only accepted under the flags it was made with).
 */
export function writeCodeCaches(file, { nodeFlags = [] } = {}) {
  const source = readFileSync(file, 'utf8');
  // The stamp bin/cred reads: the build id, then the commands that have a cache of their own. A
  // bundle stamped before (bench/instructions.mjs remaking the caches) keeps its stamp.
  let id = STAMP.exec(source)?.[1];
  if (!id) {
    id = createHash('sha256').update(source).digest('hex').slice(0, 32);
    const words = Object.keys(CODE_CACHES).filter(Boolean);
    writeFileSync(file, `${source}//# credBuild=${[id, ...words].join(' ')}\n`);
  }
  const warm = `
    const fs = require('node:fs'), vm = require('node:vm'), Module = require('node:module');
    const [file, id, home, out, argvs] = process.argv.slice(1);
    // Wrapped and named exactly as bin/cred does it: V8 checks the source's length, and the cache
    // keeps the name, which stack traces show.
    const wrapped = '(function (exports, require, module, __filename, __dirname) { ' + fs.readFileSync(file, 'utf8') + '\\n});';
    const script = new vm.Script(wrapped, { filename: 'cred/dist/cli.cjs' });
    const mod = { exports: {} };
    script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, '.');
    const env = { HOME: home, PATH: process.env.PATH, QODER_PERSONAL_ACCESS_TOKEN: 'pt-warmupwarmupwarmup0000',
      PODSTACK_API_TOKEN: 'warmupwarmupwarmup', QOVERY_API_TOKEN: 'warmupwarmupwarmup' };
    (async () => {
      for (const argv of JSON.parse(argvs)) {
        // Through cred's own stdout and stderr, so the cache holds the code a real run takes to
        // write its output (stdout on /dev/null; stderr the build's, so a warning would show).
        // \`run\` is told it cannot replace this process (which would end it), so it spawns.
        const replaceProcess = () => ({ kind: 'unavailable', why: 'making the code cache' });
        const code = await mod.exports.cliMain(argv, '.', { env, homedir: home, replaceProcess });
        if (code !== 0) throw new Error('cred ' + argv.join(' ') + ' exited with ' + code);
      }
      fs.writeFileSync(out, Buffer.concat([Buffer.from(id, 'latin1'), script.createCachedData()]));
    })();`;
  const home = mkdtempSync(path.join(tmpdir(), 'cred-build-'));
  try {
    for (const [word, argvs] of Object.entries(CODE_CACHES)) {
      const out = cacheFile(file, word);
      const args = [path.resolve(file), id, home, out, JSON.stringify(argvs)];
      execFileSync(process.execPath, [...nodeFlags, '-e', warm, ...args], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    }
  } catch (e) {
    // Only start-up speed depends on them (test/e2e/fast-path-lazy.test.ts notices a missing cache).
    console.warn(`build: no V8 code cache for ${file}: ${e.message.split('\n')[0]}`);
    for (const word of Object.keys(CODE_CACHES)) {
      rmSync(cacheFile(file, word), { force: true });
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
