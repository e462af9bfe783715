// Redaction (SPEC §4) and fingerprints. The redacted form keeps a known prefix and at most the last
// four characters; a value under 12 characters shows nothing of itself.

export const MASK = '****';
const SHORT = 12;

export function redact(value: string, prefix?: string): string {
  if (value.length < SHORT) return MASK;
  const head = prefix && value.startsWith(prefix) ? prefix : '';
  return `${head}…${value.slice(-4)}`;
}

/** First 6 hex of SHA-256: tells two sources apart without showing either. */
export function fingerprint(value: string): string {
  // node:crypto is loaded here, on first use, not imported: most runs never hash (docs/speed.md).
  const { createHash } = process.getBuiltinModule('node:crypto');
  return createHash('sha256').update(value).digest('hex').slice(0, 6);
}

/** Replaces every occurrence of each secret in a text (for diagnostics that might echo one). */
export function scrub(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join(MASK);
  return out;
}

/**
 * A run of 16 or more letters and digits holding both is how random tokens look; names people pick
 * (`prod`, `eu-west-1`, `production-2024`) break into shorter runs at their separators.
 */
const TOKEN_RUN = /[A-Za-z0-9]{16,}/g;
const isTokenRun = (run: string) => /[0-9]/.test(run) && /[A-Za-z]/.test(run);

/** The text with every token-shaped run replaced by `****` (a path keeps its readable parts). */
function maskTokenRuns(text: string, min = 16): string {
  const runs = min === 16 ? TOKEN_RUN : new RegExp(`[A-Za-z0-9]{${min},}`, 'g');
  return text.replace(runs, (run) => (isTokenRun(run) ? MASK : run));
}

/**
 * Whether a word has the shape of a token: a run of `min` or more letters and digits, with both.
 * Text cred quotes uses 16; a name (profile, variable) uses NAME_RUN, since people do join words and
 * a number into one (`OAUTH2CLIENTSECRET`, `tenant42production`), but rarely that long.
 */
export function looksLikeToken(word: string, min = 16): boolean {
  // Every profile name passes through here on the fast path; most are far shorter than a run.
  if (word.length < min) return false;
  return (word.match(TOKEN_RUN) ?? []).some((run) => run.length >= min && isTokenRun(run));
}

/** The run a profile or variable name must not hold (see looksLikeToken). */
export const NAME_RUN = 20;

/**
 * Things that look like credentials even when cred does not know them: JWTs, a known prefix (in any
 * case) and what follows it, and token-shaped runs (looksLikeToken).
 */
function scrubShapes(text: string, prefix: string | undefined, minRun = 16): string {
  let out = text.replace(/\b[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g, MASK);
  if (prefix) {
    const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // At the start of a word only (`interrupt-handler` is not a value with the prefix `pt-`), which
    // includes right after a %XX escape (`token%3Dpt-…` in a URL).
    const start = '(?:(?<![A-Za-z0-9])|(?<=%[0-9A-Fa-f]{2}))';
    out = out.replace(new RegExp(`${start}${escaped}[A-Za-z0-9_.~+/=-]{6,}`, 'gi'), MASK);
  }
  return maskTokenRuns(out, minRun);
}

/**
 * What a message may quote of text cred does not control (a session command's or the keychain
 * helper's stderr, an HTTP answer): without the secrets given or anything shaped like a credential,
 * without control characters (a terminal escape must not reach the user's terminal), its lines
 * joined with ` | `, at most `max` characters.
 */
export function quotedText(
  text: string,
  secrets: readonly string[],
  {
    prefix,
    max = 300,
    shapes = true,
    minRun = 16,
  }: { prefix?: string | undefined; max?: number; shapes?: boolean; minRun?: number } = {},
): string {
  const known = scrub(text, secrets);
  const clean = (shapes ? scrubShapes(known, prefix, minRun) : known)
    .split(/\r\n|\n|\r/)
    .map((l) => l.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim())
    .filter(Boolean)
    .join(' | ');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/**
 * The length from which a word the user typed may be a token: never echoed (quoteInput), a bare
 * path shown by its length only (displayPath), a word commander quotes hidden (cli.ts). The one
 * threshold for all three, so they cannot drift apart.
 */
export const TOKEN_SIZED = 16;

/**
 * How a value the user typed is echoed in an error: short words verbatim, anything token-sized
 * not at all — a token typed into the wrong flag (`--env-var $TOKEN`, `cred resolve $TOKEN`) must
 * not reach stderr.
 */
export function quoteInput(value: string): string {
  return value.length < TOKEN_SIZED && !/[\u0000-\u001f\u007f]/.test(value)
    ? JSON.stringify(value)
    : `(${value.length} characters, not shown)`;
}

/**
 * What must not come back from a request that sent this header: the token, and the header value
 * and its credentials part (after the scheme), which a plugin's headerFor may have encoded.
 */
export function sentSecrets(header: { name: string; value: string }, token: string): string[] {
  const space = header.value.indexOf(' ');
  // Longest first, so a longer one is masked whole before a part of it is.
  return [header.value, ...(space > 0 ? [header.value.slice(space + 1)] : []), token];
}

/**
 * A header with the token hidden. A template places the token verbatim and it is replaced by
 * `shown`; a plugin's headerFor may encode it (`Basic base64(user:token)`), so a value that does
 * not contain the token verbatim keeps only its first word (the scheme) and masks the rest.
 */
export function maskHeader(
  header: { name: string; value: string },
  token: string,
  shown: string,
): { name: string; value: string } {
  if (token && header.value.includes(token))
    return { name: header.name, value: header.value.split(token).join(shown) };
  const space = header.value.indexOf(' ');
  return { name: header.name, value: space > 0 ? `${header.value.slice(0, space)} ${MASK}` : MASK };
}
