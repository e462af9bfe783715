// Step 5, CLI sessions: cred's own login in the OS keychain, then the provider CLI's login file,
// then a configured session_command. An expired session is reported as expired and never used.
import { StoreError } from '../errors.js';
import { parseExpiry, type SessionRead } from '../provider.js';
import {
  isKeychainUnavailable,
  KEYCHAIN_SERVICE,
  keychainAccount,
  keychainLocation,
} from '../stores/keychain.js';
import { displayPath, expandHome } from '../stores/paths.js';
import { readSessionDocument } from '../stores/session-file.js';
import { guarded, valueFinding } from './found.js';
import type { ChainContext, Finding } from './types.js';

/** Epoch ms of an expiry (RFC 3339 text or epoch ms, see parseExpiry); undefined when absent or not a date. */
function expiryMs(expires: string | number | undefined): number | undefined {
  if (expires === undefined) return undefined;
  // A number here is already milliseconds (SessionRead); text goes through the strict parser.
  if (typeof expires === 'number') return Number.isFinite(expires) ? expires : undefined;
  return parseExpiry(expires);
}

/** A session's value and what came with it: from a CLI login file (SessionRead) or a session_command. */
export type SessionValue = Omit<Extract<SessionRead, { found: true }>, 'found'>;

/**
 * The finding for a session read from a CLI login file or a session_command: expired (never used,
 * with how to log in again), or the value with its expiry and context. An expiry that is not a date
 * is the caller's kind of failure (`badExpiry`).
 */
export function sessionFinding(
  ctx: ChainContext,
  location: string,
  read: SessionValue,
  loginAgain: string,
  badExpiry: () => Finding,
): Finding {
  const ms = expiryMs(read.expires);
  if (read.expires !== undefined && ms === undefined) return badExpiry();
  const expires = ms !== undefined ? new Date(ms).toISOString() : undefined;
  if (ms !== undefined && ms <= ctx.deps.now()) {
    return {
      step: 'session',
      location,
      status: 'expired',
      reason: `expired at ${expires}; ${loginAgain}`,
      expires,
      // Never used (only a `found` finding can win); carried so --explain can fingerprint it.
      value: read.token.trim(),
    };
  }
  return valueFinding(ctx, 'session', location, read.token, {
    ...(expires ? { expires } : {}),
    ...(read.endpoint ? { endpoint: read.endpoint } : {}),
    ...(read.project ? { project: read.project } : {}),
  });
}

/**
 * cred's own login. No keychain on this machine (no D-Bus session, no Secret Service) is a skip:
 * there is nowhere a login could be. A keychain that is there but locked, hung past the time-out,
 * or whose backend fails is a real failure and stops the chain, so a later, older session cannot
 * silently win over the login the user made.
 */
async function fromKeychain(ctx: ChainContext): Promise<Finding> {
  const account = keychainAccount(ctx.provider.id, ctx.profile);
  const location = keychainLocation(ctx.provider.id, ctx.profile);
  return guarded('session', location, async () => {
    const keychain = await ctx.deps.keychain();
    if (keychain.unavailable)
      return { step: 'session', location, status: 'skipped', reason: keychain.unavailable };
    let secret: string | undefined;
    try {
      secret = await keychain.get(KEYCHAIN_SERVICE, account);
    } catch (e) {
      if (isKeychainUnavailable(e))
        return { step: 'session', location, status: 'skipped', reason: e.message };
      throw e;
    }
    if (secret === undefined)
      return { step: 'session', location, status: 'missing', reason: 'no stored login' };
    return valueFinding(ctx, 'session', location, secret);
  });
}

export async function* fromSession(ctx: ChainContext): AsyncGenerator<Finding> {
  yield await fromKeychain(ctx);

  for (const file of ctx.provider.sessionFiles ?? []) {
    const path = expandHome(file.path, ctx.deps);
    const location = displayPath(path, ctx.deps);
    yield await guarded('session', location, async () => {
      const loaded = await readSessionDocument(file, ctx.deps);
      if (!loaded) return { step: 'session', location, status: 'missing', reason: 'no such file' };
      const read = file.read(loaded.doc, ctx.profile);
      if (!read.found) return { step: 'session', location, status: 'missing', reason: read.reason };
      const again = file.loginCommand ? `run \`${file.loginCommand}\` to log in again` : 'log in again';
      return sessionFinding(ctx, location, read, again, () => {
        throw new StoreError(`${location}: the expiry time is not a valid date`);
      });
    });
  }

  if (ctx.provider.sessionCommand?.length) {
    const { fromSessionCommand } = await import('./session-command.js');
    yield await fromSessionCommand(ctx);
  }
}
