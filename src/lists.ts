// Comma-separated lists, as flags (`--from env,file`, `--env-var A,B`, also repeated) and config
// values (`plugins = a, b`, `env = A, B`) write them; the library also takes them as arrays.

/** The items of a comma-separated list, or of an array of such lists, trimmed, empty ones dropped. */
export function splitList(value: string | readonly string[]): string[] {
  return (typeof value === 'string' ? [value] : value)
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}
