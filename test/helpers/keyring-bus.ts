// A real gnome-keyring Secret Service on a private D-Bus for the keychain e2e tests: one
// scripts/with-keyring.sh per test file, kept alive by a command that waits on its stdin. Closing
// stdin ends the command, and with-keyring.sh then stops its dbus-daemon and gnome-keyring-daemon.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { ROOT, requireTool } from './cli.js';

export interface KeyringBus {
  address: string;
  /** dbus-send on this bus; returns stdout. */
  send(dest: string, objectPath: string, method: string, ...args: string[]): string;
  /** pid of the process that owns org.freedesktop.secrets (gnome-keyring-daemon). */
  secretsPid(): number;
  /** Locks the default ("login") collection, as a screen lock or a keyring time-out would. */
  lock(): void;
  /** secret-tool on this bus (an independent Secret Service client). */
  secretTool(args: string[], input?: string): { code: number | null; stdout: string; stderr: string };
  close(): Promise<void>;
}

export async function startKeyring(): Promise<KeyringBus> {
  for (const tool of ['dbus-daemon', 'dbus-send', 'gnome-keyring-daemon', 'secret-tool']) requireTool(tool);
  const child: ChildProcess = spawn(
    'sh',
    [
      path.join(ROOT, 'scripts/with-keyring.sh'),
      'sh',
      '-c',
      'printf "%s\\n" "$DBUS_SESSION_BUS_ADDRESS"; read _',
    ],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/' },
    },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`with-keyring.sh did not start in 20 s: ${stderr}`)),
      20_000,
    );
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl).trim());
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`with-keyring.sh exited (${code}): ${stderr}`));
    });
  });
  const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: address };
  const send = (dest: string, objectPath: string, method: string, ...args: string[]) => {
    const r = spawnSync(
      'dbus-send',
      ['--session', '--print-reply', '--reply-timeout=2000', `--dest=${dest}`, objectPath, method, ...args],
      { env, encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`dbus-send ${method} failed: ${r.stderr}`);
    return r.stdout;
  };
  return {
    address,
    send,
    secretsPid() {
      const out = send(
        'org.freedesktop.DBus',
        '/org/freedesktop/DBus',
        'org.freedesktop.DBus.GetConnectionUnixProcessID',
        'string:org.freedesktop.secrets',
      );
      const pid = Number(/uint32 (\d+)/.exec(out)?.[1]);
      if (!pid) throw new Error(`no pid for org.freedesktop.secrets: ${out}`);
      return pid;
    },
    lock() {
      send(
        'org.freedesktop.secrets',
        '/org/freedesktop/secrets',
        'org.freedesktop.Secret.Service.Lock',
        'array:objpath:/org/freedesktop/secrets/collection/login',
      );
    },
    secretTool(args, input) {
      const r = spawnSync('secret-tool', args, {
        env,
        input: input ?? '',
        encoding: 'utf8',
        timeout: 10_000,
      });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin!.end();
      await exited;
    },
  };
}

/** One bus for the whole test file: started before its tests, stopped after them. */
export function useKeyringBus(): () => KeyringBus {
  let bus: KeyringBus | undefined;
  beforeAll(async () => {
    bus = await startKeyring();
  });
  afterAll(() => bus?.close());
  return () => {
    if (!bus) throw new Error('the keyring bus is not started (useKeyringBus runs in beforeAll)');
    return bus;
  };
}
