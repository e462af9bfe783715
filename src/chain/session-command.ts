// A provider's configured session_command (SPEC §7), the last place step 5 looks: the way to reuse a
// CLI login whose store is not a documented file (qodercli). Like AWS's credential_process:
//
// - run without a shell (argv as configured; `{profile}` in an argument becomes the profile), stdin
//   closed, with CRED_PROVIDER and CRED_PROFILE in its environment, under a time-out (10 s default,
//   `session_timeout` in ms);
// - exit 0 and one line on stdout: the token; or JSON `{"token": "…", "expires": "RFC 3339" | epoch
//   seconds}`; exit 0 and no output: "no session" (missing);
// - a non-zero exit status, or a program that is not installed, is "no session" too (missing, with
//   its reason: helpers exit 1 when logged out); a time-out, a signal, a program that cannot be
//   executed, or output that is neither form is an
//   `error` finding (StoreError, exit 7). Reasons may quote the command's stderr, scrubbed of
//   anything secret; stdout is never quoted.
import { basename } from 'node:path';
import { StoreError } from '../errors.js';
import { quotedText } from '../output/redact.js';
import { epochMs } from '../provider.js';
import { expandHome } from '../stores/paths.js';
import { type SessionValue, sessionFinding } from './session.js';
import type { ChainContext, Finding } from './types.js';

/** How long a session_command may run before cred stops it (SPEC §7: run with a time-out). */
const DEFAULT_SESSION_TIMEOUT_MS = 10_000;
/** Output beyond this is not a token: the command is stopped and reported. */
const MAX_OUTPUT = 64 * 1024;

interface RunOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  tooLarge: boolean;
  spawnError?: NodeJS.ErrnoException;
}

function sessionArgv(ctx: ChainContext): string[] {
  const argv = [...(ctx.provider.sessionCommand ?? [])];
  argv[0] = expandHome(argv[0]!, ctx.deps);
  return argv.map((a, i) => (i === 0 ? a : a.replaceAll('{profile}', ctx.profile)));
}

function runCommand(argv: string[], ctx: ChainContext, timeoutMs: number): Promise<RunOutcome> {
  return new Promise((done) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(ctx.deps.env)) if (v !== undefined) env[k] = v;
    env.CRED_PROVIDER = ctx.provider.id;
    env.CRED_PROFILE = ctx.profile;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let settled = false;
    let timedOut = false;
    let tooLarge = false;
    const child = process.getBuiltinModule('node:child_process').spawn(argv[0]!, argv.slice(1), {
      cwd: ctx.deps.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
      windowsHide: true,
    });
    const finish = (extra: Partial<RunOutcome> = {}) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done({
        code: child.exitCode,
        signal: child.signalCode,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
        tooLarge,
        ...extra,
      });
    };
    // Stop it, and do not wait for whatever it left holding the pipes (a wrapper script's children).
    const stop = () => {
      child.kill('SIGKILL');
      child.stdout?.destroy();
      child.stderr?.destroy();
      finish({ code: null, signal: 'SIGKILL' });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, timeoutMs);
    child.stdout?.on('data', (b: Buffer) => {
      outBytes += b.length;
      if (outBytes > MAX_OUTPUT) {
        tooLarge = true;
        stop();
      } else out.push(b);
    });
    child.stderr?.on('data', (b: Buffer) => {
      if (errBytes < MAX_OUTPUT) err.push(b);
      errBytes += b.length;
    });
    child.on('error', (e) => finish({ spawnError: e as NodeJS.ErrnoException }));
    child.on('close', (code, signal) => finish({ code, signal }));
  });
}

/** Every string that could be the secret: the output, each of its lines, and each JSON string in it. */
function secretsIn(stdout: string, ctx: ChainContext): string[] {
  const secrets = new Set<string>();
  const add = (s: string) => {
    const t = s.trim();
    if (t.length >= 4) secrets.add(t);
  };
  add(stdout);
  for (const line of stdout.split(/\r?\n/)) add(line);
  try {
    const walk = (v: unknown): void => {
      if (typeof v === 'string') add(v);
      else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
    };
    walk(JSON.parse(stdout));
  } catch {
    // Not JSON: the lines are enough.
  }
  // The provider's own variables may be in the child's environment, and so in what it prints.
  for (const name of [...ctx.envVars, ...ctx.provider.envVars]) {
    const v = ctx.deps.env[name];
    if (v) add(v);
  }
  for (const v of Object.values(ctx.optionsEnv?.vars ?? {})) add(v);
  // Longest first, so a token is masked whole rather than around a shorter secret inside it.
  return [...secrets].sort((a, b) => b.length - a.length);
}

/** Reads the command's stdout; throws an Error whose message never quotes the output. */
function parseSessionOutput(stdout: string): SessionValue | undefined {
  const text = stdout.trim();
  if (text === '') return undefined;
  if (text.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      throw new Error('printed something that starts with { but is not valid JSON');
    }
    const o = doc as Record<string, unknown>;
    if (typeof o.token !== 'string') throw new Error('printed JSON without a string "token" field');
    const expires = o.expires;
    if (
      expires !== undefined &&
      expires !== null &&
      typeof expires !== 'string' &&
      typeof expires !== 'number'
    ) {
      throw new Error('printed JSON whose "expires" is neither an RFC 3339 string nor a number');
    }
    return {
      token: o.token,
      // A number is seconds since the epoch (as in a JWT's `exp`).
      ...(typeof expires === 'number' ? { expires: epochMs(expires) } : {}),
      ...(typeof expires === 'string' && expires !== '' ? { expires } : {}),
      ...(typeof o.endpoint === 'string' && o.endpoint ? { endpoint: o.endpoint } : {}),
      ...(typeof o.project === 'string' && o.project ? { project: o.project } : {}),
    };
  }
  if (text.split(/\r?\n/).length > 1) {
    throw new Error(
      'printed more than one line (it should print the token alone, or JSON {"token", "expires"})',
    );
  }
  return { token: text };
}

export async function fromSessionCommand(ctx: ChainContext): Promise<Finding> {
  const argv = sessionArgv(ctx);
  // A key written into the config line (`--api-key …`) is not shown wherever the source is named.
  const shown = quotedText([basename(argv[0]!), ...argv.slice(1)].join(' '), [], {
    prefix: ctx.provider.prefix,
  });
  const location = `session_command ${shown}`;
  const timeoutMs = ctx.provider.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
  const error = (why: string, suggestion?: string): Finding => {
    const e = new StoreError(`${location} ${why}`, suggestion, 'session_command_failed');
    return { step: 'session', location, status: 'error', reason: why, error: e };
  };

  const r = await runCommand(argv, ctx, timeoutMs);
  const secrets = secretsIn(r.stdout, ctx);
  // A helper's stderr is the likeliest text to carry a token cred was never told (SPEC §7: never
  // echoed with it), so even 8-character runs of letters and digits holding both are masked here.
  const said = quotedText(r.stderr, secrets, { prefix: ctx.provider.prefix, minRun: 8 });
  const tail = said ? `: ${said}` : '';

  if (r.spawnError) {
    if (r.spawnError.code === 'ENOENT') {
      // Not installed on this machine (a config file shared across machines): no session here.
      return { step: 'session', location, status: 'missing', reason: `${argv[0]} was not found` };
    }
    const why =
      r.spawnError.code === 'EACCES'
        ? `could not be run: ${argv[0]} is not executable`
        : `could not be run (${r.spawnError.code ?? 'unknown error'})`;
    return error(why, 'check session_command in the config file');
  }
  if (r.timedOut) {
    return error(
      `did not finish within ${timeoutMs} ms and was stopped${tail}`,
      'check that it does not wait for input (its stdin is closed), or raise session_timeout',
    );
  }
  if (r.tooLarge) return error(`printed more than ${MAX_OUTPUT} bytes; expected one token`);
  if (r.signal) return error(`was killed by ${r.signal}${tail}`);
  if (r.code !== 0) {
    // How token helpers say "not logged in" (git's and docker's are read the same way): no session
    // here, with its reason. Failing the whole command instead would break `eval "$(cred env)"` in
    // a shell profile for everyone whose helper is merely logged out.
    return { step: 'session', location, status: 'missing', reason: `exited with status ${r.code}${tail}` };
  }

  let parsed: SessionValue | undefined;
  try {
    parsed = parseSessionOutput(r.stdout);
  } catch (e) {
    return error((e as Error).message);
  }
  if (!parsed)
    return { step: 'session', location, status: 'missing', reason: 'printed nothing (no session)' };

  return sessionFinding(ctx, location, parsed, 'log in again with the tool behind session_command', () =>
    error('printed an "expires" that is not a valid date'),
  );
}
