// Picks a keychain backend. Loaded lazily (only when the chain reaches the keychain or a login
// command runs). The real backends arrive with the keychain work; until then this reports why no
// keychain is usable, and never spawns dbus-launch.
import type { Env } from '../deps.js';
import { type Keychain, unavailableKeychain } from './keychain.js';

export async function loadKeychain(env: Env): Promise<Keychain> {
  if (process.platform === 'linux' && !env.DBUS_SESSION_BUS_ADDRESS) {
    return unavailableKeychain('no D-Bus session (DBUS_SESSION_BUS_ADDRESS is unset)');
  }
  return unavailableKeychain('no keychain backend is installed');
}
