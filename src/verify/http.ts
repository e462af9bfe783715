// One HTTP GET with a hard time-out, through a proxy when the environment names one. Node's built-in
// fetch serves the plain case; with HTTPS_PROXY/HTTP_PROXY set (any case) undici's EnvHttpProxyAgent
// is loaded — lazily, so the plain case never reads it — and driven by undici's own fetch, since a
// dispatcher from the installed undici may not fit the undici bundled inside Node. Connection-level
// failures become a NetworkError naming the host, never the token or a raw error text.
import type { Deps, Env } from '../deps.js';
import { NetworkError } from '../errors.js';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  /** At most MAX_BODY bytes of the body, decoded as UTF-8. */
  body: string;
}

const MAX_BODY = 1024 * 1024;

export interface ProxySettings {
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
}

/** The proxy variables, lower case first as curl and undici read them; undefined when none is set. */
export function proxySettings(env: Env): ProxySettings | undefined {
  const pick = (name: string) => env[name.toLowerCase()] || env[name.toUpperCase()] || '';
  const httpProxy = pick('http_proxy');
  const httpsProxy = pick('https_proxy');
  if (!httpProxy && !httpsProxy) return undefined;
  return { httpProxy, httpsProxy, noProxy: pick('no_proxy') };
}

/** Whether NO_PROXY exempts this URL, read the way undici reads it (for messages only). */
function exempt(url: URL, noProxy: string): boolean {
  const host = url.hostname.toLowerCase();
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  for (const raw of noProxy.split(/[,\s]/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const m = /^(.*?)(?::(\d+))?$/.exec(entry)!;
    const name = m[1]!;
    if (m[2] && Number(m[2]) !== port) continue;
    if (/^[.*]/.test(name) ? host.endsWith(name.replace(/^\*/, '')) : host === name) return true;
  }
  return false;
}

/** Which proxy (host only) a request to `url` goes through, for messages. */
function proxyHostFor(url: URL, proxy: ProxySettings | undefined): string | undefined {
  if (!proxy || exempt(url, proxy.noProxy)) return undefined;
  const raw = url.protocol === 'https:' ? proxy.httpsProxy || proxy.httpProxy : proxy.httpProxy;
  try {
    return raw ? new URL(raw).host : undefined;
  } catch {
    return undefined;
  }
}

interface Dispatcher {
  destroy(): Promise<void>;
}

async function proxiedFetch(
  url: URL,
  init: RequestInit,
  proxy: ProxySettings,
): Promise<{ response: Response; agent: Dispatcher }> {
  const undici = await import('undici');
  // undici 6 announces EnvHttpProxyAgent as experimental on stderr; that notice means nothing to a
  // user, so it alone is silenced while the agent is built.
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const code = (rest[0] as { code?: string } | undefined)?.code ?? rest[1];
    if (code === 'UNDICI-EHPA') return;
    (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  let agent: InstanceType<typeof undici.EnvHttpProxyAgent>;
  try {
    // Passed explicitly so undici reads cred's Deps env, not process.env.
    agent = new undici.EnvHttpProxyAgent({
      httpProxy: proxy.httpProxy,
      httpsProxy: proxy.httpsProxy,
      noProxy: proxy.noProxy,
    });
  } finally {
    process.emitWarning = emit;
  }
  try {
    const response = (await undici.fetch(url, {
      ...(init as object),
      dispatcher: agent,
    } as Parameters<typeof undici.fetch>[1])) as unknown as Response;
    return { response, agent };
  } catch (e) {
    await agent.destroy().catch(() => {});
    throw e;
  }
}

async function readCapped(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < MAX_BODY) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  if (size >= MAX_BODY) await reader.cancel().catch(() => {});
  return Buffer.concat(chunks).subarray(0, MAX_BODY).toString('utf8');
}

const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const SLOW = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);

function isTls(code: string): boolean {
  return (
    code.startsWith('ERR_SSL_') ||
    code.startsWith('ERR_TLS_') ||
    code.startsWith('CERT_') ||
    code.startsWith('UNABLE_TO_') ||
    code.endsWith('_SELF_SIGNED_CERT') ||
    code === 'SELF_SIGNED_CERT_IN_CHAIN' ||
    code === 'EPROTO' ||
    code === 'HOSTNAME_MISMATCH'
  );
}

/** Walks `cause` links for the first system or undici error code. */
function causeCode(e: unknown): { code: string; message: string } {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur && typeof cur === 'object'; i++) {
    const c = cur as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof c.code === 'string' && c.code !== 'ABORT_ERR') {
      return { code: c.code, message: typeof c.message === 'string' ? c.message : '' };
    }
    cur = c.cause;
  }
  const m = (e as { cause?: { message?: unknown } } | null)?.cause?.message;
  return { code: '', message: typeof m === 'string' ? m : '' };
}

/** Turns a fetch failure into a NetworkError that names the host (and the proxy, if one was used). */
function networkError(e: unknown, url: URL, timeoutMs: number, proxyHost?: string): NetworkError {
  const host = url.host;
  const via = proxyHost ? ` (through the proxy ${proxyHost})` : '';
  const name = (e as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new NetworkError(
      `no answer from ${host}${via} within ${timeoutMs} ms`,
      'check the endpoint and your network, or raise --timeout',
      'timeout',
    );
  }
  const { code, message } = causeCode(e);
  if (code === 'ECONNREFUSED') {
    return new NetworkError(
      proxyHost
        ? `connection refused by the proxy ${proxyHost} (on the way to ${host})`
        : `connection refused by ${host}`,
      'is the endpoint right? (--endpoint, or the endpoint in your credentials file)',
      'connection_refused',
    );
  }
  if (DNS.has(code)) {
    return new NetworkError(
      proxyHost
        ? `could not resolve the proxy's host name ${proxyHost} (on the way to ${host}; ${code})`
        : `could not resolve the host name ${url.hostname} (${code})`,
      'check the endpoint and your DNS',
      'dns_failure',
    );
  }
  if (isTls(code)) {
    return new NetworkError(
      `TLS handshake with ${host}${via} failed (${code})`,
      'check that the endpoint speaks HTTPS and that its certificate is trusted (NODE_EXTRA_CA_CERTS)',
      'tls_error',
    );
  }
  if (SLOW.has(code)) {
    return new NetworkError(`no answer from ${host}${via} (${code})`, 'check your network', 'timeout');
  }
  if (UNREACHABLE.has(code)) {
    return new NetworkError(`${host}${via} is unreachable (${code})`, 'check your network', 'network_error');
  }
  if (RESET.has(code)) {
    return new NetworkError(
      `${host}${via} closed the connection before answering (${code})`,
      'check the endpoint',
      'network_error',
    );
  }
  if (message === 'bad port') {
    // fetch refuses ports such as 9, 25 or 6000 outright (the Fetch standard's "bad ports").
    return new NetworkError(
      `cannot connect to ${host}: fetch refuses port ${url.port} (a port reserved for another protocol)`,
      'use the endpoint the provider documents',
      'network_error',
    );
  }
  if (proxyHost && /proxy/i.test(message)) {
    // undici's messages ("Proxy response (502) !== 200 when HTTP Tunneling") are not shown as
    // they are: only the status they carry.
    const status = /\b([1-5]\d\d)\b/.exec(message)?.[1];
    const why =
      status === '407'
        ? 'HTTP 407: it wants a user name and password'
        : status
          ? `HTTP ${status}`
          : 'no tunnel';
    return new NetworkError(
      `the proxy ${proxyHost} refused the connection to ${host} (${why})`,
      status === '407'
        ? 'put the proxy credentials in HTTPS_PROXY/HTTP_PROXY (http://user:password@proxy:port)'
        : 'check HTTPS_PROXY/HTTP_PROXY and NO_PROXY',
      'proxy_error',
    );
  }
  return new NetworkError(
    `could not reach ${host}${via}${code ? ` (${code})` : ''}`,
    'check the endpoint and your network',
    'network_error',
  );
}

/**
 * GET `url` with one header, giving up after `timeoutMs` (connect, headers and body together).
 * Redirects are not followed: a verification endpoint that redirects is reported, and the
 * Authorization header is never replayed to another host.
 */
export async function httpGet(
  url: URL,
  header: { name: string; value: string },
  timeoutMs: number,
  deps: Pick<Deps, 'env' | 'fetch'>,
): Promise<HttpAnswer> {
  const proxy = proxySettings(deps.env);
  const signal = AbortSignal.timeout(timeoutMs);
  const init: RequestInit = {
    method: 'GET',
    headers: { [header.name]: header.value, accept: 'application/json', 'user-agent': 'cred' },
    redirect: 'manual',
    signal,
  };
  let agent: Dispatcher | undefined;
  try {
    let response: Response;
    if (proxy) {
      const r = await proxiedFetch(url, init, proxy);
      response = r.response;
      agent = r.agent;
    } else {
      response = await deps.fetch(url, init);
    }
    const body = await readCapped(response);
    return { status: response.status, headers: response.headers, body };
  } catch (e) {
    throw networkError(e, url, timeoutMs, proxyHostFor(url, proxy));
  } finally {
    if (agent) await agent.destroy().catch(() => {});
  }
}
