// The request time-out: one rule for --timeout and the library's `timeout` option. Kept apart from
// the rest of verify/ so the CLI's flag parser can use it without loading the HTTP code.
import { UsageError } from '../errors.js';
import { quoteInput } from '../output/redact.js';

export const DEFAULT_TIMEOUT_MS = 10_000;
/** setTimeout's limit; a larger value would fire at once. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/** `raw` is what the user typed, for the message (the number when absent). */
export function checkTimeout(timeout: number | undefined, raw = String(timeout)): number {
  if (timeout === undefined) return DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeout) || timeout <= 0 || timeout > MAX_TIMEOUT_MS) {
    throw new UsageError(`--timeout takes a whole number of milliseconds above 0, not ${quoteInput(raw)}`);
  }
  return timeout;
}
