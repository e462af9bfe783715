// The keychain helper child (keychain-process.ts) is a real child Node here; its backend is a small
// program that fails the way a broken binding does: text on stderr, then a non-zero exit.
import { describe, expect, it } from 'vitest';
import { type ChildBackend, processKeychain } from '../../src/stores/keychain-process.js';

const SECRET = 'kc-canary-secret-0123456789';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyMSJ9.c2lnbmF0dXJlMTIz';

/** A backend whose run() writes `stderr` (with the request's secret where `SECRET` appears) and dies. */
function dying(stderr: string): ChildBackend {
  return {
    name: 'test',
    modulePath: 'node:os',
    program: `function run(mod, req) {
      process.stderr.write(${JSON.stringify(stderr)}.split('SECRET').join(req.secret || ''));
      process.exit(1);
    }`,
  };
}

async function failure(
  backend: ChildBackend,
  op: (k: ReturnType<typeof processKeychain>) => Promise<unknown>,
) {
  const keychain = processKeychain(backend, { env: { PATH: process.env.PATH }, timeoutMs: 10_000 });
  const e = await op(keychain).then(
    () => undefined,
    (err: Error) => err,
  );
  expect(e, 'the call should fail').toBeInstanceOf(Error);
  return e!.message;
}

describe('keychain helper child: what its stderr may put in a message', () => {
  it('the secret being stored is masked, and the message is one line', async () => {
    const message = await failure(dying('backend trace\nwhile storing SECRET\n  at native\n'), (k) =>
      k.set('cred', 'qoder:default', SECRET),
    );
    expect(message).not.toContain(SECRET);
    expect(message).toContain('****');
    expect(message).not.toContain('\n');
    expect(message).toContain('backend trace | while storing **** | at native');
  });

  it('a credential-shaped word it prints on a read (a JWT) is masked too', async () => {
    const message = await failure(dying(`read gave ${JWT}\n`), (k) => k.get('cred', 'qoder:default'));
    expect(message).not.toContain(JWT);
    expect(message).toContain('read gave ****');
  });
});

/** A backend whose run() rejects with `message`, as a binding does. */
function throwing(message: string): ChildBackend {
  return {
    name: 'test',
    modulePath: 'node:os',
    program: `function run() { throw new Error(${JSON.stringify(message)}); }`,
  };
}

describe('keychain helper child: how a failure is classified', () => {
  it.each([
    ['Cannot autolaunch D-Bus without X11 $DISPLAY', 'keychain_unavailable'],
    ['org.freedesktop.DBus.Error.ServiceUnknown: The name is not activatable', 'keychain_unavailable'],
    ['Cannot create an item in a locked collection', 'keychain_locked'],
    [
      'Did not receive a reply. Possible causes include: the remote application did not send a reply',
      'keychain_timeout',
    ],
    ["Cannot find module '@napi-rs/keyring'", 'keychain_backend_missing'],
    ['something else went wrong', 'keychain_failed'],
  ])('%s → %s', async (text, code) => {
    const keychain = processKeychain(throwing(text), { env: { PATH: process.env.PATH }, timeoutMs: 10_000 });
    const e = await keychain.get('cred', 'qoder:default').then(
      () => undefined,
      (err: { code?: string; message: string }) => err,
    );
    expect(e?.code, e?.message).toBe(code);
    expect(e?.message).not.toContain('\n');
  });
});

describe('keychain helper child: long or hostile failure text', () => {
  it('is classified on the whole text, though the message quotes only its start', async () => {
    const noise = 'GLib-GIO-WARNING: some warning about settings\n'.repeat(20);
    const message = await failure(dying(`${noise}Cannot autolaunch D-Bus without X11 $DISPLAY\n`), (k) =>
      k.get('cred', 'qoder:default'),
    );
    expect(message).toMatch(/^no Secret Service is reachable/);
    expect(message.length).toBeLessThan(450);
  });

  it('terminal escapes and carriage returns do not come through', async () => {
    const message = await failure(dying('\u001b[2J\u001b]0;pwned\u0007cleared\rover\n'), (k) =>
      k.get('cred', 'qoder:default'),
    );
    expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(message).toContain('cleared | over');
  });
});
