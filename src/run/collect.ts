// The credentials `cred env` and `cred run` hand over: for each provider, its first env var set to
// the resolved value, plus the context variables it declares (PODSTACK_PROJECT) when the resolution
// knows them. With no provider named, every registered provider is tried and the ones that are
// simply not configured, or whose only credential is an expired session (with a warning), are left
// out; a real failure (a malformed file, NAME and NAME_FILE both set) still stops the command, so a
// broken store is never silently skipped.
import type { CliContext } from '../commands/context.js';
import { AuthNotConfiguredError, CredError, isNotConfigured, UsageError } from '../errors.js';
import type { EnvVar } from '../output/formats/types.js';
import type { Provider } from '../provider.js';
import { defaultRegistry } from '../registry.js';
import { oneCredentialOptions, type Resolution, type ResolveOptions, resolve } from '../resolve.js';

export interface Handover {
  vars: EnvVar[];
  /** The resolved credentials, for masking and redaction (context values are not secrets). */
  secrets: { provider: Provider; token: string; name: string }[];
}

function varsFor(provider: Provider, r: Resolution): EnvVar[] {
  const vars: EnvVar[] = [{ name: provider.envVars[0]!, value: r.token }];
  const ctx = provider.contextVars;
  if (ctx?.project && r.project) vars.push({ name: ctx.project, value: r.project });
  if (ctx?.endpoint && r.endpoint) vars.push({ name: ctx.endpoint, value: r.endpoint });
  return vars;
}

export async function collectHandover(
  named: readonly string[],
  options: ResolveOptions,
  cli: CliContext,
): Promise<Handover> {
  const registry = options.registry ?? defaultRegistry;
  const explicit = named.length > 0;
  const ids = explicit ? [...new Set(named)] : registry.ids();
  // Unknown names fail before anything is resolved.
  const providers = ids.map((id) => registry.get(id));
  // One credential handed to several providers would be exported under each name.
  const one = oneCredentialOptions(options);
  if (one.length && providers.length !== 1) {
    throw new UsageError(
      `${one.join(', ')} name${one.length === 1 ? 's' : ''} one credential, so name exactly one provider`,
      'for example `cred env qoder --token-file PATH` or `cred run --provider qoder --token-file PATH -- CMD`',
    );
  }
  const out: Handover = { vars: [], secrets: [] };
  const seen = new Map<string, string>();
  // For the failure when nothing is handed over: every place looked at, and any expired session
  // (warned about only if something else is handed over; otherwise it is the error itself).
  const looked: [string, readonly string[]][] = [];
  const expired: [string, CredError][] = [];
  // Resolved side by side, handled in order: a provider with nothing configured ends at the keychain,
  // each lookup a child process with a time-out, and those should not queue up one after another.
  const settled = await Promise.allSettled(providers.map((p) => resolve(p.id, options, 'first')));
  for (const [i, provider] of providers.entries()) {
    const result = settled[i]!;
    if (result.status === 'rejected') {
      const e: unknown = result.reason;
      if (!explicit && isNotConfigured(e)) {
        cli.debug(`${provider.id}: not configured, left out`);
        if (e instanceof AuthNotConfiguredError) looked.push([provider.id, e.looked]);
        continue;
      }
      if (!explicit && e instanceof CredError && e.code === 'auth_expired') {
        expired.push([provider.id, e]);
        continue;
      }
      throw e;
    }
    const r = result.value;
    cli.debug(`${provider.id}: resolved from ${r.source.step} ${r.source.detail}`);
    for (const w of r.warnings) cli.warn(w);
    for (const v of varsFor(provider, r)) {
      const owner = seen.get(v.name);
      if (owner !== undefined) {
        throw new UsageError(
          `providers ${owner} and ${provider.id} both export ${v.name}`,
          'name one of them (`cred env PROVIDER`, `cred run --provider PROVIDER`)',
        );
      }
      seen.set(v.name, provider.id);
      out.vars.push(v);
    }
    out.secrets.push({ provider, token: r.token, name: provider.envVars[0]! });
  }
  if (!out.vars.length) {
    // SPEC §2: an expired session that is all there is fails as expired (exit 4), saying how to log in.
    if (expired[0]) throw expired[0][1];
    throw noProviderResolved(ids, looked);
  }
  for (const [id, e] of expired) cli.warn(`${id}: ${e.message}; left out`);
  return out;
}

/** Shorter inherited values are not masked: masking `abc` would mangle every word that holds it. */
const INHERITED_MIN = 8;

/**
 * For `run --mask`: the credentials the child inherits from cred's own environment without cred
 * handing them over (a provider not named with --provider, a second env var of one that was), so
 * `--mask` hides every credential value the child can print, not only those cred resolved.
 */
export function inheritedSecrets(
  providers: readonly Provider[],
  env: Readonly<Record<string, string>>,
): string[] {
  const out: string[] = [];
  for (const p of providers) {
    for (const name of p.envVars) {
      const value = env[name]?.trim();
      if (value && value.length >= INHERITED_MIN) out.push(value);
    }
  }
  return out;
}

/**
 * The failure when no provider (of several tried: env, run, whoami) resolves: every place looked
 * at (placesLooked), and where to see why each was empty.
 */
export function noProviderResolved(
  ids: readonly string[],
  looked: readonly (readonly [string, readonly string[]])[],
): AuthNotConfiguredError {
  const places = placesLooked(looked);
  return new AuthNotConfiguredError(
    `no provider resolved a credential (tried ${ids.join(', ')}); looked at: ${places.join('; ')}`,
    places,
    "set a provider's env var or run `cred login PROVIDER`; `cred resolve PROVIDER --explain` shows why each place was empty",
  );
}

/**
 * Every place each provider was looked for, for a "nothing found" message over several providers:
 * what all of them share (the flags, --env-file/--env) once, then each provider's own places after
 * its id, in registry order.
 */
function placesLooked(perProvider: readonly (readonly [string, readonly string[]])[]): string[] {
  // Over several providers the places alone: the reasons (`not set`, `no such file`, the keychain's
  // D-Bus note) repeat per provider; `cred resolve PROVIDER --explain` gives them one by one.
  perProvider = perProvider.map(([id, list]) => [id, list.map(withoutReason)] as const);
  const [first, ...rest] = perProvider;
  const shared = (first?.[1] ?? []).filter((l) => rest.every(([, list]) => list.includes(l)));
  return [
    ...shared,
    ...perProvider.map(([id, list]) => `${id}: ${list.filter((l) => !shared.includes(l)).join(', ')}`),
  ];
}

/** `~/.podstack/credentials [default] (no such file)` → `~/.podstack/credentials [default]`. */
function withoutReason(place: string): string {
  if (!place.endsWith(')')) return place;
  let depth = 0;
  for (let i = place.length - 1; i >= 0; i--) {
    if (place[i] === ')') depth++;
    else if (place[i] === '(' && --depth === 0) return place.slice(0, i).trimEnd();
  }
  return place;
}
