// `cred resolve <provider>`: which credential, from where — redacted by default; `--reveal` prints the
// raw value; `--explain` shows the whole chain with shadowed sources and fingerprints.
import type { Command } from 'commander';
import { errorJson } from '../errors.js';
import { maskHeader, redact } from '../output/redact.js';
import { PLAIN, type Style } from '../output/style.js';
import { table } from '../output/table.js';
import type { Provider } from '../provider.js';
import { type Explanation, explain, type Resolution, resolve } from '../resolve.js';
import { addChainOptions, type ChainFlags, toResolveOptions } from './chain-options.js';
import type { CliContext } from './context.js';

export interface ResolveCommandOptions extends ChainFlags {
  reveal?: boolean;
  explain?: boolean;
}

/** The header as shown: the real one decides the scheme (Qovery JWTs), the token is redacted. */
export function redactedHeader(r: Resolution, provider: Provider): { name: string; value: string } {
  return maskHeader(r.header, r.token, redact(r.token, provider.prefix));
}

function resolutionJson(r: Resolution, provider: Provider, reveal: boolean) {
  return {
    provider: r.provider,
    profile: r.profile,
    source: { step: r.source.step, detail: r.source.detail },
    redacted: redact(r.token, provider.prefix),
    header: redactedHeader(r, provider),
    ...(r.endpoint ? { endpoint: r.endpoint } : {}),
    ...(r.project ? { project: r.project } : {}),
    ...(r.expires ? { expires: r.expires } : {}),
    warnings: r.warnings,
    ...(reveal ? { token: r.token } : {}),
  };
}

function printResolution(r: Resolution, provider: Provider): string {
  const h = redactedHeader(r, provider);
  const rows = [
    ['provider', r.provider],
    ['profile', r.profile],
    ['token', redact(r.token, provider.prefix)],
    ['source', `${r.source.step}: ${r.source.detail}`],
    ['header', `${h.name}: ${h.value}`],
  ];
  if (r.endpoint) rows.push(['endpoint', r.endpoint]);
  if (r.project) rows.push(['project', r.project]);
  if (r.expires) rows.push(['expires', r.expires]);
  return table(rows);
}

function printExplanation(x: Explanation, provider: Provider, style: Style = PLAIN): string {
  const rows = [['STEP', 'LOCATION', 'STATUS', 'FINGERPRINT', 'NOTE']];
  for (const s of x.steps) {
    const note =
      s.sameAsUsed === undefined ? (s.reason ?? '') : s.sameAsUsed ? 'same token as used' : 'different token';
    rows.push([s.step, s.location, s.status, s.fingerprint ?? '', note]);
  }
  const head = `${provider.id} (profile ${x.profile})`;
  const tail = x.resolution
    ? `result: ${x.resolution.source.step} ${x.resolution.source.detail} → ${redact(x.resolution.token, provider.prefix)}`
    : `result: ${x.error?.code ?? 'error'} (exit ${x.exitCode})`;
  const tone: Record<string, (s: string) => string> = {
    used: style.green,
    shadowed: style.yellow,
    expired: style.red,
    error: style.red,
  };
  const paint = (cell: string, row: number, col: number) =>
    row > 0 && col === 2 ? (tone[cell] ?? style.dim)(cell) : cell;
  return `${style.bold(head)}\n${table(rows, '  ', paint)}\n${tail}`;
}

function explanationJson(x: Explanation, provider: Provider) {
  return {
    provider: x.provider,
    profile: x.profile,
    steps: x.steps,
    result: x.resolution ? resolutionJson(x.resolution, provider, false) : null,
    ...(x.error ? { error: errorJson(x.error) } : {}),
    exitCode: x.exitCode,
    warnings: x.warnings,
  };
}

async function runResolve(id: string, opts: ResolveCommandOptions, cli: CliContext): Promise<void> {
  const registry = await cli.registry();
  const provider = registry.get(id);
  const options = await toResolveOptions(opts, cli);
  const json = cli.global.json;

  if (opts.explain) {
    const x = await explain(id, options);
    for (const s of x.steps)
      cli.debug(`${s.step} ${s.location}: ${s.status}${s.reason ? ` (${s.reason})` : ''}`);
    for (const w of x.warnings) cli.warn(w);
    cli.out(
      json
        ? JSON.stringify(explanationJson(x, provider), null, 2)
        : printExplanation(x, provider, await cli.style()),
    );
    cli.exitCode = x.exitCode;
    return;
  }

  const r = await resolve(id, options, 'shadow');
  cli.debug(`${id}: resolved from ${r.source.step} ${r.source.detail}`);
  for (const w of r.warnings) cli.warn(w);
  if (json) cli.json(resolutionJson(r, provider, Boolean(opts.reveal)));
  else if (opts.reveal) cli.out(r.token);
  else cli.out(printResolution(r, provider));
}

export function registerResolve(program: Command, cli: CliContext): void {
  const cmd = program
    .command('resolve')
    .description('show which credential a provider resolves to and where it came from (redacted)')
    .argument('<provider>', 'provider id (see `cred providers`)')
    .option('--reveal', 'print the raw value and a newline, nothing else')
    .option('--explain', 'show every step of the chain, shadowed sources included');
  addChainOptions(cmd).action((id: string, opts: ResolveCommandOptions) => runResolve(id, opts, cli));
}
