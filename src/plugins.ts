// Plugin modules named by `plugins = ./acme.mjs, cred-plugin-acme` in the config file: ES modules
// (or CommonJS) that export providers written with the library's `defineProvider`. Loaded only when
// a config file names one. A plugin that cannot be loaded is reported and skipped: the built-ins and
// the config file's own providers keep working (docs/writing-a-provider.md).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join as joinPath, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Deps } from './deps.js';
import { defineProvider, type Provider, type ProviderDefinition } from './provider.js';
import type { Registry } from './registry.js';
import { expandHome } from './stores/paths.js';

/**
 * A real `import()`. The CLI is bundled as CommonJS, where esbuild turns `import(x)` into `require(x)`,
 * and Node 20 cannot require an ES module; a plugin is an ES module, so the call must survive bundling.
 */
const importModule = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;

export interface PluginResult {
  ids: string[];
  /** Why the plugin was skipped, naming it; undefined when it loaded. */
  error?: string;
}

function isPathSpec(spec: string): boolean {
  return (
    spec.startsWith('./') ||
    spec.startsWith('../') ||
    spec.startsWith('~/') ||
    isAbsolute(spec) ||
    /\.(m|c)?js$/.test(spec)
  );
}

type ExportsField = string | { [condition: string]: ExportsField } | null | undefined;

/** The file an `exports` field maps `.` to, preferring ESM (`import`), then `node`, then `default`. */
function pickExport(field: ExportsField): string | undefined {
  if (typeof field === 'string') return field;
  if (!field || typeof field !== 'object') return undefined;
  if ('.' in field) return pickExport(field['.']);
  for (const condition of ['import', 'node', 'default', 'require']) {
    if (condition in field) {
      const found = pickExport(field[condition]);
      if (found) return found;
    }
  }
  return undefined;
}

/** Finds a package installed next to the config file (walking up node_modules folders). */
function findPackage(spec: string, fromDir: string): string | undefined {
  const [scopeOrName, maybeName, ...rest] = spec.split('/');
  const pkgName = scopeOrName!.startsWith('@') ? `${scopeOrName}/${maybeName}` : scopeOrName!;
  const subpath = (scopeOrName!.startsWith('@') ? rest : [maybeName, ...rest]).filter(Boolean).join('/');
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const root = joinPath(dir, 'node_modules', pkgName);
    let pkg: { exports?: ExportsField; main?: string } | undefined;
    try {
      pkg = JSON.parse(readFileSync(joinPath(root, 'package.json'), 'utf8'));
    } catch {
      pkg = undefined;
    }
    if (pkg) {
      if (subpath) return joinPath(root, subpath);
      const entry = pickExport(pkg.exports) ?? pkg.main ?? 'index.js';
      return joinPath(root, entry);
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** A module URL for a plugin spec: a path relative to the config folder, or a package name. */
function resolvePlugin(spec: string, baseDir: string, deps: Pick<Deps, 'homedir'>): string {
  if (isPathSpec(spec)) return pathToFileURL(resolvePath(baseDir, expandHome(spec, deps))).href;
  try {
    return pathToFileURL(createRequire(joinPath(baseDir, 'noop.js')).resolve(spec)).href;
  } catch {
    const found = findPackage(spec, baseDir);
    // Last resort: a package installed beside cred itself (a global install's neighbours).
    return found ? pathToFileURL(found).href : spec;
  }
}

function isProviderLike(v: unknown): v is ProviderDefinition {
  return v !== null && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string';
}

/** The providers a module exports: default (one or a list), `providers` (a list) or `provider`. */
function exportedProviders(mod: Record<string, unknown>): unknown[] {
  const found: unknown[] = [];
  const add = (v: unknown) => {
    for (const item of Array.isArray(v) ? v : [v])
      if (item !== undefined && !found.includes(item)) found.push(item);
  };
  let def = mod.default;
  // A CommonJS module's exports object arrives as `default`.
  if (def && typeof def === 'object' && !Array.isArray(def) && !isProviderLike(def)) {
    const cjs = def as Record<string, unknown>;
    def = undefined;
    if (cjs.providers !== undefined) add(cjs.providers);
    if (cjs.provider !== undefined) add(cjs.provider);
  }
  if (def !== undefined) add(def);
  if (mod.providers !== undefined) add(mod.providers);
  if (mod.provider !== undefined) add(mod.provider);
  return found;
}

function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e).split('\n')[0]!;
  const first = e.message.split('\n')[0]!;
  // A syntax error's stack starts with the file and line of the mistake: worth showing.
  const where = e.name === 'SyntaxError' ? e.stack?.split('\n')[0] : undefined;
  const at = where && /^(file:|\/)/.test(where) ? ` (${where.replace(/^file:\/\//, '')})` : '';
  return `${e.name}: ${first}${at}`;
}

export async function loadPlugin(
  spec: string,
  baseDir: string,
  shownConfig: string,
  line: number,
  registry: Registry,
  deps: Deps,
): Promise<PluginResult> {
  const label = `plugin ${spec} (${shownConfig}, line ${line})`;
  const fail = (why: string): PluginResult => ({
    ids: [],
    error: `${label} ${why}; its providers are not available, the others still work`,
  });
  let mod: Record<string, unknown>;
  const target = resolvePlugin(spec, baseDir, deps);
  const local = isPathSpec(spec) ? resolvePath(baseDir, expandHome(spec, deps)) : undefined;
  try {
    mod = (await importModule(target)) as Record<string, unknown>;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // Not found is about the plugin itself; a plugin that is there but imports something missing
    // (say 'cred', not installed beside it) could not be loaded, and the message says what.
    const missing = local !== undefined ? !existsSync(local) : target === spec;
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && missing) {
      return fail(
        isPathSpec(spec)
          ? `was not found (looked for ${local})`
          : `was not found: install the package next to the config file (npm install ${spec})`,
      );
    }
    return fail(`could not be loaded: ${describe(e)}`);
  }
  const exported = exportedProviders(mod);
  if (!exported.length) {
    return fail(
      'exports no providers: use `export default defineProvider({...})` or `export const providers = [...]`',
    );
  }
  const origin = `plugin ${spec}`;
  const checked: Provider[] = [];
  for (const item of exported) {
    if (!isProviderLike(item)) return fail('exports something that is not a provider (no string id)');
    try {
      checked.push(defineProvider({ ...item, origin }));
    } catch (e) {
      // defineProvider's message already starts with `provider "id": `.
      const why = describe(e)
        .replace(/^\w*Error: /, '')
        .replace(`provider "${item.id}": `, '');
      return fail(`has an invalid provider "${item.id}": ${why}`);
    }
  }
  // All or nothing: a half-registered plugin would be harder to reason about than a skipped one.
  for (const p of checked) registry.register(p);
  return { ids: checked.map((p) => p.id) };
}
