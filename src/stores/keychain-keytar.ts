// The optional backend: keytar (libsecret on Linux), chosen with CRED_KEYCHAIN_BACKEND=keytar. It is
// an optionalDependency with a native build; when it is absent cred says so, naming the backend.
// keytar's findCredentials crashes the process on a locked keyring (SIGSEGV, measured here), so it
// is never called; and like every backend it runs in a child process that cred can kill.
import { existsSync } from 'node:fs';
import { dirname, join as joinPath } from 'node:path';
import type { ChildBackend } from './keychain-process.js';
import { resolvePackage } from './resolve-package.js';

export const KEYTAR_BACKEND = 'keytar';

const PROGRAM = `
function run(mod, req) {
  if (req.op === 'get') return mod.getPassword(req.service, req.account);
  if (req.op === 'set') return mod.setPassword(req.service, req.account, req.secret).then(() => true);
  if (req.op === 'delete') return mod.deletePassword(req.service, req.account);
  throw new Error('unknown operation');
}
`;

export type KeytarLookup = { found: true; backend: ChildBackend } | { found: false; reason: string };

export function keytarBackend(): KeytarLookup {
  const modulePath = resolvePackage('keytar');
  if (!modulePath) return { found: false, reason: 'the keytar package is not installed' };
  // lib/keytar.js requires ../build/Release/keytar.node, which exists only after the native build.
  const addon = joinPath(dirname(modulePath), '..', 'build', 'Release', 'keytar.node');
  if (!existsSync(addon)) {
    return {
      found: false,
      reason: 'keytar is installed but its native addon was not built (build/Release/keytar.node is missing)',
    };
  }
  return { found: true, backend: { name: KEYTAR_BACKEND, modulePath, program: PROGRAM } };
}
