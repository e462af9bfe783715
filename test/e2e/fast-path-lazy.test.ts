// The fast path (resolve/env/header with the token in the environment, and `run -- true`) must
// not read any of the lazily loaded code: chalk, yaml and dotenv (bundled into dist/vendor/, found
// through the esbuild metafile dist/meta.json) and the keychain bindings and undici (left in
// node_modules). A preload hook (NODE_OPTIONS=--require) records every file and built-in module the
// process loaded; two control cases show the hook does see a lazy module when one is needed.
import { spawnSync } from 'node:child_process';
import fs, { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, CANARY, ROOT, type Sandbox, sandbox } from '../helpers/cli.js';

const LAZY_PACKAGES = ['chalk', 'yaml', 'dotenv', 'proper-lockfile', 'keytar', '@napi-rs/keyring', 'undici'];
const DIST = path.join(ROOT, 'dist');

interface Meta {
  outputs: Record<string, { inputs: string[] }>;
}

/** dist files (absolute) that hold each lazy package, per the build's metafile. */
let lazyFiles: Map<string, string[]>;

beforeAll(() => {
  const meta = JSON.parse(readFileSync(path.join(DIST, 'meta.json'), 'utf8')) as Meta;
  lazyFiles = new Map(LAZY_PACKAGES.map((p) => [p, []]));
  for (const [file, out] of Object.entries(meta.outputs)) {
    for (const pkg of LAZY_PACKAGES) {
      if (out.inputs.some((i) => i.startsWith(`node_modules/${pkg}/`))) {
        lazyFiles.get(pkg)!.push(path.join(DIST, file));
      }
    }
  }
});

let box: Sandbox;
afterEach(() => box?.cleanup());

const HOOK = `
const fs = require('node:fs');
const native = [];
const write = () => {
  fs.writeFileSync(process.env.CRED_LOAD_LOG, JSON.stringify({
    files: Object.keys(require.cache),
    builtins: process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)),
    native,
  }));
};
process.on('exit', write);
// \`cred run\` replaces its process with the command right after loading its native exec helper,
// so it never exits: the log is written then too.
const dlopen = process.dlopen;
process.dlopen = function (mod, file, ...rest) {
  const r = dlopen.call(this, mod, file, ...rest);
  native.push(file);
  write();
  return r;
};
`;

interface Loaded {
  files: string[];
  builtins: string[];
  native: string[];
}

function runLogged(args: string[], env: Record<string, string>): Loaded {
  const hook = box.write('hook.cjs', HOOK);
  const log = box.path('load-log.json');
  const r = box.run(args, { env: { ...env, NODE_OPTIONS: `--require ${hook}`, CRED_LOAD_LOG: log } });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const loaded = JSON.parse(readFileSync(log, 'utf8')) as Loaded;
  // The hook works: it saw the launcher itself.
  expect(loaded.files).toContain(path.join(ROOT, 'bin', 'cred'));
  return loaded;
}

/** Which lazy packages a run loaded, as bundled vendor files or from node_modules. */
function lazyLoaded(loaded: Loaded): string[] {
  return LAZY_PACKAGES.filter(
    (pkg) =>
      lazyFiles.get(pkg)!.some((f) => loaded.files.includes(f)) ||
      loaded.files.some((f) => f.includes(`${path.sep}node_modules${path.sep}${pkg}${path.sep}`)),
  );
}

const ALL = {
  QODER_PERSONAL_ACCESS_TOKEN: CANARY,
  PODSTACK_API_TOKEN: 'ps-fastpath0123456789abcd',
  QOVERY_API_TOKEN: 'qov-fastpath0123456789abc',
};

describe('the build keeps lazy modules out of the start-up file', () => {
  it('chalk, yaml, dotenv and proper-lockfile each sit in a file of their own, none of them dist/cli.cjs', () => {
    for (const pkg of ['chalk', 'yaml', 'dotenv', 'proper-lockfile']) {
      const files = lazyFiles.get(pkg)!.filter((f) => !f.startsWith(path.join(DIST, 'chunks')));
      expect(files.length, `${pkg} has a CLI file`).toBeGreaterThan(0);
      expect(files).not.toContain(path.join(DIST, 'cli.cjs'));
    }
    for (const pkg of ['keytar', '@napi-rs/keyring', 'undici']) {
      expect(lazyFiles.get(pkg), `${pkg} stays in node_modules`).toEqual([]);
    }
  });
});

describe('the code caches (Node 20)', () => {
  const STAMP = /\/\/# credBuild=([0-9a-f]{32}) ([a-z ]+)\n$/;

  it('one per fast-path command plus a general one, listed in the stamp that ends dist/cli.cjs', () => {
    const caches = fs
      .readdirSync(DIST)
      .filter((f) => f.endsWith('.v8cache'))
      .sort();
    expect(caches).toEqual([
      'cli.cjs.env.v8cache',
      'cli.cjs.header.v8cache',
      'cli.cjs.resolve.v8cache',
      'cli.cjs.run.v8cache',
      'cli.cjs.v8cache',
    ]);
    const stamp = STAMP.exec(readFileSync(path.join(DIST, 'cli.cjs'), 'utf8'));
    expect(stamp?.[2]?.split(' ').sort()).toEqual(['env', 'header', 'resolve', 'run']);
    for (const name of caches) {
      const cache = readFileSync(path.join(DIST, name));
      expect(cache.subarray(0, 32).toString('latin1'), `${name} carries the build id`).toBe(stamp?.[1]);
      // bin/cred reads a cache into a 2 MiB buffer and ignores one that fills it.
      expect(cache.length, name).toBeLessThan(1 << 20);
    }
  });

  const commands: [string, string[], string][] = [
    ['resolve', ['resolve', 'qoder', '--debug'], 'cli.cjs.resolve.v8cache'],
    ['env', ['--debug', 'env'], 'cli.cjs.env.v8cache'],
    ['header', ['header', 'qoder', '--debug'], 'cli.cjs.header.v8cache'],
    ['run', ['run', '--debug', '--', 'true'], 'cli.cjs.run.v8cache'],
    ['status (no cache of its own)', ['status', '--debug'], 'cli.cjs.v8cache'],
  ];
  it.each(commands)('bin/cred starts %s from its cache, and this Node accepts it', (_name, args, cache) => {
    box = sandbox();
    const r = box.run(args, { env: ALL });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`cred: debug: start-up: code cache ${cache} used\n`);
  });

  /** A copy of bin/ and dist/ in the sandbox, changed by `change`; runs `resolve qoder --debug` there. */
  function resolveInCopy(change: (dist: string) => void) {
    box = sandbox();
    const copy = box.path('cred');
    fs.cpSync(path.join(ROOT, 'bin'), path.join(copy, 'bin'), { recursive: true });
    fs.cpSync(DIST, path.join(copy, 'dist'), { recursive: true });
    change(path.join(copy, 'dist'));
    const r = spawnSync(process.execPath, [path.join(copy, 'bin', 'cred'), 'resolve', 'qoder', '--debug'], {
      cwd: box.home,
      env: { ...box.env, QODER_PERSONAL_ACCESS_TOKEN: CANARY },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('source    env: QODER_PERSONAL_ACCESS_TOKEN');
    return r.stderr;
  }

  it('a cache from another build is not used, and the command works without it', () => {
    const stderr = resolveInCopy((dist) => {
      const cache = path.join(dist, 'cli.cjs.resolve.v8cache');
      const bytes = readFileSync(cache);
      bytes[0] = bytes[0] === 0x30 ? 0x31 : 0x30; // Another build id, same length.
      fs.writeFileSync(cache, bytes);
    });
    expect(stderr).toContain(
      'cred: debug: start-up: code cache cli.cjs.resolve.v8cache from another build\n',
    );
  });

  it('a bundle without its stamp (edited by hand) uses no cache, and the command works', () => {
    const stderr = resolveInCopy((dist) => {
      const file = path.join(dist, 'cli.cjs');
      fs.writeFileSync(file, readFileSync(file, 'utf8').replace(STAMP, ''));
    });
    expect(stderr).toContain(
      'cred: debug: start-up: code cache cli.cjs.v8cache unused: dist/cli.cjs has no build id\n',
    );
  });
});

describe('the fast path loads none of the lazy modules', () => {
  const cases: [string, string[], Record<string, string>][] = [
    ['resolve qoder (token in env)', ['resolve', 'qoder'], { QODER_PERSONAL_ACCESS_TOKEN: CANARY }],
    ['env (all three providers in env)', ['env'], ALL],
    ['header qoder (token in env)', ['header', 'qoder'], { QODER_PERSONAL_ACCESS_TOKEN: CANARY }],
    ['run -- true', ['run', '--', 'true'], ALL],
  ];
  for (const [name, args, env] of cases) {
    it(name, () => {
      box = sandbox();
      const loaded = runLogged(args, env);
      expect(lazyLoaded(loaded)).toEqual([]);
      // Nor the built-ins only other paths need (hashing, prompts, HTTP).
      const heavy = ['crypto', 'readline', 'http', 'https', 'tls', 'child_process'];
      expect(loaded.builtins.filter((b) => heavy.includes(b))).toEqual([]);
      // `run` becomes the command through the native helper (no child_process, no fork); the
      // others load no native code at all.
      expect(loaded.native).toEqual(args[0] === 'run' ? [path.join(DIST, 'native', 'exec.node')] : []);
    });
  }
});

describe('standard streams on /dev/null', () => {
  it('a character device that is not a terminal: no terminal code is loaded to find that out', () => {
    box = sandbox();
    const hook = box.write('hook.cjs', HOOK);
    const log = box.path('load-log.json');
    const devNull = fs.openSync('/dev/null', 'r+');
    let r: ReturnType<typeof spawnSync>;
    try {
      r = spawnSync(BIN, ['env'], {
        cwd: box.home,
        env: { ...box.env, ...ALL, NODE_OPTIONS: `--require ${hook}`, CRED_LOAD_LOG: log },
        stdio: [devNull, devNull, 'pipe'],
        encoding: 'utf8',
      });
    } finally {
      fs.closeSync(devNull);
    }
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const loaded = JSON.parse(readFileSync(log, 'utf8')) as Loaded;
    expect(loaded.builtins.filter((b) => ['tty', 'net', 'stream'].includes(b))).toEqual([]);
  });
});

describe('controls: the same hook sees a lazy module when the path needs one', () => {
  it('a Podstack CLI login (YAML) loads yaml', () => {
    box = sandbox();
    box.write('.podstack/config.yaml', 'auth:\n  token: ps-fromyaml0123456789abcd\n');
    expect(lazyLoaded(runLogged(['resolve', 'podstack'], {}))).toEqual(['yaml']);
  });

  it('--env-file loads dotenv', () => {
    box = sandbox();
    const file = box.write('creds.env', `QODER_PERSONAL_ACCESS_TOKEN=${CANARY}\n`);
    expect(lazyLoaded(runLogged(['resolve', 'qoder', '--env-file', file], {}))).toEqual(['dotenv']);
  });
});
