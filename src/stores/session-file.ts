// Provider CLI session files (Qovery's context.json, Podstack's config.yaml): read defensively, parse
// JSON natively and YAML with the `yaml` package — loaded only when a YAML file actually exists.
import type { Deps } from '../deps.js';
import { StoreError } from '../errors.js';
import type { SessionFile } from '../provider.js';
import { displayPath, expandHome } from './paths.js';
import { readTextFile } from './read-file.js';

type Parse = (text: string) => unknown;

async function parserFor(format: SessionFile['format']): Promise<Parse> {
  if (format === 'json') return JSON.parse;
  // yaml is bundled as CommonJS: imported lazily, its functions sit on the default export.
  const yaml = await import('yaml');
  const parse = yaml.parse ?? (yaml as unknown as { default: typeof yaml }).default.parse;
  // logLevel 'error': yaml otherwise reports warnings through process.emitWarning with the offending
  // source line — which may hold the token — on stderr. Errors still throw (and are shown by
  // position only, below).
  return (text) => parse(text, { maxAliasCount: 100, logLevel: 'error', prettyErrors: false });
}

export async function readSessionDocument(
  file: SessionFile,
  deps: Deps,
): Promise<{ path: string; doc: unknown } | undefined> {
  const path = expandHome(file.path, deps);
  const text = readTextFile(path, deps, { what: 'session file' });
  if (!text) return undefined;
  const parse = await parserFor(file.format);
  try {
    return { path, doc: parse(text.text) };
  } catch (e) {
    // Only a parse failure means "malformed"; anything else is a bug and must not be disguised.
    const name = (e as Error)?.name;
    if (name !== 'SyntaxError' && name !== 'YAMLParseError' && name !== 'ReferenceError') throw e;
    // Parser messages quote the offending text, which may be the token: report only the position,
    // from yaml's offset (`pos`) or the one JSON.parse names ("… at position 12").
    const offset =
      (e as { pos?: [number, number] }).pos?.[0] ??
      Number(/\bposition (\d+)/.exec((e as Error).message)?.[1] ?? Number.NaN);
    const where = Number.isInteger(offset) ? ` (${lineAndColumn(text.text, offset)})` : '';
    throw new StoreError(`malformed ${file.format.toUpperCase()} in ${displayPath(path, deps)}${where}`);
  }
}

/** `line 3, column 6` (both from 1) of an offset into a text. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}
