// What a provider is: plain data plus a few small pure functions where data is not enough (for
// example Qovery's "a JWT is sent as Bearer" rule). No provider does IO; the chain reads files and
// hands the parsed documents to the provider's pure readers.
import { UsageError } from './errors.js';
import { looksLikeToken, NAME_RUN, quoteInput } from './output/redact.js';
import { FORBIDDEN_NAMES } from './stores/ini-file.js';
import { urlProblem } from './verify/request.js';

/** The chain's steps, in order. The order itself lives in src/chain/index.ts. */
export type StepName = 'flag' | 'options-env' | 'env' | 'file' | 'session';

export interface Source {
  step: StepName;
  /** Human location: `QODER_PERSONAL_ACCESS_TOKEN`, `~/.podstack/credentials [production]`, … */
  detail: string;
}

/** What a provider's CLI session file holds for one profile. */
export type SessionRead =
  | {
      found: true;
      token: string;
      /** RFC 3339 string or epoch milliseconds; compared with the injected clock by the chain. */
      expires?: string | number;
      endpoint?: string;
      project?: string;
    }
  | { found: false; reason: string };

/**
 * Epoch milliseconds of an epoch number: seconds, as CLIs and `credential_process` write them, or
 * milliseconds when only milliseconds can be meant (above 1e11, which in seconds is the year 5138).
 */
export function epochMs(n: number): number {
  return Math.abs(n) > 1e11 ? n : n * 1000;
}

const GO_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?) ([+-]\d{4})(?: [A-Z]{1,5})?$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const RFC2822 =
  /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),\s+)?(\d{1,2})\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+(\d{4})\s+\d{2}:\d{2}(?::\d{2})?\s+(?:GMT|UTC|UT|Z|[+-]\d{4})$/i;
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|z|[+-]\d{2}:?\d{2})?$/;

/**
 * Epoch ms of an expiry: RFC 3339 text (a date alone, or a time without a zone, is UTC — the same on
 * every machine), an epoch number, or epoch digits as text (9 or more). Anything else — `"1"`,
 * `"Jan 1 2099"`, February 30 — is not a date: undefined, never a loose guess by Date.parse.
 */
export function parseExpiry(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? epochMs(value) : undefined;
  if (/^\d{9,}$/.test(value)) return epochMs(Number(value));
  // Go's time.Time.String(): `2099-06-01 12:34:56.789 +0000 UTC`, read as the RFC 3339 it means.
  const go = GO_TIME.exec(value);
  if (go) return parseExpiry(`${go[1]}T${go[2]}${go[3]!.slice(0, 3)}:${go[3]!.slice(3)}`);
  // An HTTP date / RFC 2822: `Mon, 01 Jun 2099 12:34:56 GMT`.
  const mail = RFC2822.exec(value);
  if (mail) {
    if (!isCalendarDate(Number(mail[3]), MONTHS.indexOf(mail[2]!.toLowerCase()) + 1, Number(mail[1]))) {
      return undefined;
    }
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms : undefined;
  }
  const m = RFC3339.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', sec = '00', frac = '', zone = 'Z'] = m;
  if (!isCalendarDate(Number(y), Number(mo), Number(d))) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 60) return undefined;
  const z = /^z$/i.test(zone) ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${sec}${frac.slice(0, 4)}${z}`);
  return Number.isFinite(ms) ? ms : undefined;
}

/** A real day: no February 30, no month 13 (Date.parse would roll them over). */
function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  // Days in the month, counted in a leap year (2000); February 29 then needs a leap year of its own.
  if (day > new Date(Date.UTC(2000, month, 0)).getUTCDate()) return false;
  return !(month === 2 && day === 29) || (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export interface SessionFile {
  /** Path with `~` for the home folder. */
  path: string;
  format: 'json' | 'yaml';
  /** Name of the CLI that writes the file, for messages ("run `qovery auth`"). */
  loginCommand?: string;
  read(doc: unknown, profile: string): SessionRead;
}

/** A provider's own INI credentials file: section = profile name. */
export interface OwnCredentialsFile {
  path: string;
  key: string;
  endpointKey?: string;
  projectKey?: string;
}

export interface VerifyRequest {
  method?: 'GET';
  /** Path (and query) appended to the endpoint, e.g. `/api/v1/cloud/agents?limit=1`. Absent with `url`. */
  path?: string;
  /** A full URL template instead of endpoint + path (`verify_url` in a config file). */
  url?: string;
  defaultEndpoint?: string;
  /** Pulls a human identity out of a 2xx JSON body. */
  identity?(body: unknown): string | undefined;
}

export interface Provider {
  id: string;
  name: string;
  /** Env vars read in order, first wins; the first is the one `cred env` exports. */
  envVars: readonly string[];
  /** Context variables `cred env` exports beside the token when known. */
  contextVars?: { project?: string; endpoint?: string };
  /** Header template; `{token}` is replaced by the value. */
  header: { name: string; template: string };
  /** Overrides the template for values that need another scheme (Qovery JWTs). */
  headerFor?(token: string): { name: string; value: string };
  /** What headerFor does differently, in words, for `cred providers` ("a JWT is sent as Bearer"). */
  headerRule?: string;
  /** Known token prefix (`pt-`): kept visible when redacting, and a mismatch warns. */
  prefix?: string;
  ownCredentials?: OwnCredentialsFile;
  sessionFiles?: readonly SessionFile[];
  /** Command (argv, no shell) that prints the token or JSON `{token, expires}` (SPEC §7). */
  sessionCommand?: readonly string[];
  /** How long the session command may run (default 10 s; `session_timeout` in a config file). */
  sessionTimeoutMs?: number;
  verify?: VerifyRequest;
  /** Where a user makes a new token, shown after a 401. */
  tokenHelp?: string;
  /** Known mistakes from the provider's own documentation. */
  pitfalls?: readonly string[];
  /** Where the provider was defined: `built-in`, a config file path or a plugin. */
  origin: string;
}

export type ProviderDefinition = Omit<Provider, 'origin'> & { origin?: string };

const PROVIDER_ID = /^[a-z][a-z0-9_-]{0,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** An HTTP header name (RFC 9110 token): for config files' `header =` and plugins alike. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What an HTTP header value may hold: tab, printable ASCII, Latin-1 (no line break). */
export const HEADER_VALUE_BAD = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * The one check for a variable name (providers, config `env`, --env-var). Throws a UsageError that
 * shows the name only when it is short: a token pasted where a name belongs must not be echoed.
 */
export function checkEnvName(name: string, where = ''): string {
  const at = where ? `${where}: ` : '';
  if (!ENV_NAME.test(name)) {
    throw new UsageError(`${at}${quoteInput(name)} is not a valid variable name`);
  }
  // A token pasted where a name belongs (--env-var $TOKEN) would be echoed by every message that
  // names the variable, so a name shaped like one is refused, unshown (as profile names are).
  if (looksLikeToken(name, NAME_RUN)) {
    throw new UsageError(
      `${at}${quoteInput(name)} is shaped like a token (${NAME_RUN} or more letters and digits in a row), not a variable name`,
    );
  }
  return name;
}

/**
 * The same for a provider id: for built-ins, plugins and config files alike. The id becomes an INI
 * section name (`[qoder]`), so a name that would reach an object's prototype is refused here too.
 */
export function checkProviderId(id: string): string {
  if (!PROVIDER_ID.test(id) || FORBIDDEN_NAMES.has(id)) {
    throw new UsageError(
      `provider id ${quoteInput(id)} must be lowercase letters, digits, "_" or "-", starting with a letter (and not ${[...FORBIDDEN_NAMES].join(', ')})`,
    );
  }
  return id;
}

/** A definition that would misbehave: the library's and plugins' typed refusal (exit 2). */
function invalid(id: unknown, what: string): UsageError {
  const who = typeof id === 'string' && PROVIDER_ID.test(id) ? `provider "${id}"` : 'a provider definition';
  return new UsageError(`${who}: ${what}`, 'see docs/writing-a-provider.md', 'provider_invalid');
}

/**
 * Why cred will not send a token to this URL (or `{endpoint}` template), if it will not: the one
 * check for config files' URLs and plugins' verify URLs.
 */
export function definitionUrlProblem(value: string, template: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(template ? value.replaceAll('{endpoint}', 'https://endpoint.invalid') : value);
  } catch {
    return 'is not a URL';
  }
  return urlProblem(url);
}

function checkDefinitionUrl(id: string, what: string, value: unknown, template: boolean): void {
  if (value === undefined) return;
  if (typeof value !== 'string') throw invalid(id, `${what} must be a string`);
  const problem = definitionUrlProblem(value, template);
  if (problem) throw invalid(id, `${what} ${problem}`);
}

/**
 * The one gate every provider passes: built-ins, config sections and plugins. Plugins are plain
 * JavaScript, so the shape is checked at run time too (a string `envVars` would otherwise be read
 * letter by letter), and a bad definition is a typed error, never a TypeError later.
 */
export function defineProvider(def: ProviderDefinition): Provider {
  if (typeof def !== 'object' || def === null) {
    throw new UsageError('a provider definition must be an object', undefined, 'provider_invalid');
  }
  if (typeof def.id !== 'string') throw invalid(undefined, 'needs an id (a string)');
  checkProviderId(def.id);
  const bad = (what: string) => invalid(def.id, what);
  if (def.name !== undefined && (typeof def.name !== 'string' || !def.name))
    throw bad('name must be a string');
  const { envVars, header } = def as { envVars: unknown; header: unknown };
  if (!Array.isArray(envVars) || !envVars.length || envVars.some((n) => typeof n !== 'string')) {
    throw bad('envVars must be a non-empty list of variable names');
  }
  for (const name of envVars as string[]) checkEnvName(name, `provider "${def.id}"`);
  const h = header as { name?: unknown; template?: unknown } | null | undefined;
  if (typeof h !== 'object' || h === null || typeof h.name !== 'string' || typeof h.template !== 'string') {
    throw bad('header must be { name, template }');
  }
  if (!HEADER_NAME.test(h.name)) throw bad(`${quoteInput(h.name)} is not a valid header name`);
  if (!h.template.includes('{token}')) throw bad('header template must contain {token}');
  if (HEADER_VALUE_BAD.test(h.template)) {
    throw bad('header template holds a line break or a character an HTTP header cannot carry');
  }
  if (def.headerFor !== undefined && typeof def.headerFor !== 'function')
    throw bad('headerFor must be a function');
  if (def.prefix !== undefined && typeof def.prefix !== 'string') throw bad('prefix must be a string');
  if (def.headerRule !== undefined && typeof def.headerRule !== 'string')
    throw bad('headerRule must be a string');
  if (def.verify !== undefined) {
    if (typeof def.verify !== 'object' || def.verify === null) throw bad('verify must be an object');
    checkDefinitionUrl(def.id, 'verify.url', def.verify.url, true);
    checkDefinitionUrl(def.id, 'verify.defaultEndpoint', def.verify.defaultEndpoint, false);
  }
  // A plugin may leave the display name out; messages then use the id.
  return Object.freeze({ ...def, name: def.name ?? def.id, origin: def.origin ?? 'built-in' });
}

/**
 * A built-in provider (providers/*.ts): frozen, not checked at run time. They are cred's own code,
 * loaded at every start, where the checks cost ≈ 1 M instructions (the regexps and URL parsing are
 * compiled on first use); test/unit/provider-define.test.ts passes each through defineProvider.
 */
export function builtInProvider(def: ProviderDefinition): Provider {
  return Object.freeze({ ...def, origin: 'built-in' });
}

/** The header a provider sends for a value. */
export function headerFor(provider: Provider, token: string): { name: string; value: string } {
  if (provider.headerFor) {
    // A plugin's function: what it returns is checked before anything prints or sends it.
    const h: unknown = provider.headerFor(token);
    const { name, value } = (typeof h === 'object' && h !== null ? h : {}) as {
      name?: unknown;
      value?: unknown;
    };
    if (typeof name !== 'string' || !HEADER_NAME.test(name) || typeof value !== 'string') {
      throw invalid(
        provider.id,
        `headerFor (${provider.origin}) did not return { name, value } with a valid header name`,
      );
    }
    return { name, value };
  }
  // split/join, not replaceAll: a replacement string gives `$&`, `$'` and `` $` `` special meaning,
  // and a token may well contain them.
  return { name: provider.header.name, value: provider.header.template.split('{token}').join(token) };
}

/**
 * A header value must hold only what HTTP allows (tab, printable ASCII, Latin-1): a line break would
 * smuggle a second header into `curl -H @-`, and fetch refuses the rest with an error that quotes
 * the value. The one check for `cred header` and the verification request.
 */
export function checkHeaderValue(provider: Provider, value: string, source: string): void {
  if (HEADER_VALUE_BAD.test(value)) {
    throw new UsageError(
      `the ${provider.id} credential from ${source} contains a line break or a character an HTTP header cannot carry`,
      'check the stored value (cred resolve --explain shows where it came from)',
      'unsafe_value',
    );
  }
}
