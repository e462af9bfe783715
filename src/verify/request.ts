// The verification request for one provider, built from its description (pure, no IO): which URL,
// which header. The endpoint comes from --endpoint, then the credentials file's or profile's endpoint,
// then the provider's default; a config-declared provider may give a whole URL template instead.
import { UsageError } from '../errors.js';
import { quoteInput } from '../output/redact.js';
import { headerFor, type Provider } from '../provider.js';

export interface VerifyTarget {
  url: URL;
  /** Where the endpoint came from, for messages: `--endpoint`, the credential's store, or `default`. */
  endpointFrom: 'option' | 'credential' | 'default';
  header: { name: string; value: string };
}

/** Whether a provider declares a verification request (a config-declared one may not). */
export function canVerify(provider: Provider): boolean {
  return Boolean(provider.verify?.path || provider.verify?.url);
}

/** Parses an endpoint or URL a user gave; only http(s), and never one that carries credentials. */
export function parseEndpoint(raw: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UsageError(
      `${what} is not a URL: ${quoteInput(raw)}`,
      'give a full URL such as https://api.example.com',
    );
  }
  const problem = urlProblem(url);
  if (problem) throw new UsageError(`${what} ${problem}`);
  return url;
}

/** Why cred will not send a token to `url` (for --endpoint and a config file's URLs alike), if it will not. */
export function urlProblem(url: URL): string | undefined {
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return `must be an http or https URL, not ${url.protocol}`;
  if (url.username || url.password) return 'must not carry a user name or password';
  return undefined;
}

/** `https://host/base/` + `/v1/pods` → `https://host/base/v1/pods` (a base path is kept). */
function join(endpoint: URL, path: string): URL {
  const base = endpoint.href.replace(/[?#].*$/, '').replace(/\/+$/, '');
  return new URL(base + (path.startsWith('/') ? path : `/${path}`));
}

/**
 * The URL and header to send. `endpoint` is --endpoint (or the library's `options.endpoint`);
 * `stored` is the endpoint the credential came with (cred's file `endpoint`, Podstack's `api_endpoint`).
 */
export function buildRequest(
  provider: Provider,
  token: string,
  endpoint: string | undefined,
  stored: string | undefined,
): VerifyTarget {
  const spec = provider.verify;
  if (!spec || !canVerify(provider)) {
    throw new UsageError(
      `provider "${provider.id}" has no verification request`,
      'declare `verify_url` for it in the config file (see docs/verification.md)',
    );
  }
  const override = endpoint ?? stored;
  const endpointFrom = endpoint !== undefined ? 'option' : stored !== undefined ? 'credential' : 'default';
  const what = endpoint !== undefined ? '--endpoint' : 'the endpoint stored with the credential';
  const header = headerFor(provider, token);

  if (spec.url) {
    // A template: `{endpoint}` takes the endpoint; without it, an override replaces the origin only.
    if (spec.url.includes('{endpoint}')) {
      const base = override ?? spec.defaultEndpoint;
      if (!base) {
        throw new UsageError(
          `provider "${provider.id}": verify_url uses {endpoint} but no endpoint is known`,
          'pass --endpoint URL',
        );
      }
      const origin = parseEndpoint(base, what).href.replace(/\/+$/, '');
      return {
        url: parseEndpoint(spec.url.split('{endpoint}').join(origin), 'verify_url'),
        endpointFrom,
        header,
      };
    }
    const url = parseEndpoint(spec.url, 'verify_url');
    if (override === undefined) return { url, endpointFrom: 'default', header };
    const target = join(parseEndpoint(override, what), url.pathname + url.search);
    return { url: target, endpointFrom, header };
  }

  const base = override ?? spec.defaultEndpoint;
  if (!base) {
    throw new UsageError(`provider "${provider.id}" has no default endpoint`, 'pass --endpoint URL');
  }
  return { url: join(parseEndpoint(base, what), spec.path!), endpointFrom, header };
}

/** The URL as shown to a user: no query secrets, no credentials (none are allowed anyway). */
export function shownUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}${url.search}`;
}
