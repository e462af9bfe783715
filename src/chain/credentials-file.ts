// Step 4, credentials files: cred's own INI file (`[qoder]` is profile default, `[qoder:prod]` any
// other; key `token`, optional `endpoint`, `project`), then the provider's own INI file (Podstack's
// `~/.podstack/credentials`, section = profile).
import type { Deps } from '../deps.js';
import { type IniDoc, iniSection, iniString, readIniFile } from '../stores/ini-file.js';
import { credentialsPath, displayPath, expandHome } from '../stores/paths.js';
import { guarded, valueFinding } from './found.js';
import type { ChainContext, Finding } from './types.js';

/** Section name for a provider profile in cred's own file. */
export function credSection(provider: string, profile: string): string {
  return profile === 'default' ? provider : `${provider}:${profile}`;
}

interface IniLookup {
  path: string;
  section: string;
  key: string;
  endpointKey?: string;
  projectKey?: string;
}

function warnIfShared(doc: IniDoc, ctx: ChainContext): void {
  if (doc.mode & 0o077) {
    const shown = displayPath(doc.path, ctx.deps);
    ctx.note(
      `${shown} can be read by other users (mode ${(doc.mode & 0o777).toString(8)}); run: chmod 600 ${shown}`,
    );
  }
}

function lookup(ctx: ChainContext, spec: IniLookup, deps: Deps): Finding {
  const shown = displayPath(spec.path, deps);
  const location = `${shown} [${spec.section}]`;
  const doc = readIniFile(spec.path, deps);
  if (!doc) return { step: 'file', location, status: 'missing', reason: 'no such file' };
  warnIfShared(doc, ctx);
  const section = iniSection(doc, spec.section);
  if (!section) return { step: 'file', location, status: 'missing', reason: `no [${spec.section}] section` };
  const raw = iniString(section, spec.key);
  if (raw === undefined) {
    // `ini` turns a bare `key`, `true`, `false` and `null` into non-text values: not a token.
    const reason = Object.hasOwn(section, spec.key)
      ? `${spec.key} is not a text value`
      : `no ${spec.key} key`;
    return { step: 'file', location, status: 'missing', reason };
  }
  const at = `${spec.section}\0${spec.key}`;
  const warnings: string[] = [];
  if (doc.quoted.has(at)) {
    warnings.push(
      `${location}: the value was wrapped in quotes; cred removed them (Python's configparser would keep them)`,
    );
  }
  if (doc.commented.has(at)) {
    warnings.push(
      `${location}: the value holds ";" or "#"; cred read the text before it and ignored the rest as a comment`,
    );
  }
  const endpoint = spec.endpointKey ? iniString(section, spec.endpointKey) : undefined;
  const project = spec.projectKey ? iniString(section, spec.projectKey) : undefined;
  return valueFinding(ctx, 'file', location, raw, {
    warnings,
    ...(endpoint ? { endpoint } : {}),
    ...(project ? { project } : {}),
  });
}

export async function* fromCredentialsFile(ctx: ChainContext): AsyncGenerator<Finding> {
  const { deps, provider, profile } = ctx;
  const own = credentialsPath(deps, ctx.credentialsFile);
  const ownSpec: IniLookup = {
    path: own,
    section: credSection(provider.id, profile),
    key: 'token',
    endpointKey: 'endpoint',
    projectKey: 'project',
  };
  yield await guarded('file', `${displayPath(own, deps)} [${ownSpec.section}]`, () =>
    lookup(ctx, ownSpec, deps),
  );

  const theirs = provider.ownCredentials;
  if (theirs) {
    const path = expandHome(theirs.path, deps);
    const spec: IniLookup = { ...theirs, path, section: profile };
    yield await guarded('file', `${displayPath(path, deps)} [${profile}]`, () => lookup(ctx, spec, deps));
  }
}
