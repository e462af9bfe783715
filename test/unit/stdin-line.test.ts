// The first line of stdin (--token-stdin, login --with-token): from the CLI's descriptor a byte at a
// time, with a stream to go on from when the descriptor cannot be read that way; from a host's
// stream otherwise. A first line over 64 KiB is refused, never cut.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Deps } from '../../src/deps.js';
import { readStdinLine } from '../../src/stores/stdin.js';

/** A descriptor that yields `bytes`, then EAGAIN after `eagainAt` bytes if given, then EOF. */
function fdDeps(bytes: Buffer, rest: Readable, eagainAt?: number) {
  let at = 0;
  const reads: number[] = [];
  const fs = {
    readSync(_fd: number, buf: Buffer, offset: number, length: number) {
      reads.push(length);
      if (at === eagainAt) {
        eagainAt = undefined; // once: the data is there by the next read
        throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
      }
      if (at >= bytes.length) return 0;
      buf[offset] = bytes[at++]!;
      return 1;
    },
  } as unknown as Deps['fs'];
  return { deps: { stdinFd: 0, fs, stdin: rest }, consumed: () => at, reads };
}

describe('the first line of stdin, from the descriptor', () => {
  it('reads one byte at a time and stops at the line break, leaving the rest unread', async () => {
    const input = Buffer.from('pt-token-0001\r\nthe command reads this\n');
    const { deps, consumed, reads } = fdDeps(input, Readable.from([]));
    expect(await readStdinLine(deps)).toBe('pt-token-0001');
    expect(consumed()).toBe('pt-token-0001\r\n'.length);
    expect(new Set(reads)).toEqual(new Set([1]));
  });

  it('takes everything up to the end when there is no line break', async () => {
    const { deps } = fdDeps(Buffer.from('pt-no-newline'), Readable.from([]));
    expect(await readStdinLine(deps)).toBe('pt-no-newline');
  });

  it('refuses a first line over 64 KiB as soon as it is over, not at its end', async () => {
    const input = Buffer.from(`${'a'.repeat(70_000)}\n`);
    const { deps, consumed } = fdDeps(input, Readable.from([]));
    await expect(readStdinLine(deps)).rejects.toThrow(/first line of stdin is over 64 KiB/);
    expect(consumed()).toBe(64 * 1024 + 1); // the byte that showed the line goes on
    const exactly = fdDeps(Buffer.from(`${'b'.repeat(64 * 1024)}\n`), Readable.from([]));
    expect(await readStdinLine(exactly.deps)).toHaveLength(64 * 1024);
  });

  it('waits out EAGAIN (a non-blocking stdin with nothing in it yet) and reads on from the descriptor', async () => {
    // EAGAIN comes between the two bytes of "é".
    const input = Buffer.from('pt-caf\u00e9-01\nthe rest\n');
    const { deps, consumed } = fdDeps(input, Readable.from([]), Buffer.byteLength('pt-caf') + 1);
    expect(await readStdinLine(deps)).toBe('pt-caf\u00e9-01');
    expect(consumed()).toBe(Buffer.byteLength('pt-caf\u00e9-01\n'));
  });

  it('a stdin that cannot be read (a directory, say) is a store error naming stdin', async () => {
    const fs = {
      readSync() {
        throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
      },
    } as unknown as Deps['fs'];
    await expect(readStdinLine({ stdinFd: 0, fs, stdin: Readable.from([]) })).rejects.toMatchObject({
      exitCode: 7,
      message: 'stdin cannot be read (EISDIR)',
    });
  });
});

describe('the first line of a stream (a host hands in its own stdin)', () => {
  it('strings or buffers, split anywhere', async () => {
    const stdin = Readable.from(['pt-sp', Buffer.from('lit-01\r'), '\nmore\n']);
    expect(await readStdinLine({ stdin, fs: {} as Deps['fs'] })).toBe('pt-split-01');
  });

  it('refuses a first line over 64 KiB', async () => {
    const stdin = Readable.from([Buffer.alloc(70_000, 0x61), Buffer.from('\n')]);
    await expect(readStdinLine({ stdin, fs: {} as Deps['fs'] })).rejects.toThrow(/over 64 KiB/);
  });
});
