// `cred login --verify`: the token is checked against the provider's API (a real HTTP server on
// 127.0.0.1, declared in the config file) before it is stored; a rejected token is never kept.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCred, type Sandbox, sandbox } from '../helpers/cli.js';

const GOOD = 'acme_good_0123456789';
const BAD = 'acme_bad_0123456789';
const SLOW = 'acme_slow_0123456789';
let server: Server;
let box: Sandbox;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const key = String(req.headers['x-acme-key'] ?? '');
    seen.push(key);
    if (key === SLOW) return; // never answers
    res.writeHead(key === GOOD ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify(key === GOOD ? { user: { email: 'me@acme.test' } } : { error: 'bad key' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  box = sandbox();
  box.write(
    '.config/cred/config',
    [
      '[provider "acme"]',
      'env = ACME_TOKEN',
      'header = X-Acme-Key: {token}',
      'prefix = acme_',
      `verify_url = http://127.0.0.1:${port}/v1/me`,
      'identity_field = user.email',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  box?.cleanup();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

// Async: the HTTP server lives in this process, so a blocking spawn would starve it.
const run = (args: string[], input: string) => runCred(args, { env: box.env, cwd: box.home, input });

describe('cred login --verify', () => {
  it('a rejected token: exit 4, nothing stored, the token never printed', async () => {
    const r = await run(['login', 'acme', '--store', 'file', '--with-token', '--verify'], `${BAD}\n`);
    expect(r.code).toBe(4);
    expect(seen).toContain(BAD);
    expect(r.stderr).not.toContain(BAD);
    // It names where the token came from, not a --token flag nobody gave.
    expect(r.stderr).toContain('the token came from stdin (--with-token)');
    expect(r.stderr).not.toContain('--token)');
    expect(r.stderr).not.toContain('command line');
    expect(existsSync(box.path('.config/cred/credentials'))).toBe(false);
  });

  it('--timeout bounds the check, as the time-out message suggests: exit 6, nothing stored', async () => {
    const started = Date.now();
    const r = await run(
      ['login', 'acme', '--store', 'file', '--with-token', '--verify', '--timeout', '300'],
      `${SLOW}\n`,
    );
    expect(r.code).toBe(6);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.stderr).toContain('within 300 ms');
    expect(r.stderr).toContain('raise --timeout');
    expect(r.stderr).not.toContain(SLOW);
    expect(existsSync(box.path('.config/cred/credentials'))).toBe(false);
    const bad = await run(['login', 'acme', '--with-token', '--verify', '--timeout', 'soon'], `${GOOD}\n`);
    expect(bad.code).toBe(2);
  });

  it('an accepted token is stored, with the identity the API gave', async () => {
    const r = await run(['login', 'acme', '--store', 'file', '--with-token', '--verify'], `${GOOD}\n`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(verified: me@acme.test)');
    expect(readFileSync(box.path('.config/cred/credentials'), 'utf8')).toBe(`[acme]\ntoken = ${GOOD}\n`);
  });
});
