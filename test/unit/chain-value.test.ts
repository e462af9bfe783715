import { describe, expect, it } from 'vitest';
import { podstack } from '../../providers/podstack.js';
import { qoder } from '../../providers/qoder.js';
import { cleanValue } from '../../src/chain/value.js';

describe('cleanValue (SPEC §4 value hygiene)', () => {
  it.each([
    // raw, provider, value, warnings that must appear (by fragment)
    ['pt-abcdefghijkl', qoder, 'pt-abcdefghijkl', []],
    ['  pt-abcdefghijkl \n', qoder, 'pt-abcdefghijkl', []],
    ['\tpt-abcdefghijkl\r\n', qoder, 'pt-abcdefghijkl', []],
    ['', qoder, '', []],
    ['   \n\t', qoder, '', []],
    ['abcdefghijkl', qoder, 'abcdefghijkl', ['expected prefix pt-']],
    ['abcdefghijkl', podstack, 'abcdefghijkl', []],
    ['Bearer pt-abcdefghijkl', qoder, 'Bearer pt-abcdefghijkl', ['starts with "Bearer "']],
    ['token abcdefghijkl', podstack, 'token abcdefghijkl', ['starts with "token "']],
    ['Tokenabcdefghijkl', podstack, 'Tokenabcdefghijkl', []],
    ['pt-abc\u0000def', qoder, 'pt-abc\u0000def', ['control character']],
    ['pt-abc\ndef', qoder, 'pt-abc\ndef', ['control character']],
    ['pt-abc\u007fdef', qoder, 'pt-abc\u007fdef', ['control character']],
    ['pt-ünïcødé', qoder, 'pt-ünïcødé', []],
  ])('%j for %s', (raw, provider, value, fragments) => {
    const out = cleanValue(raw, 'SOURCE_NAME', provider);
    expect(out.value).toBe(value);
    expect(out.warnings).toHaveLength(fragments.length);
    fragments.forEach((f, i) => {
      expect(out.warnings[i]).toContain(f);
      expect(out.warnings[i]).toContain('SOURCE_NAME');
    });
    for (const w of out.warnings) if (value.length > 6) expect(w).not.toContain(value);
  });
});
