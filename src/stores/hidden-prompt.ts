// A prompt that never echoes: the terminal goes into raw mode and cred reads the keys itself, so
// nothing typed or pasted is shown (no asterisks either: their count would tell the length).
import type { Deps } from '../deps.js';
import { UsageError } from '../errors.js';

interface RawInput {
  setRawMode(mode: boolean): unknown;
  isRaw?: boolean;
}

/** Escape sequences (arrow keys, bracketed paste markers) are not part of a token. */
const ESCAPES = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b[@-Z\\-_]/g;

export function promptHidden(label: string, deps: Pick<Deps, 'stdin' | 'stderr'>): Promise<string> {
  const stdin = deps.stdin as unknown as NodeJS.ReadStream & RawInput;
  if (typeof stdin.setRawMode !== 'function') {
    return Promise.reject(new UsageError('stdin is not a terminal; use --with-token'));
  }
  // Raw mode first: a token pasted as soon as the prompt shows must not meet the terminal's echo.
  const wasRaw = Boolean(stdin.isRaw);
  stdin.setRawMode(true);
  deps.stderr.write(label);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let chars: string[] = [];
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      deps.stderr.write('\n');
      if (error) reject(error);
      else resolve(chars.join(''));
    };
    const onData = (chunk: string) => {
      for (const ch of chunk.replace(ESCAPES, '')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new UsageError('login cancelled', undefined, 'cancelled'));
        if (ch === '\u0004')
          return chars.length ? finish() : finish(new UsageError('login cancelled', undefined, 'cancelled'));
        if (ch === '\u007f' || ch === '\b') chars.pop();
        else if (ch === '\u0015') chars = [];
        else chars.push(ch);
      }
    };
    stdin.on('data', onData);
  });
}
