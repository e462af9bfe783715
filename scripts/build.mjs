// Builds cred with esbuild. Two outputs, each shaped for its job (docs/speed.md has the numbers):
//
// - The CLI: one CommonJS file, dist/cli.cjs, loaded by the CommonJS launcher bin/cred. CommonJS
//   measured faster to start than ESM with code splitting (no ESM loader, one file instead of
//   four). What the fast path never needs stays out of that file: chalk, yaml, dotenv and
//   proper-lockfile (with graceful-fs) are
//   bundled separately into dist/vendor/*.cjs and `import()`ed from there on first use; keytar,
//   @napi-rs/keyring and undici stay external (native or large) and load from node_modules when
//   asked for.
// - The library: ESM with code splitting (dist/index.js + dist/chunks/), as package.json exports it.
// - The native helper `cred run` replaces its process with, dist/native/exec.node (scripts/native.mjs).
//
// dist/meta.json maps every output file to the inputs in it (esbuild's metafile), so tests can
// tell which file holds which package (test/e2e/fast-path-*.test.ts).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';
import { writeCodeCaches } from './code-cache.mjs';
import { buildNativeHelper } from './native.mjs';

const require = createRequire(import.meta.url);

/** Packages the CLI imports lazily and that get a file of their own in dist/vendor/. */
const VENDOR = { chalk: 'chalk', yaml: 'yaml', dotenv: 'dotenv', 'proper-lockfile': 'proper-lockfile' };
/** Native or large modules left in node_modules, loaded only when asked for. */
const EXTERNAL = ['keytar', '@napi-rs/keyring', 'undici'];
// import('chalk') in the CLI becomes require('./vendor/chalk.cjs'), resolved next to dist/cli.cjs.
const vendorPlugin = {
  name: 'vendor',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(VENDOR).join('|')})$`);
    b.onResolve({ filter }, (args) =>
      args.kind === 'dynamic-import'
        ? { path: `./vendor/${args.path}.cjs`, external: true }
        : {
            errors: [{ text: `${args.path} must be imported lazily (await import()) in ${args.importer}` }],
          },
    );
  },
};

// commander requires node:child_process at the top of its command.js but uses it only to start
// executable subcommands, which cred has none of; loading it costs every start-up (docs/speed.md).
// So commander gets a stand-in that loads the real module on first property access. cred's own
// code loads such built-ins where it uses them, with process.getBuiltinModule().
const lazyChildProcessPlugin = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)
        ? { path: 'child_process', namespace: 'lazy-builtin' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      loader: 'js',
      contents: "module.exports = new Proxy({}, { get: (_t, k) => require('node:child_process')[k] });",
    }));
  },
};

// commander's index.js builds a whole Command at load time for its default `program` export, which
// cred never uses, and esbuild then copies every export into an interop object. cred imports the
// four classes it uses straight from commander's lib/ files instead (the package's exports map
// hides them from a plain deep import, so this resolves them by path).
const COMMANDER_CLASSES = {
  Command: 'command.js',
  Option: 'option.js',
  Argument: 'argument.js',
  CommanderError: 'error.js',
};
const commanderClassesPlugin = {
  name: 'commander-classes',
  setup(b) {
    b.onResolve({ filter: /^commander$/ }, (args) =>
      /[\\/]src[\\/]/.test(args.importer) ? { path: 'commander', namespace: 'commander-classes' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'commander-classes' }, () => {
      const lib = path.join(path.dirname(require.resolve('commander')), 'lib');
      return {
        loader: 'js',
        resolveDir: lib,
        contents: Object.entries(COMMANDER_CLASSES)
          .map(([name, file]) => `export { ${name} } from ${JSON.stringify(`./${file}`)};`)
          .join('\n'),
      };
    });
  },
};

// Node 20 loses a script's dynamic-import callback when its code comes from a V8 code cache, so an
// import() inside dist/cli.cjs (the plugin loader's `new Function('url', 'return import(url)')`)
// would fail there. bin/cred hands the bundle its own import() under this symbol instead.
const IMPORT_HOOK = "globalThis[Symbol.for('cred.import')]";
const REAL_IMPORT = "new Function('url', 'return import(url)')";
const importHookPlugin = {
  name: 'import-hook',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes(REAL_IMPORT)) return undefined;
      return { loader: 'ts', contents: text.replaceAll(REAL_IMPORT, `(${IMPORT_HOOK} ?? ${REAL_IMPORT})`) };
    });
  },
};

/**
 * dist/cli.cjs takes Node's built-ins from process.getBuiltinModule() (Node >= 20.16) instead of
 * require(): a require() runs Node's CommonJS machinery (Module.require, loadBuiltinModule, ...),
 * functions compiled on first use during start-up, and without any on the fast path bin/cred need
 * not make a require() for the bundle at all (docs/speed.md, "The launcher").
 */
function builtinsFromProcess(file) {
  const text = readFileSync(file, 'utf8');
  // Not `x.require(...)`: a method of something else.
  const out = text.replace(/(?<![.\w$])require\("([a-z_:/]+)"\)/g, (call, id) =>
    isBuiltin(id)
      ? `process.getBuiltinModule(${JSON.stringify(id.startsWith('node:') ? id : `node:${id}`)})`
      : call,
  );
  writeFileSync(file, out);
}

/** Fails the build if dist/cli.cjs holds an import() that does not go through the hook. */
function checkNoBareImport(file) {
  const text = readFileSync(file, 'utf8');
  const all = text.match(/\bimport\(/g)?.length ?? 0;
  const hooked = text.match(/Symbol\.for\(["']cred\.import["']\)/g)?.length ?? 0;
  if (all !== hooked) {
    throw new Error(
      `${file}: ${all - hooked} import() call(s) outside ${IMPORT_HOOK}; see scripts/build.mjs`,
    );
  }
}

// Build beside dist/ and swap it in, so a test running against dist/ never sees it half-written.
const out = `dist.tmp-${process.pid}`;
rmSync(out, { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};
async function bundle() {
  const results = await Promise.all([
    build({
      ...common,
      entryPoints: { cli: 'src/cli.ts' },
      outdir: out,
      format: 'cjs',
      outExtension: { '.js': '.cjs' },
      // import() of a bundled module becomes a lazy require() instead of a trip through the ESM loader.
      supported: { 'dynamic-import': false },
      // Whitespace and syntax only: ~40 % less for V8 to read, ~5 % faster start-up measured here
      // (docs/speed.md); names are kept, so --debug stack frames still say which function.
      minifyWhitespace: true,
      minifySyntax: true,
      external: EXTERNAL,
      plugins: [vendorPlugin, lazyChildProcessPlugin, commanderClassesPlugin, importHookPlugin],
    }),
    build({
      ...common,
      entryPoints: Object.fromEntries(Object.entries(VENDOR).map(([k, v]) => [`vendor/${k}`, v])),
      outdir: out,
      format: 'cjs',
      outExtension: { '.js': '.cjs' },
    }),
    build({
      ...common,
      entryPoints: { index: 'src/index.ts' },
      outdir: out,
      splitting: true,
      format: 'esm',
      chunkNames: 'chunks/[name]-[hash]',
      external: EXTERNAL,
      // Bundled CommonJS dependencies call require() for Node built-ins.
      banner: {
        js: "import { createRequire as __cjsRequire } from 'node:module'; const require = __cjsRequire(import.meta.url);",
      },
    }),
  ]);
  const outputs = {};
  for (const r of results) {
    for (const [file, o] of Object.entries(r.metafile.outputs)) {
      outputs[file.slice(out.length + 1)] = { bytes: o.bytes, inputs: Object.keys(o.inputs) };
    }
  }
  builtinsFromProcess(`${out}/cli.cjs`);
  checkNoBareImport(`${out}/cli.cjs`);
  writeCodeCaches(`${out}/cli.cjs`);
  buildNativeHelper(out);
  // After the rewrite and the stamp, so the size recorded is the file's.
  outputs['cli.cjs'].bytes = statSync(`${out}/cli.cjs`).size;
  writeFileSync(`${out}/meta.json`, `${JSON.stringify({ outputs }, null, 1)}\n`);
}

try {
  await bundle();
} catch (e) {
  rmSync(out, { recursive: true, force: true });
  throw e;
}

const old = `dist.old-${process.pid}`;
if (existsSync('dist')) renameSync('dist', old);
renameSync(out, 'dist');
rmSync(old, { recursive: true, force: true });
if (!process.argv.includes('--no-types')) {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}
