// The keychain seam. Every backend sits behind this small interface; the loader (keychain-loader.ts)
// is imported lazily so the fast path never loads a native binding.

export const KEYCHAIN_SERVICE = 'cred';

export function keychainAccount(provider: string, profile: string): string {
  return `${provider}:${profile}`;
}

export interface Keychain {
  /** Backend name for messages and --explain (`secret-service`, `keytar`, `none`). */
  readonly backend: string;
  /** Undefined when usable; otherwise why not (no D-Bus session, no Secret Service, …). */
  readonly unavailable?: string;
  get(service: string, account: string): Promise<string | undefined>;
  set(service: string, account: string, secret: string): Promise<void>;
  /** True when something was removed. */
  delete(service: string, account: string): Promise<boolean>;
}

/** A keychain that cannot be used, with the reason. */
export function unavailableKeychain(reason: string): Keychain {
  const refuse = async (): Promise<never> => {
    throw new Error(reason);
  };
  return { backend: 'none', unavailable: reason, get: refuse, set: refuse, delete: refuse };
}
