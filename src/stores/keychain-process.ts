// Runs every keychain call in a short-lived child Node process, so the time-out is hard.
//
// Measured here (docs/keychain.md): @napi-rs/keyring's entry constructor talks to D-Bus
// synchronously, and against a stopped bus it blocks the calling thread for good; keytar's
// findCredentials dies with SIGSEGV on a locked keyring. A Promise.race cannot interrupt a blocked
// main thread, and a worker thread stuck in native code keeps the process from exiting. A child
// process can always be killed: at the time-out cred SIGKILLs it and reports a clear error, and a
// crash in a binding becomes an error message instead of a crashed cred. The secret travels on the
// child's stdin, never in its argv.
import type { Env } from '../deps.js';
import { quotedText } from '../output/redact.js';
import {
  KEYCHAIN_TIMEOUT_MS,
  type Keychain,
  KeychainFailedError,
  KeychainUnavailableError,
} from './keychain.js';

export type KeychainOp = 'get' | 'set' | 'delete';

export interface KeychainRequest {
  op: KeychainOp;
  service: string;
  account: string;
  secret?: string;
}

/** A backend that runs in the child: a module to load and a small CommonJS program that uses it. */
export interface ChildBackend {
  /** For messages: `keyring` (@napi-rs/keyring) or `keytar`. */
  name: string;
  /** Absolute path of the module the child requires. */
  modulePath: string;
  /**
   * CommonJS source defining `function run(mod, req)` that returns (a promise of) the result:
   * get → string | null, set → anything, delete → boolean.
   */
  program: string;
}

export interface ProcessKeychainOptions {
  /** Environment of the child (the loader has checked its D-Bus address). */
  env: Env;
  timeoutMs?: number;
  /** Node binary; process.execPath by default. */
  execPath?: string;
}

/** The wrapper around the backend's run(): reads one JSON request on stdin, writes one JSON reply. */
const HARNESS = `
'use strict';
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (c) => { input += c; });
process.stdin.on('end', () => {
  const reply = (r) => process.stdout.write(JSON.stringify(r));
  let req;
  try { req = JSON.parse(input); } catch (e) { reply({ ok: false, message: 'unreadable request' }); return; }
  Promise.resolve()
    .then(() => run(require(req.modulePath), req))
    .then(
      (value) => reply({ ok: true, value: value === undefined ? null : value }),
      (e) => reply({ ok: false, message: String((e && e.message) || e) }),
    );
});
`;

interface Reply {
  ok: boolean;
  value?: unknown;
  message?: string;
}

const UNAVAILABLE =
  /Failed to connect to socket|Connection refused|ServiceUnknown|not provided by any \.service files|NameHasNoOwner|No such file or directory|Cannot autolaunch|set your DBUS_SESSION_BUS_ADDRESS|platform secure storage failure/i;
const LOCKED = /\block(ed)?\b|unlock|prompt was dismissed/i;
const NO_ANSWER = /Did not receive a reply|timed out|timeout/i;
const MISSING_MODULE = /Cannot find module|MODULE_NOT_FOUND|cannot open shared object file/i;

/**
 * Turns a backend's failure text into the error cred reports: classified on the whole text (the
 * telling line may come after pages of GLib warnings), quoted scrubbed, on one line and short.
 */
function classifyFailure(
  backend: string,
  text: string,
  secrets: readonly string[],
): KeychainFailedError | KeychainUnavailableError {
  const message = quotedText(text, secrets, { minRun: 8 });
  if (MISSING_MODULE.test(text)) {
    return new KeychainFailedError(
      `the ${backend} keychain backend cannot be loaded (${message})`,
      backend === 'keytar'
        ? 'keytar is optional: install it with its native build (see docs/keychain.md), or unset CRED_KEYCHAIN_BACKEND'
        : 'reinstall cred so its keychain binding is present',
      'keychain_backend_missing',
    );
  }
  if (UNAVAILABLE.test(text)) {
    return new KeychainUnavailableError(`no Secret Service is reachable on the D-Bus session (${message})`);
  }
  if (NO_ANSWER.test(text)) {
    return new KeychainFailedError(
      `the keychain did not answer (${backend}: ${message.split('. ')[0]})`,
      'the Secret Service may be hung or waiting for an unlock prompt; retry, or use `--store file`',
      'keychain_timeout',
    );
  }
  if (LOCKED.test(text)) {
    return new KeychainFailedError(
      `the keychain is locked (${backend}: ${message})`,
      'unlock your keyring (log in to the desktop session, or `gnome-keyring-daemon --unlock`)',
      'keychain_locked',
    );
  }
  return new KeychainFailedError(`the keychain failed (${backend}: ${message})`);
}

/** One call in a fresh child, with a hard time-out (SIGKILL). */
function callKeychainChild(
  backend: ChildBackend,
  request: KeychainRequest,
  options: ProcessKeychainOptions,
): Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? KEYCHAIN_TIMEOUT_MS;
  const secrets = request.secret ? [request.secret] : [];
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.env)) {
    // NODE_OPTIONS could preload code into the child; the child needs nothing from it.
    if (v !== undefined && k !== 'NODE_OPTIONS') env[k] = v;
  }
  return new Promise((resolve, reject) => {
    const child = process
      .getBuiltinModule('node:child_process')
      .spawn(
        options.execPath ?? process.execPath,
        ['--no-warnings', '-e', `${backend.program}\n${HARNESS}`],
        { env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true },
      );
    let stdout = '';
    let stderr = '';
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => {
      finish(() => {
        child.kill('SIGKILL');
        reject(
          new KeychainFailedError(
            `the keychain (${backend.name}) did not answer within ${timeoutMs / 1000} s; it may be locked, waiting for an unlock prompt, or hung`,
            'unlock your keyring and retry, or store the token in a file: `cred login <provider> --store file`',
            'keychain_timeout',
          ),
        );
      });
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      if (stderr.length < 4096) stderr += c;
    });
    child.on('error', (e) => {
      finish(() =>
        reject(new KeychainFailedError(`cannot start the keychain helper process (${e.message})`)),
      );
    });
    child.on('close', (code, signal) => {
      finish(() => {
        let reply: Reply | undefined;
        try {
          reply = stdout ? (JSON.parse(stdout) as Reply) : undefined;
        } catch {
          reply = undefined;
        }
        if (reply?.ok) return resolve(reply.value);
        if (reply && !reply.ok) return reject(classifyFailure(backend.name, reply.message ?? '', secrets));
        if (signal) {
          return reject(
            new KeychainFailedError(`the ${backend.name} keychain backend crashed (${signal})`, undefined),
          );
        }
        reject(classifyFailure(backend.name, stderr.trim() || `exit code ${code}`, secrets));
      });
    });
    // A child that dies before reading its stdin makes this write fail; 'close' reports it.
    child.stdin.on('error', () => {});
    child.stdin.end(JSON.stringify({ ...request, modulePath: backend.modulePath }));
  });
}

/** A Keychain whose every call runs in its own child process. */
export function processKeychain(backend: ChildBackend, options: ProcessKeychainOptions): Keychain {
  return {
    async get(service, account) {
      const value = await callKeychainChild(backend, { op: 'get', service, account }, options);
      return typeof value === 'string' ? value : undefined;
    },
    async set(service, account, secret) {
      await callKeychainChild(backend, { op: 'set', service, account, secret }, options);
    },
    async delete(service, account) {
      const value = await callKeychainChild(backend, { op: 'delete', service, account }, options);
      return value === true;
    },
  };
}
