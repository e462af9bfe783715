import { afterEach, describe, expect, it } from 'vitest';
import { CANARY, type Sandbox, sandbox } from '../helpers/cli.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

describe('bin/cred smoke', () => {
  it('resolves a Qoder PAT from the environment, redacted, naming the source', () => {
    box = sandbox();
    const r = box.run(['resolve', 'qoder'], { env: { QODER_PERSONAL_ACCESS_TOKEN: CANARY } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('env: QODER_PERSONAL_ACCESS_TOKEN');
    expect(r.stdout).toContain(`pt-…${CANARY.slice(-4)}`);
    expect(r.stdout).not.toContain(CANARY);
    expect(r.stderr).not.toContain(CANARY);
  });

  it('exits 3 with auth_not_configured when nothing is set', () => {
    box = sandbox();
    const r = box.run(['resolve', 'qoder', '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).error.code).toBe('auth_not_configured');
  });
});
