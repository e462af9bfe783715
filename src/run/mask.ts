// `cred run --mask`: replaces every credential value in a byte stream with `****` while streaming.
// Works on bytes, so whatever is not a credential — colours, invalid UTF-8, a prompt with no line
// break — passes through unchanged. A value can arrive split across chunks (a child writing it one
// byte at a time), so the bytes at the end of a chunk that could be the start of a value are held
// back until the next chunk shows whether they are; everything before them is written at once.
import type { Transform, TransformCallback } from 'node:stream';
import { MASK } from '../output/redact.js';

const MASK_BYTES = Buffer.from(MASK);

export class Masker {
  readonly #secrets: Buffer[];
  readonly #longest: number;
  #held: Buffer = Buffer.alloc(0);

  constructor(secrets: readonly string[]) {
    const unique = [...new Set(secrets.filter((s) => s.length > 0))];
    // Longest first: where two values start at the same place, the longer one is masked whole.
    this.#secrets = unique.map((s) => Buffer.from(s, 'utf8')).sort((a, b) => b.length - a.length);
    this.#longest = this.#secrets[0]?.length ?? 0;
  }

  /** Feeds a chunk; returns the bytes that can be written now. */
  push(chunk: Buffer): Buffer {
    if (!this.#longest) return chunk;
    const buf = this.#held.length ? Buffer.concat([this.#held, chunk]) : chunk;
    const out: Buffer[] = [];
    let start = 0; // first byte not yet copied to out
    let i = 0;
    scan: while (i < buf.length) {
      for (const s of this.#secrets) {
        if (buf[i] !== s[0]) continue;
        const avail = buf.length - i;
        if (avail >= s.length) {
          if (buf.compare(s, 0, s.length, i, i + s.length) === 0) {
            out.push(buf.subarray(start, i), MASK_BYTES);
            i += s.length;
            start = i;
            continue scan;
          }
        } else if (buf.compare(s, 0, avail, i, buf.length) === 0) {
          // The rest of the buffer is the start of a value: hold it until more arrives. A longer
          // value matching here is checked first, so a shorter complete match cannot cut it short.
          out.push(buf.subarray(start, i));
          this.#held = Buffer.from(buf.subarray(i));
          return Buffer.concat(out);
        }
      }
      i++;
    }
    out.push(buf.subarray(start));
    this.#held = Buffer.alloc(0);
    return Buffer.concat(out);
  }

  /** The stream ended: what was held back was not a value after all. */
  end(): Buffer {
    const rest = this.#held;
    this.#held = Buffer.alloc(0);
    return rest;
  }
}

export function maskStream(secrets: readonly string[]): Transform {
  const masker = new Masker(secrets);
  const { Transform } = process.getBuiltinModule('node:stream');
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      const out = masker.push(chunk);
      done(null, out.length ? out : undefined);
    },
    flush(done: TransformCallback) {
      const rest = masker.end();
      done(null, rest.length ? rest : undefined);
    },
  });
}
