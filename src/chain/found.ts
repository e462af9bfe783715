// Builds the Finding for a raw value: cleaned, with its warnings; empty after trimming counts as empty.
import { isCredError, StoreError } from '../errors.js';
import type { StepName } from '../provider.js';
import { readTextFile } from '../stores/read-file.js';
import type { ChainContext, Finding } from './types.js';
import { cleanValue } from './value.js';

export function valueFinding(
  ctx: ChainContext,
  step: StepName,
  location: string,
  raw: string,
  extra: Partial<Finding> = {},
): Finding {
  const { value, warnings } = cleanValue(raw, location, ctx.provider);
  if (value === '') return { step, location, status: 'empty', reason: 'set but empty' };
  const all = [...(extra.warnings ?? []), ...warnings];
  return { ...extra, step, location, status: 'found', value, ...(all.length ? { warnings: all } : {}) };
}

/** Runs one location's read; a CredError becomes an `error` finding, anything else is a bug and throws. */
export async function guarded(
  step: StepName,
  location: string,
  read: () => Finding | Promise<Finding>,
): Promise<Finding> {
  try {
    return await read();
  } catch (e) {
    if (!isCredError(e)) throw e;
    return { step, location, status: 'error', reason: e.message, error: e };
  }
}

/**
 * The Finding for a file that holds the value itself (--token-file, NAME_FILE). A missing file is an
 * error, not "missing": the user named it. `what` names the file in read errors, `absent` is the
 * message when it does not exist.
 */
export function fileValueFinding(
  ctx: ChainContext,
  step: StepName,
  location: string,
  path: string,
  what: string,
  absent: string,
): Promise<Finding> {
  return guarded(step, location, () => {
    // A file the user named (--token-file, NAME_FILE) may be a pipe: `--token-file <(pass show x)`.
    const file = readTextFile(path, ctx.deps, { what, pipes: true });
    if (!file) throw new StoreError(absent);
    return valueFinding(ctx, step, location, file.text);
  });
}
