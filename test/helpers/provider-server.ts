// Real HTTP servers on 127.0.0.1 that implement each provider's documented verification contract
// (shared/seeds): Qoder's Cloud Agents API, Podstack's REST API and Qovery's API — the path, the
// exact Authorization scheme each accepts, and their 200/401/403/500 bodies. Every request is
// recorded (method, path, headers) so tests assert what cred actually sent. Also: a server that
// never answers, a port that refuses connections, a forward/CONNECT proxy, and an async way to run
// the built bin (spawnSync would block this process's event loop, so the servers could not answer).
import http, { type IncomingHttpHeaders } from 'node:http';
import net from 'node:net';

export interface Recorded {
  method: string;
  /** Path and query, as received. */
  path: string;
  headers: IncomingHttpHeaders;
}

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  host: string;
  port: number;
  requests: Recorded[];
  close(): Promise<void>;
}

export type ProviderKind = 'qoder' | 'podstack' | 'qovery';

export interface ContractOptions {
  /** Tokens the server accepts (200). */
  valid?: readonly string[];
  /** Tokens it knows but that lack the permission (403). */
  forbidden?: readonly string[];
  /** Answer every request with this status (e.g. 500), whatever the token. */
  status?: number;
  /** A careless server: error bodies repeat the token they were sent (cred must scrub it). */
  echoToken?: boolean;
  /** Podstack: the email the answer carries. */
  email?: string;
  /** Qovery: the organizations GET /organization lists. */
  organizations?: readonly string[];
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

const QODER_401 = {
  type: 'error',
  error: { type: 'authentication_error', message: 'Invalid API key or token.' },
};
const QOVERY_401 = { status: 401, error: 'Unauthorized', message: 'Invalid or missing authentication token' };
const QOVERY_403 = {
  status: 403,
  error: 'Forbidden',
  message: 'Insufficient permissions to access this resource',
};

/** Same rule as the Qovery CLI: three base64url segments, the first a JSON header. */
function looksLikeJwt(token: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  try {
    return typeof JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) === 'object';
  } catch {
    return false;
  }
}

function withEcho(body: unknown, token: string | undefined, on: boolean | undefined): unknown {
  if (!on || !token) return body;
  return JSON.parse(JSON.stringify(body).replace(/("message":")/, `$1token ${token} is wrong: `));
}

function qoder(req: Recorded, o: ContractOptions): Answer {
  const url = new URL(req.path, 'http://x');
  if (req.method !== 'GET' || url.pathname !== '/api/v1/cloud/agents') {
    return { status: 404, body: { type: 'error', error: { type: 'not_found_error', message: 'Not found' } } };
  }
  const auth = req.headers.authorization;
  // The Cloud Agents API takes only `Authorization: Bearer <PAT>`; x-api-key is refused.
  const m = typeof auth === 'string' ? /^Bearer (\S+)$/.exec(auth) : null;
  const token = m?.[1];
  if (token && o.valid?.includes(token)) {
    return { status: 200, body: { data: [{ id: 'agent_01', name: 'nightly-build' }], has_more: false } };
  }
  if (token && o.forbidden?.includes(token)) {
    return {
      status: 403,
      body: withEcho(
        {
          type: 'error',
          error: { type: 'permission_error', message: 'PAT lacks access to cloud agents' },
        },
        token,
        o.echoToken,
      ),
    };
  }
  return {
    status: 401,
    body: withEcho(QODER_401, token ?? String(req.headers['x-api-key'] ?? ''), o.echoToken),
  };
}

function podstack(req: Recorded, o: ContractOptions): Answer {
  const url = new URL(req.path, 'http://x');
  if (req.method !== 'GET' || url.pathname !== '/v1/pods') {
    return { status: 404, body: { error: 'not_found', message: 'Not found' } };
  }
  const m = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''));
  const token = m?.[1];
  if (token && o.valid?.includes(token)) {
    return { status: 200, body: { pods: [], ...(o.email ? { user: { email: o.email } } : {}) } };
  }
  if (token && o.forbidden?.includes(token)) {
    return {
      status: 403,
      body: withEcho(
        {
          error: 'permission_denied',
          message: 'Access denied to resource',
          required_permission: 'pods:read',
        },
        token,
        o.echoToken,
      ),
    };
  }
  return {
    status: 401,
    body: withEcho({ error: 'authentication_error', message: 'Invalid API token' }, token, o.echoToken),
  };
}

function qovery(req: Recorded, o: ContractOptions): Answer {
  const url = new URL(req.path, 'http://x');
  if (req.method !== 'GET' || url.pathname !== '/organization') {
    return { status: 404, body: { status: 404, error: 'Not Found', message: 'Not found' } };
  }
  // API tokens go as `Token <t>`; a CLI-login JWT as `Bearer <jwt>`. Anything else is unauthenticated.
  const m = /^(Token|Bearer) (\S+)$/.exec(String(req.headers.authorization ?? ''));
  const scheme = m?.[1];
  const token = m?.[2];
  const schemeOk = token !== undefined && (scheme === 'Bearer') === looksLikeJwt(token);
  if (schemeOk && o.valid?.includes(token!)) {
    const names = o.organizations ?? ['Acme'];
    return {
      status: 200,
      body: { results: names.map((name, i) => ({ id: `org-${i}`, name })) },
    };
  }
  if (schemeOk && o.forbidden?.includes(token!)) {
    return { status: 403, body: withEcho(QOVERY_403, token, o.echoToken) };
  }
  return { status: 401, body: withEcho(QOVERY_401, token, o.echoToken) };
}

const CONTRACTS: Record<ProviderKind, (req: Recorded, o: ContractOptions) => Answer> = {
  qoder,
  podstack,
  qovery,
};

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

function track(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

/** Listens on 127.0.0.1 (a free port) and describes the running server. */
async function serve(server: net.Server, requests: Recorded[] = []): Promise<TestServer> {
  const sockets = track(server);
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    port,
    requests,
    close: closer(server, sockets),
  };
}

/** A server implementing one provider's documented verification contract. */
export async function startProviderServer(
  kind: ProviderKind,
  options: ContractOptions = {},
): Promise<TestServer> {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const rec: Recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers };
    requests.push(rec);
    req.resume();
    const a: Answer =
      options.status !== undefined
        ? {
            status: options.status,
            body:
              kind === 'qoder'
                ? { type: 'error', error: { type: 'api_error', message: 'Internal server error' } }
                : { status: options.status, error: 'Internal Server Error', message: 'Something went wrong' },
          }
        : CONTRACTS[kind](rec, options);
    res.writeHead(a.status, { 'content-type': 'application/json', ...(a.headers ?? {}) });
    res.end(JSON.stringify(a.body));
  });
  return serve(server, requests);
}

/**
 * A server for a config-declared provider: 200 with `body` when header `name` is exactly `value`,
 * else 401 with a careless body that repeats what it was sent.
 */
export async function startDeclaredServer(expect: {
  name: string;
  value: string;
  body: unknown;
}): Promise<TestServer> {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    req.resume();
    const got = req.headers[expect.name.toLowerCase()];
    const ok = got === expect.value;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify(ok ? expect.body : { message: `bad key ${String(got)}` }));
  });
  return serve(server, requests);
}

/** Accepts connections (and reads the request) but never answers. */
export async function startHungServer(): Promise<TestServer> {
  const server = net.createServer((s) => {
    s.on('data', () => {});
    s.on('error', () => {});
  });
  return serve(server);
}

/** A port on 127.0.0.1 that nothing listens on: connections are refused. */
export async function refusedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface ProxyRecord {
  method: string;
  /** `host:port` for CONNECT, the absolute URI for a forwarded request. */
  target: string;
}

/**
 * A small HTTP proxy: CONNECT tunnels (what undici's ProxyAgent uses) and absolute-URI forwarding
 * (what a forward proxy receives for http:// URLs). It records the targets, never the headers.
 */
export async function startProxy(
  opts: { refuse?: number } = {},
): Promise<TestServer & { seen: ProxyRecord[] }> {
  const seen: ProxyRecord[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', target: req.url ?? '' });
    if (opts.refuse) {
      res.writeHead(opts.refuse).end();
      return;
    }
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end();
      return;
    }
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port || 80,
        method: req.method,
        path: target.pathname + target.search,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push({ method: 'CONNECT', target: req.url ?? '' });
    if (opts.refuse) {
      client.end(`HTTP/1.1 ${opts.refuse} Refused\r\n\r\n`);
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
    client.on('error', () => upstream.destroy());
  });
  return { ...(await serve(server)), seen };
}

export { runCred } from './cli.js';
