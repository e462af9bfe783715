// `cred header <provider>`: the header line for `curl -H @-` — `Authorization: <scheme> <token>`, or
// the provider's own template (a Qovery JWT is sent as Bearer). Redacted when stdout is a terminal.
import type { Command } from 'commander';
import { checkHeaderValue } from '../provider.js';
import { resolve } from '../resolve.js';
import { addChainOptions, type ChainFlags, toResolveOptions } from './chain-options.js';
import type { CliContext } from './context.js';
import { redactedHeader } from './resolve.js';

export interface HeaderCommandOptions extends ChainFlags {
  reveal?: boolean;
}

async function runHeader(id: string, opts: HeaderCommandOptions, cli: CliContext): Promise<void> {
  const registry = await cli.registry();
  const provider = registry.get(id);
  const options = await toResolveOptions(opts, cli);
  const r = await resolve(id, options, 'first');
  cli.debug(`${id}: resolved from ${r.source.step} ${r.source.detail}`);
  for (const w of r.warnings) cli.warn(w);
  checkHeaderValue(provider, r.header.value, r.source.detail);
  const terminal = cli.deps.isTTY.stdout && !opts.reveal;
  const h = terminal ? redactedHeader(r, provider) : r.header;
  if (cli.global.json) cli.out(JSON.stringify({ name: h.name, value: h.value }));
  else cli.out(`${h.name}: ${h.value}`);
  if (terminal) {
    cli.err(
      `cred: the value is redacted because stdout is a terminal; use it with: cred header ${id} | curl -H @- URL (or pass --reveal)`,
    );
  }
}

export function registerHeader(program: Command, cli: CliContext): void {
  const cmd = program
    .command('header')
    .description('print the Authorization header for curl -H @-')
    .argument('<provider>', 'provider id (see `cred providers`)')
    .option('--reveal', 'print the real value even when stdout is a terminal');
  addChainOptions(cmd).action((id: string, opts: HeaderCommandOptions) => runHeader(id, opts, cli));
}
