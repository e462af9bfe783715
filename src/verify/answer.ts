// What a provider's answer means. 2xx: the identity the API gives. 401: rejected, with a sign-in
// prompt that names the source to fix. 403: forbidden, naming the missing permission when the answer
// says. 5xx and anything unexpected: a server error naming the host. Error bodies are parsed (Qoder
// `{type, error:{type,message}}`, Qovery `{status, error, message}`, common `message`/`detail`
// shapes), scrubbed of the token and cut short; a body that is not JSON is never echoed.
import { AuthRejectedError, type CredError, ForbiddenError, NetworkError } from '../errors.js';
import { maskHeader, quotedText, sentSecrets } from '../output/redact.js';
import type { Provider, Source } from '../provider.js';
import type { HttpAnswer } from './http.js';

export interface Problem {
  /** Machine type: `authentication_error`, `permission_error`, `Forbidden`, … */
  type?: string;
  message?: string;
  /** Permissions or scopes the answer says are missing. */
  scopes: string[];
}

/** Makes a text from the provider safe to show: no token, no control characters, not too long. */
const clean = (text: string, secrets: readonly string[]) => quotedText(text, secrets, { max: 200 });

function record(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

const SCOPE_KEYS = [
  'missing_scopes',
  'missing_scope',
  'required_scopes',
  'required_scope',
  'missing_permissions',
  'missing_permission',
  'required_permissions',
  'required_permission',
  'scopes',
  'scope',
  'permissions',
  'permission',
];

function scopesIn(obj: Record<string, unknown> | undefined): string[] {
  if (!obj) return [];
  for (const key of SCOPE_KEYS) {
    const v = obj[key];
    if (typeof v === 'string' && v.trim()) return v.split(/[\s,]+/).filter(Boolean);
    if (Array.isArray(v)) {
      const list = v.filter((x): x is string => typeof x === 'string' && x.trim() !== '');
      if (list.length) return list;
    }
  }
  return [];
}

/** RFC 6750: `WWW-Authenticate: Bearer error="insufficient_scope", scope="read write"`. */
function scopesFromChallenge(headers: Headers): string[] {
  const challenge = headers.get('www-authenticate') ?? '';
  const m = /\bscope="([^"]*)"/i.exec(challenge);
  return m?.[1] ? m[1].split(/\s+/).filter(Boolean) : [];
}

/** Reads a provider's error answer without ever returning raw, unparsed body text. */
export function parseProblem(
  answer: Pick<HttpAnswer, 'body' | 'headers'>,
  secrets: readonly string[],
): Problem {
  const root = record(parseJson(answer.body));
  const nested = record(root?.error);
  let type: string | undefined;
  let message: string | undefined;
  if (nested) {
    // Qoder (Anthropic-style): {"type":"error","error":{"type":"authentication_error","message":"…"}}
    type = text(nested.type) ?? text(nested.code);
    message = text(nested.message);
  } else if (root) {
    // Qovery: {"status":403,"error":"Forbidden","message":"…"}; others: message/detail/title.
    type = text(root.error) ?? text(root.code) ?? text(root.type);
    message = text(root.message) ?? text(root.detail) ?? text(root.error_description) ?? text(root.title);
    if (type === 'error') type = undefined;
  }
  const scopes = [...scopesIn(nested), ...scopesIn(root), ...scopesFromChallenge(answer.headers)];
  return {
    ...(type ? { type: clean(type, secrets) } : {}),
    ...(message ? { message: clean(message, secrets) } : {}),
    scopes: [...new Set(scopes.map((s) => clean(s, secrets)))].filter(Boolean),
  };
}

function problemText(status: number, p: Problem): string {
  const head = p.type ? `${status} ${p.type}` : String(status);
  // Qovery repeats itself ("Forbidden" / "Forbidden"); say each thing once.
  return p.message && p.message !== p.type ? `${head}: ${p.message}` : head;
}

/** Where the user fixes the token, by the step it came from. */
function whereToFix(provider: Provider, source: Source): string {
  const id = provider.id;
  switch (source.step) {
    case 'flag':
      // --token, --token-file PATH, --token-stdin, or what `cred login --verify` read (the prompt, stdin).
      return `the token came from ${source.detail}; give a valid one`;
    case 'options-env':
      return `replace the token in ${source.detail}`;
    case 'env': {
      // NAME_FILE's detail is `NAME_FILE (path)` (chain/env.ts): the file's content is what to replace.
      const named = /^(\S+_FILE) \((.+)\)$/.exec(source.detail);
      if (named) {
        return `replace the token in ${named[2]} (the file ${named[1]} names), or unset ${named[1]} to use a stored login`;
      }
      return `replace the value of ${source.detail} (where your shell profile or CI secrets set it), or unset it to use a stored login`;
    }
    case 'file':
      return `replace the token in ${source.detail}, or store a new one with \`cred login ${id} --store file\``;
    case 'session': {
      if (source.detail.startsWith('keychain ')) return `sign in again: \`cred login ${id}\``;
      const file = provider.sessionFiles?.find((f) => source.detail === f.path);
      if (file?.loginCommand) {
        return `sign in again with \`${file.loginCommand}\` (it rewrites ${source.detail}), or \`cred login ${id}\``;
      }
      return `sign in again to refresh ${source.detail}, or \`cred login ${id}\``;
    }
  }
}

/** The sign-in prompt shown after a 401: what to fix, where to get a new token, known mistakes. */
export function signInPrompt(provider: Provider, source: Source): string {
  const lines = [whereToFix(provider, source)];
  if (provider.tokenHelp) lines.push(provider.tokenHelp);
  if (provider.pitfalls?.length) lines.push(`known pitfalls: ${provider.pitfalls.join('; ')}`);
  return lines.join('\n  ');
}

export interface AnswerContext {
  provider: Provider;
  source: Source;
  url: URL;
  /** The header sent; messages show it with the token replaced by `…`. */
  header: { name: string; value: string };
  token: string;
}

/** `Authorization: Bearer …`: the scheme a user may have got wrong, without the token. */
function shownHeader(header: { name: string; value: string }, token: string): string {
  const h = maskHeader(header, token, '…');
  return `${h.name}: ${h.value}`;
}

/** The error for a non-2xx answer. */
export function answerError(answer: HttpAnswer, ctx: AnswerContext): CredError {
  const { provider, source, url } = ctx;
  const secrets = sentSecrets(ctx.header, ctx.token);
  const host = url.host;
  const request = `GET ${url.pathname}`;
  const status = answer.status;
  if (status === 401) {
    const p = parseProblem(answer, secrets);
    return new AuthRejectedError(
      `${provider.name} rejected the token from ${source.step} ${source.detail} (${problemText(status, p)}; sent as \`${shownHeader(ctx.header, ctx.token)}\` to ${host})`,
      signInPrompt(provider, source),
    );
  }
  if (status === 403) {
    const p = parseProblem(answer, secrets);
    const missing = p.scopes.length ? `; missing permission: ${p.scopes.join(', ')}` : '';
    const hint = [
      p.scopes.length
        ? `give the token from ${source.step} ${source.detail} the permission ${p.scopes.join(', ')}, or make a token that has it`
        : `give the token from ${source.step} ${source.detail} the permission ${request} needs, or make a token that has it`,
    ];
    if (provider.tokenHelp) hint.push(provider.tokenHelp);
    if (provider.pitfalls?.length) hint.push(`known pitfalls: ${provider.pitfalls.join('; ')}`);
    return new ForbiddenError(
      `${provider.name} accepted the token but refused ${request} at ${host} (${problemText(status, p)}${missing})`,
      hint.join('\n  '),
    );
  }
  if (status >= 500) {
    const p = parseProblem(answer, secrets);
    return new NetworkError(
      `${host} answered ${problemText(status, p)} (a server error) to ${request}`,
      'try again later, or check the endpoint',
      'server_error',
    );
  }
  if (status === 429) {
    return new NetworkError(`${host} is rate limiting requests (429)`, 'try again later', 'rate_limited');
  }
  if (status >= 300 && status < 400) {
    let to = '';
    try {
      to = ` to ${new URL(answer.headers.get('location') ?? '', url).host}`;
    } catch {}
    return new NetworkError(
      `${host} answered ${status} with a redirect${to}; cred does not send a token on to another address`,
      'point --endpoint at the final address',
      'unexpected_response',
    );
  }
  const p = parseProblem(answer, secrets);
  return new NetworkError(
    `${host} answered ${problemText(status, p)} to ${request}, not what ${provider.name}'s API answers`,
    'is the endpoint right? (--endpoint, or the endpoint stored with the credential)',
    'unexpected_response',
  );
}

const IDENTITY_KEYS = ['email', 'login', 'username', 'user_name', 'name'];

/** The identity in a 2xx answer: the provider's own reader, else a common field, scrubbed. */
export function identityOf(
  provider: Provider,
  answer: HttpAnswer,
  secrets: readonly string[],
): string | undefined {
  const body = parseJson(answer.body);
  let found: string | undefined;
  try {
    found = provider.verify?.identity?.(body);
  } catch {
    found = undefined;
  }
  if (found === undefined) {
    const root = record(body);
    for (const scope of [root, record(root?.user), record(root?.data)]) {
      const hit = IDENTITY_KEYS.map((k) => text(scope?.[k])).find(Boolean);
      if (hit) {
        found = hit;
        break;
      }
    }
  }
  // An identity is an id or a name the user wants to see (an ObjectId, `acct_1MqW2LKZ8x9y0zAB`):
  // only the values cred sent are masked in it, not everything shaped like a token.
  return found === undefined
    ? undefined
    : quotedText(found, secrets, { max: 200, shapes: false }) || undefined;
}
