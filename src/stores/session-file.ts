// Provider CLI session files (Qovery's context.json, Podstack's config.yaml): read defensively, parse
// JSON natively and YAML with the `yaml` package — loaded only when a YAML file actually exists.
import type { Deps } from '../deps.js';
import { StoreError } from '../errors.js';
import type { SessionFile } from '../provider.js';
import { displayPath, expandHome } from './paths.js';
import { readTextFile } from './read-file.js';

export async function readSessionDocument(
  file: SessionFile,
  deps: Deps,
): Promise<{ path: string; doc: unknown } | undefined> {
  const path = expandHome(file.path, deps);
  const text = readTextFile(path, deps, { what: 'session file' });
  if (!text) return undefined;
  try {
    if (file.format === 'json') return { path, doc: JSON.parse(text.text) };
    const { parse } = await import('yaml');
    return { path, doc: parse(text.text, { maxAliasCount: 100 }) };
  } catch (e) {
    // Parser messages quote the offending text, which may be the token: report only the position.
    const pos = (e as { linePos?: [{ line: number; col: number }] }).linePos?.[0];
    const where = pos ? ` (line ${pos.line}, column ${pos.col})` : '';
    throw new StoreError(`malformed ${file.format.toUpperCase()} in ${displayPath(path, deps)}${where}`);
  }
}
