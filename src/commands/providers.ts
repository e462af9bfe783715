// `cred providers`: the registry — id, env vars, header scheme, files, and where each was defined.
import type { Command } from 'commander';
import { table } from '../output/table.js';
import type { Provider } from '../provider.js';
import type { CliContext } from './context.js';

function providerFiles(p: Provider): string[] {
  return [
    ...(p.ownCredentials ? [`${p.ownCredentials.path} (${p.ownCredentials.key})`] : []),
    ...(p.sessionFiles ?? []).map((f) => f.path),
    ...(p.sessionCommand?.length ? [`session_command: ${p.sessionCommand[0]}`] : []),
  ];
}

/** The header as configured, with the rule a headerFor adds (Qovery's JWT-means-Bearer). */
function headerText(p: Provider): string {
  const plain = `${p.header.name}: ${p.header.template}`;
  return p.headerFor && p.headerRule ? `${plain} (${p.headerRule})` : plain;
}

function providerJson(p: Provider) {
  return {
    id: p.id,
    name: p.name,
    envVars: [...p.envVars],
    ...(p.contextVars ? { contextVars: p.contextVars } : {}),
    header: `${p.header.name}: ${p.header.template}`,
    ...(p.headerFor && p.headerRule ? { headerRule: p.headerRule } : {}),
    ...(p.prefix ? { prefix: p.prefix } : {}),
    files: providerFiles(p),
    ...(p.verify
      ? { verify: p.verify.url ?? `${p.verify.defaultEndpoint ?? '{endpoint}'}${p.verify.path ?? ''}` }
      : {}),
    origin: p.origin,
  };
}

async function runProviders(cli: CliContext): Promise<void> {
  const providers = (await cli.registry()).list();
  if (cli.global.json) {
    cli.json(providers.map(providerJson));
    return;
  }
  const rows = [['ID', 'ENV VARS', 'HEADER', 'FILES', 'DEFINED IN']];
  for (const p of providers) {
    rows.push([p.id, p.envVars.join(', '), headerText(p), providerFiles(p).join(', ') || '—', p.origin]);
  }
  cli.out(table(rows));
}

export function registerProviders(program: Command, cli: CliContext): void {
  program
    .command('providers')
    .description('list the registered providers: env vars, header, files, where each was defined')
    .action(() => runProviders(cli));
}
