// Reads the first line of standard input (for --token-stdin and `login --with-token`).
import type { Readable } from 'node:stream';
import type { Deps } from '../deps.js';

const MAX_LINE = 64 * 1024;

export async function readFirstLine(stream: Readable, maxBytes = MAX_LINE, before = ''): Promise<string> {
  let text = before;
  stream.setEncoding('utf8');
  for await (const chunk of stream) {
    text += chunk as string;
    const nl = text.search(/\r?\n/);
    if (nl >= 0) {
      stream.destroy();
      return text.slice(0, nl);
    }
    if (text.length > maxBytes) break;
  }
  return text.slice(0, maxBytes);
}

/**
 * The first line of descriptor `fd`, read a byte at a time, as a shell's `read` does: nothing after
 * the line is consumed, so what is left of stdin is still there for `cred run`'s command. A stream
 * would read ahead and lose it. Gives the bytes read so far instead when the descriptor cannot be
 * read this way (non-blocking and empty for now, say), for a stream to go on from.
 */
function readLineFromFd(fd: number, deps: Pick<Deps, 'fs'>, maxBytes: number): string | { before: string } {
  const byte = Buffer.alloc(1);
  const bytes: number[] = [];
  const text = () => Buffer.from(bytes).toString('utf8');
  while (bytes.length < maxBytes) {
    let n: number;
    try {
      n = deps.fs.readSync(fd, byte, 0, 1, null);
    } catch {
      return { before: text() };
    }
    if (n === 0 || byte[0] === 0x0a) break;
    bytes.push(byte[0]!);
  }
  return text().replace(/\r$/, '');
}

/** The first line of this Deps' stdin: from its descriptor when it has one, else its stream. */
export async function readStdinLine(deps: Pick<Deps, 'stdin' | 'stdinFd' | 'fs'>): Promise<string> {
  if (deps.stdinFd === undefined) return readFirstLine(deps.stdin);
  const line = readLineFromFd(deps.stdinFd, deps, MAX_LINE);
  return typeof line === 'string' ? line : readFirstLine(deps.stdin, MAX_LINE, line.before);
}

/**
 * One read shared by every provider in a command, since stdin can be read only once. Takes the
 * Deps, so that process.stdin is only created when a line is actually read (start-up cost), and
 * not even then when its descriptor can be read directly.
 */
export function onceLine(deps: Pick<Deps, 'stdin' | 'stdinFd' | 'fs'>): () => Promise<string> {
  let pending: Promise<string> | undefined;
  return () => {
    pending ??= readStdinLine(deps);
    return pending;
  };
}
