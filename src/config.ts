// The config file (SPEC §7): providers declared without touching the code, and plugin modules.
//
//   plugins = ./acme-provider.mjs, cred-plugin-example
//
//   [provider "acme"]
//   env = ACME_TOKEN, ACME_API_KEY
//   header = Authorization: Bearer {token}
//   session_command = acme auth print-token --profile {profile}
//
// The file is read with a small parser of its own rather than the `ini` package: errors must name the
// line and key, values are taken literally (a `#` or `;` inside a URL is not a comment, and `ini`
// would split `[provider "a.b"]` on the dot). The grammar is in docs/writing-a-provider.md.
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import type { Deps } from './deps.js';
import { StoreError } from './errors.js';
import { splitList } from './lists.js';
import { quoteInput } from './output/redact.js';
import {
  checkEnvName,
  checkProviderId,
  definitionUrlProblem,
  HEADER_NAME,
  HEADER_VALUE_BAD,
  type OwnCredentialsFile,
  type Provider,
  type ProviderDefinition,
  type VerifyRequest,
} from './provider.js';
import type { Registry } from './registry.js';
import { configPath, displayGivenPath, inWorkingFolder } from './stores/paths.js';
import { readTextFile } from './stores/read-file.js';

/** What a user may write in a `[provider "id"]` section. */
const PROVIDER_KEYS = [
  'name',
  'env',
  'header',
  'prefix',
  'credentials_file',
  'credentials_key',
  'verify_url',
  'endpoint',
  'identity_field',
  'session_command',
  'session_timeout',
  'token_help',
] as const;
type ProviderKey = (typeof PROVIDER_KEYS)[number];

/** Keys outside any section. */
const TOP_KEYS = ['plugins'] as const;

interface Entry {
  value: string;
  line: number;
}

export interface ProviderSection {
  id: string;
  line: number;
  keys: Partial<Record<ProviderKey, Entry>>;
}

export interface PluginRef {
  spec: string;
  line: number;
}

export interface ConfigDoc {
  path: string;
  plugins: PluginRef[];
  sections: ProviderSection[];
}

/** A config problem: the message names the file, the line and (when there is one) the key. */
export class ConfigError extends StoreError {
  constructor(file: string, line: number, key: string | undefined, problem: string) {
    super(
      `invalid config file ${file}, line ${line}${key ? `, key ${key}` : ''}: ${problem}`,
      'see docs/writing-a-provider.md for the config file format',
      'config_invalid',
    );
  }
}

const SECTION = /^\[\s*provider\s+(?:"([^"]*)"|([^\s"\]]+))\s*\]$/;

/** Parses the text of a config file; `shown` is the path as printed in errors. */
export function parseConfig(text: string, shown: string): ConfigDoc {
  const doc: ConfigDoc = { path: shown, plugins: [], sections: [] };
  const byId = new Map<string, ProviderSection>();
  let current: ProviderSection | undefined;
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) {
      const m = SECTION.exec(line);
      if (!m) {
        throw new ConfigError(
          shown,
          n,
          undefined,
          `unknown section ${quoteInput(line)}; sections are written [provider "id"]`,
        );
      }
      const id = (m[1] ?? m[2] ?? '').trim();
      try {
        checkProviderId(id);
      } catch (e) {
        throw new ConfigError(shown, n, undefined, (e as Error).message);
      }
      // A second section for the same id adds to the first (git config does the same).
      current = byId.get(id);
      if (!current) {
        current = { id, line: n, keys: {} };
        byId.set(id, current);
        doc.sections.push(current);
      }
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new ConfigError(shown, n, undefined, 'expected "key = value" or [provider "id"]');
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (!current) {
      if (key !== 'plugins') {
        throw new ConfigError(
          shown,
          n,
          key,
          `unknown key outside a section (known: ${TOP_KEYS.join(', ')}); provider settings go under [provider "id"]`,
        );
      }
      for (const spec of splitList(value)) doc.plugins.push({ spec, line: n });
      continue;
    }
    if (!(PROVIDER_KEYS as readonly string[]).includes(key)) {
      throw new ConfigError(shown, n, key, `unknown key (known: ${PROVIDER_KEYS.join(', ')})`);
    }
    const previous = current.keys[key as ProviderKey];
    if (previous) {
      throw new ConfigError(
        shown,
        n,
        key,
        `set twice for provider "${current.id}" (first on line ${previous.line})`,
      );
    }
    current.keys[key as ProviderKey] = { value, line: n };
  }
  return doc;
}

/**
 * Splits a session_command into argv without a shell. Either a JSON array of strings
 * (`["qodercli", "auth", "token"]`), or words separated by spaces where '…' is literal, "…" allows
 * \" and \\, and a backslash outside quotes escapes the next character. Nothing is expanded: no $VAR,
 * no globs, no pipes — what you write is what is run.
 */
export function splitCommand(value: string): string[] {
  if (value.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new Error('starts with [ but is not a JSON array of strings');
    }
    if (!Array.isArray(parsed) || !parsed.every((s) => typeof s === 'string')) {
      throw new Error('must be a JSON array of strings');
    }
    if (!parsed.length || parsed[0] === '') throw new Error('is empty');
    return parsed;
  }
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === "'") {
      const end = value.indexOf("'", i + 1);
      if (end < 0) throw new Error("has a ' that is never closed");
      word += value.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      inWord = true;
      let j = i + 1;
      for (; j < value.length && value[j] !== '"'; j++) {
        if (value[j] === '\\' && (value[j + 1] === '"' || value[j + 1] === '\\')) j++;
        word += value[j];
      }
      if (j >= value.length) throw new Error('has a " that is never closed');
      i = j;
    } else if (c === '\\') {
      if (i + 1 >= value.length) throw new Error('ends with a lone backslash');
      word += value[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      if (inWord) argv.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) argv.push(word);
  if (!argv.length) throw new Error('is empty');
  return argv;
}

/** `header = Authorization: Bearer {token}` → name and template. */
export function parseHeader(value: string): { name: string; template: string } {
  const colon = value.indexOf(':');
  if (colon <= 0) throw new Error('must look like "Name: template", e.g. "Authorization: Bearer {token}"');
  const name = value.slice(0, colon).trim();
  const template = value.slice(colon + 1).trim();
  if (!HEADER_NAME.test(name)) throw new Error(`${quoteInput(name)} is not a valid header name`);
  if (!template.includes('{token}')) throw new Error('the template must contain {token}');
  if (HEADER_VALUE_BAD.test(template)) {
    throw new Error('the template holds a control character or one an HTTP header cannot carry');
  }
  return { name, template };
}

/** Picks a field out of a JSON body by dotted path (`user.email`, `results.0.name`). */
export function pickField(body: unknown, dotted: string): string | undefined {
  let node: unknown = body;
  for (const part of dotted.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  if (typeof node === 'string') return node || undefined;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (Array.isArray(node)) {
    const parts = node.filter((v) => typeof v === 'string' || typeof v === 'number').map(String);
    return parts.length ? parts.join(', ') : undefined;
  }
  return undefined;
}

function checkUrl(value: string, allowTemplate: boolean): void {
  const problem = definitionUrlProblem(value, allowTemplate);
  if (problem) throw new Error(problem);
}

/** Builds the definition a section describes, extending `base` (a built-in or plugin provider) when given. */
export function sectionToDefinition(
  section: ProviderSection,
  base: Provider | undefined,
  configFile: string,
  shownConfig: string,
): ProviderDefinition {
  const k = section.keys;
  const at = (key: ProviderKey, problem: string): never => {
    throw new ConfigError(shownConfig, k[key]?.line ?? section.line, key, problem);
  };
  const attempt = <T>(key: ProviderKey, fn: (value: string) => T): T | undefined => {
    const entry = k[key];
    if (!entry) return undefined;
    try {
      return fn(entry.value);
    } catch (e) {
      return at(key, `${entry.value === '' ? 'is empty' : (e as Error).message}`);
    }
  };
  const configDir = dirname(configFile);
  const nonEmpty = (v: string) => {
    if (v === '') throw new Error('is empty');
    return v;
  };

  const envVars = attempt('env', (v) => {
    const list = splitList(v);
    if (!list.length) throw new Error('is empty');
    for (const name of list) checkEnvName(name);
    return list;
  });
  if (!base && !envVars) {
    throw new ConfigError(
      shownConfig,
      section.line,
      'env',
      `provider "${section.id}" is not a built-in, so it needs env = VAR_NAME (the variables to read)`,
    );
  }
  const header = attempt('header', parseHeader);
  const prefix = attempt('prefix', nonEmpty);
  const name = attempt('name', nonEmpty);
  const tokenHelp = attempt('token_help', nonEmpty);

  // Paths are relative to the config file's folder; `~/` stays for the chain to expand (and to show).
  const localPath = (p: string) =>
    p.startsWith('~/') || p === '~' || isAbsolute(p) ? p : resolvePath(configDir, p);
  const credFile = attempt('credentials_file', (v) => localPath(nonEmpty(v)));
  const credKey = attempt('credentials_key', (v) => {
    if (!/^[A-Za-z0-9_.-]+$/.test(v)) throw new Error('must be a plain INI key name');
    return v;
  });
  let ownCredentials: OwnCredentialsFile | undefined;
  if (credFile) ownCredentials = { ...base?.ownCredentials, path: credFile, key: credKey ?? 'token' };
  else if (credKey) {
    if (!base?.ownCredentials) at('credentials_key', 'needs credentials_file (which file holds the key?)');
    ownCredentials = { ...base!.ownCredentials!, key: credKey };
  }

  const endpoint = attempt('endpoint', (v) => {
    checkUrl(v, false);
    return v;
  });
  const verifyUrl = attempt('verify_url', (v) => {
    checkUrl(v, true);
    return v;
  });
  const identityField = attempt('identity_field', (v) => {
    if (!/^[^.\s]+(\.[^.\s]+)*$/.test(v))
      throw new Error('must be a field name or a dotted path (user.email)');
    return v;
  });
  let verify: VerifyRequest | undefined;
  if (verifyUrl || endpoint || identityField) {
    if (!verifyUrl && !base?.verify && identityField) {
      at('identity_field', 'needs verify_url (which request returns the identity?)');
    }
    if (verifyUrl?.includes('{endpoint}') && !endpoint && !base?.verify?.defaultEndpoint) {
      at('verify_url', 'uses {endpoint}, so set endpoint = https://… as well');
    }
    verify = { ...base?.verify };
    if (verifyUrl) {
      verify.url = verifyUrl;
      delete verify.path;
      if (!identityField) delete verify.identity;
    }
    if (endpoint) verify.defaultEndpoint = endpoint;
    if (identityField) verify.identity = (body) => pickField(body, identityField);
  }

  const sessionCommand = attempt('session_command', (v) => {
    const argv = splitCommand(v);
    const [cmd] = argv;
    // A program given as a path is relative to the config file's folder, like plugins.
    // (`~/` is expanded when the command runs.)
    if (cmd!.includes('/')) argv[0] = localPath(cmd!);
    return argv;
  });
  const sessionTimeoutMs = attempt('session_timeout', (v) => {
    const ms = Number(v);
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(ms) || ms <= 0 || ms > 600_000) {
      throw new Error('must be a whole number of milliseconds between 1 and 600000');
    }
    return ms;
  });
  if (sessionTimeoutMs !== undefined && !sessionCommand && !base?.sessionCommand) {
    at('session_timeout', 'only applies to a session_command');
  }

  const def: ProviderDefinition = {
    ...(base ?? {}),
    id: section.id,
    name: name ?? base?.name ?? section.id,
    envVars: envVars ?? base!.envVars,
    header: header ?? base?.header ?? { name: 'Authorization', template: 'Bearer {token}' },
    origin: shownConfig,
  };
  if (prefix) def.prefix = prefix;
  if (ownCredentials) def.ownCredentials = ownCredentials;
  if (verify) def.verify = verify;
  if (sessionCommand) def.sessionCommand = sessionCommand;
  if (sessionTimeoutMs !== undefined) def.sessionTimeoutMs = sessionTimeoutMs;
  if (tokenHelp) def.tokenHelp = tokenHelp;
  return def;
}

export interface LoadedConfig {
  path: string;
  doc: ConfigDoc;
  /** Permission bits: a file others can write could make cred run their commands. */
  mode: number;
}

/** Reads the config file; undefined when the default file does not exist. */
function readConfig(deps: Deps, override?: string): LoadedConfig | undefined {
  const explicit = override || deps.env.CRED_CONFIG;
  const given = configPath(deps, override);
  const file = inWorkingFolder(given, deps);
  const shown = displayGivenPath(given, file, deps);
  const text = readTextFile(file, deps, { what: 'config file', shown });
  if (!text) {
    if (!explicit) return undefined;
    const from = override ? '--config' : '$CRED_CONFIG';
    throw new StoreError(
      `config file ${shown} (from ${from}) does not exist`,
      'check the path, or create the file (see docs/writing-a-provider.md)',
      'config_missing',
    );
  }
  return { path: file, doc: parseConfig(text.text, shown), mode: text.mode };
}

/**
 * Adds the config file's providers to the registry: plugins first, then the `[provider "id"]`
 * sections, so a section can extend a built-in or a plugin's provider. A broken config file stops
 * the command (exit 7); a broken plugin is reported through `warn` and skipped, so the built-ins and
 * every other provider keep working.
 */
export async function loadConfigProviders(
  registry: Registry,
  deps: Deps,
  override?: string,
  warn: (message: string) => void = (m) => deps.stderr.write(`cred: warning: ${m}\n`),
): Promise<void> {
  const loaded = readConfig(deps, override);
  if (!loaded) return;
  const { doc } = loaded;
  const configFile = loaded.path;
  if (loaded.mode & 0o022) {
    // As ssh does for its config: a file others can edit decides what cred runs (plugins,
    // session_command) and where it sends your token (endpoint, verify_url, header).
    warn(
      `${doc.path} can be changed by other users (mode ${(loaded.mode & 0o777).toString(8)}); it decides what cred runs and where it sends your token; run: chmod go-w ${doc.path}`,
    );
  }
  const failed: string[] = [];
  if (doc.plugins.length) {
    const { loadPlugin } = await import('./plugins.js');
    for (const ref of doc.plugins) {
      const result = await loadPlugin(ref.spec, dirname(configFile), doc.path, ref.line, registry, deps);
      if (result.error) {
        failed.push(ref.spec);
        warn(result.error);
      }
    }
  }
  for (const section of doc.sections) {
    const base = registry.has(section.id) ? registry.get(section.id) : undefined;
    if (!base && !section.keys.env && failed.length) {
      // Most likely this section extends a provider from the plugin that failed: say so, and go on.
      warn(
        `${doc.path}, line ${section.line}: [provider "${section.id}"] was skipped: it has no env key and extends no known provider (plugin ${failed.join(', ')} failed to load)`,
      );
      continue;
    }
    const def = sectionToDefinition(section, base, configFile, doc.path);
    try {
      // The section's own origin: the registry adds "extended by" when it extends a built-in.
      registry.register(def);
    } catch (e) {
      throw new ConfigError(doc.path, section.line, undefined, (e as Error).message);
    }
  }
}
