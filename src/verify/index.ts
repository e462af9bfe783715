// The library's verify(): resolve a provider's credential, send the provider's verification request
// with it, and say who the API thinks we are — or throw a typed error (401 → exit 4, 403 → 5,
// network/time-out/server → 6). An `onAuthExpired` callback fires at most once per session when
// the provider answers 401 or the only credential found is an expired session (see VerifySession).
import { type Deps, defaultDeps } from '../deps.js';
import { type CredError, isCredError } from '../errors.js';
import { redact, sentSecrets } from '../output/redact.js';
import { checkHeaderValue, headerFor, type Provider, type Source } from '../provider.js';
import { defaultRegistry } from '../registry.js';
import { profileOf, type Resolution, type ResolveOptions, resolve } from '../resolve.js';
import { answerError, identityOf } from './answer.js';
import { httpGet } from './http.js';
import { buildRequest, shownUrl } from './request.js';
import { checkTimeout } from './timeout.js';

/** What onAuthExpired receives. It carries no token. */
export interface AuthExpiredEvent {
  provider: string;
  profile: string;
  /** Where the rejected or expired credential came from. */
  source?: Source;
  /** 401, or undefined when the only credential found was an expired session. */
  status?: number;
  error: CredError;
}

export type OnAuthExpired = (event: AuthExpiredEvent) => void | Promise<void>;

export interface VerifyOptions extends ResolveOptions {
  /** Replaces the endpoint (beats the credentials file's and the provider's default). */
  endpoint?: string;
  /** Milliseconds for the whole request (connect, answer and body); default 10000. */
  timeout?: number;
  /** Fires at most once per session on a 401 or an expired session; see VerifySession. */
  onAuthExpired?: OnAuthExpired;
  /** The session the callback belongs to; without one, the callback itself is the session. */
  session?: VerifySession;
}

/** A successful check. It carries no token, so it is safe to log or print. */
export interface Verification {
  provider: string;
  profile: string;
  source: Source;
  redacted: string;
  /** Who the API says the token belongs to (Qovery: organization names; Podstack: email), if it says. */
  identity?: string;
  /** The URL checked (no credentials in it). */
  url: string;
  /** Where the endpoint came from: `option` (--endpoint), `credential` (stored with it), or `default`. */
  endpointFrom: 'option' | 'credential' | 'default';
  status: number;
  warnings: string[];
}

/**
 * A session: the scope in which `onAuthExpired` fires at most once, however many checks fail — so
 * a program that verifies in a loop prompts its user to sign in once, not once per request (the
 * Qoder SDK's rule). Make one per logical session (a CLI run, a server's user) with createSession().
 */
export class VerifySession {
  readonly #defaults: VerifyOptions;
  #fired = false;

  constructor(defaults: VerifyOptions = {}) {
    this.#defaults = defaults;
  }

  /** Whether onAuthExpired has fired in this session. */
  get fired(): boolean {
    return this.#fired;
  }

  /** verify() with this session's defaults and callback. */
  verify(providerId: string, options: VerifyOptions = {}): Promise<Verification> {
    return verify(providerId, { ...this.#defaults, ...options, session: this });
  }

  /** Runs the callback unless this session already ran one. */
  async notify(callback: OnAuthExpired | undefined, event: AuthExpiredEvent): Promise<void> {
    if (!callback || this.#fired) return;
    this.#fired = true;
    try {
      await callback(event);
    } catch (e) {
      // The auth error stays what the call throws (callers switch on its code); the callback's own
      // failure rides along as its cause rather than replacing it.
      Object.defineProperty(event.error, 'cause', { value: e, configurable: true, writable: true });
    }
  }
}

export function createSession(defaults: VerifyOptions = {}): VerifySession {
  return new VerifySession(defaults);
}

// Without an explicit session, one callback function is one session: passing the same function to
// many verify() calls fires it at most once.
const implicitSessions = new WeakMap<OnAuthExpired, VerifySession>();

function sessionFor(options: VerifyOptions): VerifySession | undefined {
  if (options.session) return options.session;
  const cb = options.onAuthExpired;
  if (!cb) return undefined;
  let s = implicitSessions.get(cb);
  if (!s) {
    s = new VerifySession();
    implicitSessions.set(cb, s);
  }
  return s;
}

export interface CheckOptions {
  endpoint?: string;
  timeout?: number;
  deps?: Partial<Deps>;
}

/** Sends the verification request for a credential already resolved (status --verify reuses this). */
export async function verifyResolution(
  provider: Provider,
  resolution: Resolution,
  options: CheckOptions = {},
): Promise<Verification> {
  const deps = defaultDeps(options.deps);
  const timeout = checkTimeout(options.timeout);
  // Before anything is sent, and naming where the value came from (cred header makes the same check).
  checkHeaderValue(provider, headerFor(provider, resolution.token).value, resolution.source.detail);
  const target = buildRequest(provider, resolution.token, options.endpoint, resolution.endpoint);
  const answer = await httpGet(target.url, target.header, timeout, deps);
  if (answer.status < 200 || answer.status >= 300) {
    throw answerError(answer, {
      provider,
      source: resolution.source,
      url: target.url,
      header: target.header,
      token: resolution.token,
    });
  }
  const identity = identityOf(provider, answer, sentSecrets(target.header, resolution.token));
  return {
    provider: provider.id,
    profile: resolution.profile,
    source: resolution.source,
    redacted: redact(resolution.token, provider.prefix),
    ...(identity ? { identity } : {}),
    url: shownUrl(target.url),
    endpointFrom: target.endpointFrom,
    status: answer.status,
    warnings: resolution.warnings,
  };
}

/**
 * Resolves `providerId` and checks the credential against the provider's API. Throws
 * AuthRejectedError (401), AuthExpiredError (only an expired session), ForbiddenError (403),
 * NetworkError (network, time-out, 5xx) or the resolution's own error.
 */
export async function verify(providerId: string, options: VerifyOptions = {}): Promise<Verification> {
  const session = sessionFor(options);
  const registry = options.registry ?? defaultRegistry;
  const provider = registry.get(providerId);
  checkTimeout(options.timeout);
  let resolution: Resolution | undefined;
  try {
    resolution = await resolve(providerId, { ...options, registry });
    return await verifyResolution(provider, resolution, options);
  } catch (e) {
    if (session && isCredError(e) && (e.code === 'auth_rejected' || e.code === 'auth_expired')) {
      const profile = resolution?.profile ?? profileOf(options.profile, defaultDeps(options.deps).env);
      await session.notify(options.onAuthExpired, {
        provider: provider.id,
        profile,
        ...(resolution ? { source: resolution.source, status: 401 } : {}),
        error: e,
      });
    }
    throw e;
  }
}
