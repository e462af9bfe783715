// Bundles the CLI and the library with esbuild (ESM, code-split so that lazily imported modules —
// keychain, HTTP, YAML, colour — become separate chunks the fast path never reads), then emits
// type declarations for the library entry.
import { execFileSync } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

// Build beside dist/ and swap it in, so a test running against dist/ never sees it half-written.
const out = `dist.tmp-${process.pid}`;
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli.ts', index: 'src/index.ts' },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // Native or optional modules stay outside the bundle and load only when asked for.
  external: ['keytar', '@napi-rs/keyring', 'undici'],
  // Bundled CommonJS dependencies call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __cjsRequire } from 'node:module'; const require = __cjsRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
});
const old = `dist.old-${process.pid}`;
if (existsSync('dist')) renameSync('dist', old);
renameSync(out, 'dist');
rmSync(old, { recursive: true, force: true });
if (!process.argv.includes('--no-types')) {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}
