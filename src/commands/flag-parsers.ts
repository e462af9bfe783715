// Value parsers for flags that several commands share (commander's argParser).
import { UsageError } from '../errors.js';
import { quoteInput } from '../output/redact.js';

/** A repeatable flag: every value, in order. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `--timeout 2500` → 2500; anything else is a usage error. */
export function parseTimeout(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) <= 0) {
    throw new UsageError(
      `--timeout takes a whole number of milliseconds above 0, not ${quoteInput(String(raw))}`,
    );
  }
  return Number(raw);
}
