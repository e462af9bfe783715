// A keychain that is there but unusable: locked (as after a screen lock), or hung (the Secret
// Service stops answering). Each gives a clear exit 7 within the 3-second time-out — never a hang,
// a crash, or a silent fall-back to a file.
import { afterEach, describe, expect, it } from 'vitest';
import { CANARY, type Sandbox, sandbox, timed } from '../helpers/cli.js';
import { useKeyringBus } from '../helpers/keyring-bus.js';

const bus = useKeyringBus();
let box: Sandbox;
afterEach(() => box?.cleanup());

describe('a locked keyring', () => {
  it('login and resolve fail with exit 7 saying it is locked; nothing is written to a file', () => {
    box = sandbox();
    const env = { DBUS_SESSION_BUS_ADDRESS: bus().address };
    expect(box.run(['login', 'qoder', '--with-token'], { env, input: CANARY }).code).toBe(0);
    bus().lock();

    const login = box.run(['login', 'qoder', '--with-token', '--json'], { env, input: CANARY });
    expect(login.code).toBe(7);
    expect(JSON.parse(login.stdout).error.code).toBe('keychain_locked');
    expect(login.stderr).toContain('the keychain is locked');
    expect(login.stderr).not.toContain(CANARY);

    // The login is in there; a locked keychain stops the chain instead of reporting "not configured".
    const resolved = box.run(['resolve', 'qoder', '--json'], { env });
    expect(resolved.code).toBe(7);
    expect(JSON.parse(resolved.stdout).error.code).toBe('keychain_locked');
    // The cheap steps still win before the keychain is ever asked.
    const fromEnv = box.run(['resolve', 'qoder'], { env: { ...env, QODER_PERSONAL_ACCESS_TOKEN: CANARY } });
    expect(fromEnv.code).toBe(0);

    const keytar = box.run(['login', 'qoder', '--with-token'], {
      env: { ...env, CRED_KEYCHAIN_BACKEND: 'keytar' },
      input: CANARY,
    });
    expect(keytar.code).toBe(7);
    expect(keytar.stderr).toContain('locked');
    expect(box.run(['logout', 'qoder'], { env }).code).toBe(7);
  });
});

describe('a hung Secret Service', () => {
  it('login, resolve and logout give up with exit 7 within the time-out (both backends)', () => {
    box = sandbox();
    const pid = bus().secretsPid();
    process.kill(pid, 'SIGSTOP');
    try {
      for (const backend of ['keyring', 'keytar']) {
        const env = { DBUS_SESSION_BUS_ADDRESS: bus().address, CRED_KEYCHAIN_BACKEND: backend };
        const login = timed(() => box.run(['login', 'qoder', '--with-token'], { env, input: CANARY }));
        expect(login.result.code).toBe(7);
        expect(login.result.stderr).toMatch(/keychain .*(did not answer|within 3 s)/);
        expect(login.ms).toBeLessThan(8000);
        const resolved = timed(() => box.run(['resolve', 'qoder', '--json'], { env }));
        expect(resolved.result.code).toBe(7);
        expect(JSON.parse(resolved.result.stdout).error.code).toBe('keychain_timeout');
        expect(resolved.ms).toBeLessThan(8000);
      }
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  });
});
