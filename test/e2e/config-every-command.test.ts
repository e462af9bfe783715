// Issue 7's proof that a declared provider "behaves exactly like a built-in one in every command"
// (SPEC §7): one provider declared in a config file, driven through providers, resolve, env, run,
// header, whoami (against a local server), login/logout (cred's credentials file) and status, with
// its token never on stderr.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, sandbox } from '../helpers/cli.js';
import { runCred } from '../helpers/provider-server.js';

const TOKEN = 'acme_live_Q9x2$Tk7"p4\'w1';
const OTHER = 'acme_login_7d3e1f0a9b8c6d5e';
const seen: { path: string; key: string | undefined }[] = [];
let server: Server;
let port: number;
let box: Sandbox;

beforeAll(async () => {
  server = createServer((req, res) => {
    const key = req.headers['x-acme-key'] as string | undefined;
    seen.push({ path: req.url ?? '', key });
    if (key !== TOKEN && key !== OTHER) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid key"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ user: { email: key === TOKEN ? 'ci@acme.test' : 'me@acme.test' } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  box = sandbox();
  box.write(
    '.config/cred/config',
    [
      '[provider "acme"]',
      'name = Acme Cloud',
      'env = ACME_TOKEN, ACME_KEY',
      'header = X-Acme-Key: {token}',
      'prefix = acme_',
      `verify_url = http://127.0.0.1:${port}/v1/me`,
      'identity_field = user.email',
      'token_help = make a key at https://acme.test/keys',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  box?.cleanup();
  await new Promise((r) => server.close(r));
});

const withToken = { ACME_TOKEN: TOKEN };
const cred = (args: string[], env: Record<string, string> = {}, input = '') =>
  runCred(args, { env: { ...box.env, ...env }, cwd: box.home, input });

function noSecretOnStderr(r: { stderr: string }) {
  expect(r.stderr).not.toContain(TOKEN);
  expect(r.stderr).not.toContain(OTHER);
}

describe('a provider declared in a config file, through every command', () => {
  it('providers: listed with its env vars, header and origin', async () => {
    const r = await cred(['providers']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /acme\s+ACME_TOKEN, ACME_KEY\s+X-Acme-Key: \{token\}.*~\/\.config\/cred\/config/,
    );
  });

  it('resolve: redacted, with the source; --reveal gives the raw value', async () => {
    let r = await cred(['resolve', 'acme'], withToken);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('env: ACME_TOKEN');
    expect(r.stdout).toContain("acme_…4'w1");
    expect(r.stdout).toContain("X-Acme-Key: acme_…4'w1");
    expect(r.stdout).not.toContain(TOKEN);
    r = await cred(['resolve', 'acme', '--reveal'], withToken);
    expect(r.stdout).toBe(`${TOKEN}\n`);
    noSecretOnStderr(r);
  });

  it('env: exports its first env var, exactly reproduced by a real shell', async () => {
    const r = await cred(['env', 'acme', '--shell', 'posix'], { ACME_KEY: TOKEN });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('ACME_TOKEN=');
    const { spawnSync } = await import('node:child_process');
    const sh = spawnSync('sh', ['-c', `${r.stdout}\nprintf %s "$ACME_TOKEN"`], { encoding: 'utf8' });
    expect(sh.stdout).toBe(TOKEN);
    noSecretOnStderr(r);
  });

  it('run: the child gets the token in its environment, not its argv', async () => {
    const r = await cred(
      ['run', '--provider', 'acme', '--', 'sh', '-c', 'printf %s "$ACME_TOKEN"'],
      withToken,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(TOKEN);
    noSecretOnStderr(r);
  });

  it('header: its own header name and template', async () => {
    const r = await cred(['header', 'acme'], withToken);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`X-Acme-Key: ${TOKEN}\n`);
  });

  it('whoami: sends verify_url with its header and prints identity_field', async () => {
    const before = seen.length;
    let r = await cred(['whoami', 'acme'], withToken);
    expect(r.code, r.stderr).toBe(0);
    expect(seen.slice(before)).toEqual([{ path: '/v1/me', key: TOKEN }]);
    expect(r.stdout).toContain('ci@acme.test');
    expect(r.stdout).toContain('env: ACME_TOKEN');
    expect(r.stdout).not.toContain(TOKEN);
    noSecretOnStderr(r);
    r = await cred(['whoami', 'acme'], { ACME_TOKEN: 'acme_wrong_000000000000' });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('ACME_TOKEN');
    expect(r.stderr).not.toContain('acme_wrong_000000000000');
  });

  it('login --store file, then resolve, status and whoami use it; logout removes it', async () => {
    let r = await cred(['login', 'acme', '--with-token', '--store', 'file'], {}, `${OTHER}\n`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('~/.config/cred/credentials [acme]');
    noSecretOnStderr(r);

    r = await cred(['resolve', 'acme', '--json']);
    expect(JSON.parse(r.stdout).source).toEqual({
      step: 'file',
      detail: '~/.config/cred/credentials [acme]',
    });

    r = await cred(['status']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/acme.*~\/\.config\/cred\/credentials \[acme\]/);
    expect(r.stdout).not.toContain(OTHER);

    r = await cred(['whoami', 'acme']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('me@acme.test');

    r = await cred(['status', '--verify']);
    expect(r.code, r.stderr).toBe(0);
    noSecretOnStderr(r);

    r = await cred(['logout', 'acme']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('~/.config/cred/credentials [acme]');
    r = await cred(['resolve', 'acme', '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).error.code).toBe('auth_not_configured');
    r = await cred(['logout', 'acme']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/nothing to remove/i);
  });

  it('status: shows it as not configured without failing (exit 0)', async () => {
    const r = await cred(['status', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('"acme"');
  });
});
