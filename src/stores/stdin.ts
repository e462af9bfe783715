// Reads the first line of standard input (for --token-stdin and `login --with-token`).
import type { Readable } from 'node:stream';

export async function readFirstLine(stream: Readable, maxBytes = 64 * 1024): Promise<string> {
  let text = '';
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
 * One read shared by every provider in a command, since stdin can be read only once. Takes a
 * function so that process.stdin is only created when a line is actually read (start-up cost).
 */
export function onceLine(stream: () => Readable): () => Promise<string> {
  let pending: Promise<string> | undefined;
  return () => {
    pending ??= readFirstLine(stream());
    return pending;
  };
}
