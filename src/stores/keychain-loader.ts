// Picks a keychain backend. Loaded lazily (only when the chain reaches the keychain or a login
// command runs), and it decides before any binding is touched whether there is a keychain at all:
// on Linux and the BSDs that means a D-Bus session bus named in DBUS_SESSION_BUS_ADDRESS. Without
// one the keychain is skipped at once; cred never spawns dbus-launch (docs/keychain.md).
import { statSync } from 'node:fs';
import type { Env } from '../deps.js';
import { UsageError } from '../errors.js';
import { quotedText, quoteInput } from '../output/redact.js';
import { type Keychain, missingBackendKeychain, unavailableKeychain } from './keychain.js';
import { KEYTAR_BACKEND, keytarBackend } from './keychain-keytar.js';
import { NAPI_BACKEND, napiBackend } from './keychain-napi.js';
import { type ChildBackend, processKeychain } from './keychain-process.js';

const ENV_KEYCHAIN_BACKEND = 'CRED_KEYCHAIN_BACKEND';
const ENV_DBUS = 'DBUS_SESSION_BUS_ADDRESS';

/** Platforms whose keychain is the Secret Service on the D-Bus session bus. */
const DBUS_PLATFORMS: ReadonlySet<NodeJS.Platform> = new Set([
  'linux',
  'freebsd',
  'openbsd',
  'netbsd',
] as NodeJS.Platform[]);

/**
 * Transports that only connect to a bus that already runs. `autolaunch:` would run dbus-launch,
 * `unixexec:` runs a program, `launchd:`/`systemd:` look things up elsewhere: all refused.
 */
const CONNECT_ONLY = new Set(['unix', 'tcp', 'nonce-tcp']);

/** Why this D-Bus address cannot be used, or undefined when it is fine to try. */
function dbusAddressProblem(address: string | undefined): string | undefined {
  if (!address?.trim()) return `no D-Bus session (${ENV_DBUS} is unset)`;
  for (const entry of address.split(';')) {
    if (!entry.trim()) continue;
    const colon = entry.indexOf(':');
    const transport = colon > 0 ? entry.slice(0, colon).trim() : '';
    if (!CONNECT_ONLY.has(transport)) {
      return `${ENV_DBUS} uses the "${quotedText(transport || entry, [])}" transport; cred only connects to a running bus and never starts one`;
    }
    if (transport === 'unix') {
      const path = /(?:^|,)path=([^,]*)/.exec(entry.slice(colon + 1))?.[1];
      if (path !== undefined && address.split(';').filter((e) => e.trim()).length === 1) {
        let decoded = path;
        try {
          decoded = decodeURIComponent(path);
          if (!statSync(decoded).isSocket()) return `the D-Bus address ${decoded} is not a socket`;
        } catch {
          return `no D-Bus session (the socket ${decoded} does not exist)`;
        }
      }
    }
  }
  return undefined;
}

/** What a Secret Service client needs from the environment; nothing else reaches the child. */
const DBUS_CHILD_ENV = [
  'DBUS_SESSION_BUS_ADDRESS',
  'HOME',
  'USER',
  'LOGNAME',
  'XDG_RUNTIME_DIR',
  'LANG',
  'LC_ALL',
  'TMPDIR',
];

/**
 * The keychain child's environment. On D-Bus platforms only what a Secret Service client uses: no
 * DISPLAY (X11 autolaunch), no tokens from the parent's env. Elsewhere (macOS, Windows) the platform
 * store needs more of the session's variables, so all of them (keychain-process.ts drops
 * NODE_OPTIONS on every platform when it starts the child).
 */
function keychainChildEnv(env: Env, platform: NodeJS.Platform): Env {
  if (!DBUS_PLATFORMS.has(platform)) return env;
  const out: Record<string, string> = {};
  for (const name of DBUS_CHILD_ENV) {
    const v = env[name];
    if (v !== undefined) out[name] = v;
  }
  return out;
}

export interface LoadOptions {
  platform?: NodeJS.Platform;
  timeoutMs?: number;
}

export async function loadKeychain(env: Env, options: LoadOptions = {}): Promise<Keychain> {
  const platform = options.platform ?? process.platform;
  const choice = (env[ENV_KEYCHAIN_BACKEND] ?? '').trim().toLowerCase() || NAPI_BACKEND;
  if (choice !== NAPI_BACKEND && choice !== KEYTAR_BACKEND) {
    throw new UsageError(
      `${ENV_KEYCHAIN_BACKEND}=${quoteInput(env[ENV_KEYCHAIN_BACKEND] ?? '')} is not a keychain backend`,
      `use "${NAPI_BACKEND}" (the default, @napi-rs/keyring) or "${KEYTAR_BACKEND}"`,
    );
  }

  // Decided before any binding loads: a binding left to itself may look for a bus on its own.
  if (DBUS_PLATFORMS.has(platform)) {
    const problem = dbusAddressProblem(env[ENV_DBUS]);
    if (problem) return unavailableKeychain(problem);
  }

  let backend: ChildBackend;
  if (choice === KEYTAR_BACKEND) {
    const found = keytarBackend();
    if (!found.found) {
      return missingBackendKeychain(
        `${ENV_KEYCHAIN_BACKEND}=keytar, but the keytar backend is missing: ${found.reason}`,
        'keytar is optional: build it (it needs node-gyp and libsecret-1-dev), or unset CRED_KEYCHAIN_BACKEND to use @napi-rs/keyring',
      );
    }
    backend = found.backend;
  } else {
    const found = napiBackend();
    if (!found) {
      return missingBackendKeychain(
        'the keyring backend (@napi-rs/keyring) is missing',
        'reinstall cred, or set CRED_KEYCHAIN_BACKEND=keytar',
      );
    }
    backend = found;
  }
  return processKeychain(backend, {
    env: keychainChildEnv(env, platform),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
}
