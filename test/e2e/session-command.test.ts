// session_command (SPEC §7): run without a shell, stdin closed, with a time-out; a line or JSON
// {token, expires}; expired is reported as expired; failures are exit 7 and quote stderr only after
// scrubbing anything secret, never stdout.
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CANARY, type Sandbox, sandbox } from '../helpers/cli.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

/** A provider `tok` whose session_command is the script `body` (sh), plus extra config lines. */
function setup(body: string, extra = ''): Sandbox {
  const b = sandbox();
  b.write('.config/cred/helper.sh', `#!/bin/sh\n${body}\n`, 0o700);
  b.write(
    '.config/cred/config',
    `[provider "tok"]\nenv = TOK_TOKEN\nprefix = pt-\nsession_command = ./helper.sh --profile {profile}\n${extra}`,
  );
  return b;
}

const resolveJson = (b: Sandbox, args: string[] = [], env: Record<string, string> = {}) => {
  const r = b.run(['resolve', 'tok', '--json', ...args], { env });
  return { ...r, json: JSON.parse(r.stdout || 'null') };
};

describe('session_command output', () => {
  it('one line is the token; {profile} and CRED_PROVIDER/CRED_PROFILE tell it what is asked', () => {
    box = setup('echo "pt-$2-$CRED_PROVIDER-$CRED_PROFILE-0001"');
    const r = box.run(['resolve', 'tok', '--reveal', '--profile', 'work']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('pt-work-tok-work-0001\n');
    const j = resolveJson(box);
    expect(j.json.source).toEqual({ step: 'session', detail: 'session_command helper.sh --profile default' });
  });

  it('JSON {token, expires} in the future is used and its expiry shown', () => {
    box = setup(`echo '{"token": "${CANARY}", "expires": "2999-01-01T00:00:00Z"}'`);
    const j = resolveJson(box);
    expect(j.code, j.stderr).toBe(0);
    expect(j.json).toMatchObject({
      redacted: `pt-…${CANARY.slice(-4)}`,
      expires: '2999-01-01T00:00:00.000Z',
    });
    expect(j.stdout + j.stderr).not.toContain(CANARY);
  });

  it('expires as epoch seconds works too', () => {
    box = setup(`echo '{"token": "${CANARY}", "expires": 32503680000}'`);
    expect(resolveJson(box).json.expires).toBe('3000-01-01T00:00:00.000Z');
  });

  it('an expired session is reported as expired, never used: exit 4 auth_expired', () => {
    box = setup(`echo '{"token": "${CANARY}", "expires": "2020-01-01T00:00:00Z"}'`);
    const j = resolveJson(box);
    expect(j.code).toBe(4);
    expect(j.json.error.code).toBe('auth_expired');
    expect(j.stderr).toContain('expired at 2020-01-01T00:00:00.000Z');
    expect(j.stdout + j.stderr).not.toContain(CANARY);
    const x = box.run(['resolve', 'tok', '--explain']);
    expect(x.code).toBe(4);
    expect(x.stdout).toMatch(/session_command helper\.sh --profile default\s+expired/);
  });

  it('no output with exit 0 means "no session": not configured, exit 3', () => {
    box = setup('exit 0');
    const r = box.run(['resolve', 'tok']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('session_command helper.sh --profile default (printed nothing (no session))');
  });

  it('its stdin is closed: it cannot read what was piped to cred', () => {
    box = setup('cat');
    const r = box.run(['resolve', 'tok'], { input: `${CANARY}\n` });
    expect(r.code).toBe(3);
  });

  it.each([
    [`printf '${CANARY}\\nsecond-line-secret\\n'`, 'printed more than one line'],
    [`echo '{"token": "${CANARY}", oops}'`, 'not valid JSON'],
    [`echo '{"access_token": "${CANARY}"}'`, 'without a string "token"'],
    [`echo '{"token": "${CANARY}", "expires": "soon"}'`, 'not a valid date'],
  ])('bad output %#: exit 7 without quoting it', (body, why) => {
    box = setup(body);
    const j = resolveJson(box);
    expect(j.code).toBe(7);
    expect(j.json.error.code).toBe('session_command_failed');
    expect(j.stderr).toContain(why);
    expect(j.stdout + j.stderr).not.toContain(CANARY);
    expect(j.stdout + j.stderr).not.toContain('second-line-secret');
  });
});

describe('session_command failures', () => {
  it('non-zero exit is "no session": exit 3 quoting its stderr scrubbed of the token, JWTs and prefixed values; stdout never shown', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyMTIzNCJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    box = setup(
      [
        `echo "${CANARY}"`,
        `echo "refresh failed for ${CANARY}: token expired" >&2`,
        `echo "jwt ${jwt} rejected; other pt-otherSecretValue99 too" >&2`,
        'exit 3',
      ].join('\n'),
    );
    for (const args of [[], ['--debug'], ['--explain']]) {
      const j = box.run(['resolve', 'tok', ...args]);
      expect(j.code).toBe(3);
      const all = j.stdout + j.stderr;
      expect(all).toContain(
        'exited with status 3: refresh failed for ****: token expired | jwt **** rejected; other **** too',
      );
      expect(all).not.toContain(CANARY);
      expect(all).not.toContain(jwt);
      expect(all).not.toContain('pt-otherSecretValue99');
    }
  });

  it('a failing helper that names a token cred never saw: the token-shaped word is hidden, the words around it kept', () => {
    // No stdout, no known prefix (a PT- in capitals, a raw secret): nothing tells cred the value,
    // so its shape does: a long run of letters and digits with both.
    box = setup(
      [
        'echo "cached token podtokSECRETsess1234567 has expired; refresh failed" >&2',
        'echo "also PT-UPPERCASEsecret99 and rawsecret0A1B2C3D4E5F6G7H" >&2',
        'echo "partial CANARYz9y8x7 of it" >&2',
        'exit 1',
      ].join('\n'),
    );
    const j = box.run(['resolve', 'tok', '--json']);
    expect(j.code).toBe(3);
    const all = j.stdout + j.stderr;
    expect(all).toContain(
      'exited with status 1: cached token **** has expired; refresh failed | also **** and **** | partial **** of it',
    );
    for (const secret of [
      'podtokSECRETsess1234567',
      'UPPERCASEsecret99',
      'rawsecret0A1B2C3D4E5F6G7H',
      'CANARYz9y8x7',
    ])
      expect(all).not.toContain(secret);
  });

  it('a logged-out helper does not break commands over every provider (env, status)', () => {
    box = setup('echo "not logged in" >&2; exit 1');
    const env = { PODSTACK_API_TOKEN: 'podstack-0123456789' };
    let r = box.run(['env'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('PODSTACK_API_TOKEN');
    r = box.run(['status'], { env });
    expect(r.code, r.stderr).toBe(0);
  });

  it('a signal is a failure: exit 7', () => {
    box = setup('kill -TERM $$');
    const r = box.run(['resolve', 'tok', '--json']);
    expect(r.code).toBe(7);
    expect(JSON.parse(r.stdout).error.code).toBe('session_command_failed');
    expect(r.stderr).toContain('was killed by SIGTERM');
  });

  it('a program that is not installed is "no session" (exit 3) naming it; one that cannot execute is exit 7', () => {
    box = sandbox();
    box.write(
      '.config/cred/config',
      '[provider "tok"]\nenv = TOK_TOKEN\nsession_command = no-such-tool-xyz token\n',
    );
    let r = box.run(['resolve', 'tok']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('session_command no-such-tool-xyz token (no-such-tool-xyz was not found)');
    box.write('.config/cred/helper', 'not executable', 0o600);
    box.write('.config/cred/config', '[provider "tok"]\nenv = TOK_TOKEN\nsession_command = ./helper\n');
    r = box.run(['resolve', 'tok']);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('is not executable');
  });

  it('runs without a shell: metacharacters reach it as plain arguments', () => {
    box = setup('echo "pt-args-[$2]-[$3]-0123"');
    box.write(
      '.config/cred/config',
      `[provider "tok"]\nenv = TOK_TOKEN\nsession_command = ./helper.sh a '$(touch pwned);x' "*"\n`,
    );
    const r = box.run(['resolve', 'tok', '--reveal']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('pt-args-[$(touch pwned);x]-[*]-0123\n');
    expect(existsSync(box.path('pwned'))).toBe(false);
  });

  it('is stopped at its time-out (session_timeout), even when its children hold the pipes', () => {
    box = setup('sleep 30\necho too-late', 'session_timeout = 400\n');
    const started = Date.now();
    const r = box.run(['resolve', 'tok', '--json']);
    const took = Date.now() - started;
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('did not finish within 400 ms and was stopped');
    // Generous bound: far below the script's 30 s, whatever the machine's load.
    expect(took).toBeLessThan(15_000);
  });
});

describe('session_command in the chain', () => {
  it('runs only when nothing earlier yields a value, and never for the shadow warning or --from', () => {
    box = setup(`touch "$HOME/ran"\necho "${CANARY}"`);
    let r = box.run(['resolve', 'tok'], { env: { TOK_TOKEN: 'pt-fromenv-0123456789' } });
    expect(r.code).toBe(0);
    expect(existsSync(box.path('ran'))).toBe(false);
    r = box.run(['resolve', 'tok', '--from', 'env,file']);
    expect(r.code).toBe(3);
    expect(existsSync(box.path('ran'))).toBe(false);
    r = box.run(['resolve', 'tok']);
    expect(r.code).toBe(0);
    expect(existsSync(box.path('ran'))).toBe(true);
  });

  it('extends a built-in: a session_command for qoder (the way to reuse qodercli)', () => {
    box = sandbox();
    box.write('.config/cred/qodercli-token', `#!/bin/sh\necho "${CANARY}"\n`, 0o700);
    box.write('.config/cred/config', '[provider "qoder"]\nsession_command = ~/.config/cred/qodercli-token\n');
    const r = box.run(['resolve', 'qoder', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).source).toEqual({
      step: 'session',
      detail: 'session_command qodercli-token',
    });
  });
});
