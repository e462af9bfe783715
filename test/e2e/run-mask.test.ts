// `cred run --mask`: credential values in the child's stdout/stderr become `****` while streaming.
// First the streaming masker itself, property-tested against a whole-buffer reference over random
// chunkings; then the built binary with a child that writes the token one byte at a time.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { Masker } from '../../src/run/mask.js';
import { CANARY, type Sandbox, sandbox, spawnCred } from '../helpers/cli.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

/** Whole-buffer reference: at each position the longest value that matches is masked. */
function reference(text: Buffer, secrets: string[]): Buffer {
  const bufs = [...new Set(secrets.filter(Boolean))]
    .map((s) => Buffer.from(s))
    .sort((a, b) => b.length - a.length);
  const out: Buffer[] = [];
  let i = 0;
  next: while (i < text.length) {
    for (const s of bufs) {
      if (text.length - i >= s.length && text.subarray(i, i + s.length).equals(s)) {
        out.push(Buffer.from('****'));
        i += s.length;
        continue next;
      }
    }
    out.push(text.subarray(i, i + 1));
    i++;
  }
  return Buffer.concat(out);
}

function streamed(text: Buffer, secrets: string[], cuts: number[]): Buffer {
  const m = new Masker(secrets);
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of [...points, text.length]) {
    out.push(m.push(text.subarray(prev, p)));
    prev = p;
  }
  out.push(m.end());
  return Buffer.concat(out);
}

describe('Masker', () => {
  it('masks exactly what a whole-buffer pass masks, however the stream is cut', () => {
    const secret = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 });
    fc.assert(
      fc.property(
        fc.array(secret, { minLength: 1, maxLength: 3 }),
        fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom('\x1b[31m', '\n', 'ab', 'a')), {
          maxLength: 12,
        }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (secrets, noise, cuts) => {
          // Interleave noise with whole and partial values.
          const parts: string[] = [];
          noise.forEach((n, i) => {
            const s = secrets[i % secrets.length]!;
            parts.push(n, i % 3 === 2 ? s.slice(0, Math.max(1, s.length - 1)) : s);
          });
          const text = Buffer.from(parts.join(''));
          expect(streamed(text, secrets, cuts)).toEqual(reference(text, secrets));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('holds back only what could still become a value, and releases it at the end', () => {
    const m = new Masker(['secret']);
    expect(m.push(Buffer.from('a sec')).toString()).toBe('a ');
    expect(m.push(Buffer.from('ond')).toString()).toBe('second');
    expect(m.push(Buffer.from('x secr')).toString()).toBe('x ');
    expect(m.push(Buffer.from('et!')).toString()).toBe('****!');
    expect(m.push(Buffer.from('s')).toString()).toBe('');
    expect(m.end().toString()).toBe('s');
  });

  it('passes bytes that are not valid UTF-8 through untouched', () => {
    const m = new Masker(['tok']);
    const bytes = Buffer.from([0xff, 0xfe, 0x74, 0x6f, 0x6b, 0xc3]);
    expect(Buffer.concat([m.push(bytes), m.end()])).toEqual(
      Buffer.from([0xff, 0xfe, 0x2a, 0x2a, 0x2a, 0x2a, 0xc3]),
    );
  });
});

describe('cred run --mask', () => {
  it('masks a token written one byte at a time on stdout and stderr, leaving colours and partial lines intact', () => {
    box = sandbox();
    const child = `
      const t = process.env.QODER_PERSONAL_ACCESS_TOKEN;
      const bytes = [...Buffer.from('\\x1b[32mtoken=' + t + '\\x1b[0m and again ' + t + ' end')];
      let i = 0;
      const tick = () => {
        if (i < bytes.length) {
          const b = Buffer.from([bytes[i++]]);
          process.stdout.write(b);
          process.stderr.write(b);
          setTimeout(tick, 1);
        } else {
          process.stdout.write('\\nno newline at the end: ' + t.slice(0, 5));
        }
      };
      tick();`;
    const r = box.run(['run', '--mask', '--', process.execPath, '-e', child], {
      env: { QODER_PERSONAL_ACCESS_TOKEN: CANARY },
    });
    expect(r.code).toBe(0);
    const masked = '\x1b[32mtoken=****\x1b[0m and again **** end';
    expect(r.stdout).toBe(`${masked}\nno newline at the end: ${CANARY.slice(0, 5)}`);
    expect(r.stderr).toBe(masked);
  });

  it.each([
    ['stdout', 'while :; do echo "line $QODER_PERSONAL_ACCESS_TOKEN"; done', 'stdout'],
    ['stderr', 'while :; do echo "line $QODER_PERSONAL_ACCESS_TOKEN" >&2; done', 'stderr'],
    // A fast writer: it has always written more than cred read when the reader goes.
    ['stdout, from yes', 'yes "line $QODER_PERSONAL_ACCESS_TOKEN"', 'stdout'],
  ] as const)(
    'a reader that goes away (| head -1) on %s: the child gets SIGPIPE and cred exits 141, no stack trace',
    async (_name, loop, closed) => {
      box = sandbox();
      const child = spawnCred(
        ['run', '--mask', '--', 'sh', '-c', loop],
        {
          ...box.env,
          QODER_PERSONAL_ACCESS_TOKEN: CANARY,
        },
        box.home,
      );
      let stderr = '';
      if (closed === 'stdout') child.stderr.on('data', (d: Buffer) => (stderr += d));
      else child.stdout.resume();
      const reader = child[closed];
      const first = await new Promise<string>((resolve) =>
        reader.once('data', (d: Buffer) => resolve(String(d))),
      );
      reader.destroy(); // as `head -1` exits
      const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
        child.once('exit', (c, s) => resolve([c, s])),
      );
      expect(first).toContain('line ****');
      expect(first).not.toContain(CANARY);
      expect({ code, signal }).toEqual({ code: 141, signal: null });
      expect(stderr).not.toMatch(/EPIPE|node:events|at /);
    },
  );

  it("also masks a provider's credential the child inherits without it being handed over", () => {
    box = sandbox();
    const show = 'echo "$QODER_PERSONAL_ACCESS_TOKEN / $PODSTACK_API_TOKEN / $QOVERY_API_TOKEN"';
    const r = box.run(['run', '--provider', 'qoder', '--mask', '--', 'sh', '-c', show], {
      env: {
        QODER_PERSONAL_ACCESS_TOKEN: CANARY,
        PODSTACK_API_TOKEN: 'podCANARY1234567890xyz',
        QOVERY_API_TOKEN: 'short1', // under 8 characters: masking it would mangle ordinary output
      },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('**** / **** / short1\n');
  });

  it('leaves output alone without --mask', () => {
    box = sandbox();
    const r = box.run(
      ['run', '--', process.execPath, '-e', 'console.log(process.env.QODER_PERSONAL_ACCESS_TOKEN)'],
      {
        env: { QODER_PERSONAL_ACCESS_TOKEN: CANARY },
      },
    );
    expect(r.stdout).toBe(`${CANARY}\n`);
  });
});
