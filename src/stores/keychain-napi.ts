// The default backend: @napi-rs/keyring (keyring-rs). On Linux the entry is pinned to the Secret
// Service, so a missing or locked Secret Service is an error instead of a silent fall-back to the
// kernel keyring (keyutils), which loses the login at reboot and is not what `secret-tool` or a
// desktop shows. findCredentials is never used: only exact (service, account) entries are touched.
import type { ChildBackend } from './keychain-process.js';
import { resolvePackage } from './resolve-package.js';

export const NAPI_BACKEND = 'keyring';

/** Runs in the child process (see keychain-process.ts); plain CommonJS, no imports of cred code. */
const PROGRAM = `
function run(mod, req) {
  const entry = new mod.AsyncEntry(req.service, req.account, { linux: { store: 'secret-service' } });
  if (req.op === 'get') return entry.getPassword();
  if (req.op === 'set') return entry.setPassword(req.secret).then(() => true);
  if (req.op === 'delete') return entry.deleteCredential();
  throw new Error('unknown operation');
}
`;

/** Undefined when the package cannot be found (the caller reports it, naming the backend). */
export function napiBackend(): ChildBackend | undefined {
  const modulePath = resolvePackage('@napi-rs/keyring');
  if (!modulePath) return undefined;
  return { name: NAPI_BACKEND, modulePath, program: PROGRAM };
}
