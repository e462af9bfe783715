// No D-Bus session at all (a CI runner, a container, ssh): the keychain is skipped at once with a
// reason, login fails fast naming --store file, and cred never starts a bus (no dbus-launch).
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CANARY, type Sandbox, sandbox, timed } from '../helpers/cli.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

/** A dbus-launch first on PATH that records being run: it must never be. */
function trapDbusLaunch(b: Sandbox): { env: Record<string, string>; launched: () => boolean } {
  const marker = b.path('dbus-launch-ran');
  b.write('bin/dbus-launch', `#!/bin/sh\necho "$@" >> '${marker}'\nexit 1\n`, 0o755);
  return { env: { PATH: `${b.path('bin')}:${b.env.PATH}` }, launched: () => existsSync(marker) };
}

describe('no D-Bus session', () => {
  it.each(['keyring', 'keytar'])(
    '%s: login fails fast (< 5 s) with exit 7 naming --store file',
    (backend) => {
      box = sandbox();
      const trap = trapDbusLaunch(box);
      const { result: r, ms } = timed(() =>
        box.run(['login', 'qoder', '--with-token'], {
          env: { ...trap.env, CRED_KEYCHAIN_BACKEND: backend, DISPLAY: ':0' },
          input: CANARY,
        }),
      );
      expect(r.code).toBe(7);
      expect(ms).toBeLessThan(5000);
      expect(r.stderr).toContain('no D-Bus session');
      expect(r.stderr).toContain('--store file');
      expect(r.stderr).not.toContain(CANARY);
      expect(trap.launched()).toBe(false);
      expect(existsSync(box.path('.config/cred/credentials'))).toBe(false);
    },
  );

  it('resolve from the env still works, and --explain shows the keychain skipped with the reason', () => {
    box = sandbox();
    const r = box.run(['resolve', 'qoder'], { env: { QODER_PERSONAL_ACCESS_TOKEN: CANARY } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('env: QODER_PERSONAL_ACCESS_TOKEN');
    const x = box.run(['resolve', 'qoder', '--explain']);
    expect(x.code).toBe(3);
    expect(x.stdout).toMatch(
      /session +keychain cred\/qoder:default +skipped +no D-Bus session \(DBUS_SESSION_BUS_ADDRESS is unset\)/,
    );
  });

  it('--store file works without any keychain', () => {
    box = sandbox();
    const r = box.run(['login', 'qoder', '--with-token', '--store', 'file'], { input: CANARY });
    expect(r.code).toBe(0);
    expect(box.run(['resolve', 'qoder', '--json']).stdout).toContain('"step": "file"');
  });

  it.each([
    ['autolaunch:', 'never starts one'],
    ['unixexec:path=/bin/true', 'never starts one'],
    ['unix:path=/nonexistent/bus', 'does not exist'],
  ])('DBUS_SESSION_BUS_ADDRESS=%s is not used to start or find a bus', (address, reason) => {
    box = sandbox();
    const trap = trapDbusLaunch(box);
    for (const backend of ['keyring', 'keytar']) {
      const env = { ...trap.env, DBUS_SESSION_BUS_ADDRESS: address, CRED_KEYCHAIN_BACKEND: backend };
      const { result: r, ms } = timed(() =>
        box.run(['login', 'qoder', '--with-token'], { env, input: CANARY }),
      );
      expect(r.code).toBe(7);
      expect(r.stderr).toContain(reason);
      expect(ms).toBeLessThan(5000);
      const x = box.run(['resolve', 'qoder', '--explain'], { env });
      expect(x.stdout).toMatch(/keychain cred\/qoder:default +skipped/);
    }
    expect(trap.launched()).toBe(false);
  });

  it('a bus with no Secret Service and no way to start one: skipped by resolve, exit 7 for login', async () => {
    const { spawn } = await import('node:child_process');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    box = sandbox();
    // A bare session bus whose service folder is empty, so org.freedesktop.secrets cannot be activated.
    const dir = mkdtempSync(path.join(tmpdir(), 'cred-bus-'));
    const conf = path.join(dir, 'bus.conf');
    writeFileSync(
      conf,
      `<busconfig><type>session</type><listen>unix:path=${dir}/bus</listen><servicedir>${dir}</servicedir><auth>EXTERNAL</auth><policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>`,
    );
    const daemon = spawn('dbus-daemon', ['--nofork', `--config-file=${conf}`], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 50 && !existsSync(path.join(dir, 'bus')); i++)
        await new Promise((r) => setTimeout(r, 100));
      const env = { DBUS_SESSION_BUS_ADDRESS: `unix:path=${dir}/bus` };
      const x = box.run(['resolve', 'qoder', '--explain'], { env });
      expect(x.stdout).toMatch(/keychain cred\/qoder:default +skipped +no Secret Service/);
      const login = box.run(['login', 'qoder', '--with-token'], { env, input: CANARY });
      expect(login.code).toBe(7);
      expect(login.stderr).toContain('--store file');
    } finally {
      daemon.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
