// Runs the child for `cred run`: credentials only in its environment (never in argv), stdio passed
// through (stdout/stderr through the mask when asked), INT/TERM/HUP forwarded, and its end reported
// the way a shell reports it: an exit code, or the signal that killed it.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { maskStream } from './mask.js';

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

// Signals whose default action ends a process without a core dump and that Node does not claim
// (SIGUSR1 starts Node's inspector; SIGPIPE it ignores, so cred cannot die of it): cred re-raises
// these on itself so its parent sees what the child's parent would have. Anything else ends cred
// with 128+N, as a shell reports it.
const RERAISE: ReadonlySet<string> = new Set(['SIGHUP', 'SIGINT', 'SIGKILL', 'SIGALRM', 'SIGTERM']);

/** Ends cred by the signal that ended the child, as `exec` would have; returns if it cannot. */
export function exitBySignal(signal: NodeJS.Signals): void {
  if (!RERAISE.has(signal) || process.listenerCount(signal) > 0) return;
  process.kill(process.pid, signal);
}

export interface ChildSpec {
  command: string;
  args: readonly string[];
  env: Record<string, string>;
  /** Credential values to replace with `****` in the child's stdout/stderr; none means plain inherit. */
  mask?: readonly string[];
  stdout: Writable;
  stderr: Writable;
}

export type ChildEnd =
  | { kind: 'exit'; code: number }
  | { kind: 'signal'; signal: NodeJS.Signals }
  | { kind: 'spawn-error'; errno: string };

/**
 * Copies the child's output through the mask. When the reader of cred's output goes away
 * (`| head -1`), the child is sent SIGPIPE, which is what writing to a closed pipe would have done
 * to it without --mask; then its pipe is closed, so one that ignores SIGPIPE gets an error on its
 * next write instead of cred dying of EPIPE.
 */
async function pump(from: Readable | null, secrets: readonly string[], to: Writable, readerGone: () => void) {
  if (!from) return;
  const masked = maskStream(secrets);
  from.pipe(masked);
  masked.pipe(to, { end: false });
  let gone: (() => void) | undefined;
  const goneSignal = new Promise<void>((resolve) => {
    gone = () => {
      readerGone();
      masked.unpipe(to);
      from.destroy();
      masked.destroy();
      resolve();
    };
    to.once('error', gone);
  });
  try {
    await Promise.race([once(masked, 'end'), goneSignal]);
  } finally {
    to.off('error', gone!);
  }
}

export async function runChild(spec: ChildSpec): Promise<ChildEnd> {
  const masking = spec.mask !== undefined && spec.mask.length > 0;
  let child: ChildProcess;
  try {
    // Loaded on first use, not imported: only `run` spawns (docs/speed.md, "Lazy built-ins").
    child = process.getBuiltinModule('node:child_process').spawn(spec.command, [...spec.args], {
      env: spec.env,
      stdio: masking ? ['inherit', 'pipe', 'pipe'] : 'inherit',
    });
  } catch (e) {
    return { kind: 'spawn-error', errno: (e as NodeJS.ErrnoException).code ?? 'UNKNOWN' };
  }
  const stop = FORWARDED.map((sig) => {
    const forward = () => {
      // The child may already be gone; a failed kill has nothing to report.
      if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    };
    process.on(sig, forward);
    return () => process.off(sig, forward);
  });
  try {
    const ended = new Promise<ChildEnd>((resolve) => {
      child.once('error', (e: NodeJS.ErrnoException) => {
        if (child.pid === undefined) resolve({ kind: 'spawn-error', errno: e.code ?? 'UNKNOWN' });
      });
      child.once('exit', (code, signal) => {
        resolve(signal ? { kind: 'signal', signal } : { kind: 'exit', code: code ?? 1 });
      });
    });
    const sigpipe = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGPIPE');
    };
    const pumps = masking
      ? Promise.all([
          pump(child.stdout, spec.mask!, spec.stdout, sigpipe),
          pump(child.stderr, spec.mask!, spec.stderr, sigpipe),
        ])
      : Promise.resolve();
    const end = await ended;
    // Everything the child wrote is passed on before cred reports its end.
    if (end.kind !== 'spawn-error') await pumps;
    return end;
  } finally {
    for (const off of stop) off();
  }
}
