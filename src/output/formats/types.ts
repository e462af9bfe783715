// What every export format takes and the checks they share. A format is a pure function from the
// variables to the text; a value it cannot carry is refused with a UsageError (exit 2) that names the
// variable and the reason, never the value.
import { UsageError } from '../../errors.js';

export interface EnvVar {
  name: string;
  value: string;
}

export type Formatter = (vars: readonly EnvVar[]) => string;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// A lone UTF-16 surrogate has no bytes a shell or file could hold.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function refuse(format: string, name: string, reason: string): never {
  throw new UsageError(
    `cannot export ${name} as ${format}: the value ${reason}`,
    'pick another --shell (json carries any value), or use `cred run -- CMD` which needs no quoting',
    'unsafe_value',
  );
}

/** Checks every format needs: a valid name, no NUL (no environment can hold it), well-formed text. */
export function checkCommon(format: string, v: EnvVar): void {
  if (!NAME.test(v.name)) {
    throw new UsageError(`cannot export "${v.name}" as ${format}: not a valid variable name`);
  }
  if (v.value.includes('\0')) refuse(format, v.name, 'contains a NUL character');
  if (LONE_SURROGATE.test(v.value)) refuse(format, v.name, 'is not valid Unicode (a lone surrogate)');
}
