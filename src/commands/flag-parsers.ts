// Value parsers for flags that several commands share (commander's argParser).
import { checkTimeout } from '../verify/timeout.js';

/** A repeatable flag: every value, in order. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `--timeout 2500` → 2500; anything else (letters, 0, beyond setTimeout's range) is a usage error. */
export function parseTimeout(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  return checkTimeout(/^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN, raw);
}
