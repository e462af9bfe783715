// The keychain seam. Every backend sits behind this small interface; the loader (keychain-loader.ts)
// is imported lazily so the fast path never loads a native binding. docs/keychain.md explains the
// backends, the time-out and the D-Bus rules.
import { StoreError } from '../errors.js';

export const KEYCHAIN_SERVICE = 'cred';

/** Every keychain call gets this long, then it is abandoned (gh uses the same 3 s). */
export const KEYCHAIN_TIMEOUT_MS = 3000;

export function keychainAccount(provider: string, profile: string): string {
  return `${provider}:${profile}`;
}

/** How a keychain entry is named to a user: `keychain cred/qoder:default`. */
export function keychainLocation(provider: string, profile: string): string {
  return `keychain ${KEYCHAIN_SERVICE}/${keychainAccount(provider, profile)}`;
}

export interface Keychain {
  /** Undefined when usable; otherwise why not (no D-Bus session, no Secret Service, …). */
  readonly unavailable?: string;
  /** Undefined when nothing is stored for that account. */
  get(service: string, account: string): Promise<string | undefined>;
  set(service: string, account: string, secret: string): Promise<void>;
  /** True when something was removed. */
  delete(service: string, account: string): Promise<boolean>;
}

/**
 * There is no keychain to talk to (no D-Bus session, no Secret Service on the bus, no backend).
 * Reading treats this as "nothing stored here" (a skip); login exits 7; logout warns that the
 * keychain was not checked and goes on.
 */
export class KeychainUnavailableError extends StoreError {
  constructor(message: string, suggestion?: string) {
    super(message, suggestion, 'keychain_unavailable');
  }
}

/** The keychain is there but cannot be used: locked, hung (time-out), or its backend failed. */
export class KeychainFailedError extends StoreError {
  constructor(message: string, suggestion?: string, code = 'keychain_failed') {
    super(message, suggestion, code);
  }
}

export function isKeychainUnavailable(e: unknown): e is KeychainUnavailableError {
  return e instanceof KeychainUnavailableError;
}

/** A keychain that cannot be used, with the reason (see KeychainUnavailableError). */
export function unavailableKeychain(reason: string): Keychain {
  return refusing(() => new KeychainUnavailableError(`no keychain: ${reason}`), reason);
}

/** A keychain whose backend is missing (CRED_KEYCHAIN_BACKEND names one not installed): every call fails. */
export function missingBackendKeychain(message: string, suggestion: string): Keychain {
  return refusing(() => new KeychainFailedError(message, suggestion, 'keychain_backend_missing'));
}

/** Every call throws a fresh `error()`. */
function refusing(error: () => StoreError, unavailable?: string): Keychain {
  const refuse = async (): Promise<never> => {
    throw error();
  };
  return { ...(unavailable !== undefined ? { unavailable } : {}), get: refuse, set: refuse, delete: refuse };
}
