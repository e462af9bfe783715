// `cred whoami [provider]`: send the provider's verification request with the resolved credential and
// print who the API says we are, where the credential came from and its redacted value. With no
// provider named, every provider that resolves is checked (concurrently), as `cred env` exports
// every provider that resolves; the exit code is then the worst failure.
import type { Command } from 'commander';
import {
  AuthNotConfiguredError,
  type CredError,
  errorJson,
  isCredError,
  isNotConfigured,
  UsageError,
  worstExitCode,
} from '../errors.js';
import { table } from '../output/table.js';
import type { Provider } from '../provider.js';
import { oneCredentialOptions, type Resolution, type ResolveOptions, resolve } from '../resolve.js';
import { noProviderResolved } from '../run/collect.js';
import type { Verification } from '../verify/index.js';
import { canVerify } from '../verify/request.js';
import { DEFAULT_TIMEOUT_MS } from '../verify/timeout.js';
import { addChainOptions, type ChainFlags, toResolveOptions } from './chain-options.js';
import type { CliContext } from './context.js';
import { parseTimeout } from './flag-parsers.js';

export interface WhoamiOptions extends ChainFlags {
  endpoint?: string;
  timeout?: string;
}

function verificationJson(v: Verification) {
  return {
    provider: v.provider,
    profile: v.profile,
    identity: v.identity ?? null,
    source: { step: v.source.step, detail: v.source.detail },
    redacted: v.redacted,
    url: v.url,
    endpointFrom: v.endpointFrom,
    status: v.status,
    warnings: v.warnings,
  };
}

function printVerification(v: Verification): string {
  return table([
    ['provider', v.provider],
    ['identity', v.identity ?? '(the API does not say; it accepted the token)'],
    ['profile', v.profile],
    ['token', v.redacted],
    ['source', `${v.source.step}: ${v.source.detail}`],
    ['checked', `GET ${v.url} → ${v.status}`],
  ]);
}

interface Checked {
  provider: Provider;
  verification?: Verification;
  error?: CredError;
}

async function check(
  provider: Provider,
  r: Resolution,
  opts: { endpoint?: string; timeout?: number },
  cli: CliContext,
): Promise<Verification> {
  const { verifyResolution } = await import('../verify/index.js');
  cli.debug(`${provider.id}: resolved from ${r.source.step} ${r.source.detail}; checking with the provider`);
  const v = await verifyResolution(provider, r, { ...opts, deps: cli.deps });
  cli.debug(`${provider.id}: GET ${v.url} → ${v.status}`);
  return v;
}

async function whoamiOne(
  provider: Provider,
  options: ResolveOptions,
  http: { endpoint?: string; timeout?: number },
  cli: CliContext,
): Promise<void> {
  const r = await resolve(provider.id, options, 'first');
  for (const w of r.warnings) cli.warn(w);
  const v = await check(provider, r, http, cli);
  if (cli.global.json) cli.json(verificationJson(v));
  else cli.out(printVerification(v));
}

async function whoamiAll(
  providers: Provider[],
  options: ResolveOptions,
  http: { endpoint?: string; timeout?: number },
  cli: CliContext,
): Promise<void> {
  const unverifiable: string[] = [];
  // By index, so the message lists providers in registry order whatever order the lookups end in.
  const looked: [string, readonly string[]][] = [];
  const results: Checked[] = await Promise.all(
    providers.map(async (provider): Promise<Checked | undefined> => {
      let r: Resolution;
      try {
        r = await resolve(provider.id, options, 'first');
      } catch (e) {
        if (isNotConfigured(e)) {
          if (e instanceof AuthNotConfiguredError)
            looked[providers.indexOf(provider)] = [provider.id, e.looked];
          return undefined;
        }
        if (isCredError(e)) return { provider, error: e };
        throw e;
      }
      for (const w of r.warnings) cli.warn(w);
      if (!canVerify(provider)) {
        cli.warn(`${provider.id} not checked: it declares no verification request (verify_url)`);
        unverifiable.push(provider.id);
        return undefined;
      }
      try {
        return { provider, verification: await check(provider, r, http, cli) };
      } catch (e) {
        if (isCredError(e)) return { provider, error: e };
        throw e;
      }
    }),
  ).then((list) => list.filter((c): c is Checked => c !== undefined));

  if (!results.length && unverifiable.length) {
    // Credentials were found; there is just nothing to ask. Not "not configured".
    throw new UsageError(
      `nothing to check: the providers that resolve (${unverifiable.join(', ')}) declare no verification request`,
      'declare `verify_url` for them in the config file (see docs/verification.md)',
    );
  }
  if (!results.length) {
    const ids = providers.map((p) => p.id);
    throw noProviderResolved(ids, looked.filter(Boolean));
  }
  if (cli.global.json) {
    cli.json(
      results.map((c) =>
        c.verification
          ? verificationJson(c.verification)
          : { provider: c.provider.id, error: errorJson(c.error!) },
      ),
    );
  } else {
    const blocks = results.filter((c) => c.verification).map((c) => printVerification(c.verification!));
    if (blocks.length) cli.out(blocks.join('\n\n'));
  }
  for (const c of results) {
    if (!c.error) continue;
    cli.reportError(c.error, c.provider.id);
  }
  cli.exitCode = worstExitCode(results.map((c) => c.error));
}

async function runWhoami(id: string | undefined, opts: WhoamiOptions, cli: CliContext): Promise<void> {
  const registry = await cli.registry();
  const options: ResolveOptions = await toResolveOptions(opts, cli);
  const timeout = parseTimeout(opts.timeout);
  const http = {
    ...(opts.endpoint !== undefined ? { endpoint: opts.endpoint } : {}),
    ...(timeout !== undefined ? { timeout } : {}),
  };
  if (id !== undefined) return whoamiOne(registry.get(id), options, http, cli);
  const one = [...oneCredentialOptions(options), ...(opts.endpoint !== undefined ? ['--endpoint'] : [])];
  if (one.length) {
    throw new UsageError(
      `${one.join(', ')} need${one.length === 1 ? 's' : ''} a provider (one value cannot belong to every provider)`,
      'name one: cred whoami <provider> …',
    );
  }
  return whoamiAll(registry.list(), options, http, cli);
}

export function registerWhoami(program: Command, cli: CliContext): void {
  const cmd = program
    .command('whoami')
    .description("verify the credential against the provider's API and print who it belongs to")
    .argument('[provider]', 'provider id (default: every provider that resolves)')
    .option(
      '--endpoint <url>',
      "the API's base URL (default: the credential's stored endpoint, else the provider's)",
    )
    // No commander default: an absent --timeout leaves the library's (checkTimeout), shown here.
    .option(
      '--timeout <ms>',
      `give up on the request after this many milliseconds (default: ${DEFAULT_TIMEOUT_MS})`,
    );
  addChainOptions(cmd).action((id: string | undefined, opts: WhoamiOptions) => runWhoami(id, opts, cli));
}
