// `cred header <provider>`: the header line for `curl -H @-`, checked against a real curl and a real
// HTTP server on 127.0.0.1, plus the scheme rules and terminal redaction.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, CANARY, requireTool, type Sandbox, sandbox } from '../helpers/cli.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const JWT = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'u1' })}.c2lnbmF0dXJlX2hlcmU`;

describe('cred header', () => {
  it('prints Authorization: Bearer <token> for qoder, which curl -H @- sends as is', async () => {
    box = sandbox();
    const seen: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.end('ok');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const curl = requireTool('curl');
      const p = spawn(
        'bash',
        ['-c', `node ${BIN} header qoder | ${curl} -sS -H @- http://127.0.0.1:${port}/`],
        {
          cwd: box.home,
          env: { ...box.env, QODER_PERSONAL_ACCESS_TOKEN: CANARY },
        },
      );
      let out = '';
      p.stdout.on('data', (d) => {
        out += d;
      });
      const [code] = await once(p, 'close');
      expect(code).toBe(0);
      expect(out).toBe('ok');
      expect(seen).toEqual([`Bearer ${CANARY}`]);
    } finally {
      server.close();
    }
  });

  it.each([
    ['an API token', 'qov-api-token-123456789', 'Token qov-api-token-123456789'],
    ['a JWT', JWT, `Bearer ${JWT}`],
  ])('sends a Qovery %s with the right scheme', (_, token, value) => {
    box = sandbox();
    const r = box.run(['header', 'qovery'], { env: { QOVERY_API_TOKEN: token } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Authorization: ${value}\n`);
    expect(r.stderr).toBe('');
  });

  it("uses a declared provider's own header template", () => {
    box = sandbox();
    box.write('.config/cred/config', '[provider "acme"]\nenv = ACME_KEY\nheader = X-Api-Key: {token}\n');
    const r = box.run(['header', 'acme'], { env: { ACME_KEY: 'acme-key-0123456789' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('X-Api-Key: acme-key-0123456789\n');
  });

  it('exits 3 when the provider does not resolve, and 2 for an unknown one', () => {
    box = sandbox();
    expect(box.run(['header', 'qoder']).code).toBe(3);
    expect(box.run(['header', 'nope']).code).toBe(2);
  });

  it('refuses a value with a line break (it would smuggle a second header), without printing it', () => {
    box = sandbox();
    const r = box.run(['header', 'qoder'], { env: { QODER_PERSONAL_ACCESS_TOKEN: `${CANARY}\nX-Evil: 1` } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain(CANARY);
  });

  it('is redacted on a terminal unless --reveal', () => {
    box = sandbox();
    const run = (args: string[]) =>
      spawnSync(requireTool('script'), ['-qec', `node ${BIN} ${args.join(' ')}`, '/dev/null'], {
        cwd: box.home,
        env: { ...box.env, QODER_PERSONAL_ACCESS_TOKEN: CANARY },
        encoding: 'utf8',
      }).stdout;
    const shown = run(['header', 'qoder']);
    expect(shown).toContain(`Authorization: Bearer pt-…${CANARY.slice(-4)}`);
    expect(shown).not.toContain(CANARY);
    expect(run(['header', 'qoder', '--reveal'])).toContain(`Authorization: Bearer ${CANARY}`);
  });
});
