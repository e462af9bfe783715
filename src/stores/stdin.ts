// Reads the first line of standard input (for --token-stdin and `login --with-token`).
import type { Readable } from 'node:stream';
import type { Deps } from '../deps.js';
import { StoreError, UsageError } from '../errors.js';

/** Longer than any token: a first line past it is refused, not cut (a cut token is a wrong one). */
const MAX_LINE = 64 * 1024;

const tooLong = () =>
  new UsageError(
    `the first line of stdin is over ${MAX_LINE / 1024} KiB, too long for a token`,
    'give the token alone on the first line',
  );

/** The line in `bytes` up to the first LF (CR LF too), decoded as UTF-8; undefined without one. */
function lineIn(bytes: Buffer): string | undefined {
  const nl = bytes.indexOf(0x0a);
  if (nl < 0) return undefined;
  return bytes.subarray(0, nl).toString('utf8').replace(/\r$/, '');
}

/** The first line of a stream (all of it when it has no LF), read as bytes. */
export async function readFirstLine(stream: Readable): Promise<string> {
  let bytes = Buffer.alloc(0);
  for await (const chunk of stream) {
    bytes = Buffer.concat([bytes, typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)]);
    const line = lineIn(bytes);
    if (line !== undefined) {
      stream.destroy();
      if (Buffer.byteLength(line) > MAX_LINE) throw tooLong();
      return line;
    }
    if (bytes.length > MAX_LINE) {
      stream.destroy();
      throw tooLong();
    }
  }
  return bytes.toString('utf8');
}

/**
 * The first line of descriptor `fd`, read a byte at a time, as a shell's `read` does: nothing after
 * the line is consumed, so what is left of stdin is still there for `cred run`'s command. A stream
 * would read ahead and lose it. A non-blocking stdin with nothing in it yet is waited on in short
 * naps, as a blocking read would wait.
 */
function readLineFromFd(fd: number, deps: Pick<Deps, 'fs'>): string {
  const byte = Buffer.alloc(1);
  const bytes: number[] = [];
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    let n: number;
    try {
      n = deps.fs.readSync(fd, byte, 0, 1, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EAGAIN') {
        throw new StoreError(
          `stdin cannot be read (${code ?? 'unknown error'})`,
          'pipe the token into cred, or use --token-file',
        );
      }
      Atomics.wait(nap, 0, 0, 10);
      continue;
    }
    if (n === 0) return Buffer.from(bytes).toString('utf8');
    if (byte[0] === 0x0a) return Buffer.from(bytes).toString('utf8').replace(/\r$/, '');
    // The line is refused before the rest of it (the rest of the token) could reach anyone else.
    if (bytes.length === MAX_LINE) throw tooLong();
    bytes.push(byte[0]!);
  }
}

/** The first line of this Deps' stdin: from its descriptor when it has one, else its stream. */
export async function readStdinLine(deps: Pick<Deps, 'stdin' | 'stdinFd' | 'fs'>): Promise<string> {
  return deps.stdinFd === undefined ? readFirstLine(deps.stdin) : readLineFromFd(deps.stdinFd, deps);
}

/**
 * One read shared by every provider in a command, since stdin can be read only once. Takes the
 * Deps, so that process.stdin is only created when a line is actually read (start-up cost), and
 * not at all when its descriptor is read directly (the CLI).
 */
export function onceLine(deps: Pick<Deps, 'stdin' | 'stdinFd' | 'fs'>): () => Promise<string> {
  let pending: Promise<string> | undefined;
  return () => {
    pending ??= readStdinLine(deps);
    return pending;
  };
}
