// Where an external package (a keychain binding) is installed, for the child process to load.
// The CLI bundle is CommonJS and has `require`; the library bundle defines one from its own URL
// (scripts/build.mjs); run from source (tests), the project folder is the place to look from.
// node:module is loaded only in that last case: loading it costs ≈ 0.3 ms (docs/speed.md), and
// every `cred env` that looks for an unconfigured provider in the keychain comes through here.
import { join } from 'node:path';

/** Absolute path of the package's entry, or undefined when it is not installed. */
export function resolvePackage(name: string): string | undefined {
  try {
    const req =
      typeof require === 'function'
        ? require
        : process.getBuiltinModule('node:module').createRequire(join(process.cwd(), 'noop.js'));
    return req.resolve(name);
  } catch {
    return undefined;
  }
}
