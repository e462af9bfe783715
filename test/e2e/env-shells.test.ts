// Full round trips through the built binary: `eval "$(cred env)"` (and fish's `| source`) in real
// shells reproduces each value exactly. The bulk of the generated values is covered by the pure
// formatter tests (test/unit/formats-shells.test.ts); here a couple of dozen go through cred itself.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, requireTool, type Sandbox, sandbox } from '../helpers/cli.js';
import { sampleValues } from '../unit/formats-helpers.js';

let box: Sandbox;
let marker: string;
let values: string[];

beforeAll(() => {
  box = sandbox();
  marker = box.path('pwned');
  // The chain trims surrounding whitespace (SPEC §4), so the values here carry none.
  const all = sampleValues(marker, 200, 99)
    .slice(20) // past the fixed edge cases: generated mixes
    .map((v) => v.trim())
    .filter((v) => v !== '' && !v.includes('\r'));
  values = [
    ...all.filter((v) => /['"$`\\\n!]/.test(v)).slice(0, 6),
    `$(touch ${marker})'\`touch ${marker}\``,
    'pt-plain9f3a',
  ];
  for (const [i, v] of values.entries()) box.write(`tok${i}`, v);
});
afterAll(() => box.cleanup());

const SHELLS: Record<string, (i: number) => string> = {
  bash: (i) =>
    `eval "$(node ${BIN} env qoder --token-file tok${i})"; printf '%s\\0' "$QODER_PERSONAL_ACCESS_TOKEN"\n`,
  dash: (i) =>
    `eval "$(node ${BIN} env qoder --token-file tok${i})"; printf '%s\\0' "$QODER_PERSONAL_ACCESS_TOKEN"\n`,
  zsh: (i) =>
    `eval "$(node ${BIN} env qoder --shell zsh --token-file tok${i})"; printf '%s\\0' "$QODER_PERSONAL_ACCESS_TOKEN"\n`,
  fish: (i) =>
    `node ${BIN} env qoder --shell fish --token-file tok${i} | source; printf '%s\\0' "$QODER_PERSONAL_ACCESS_TOKEN"\n`,
};

describe.each(Object.keys(SHELLS))('cred env evaluated by %s', (shell) => {
  it('sets each variable to the exact value and runs no canary', () => {
    expect(values.length).toBeGreaterThanOrEqual(5);
    const script = values.map((_, i) => SHELLS[shell]!(i)).join('');
    const r = spawnSync(requireTool(shell), ['-c', script], {
      cwd: box.home,
      env: { ...box.env, LC_ALL: 'C.UTF-8' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(values);
    expect(existsSync(marker)).toBe(false);
  });
});
