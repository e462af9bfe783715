// The recipes in docs/shells-and-ci.md, exercised where the tool exists on this machine. Docker and
// kubectl do not: their env-file rules (docker/cli `parseKeyValueFile`, which `kubectl create secret
// --from-env-file` follows too) are applied by a small reference reader, and the Kubernetes mounted-
// secret layout (a symlink into a `..data` folder) is built for real.
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, CANARY, requireTool, type Sandbox, sandbox } from '../helpers/cli.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

const QODER = 'QODER_PERSONAL_ACCESS_TOKEN';

/** docker/cli opts/file.go: `NAME=VALUE` per line, leading space trimmed, `#` lines skipped, no quoting. */
function dockerEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error('docker would read this name from its own environment');
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

function sh(shell: string, script: string, env: Record<string, string>) {
  return spawnSync(requireTool(shell), ['-c', script], {
    cwd: box.home,
    env: { ...box.env, ...env },
    encoding: 'utf8',
  });
}

describe('docs/shells-and-ci.md recipes', () => {
  it('bash/zsh: eval "$(cred env qoder)" then use the variable', () => {
    box = sandbox();
    box.write('.config/cred/credentials', `[qoder]\ntoken = ${CANARY}\n`);
    for (const shell of ['bash', 'zsh']) {
      const r = sh(shell, `eval "$(node ${BIN} env qoder)" && printf %s "$${QODER}"`, {});
      expect(r.stdout, shell).toBe(CANARY);
    }
  });

  it('fish: cred env --shell fish | source', () => {
    box = sandbox();
    box.write('.config/cred/credentials', `[qoder]\ntoken = ${CANARY}\n`);
    const r = sh('fish', `node ${BIN} env qoder --shell fish | source; printf %s "$${QODER}"`, {});
    expect(r.stdout).toBe(CANARY);
  });

  it('GitLab CI (sh): eval "$(cred env --from env,file)" and cred run --mask', () => {
    box = sandbox();
    box.write('.config/cred/credentials', `[qoder]\ntoken = ${CANARY}\n`);
    const r = sh('dash', `eval "$(node ${BIN} env --from env,file)" && printf %s "$${QODER}"`, {});
    expect(r.stdout).toBe(CANARY);
    const masked = sh(
      'dash',
      `node ${BIN} run --mask --from env,file -- sh -c 'echo "token is $${QODER}"'`,
      {},
    );
    expect(masked.stdout).toBe('token is ****\n');
  });

  it('Docker --env-file / kubectl --from-env-file: a plain token is written unquoted and read back exactly', () => {
    box = sandbox();
    const r = box.run(['env', 'qoder', 'podstack', '--shell', 'dotenv'], {
      env: { [QODER]: CANARY, PODSTACK_API_TOKEN: 'psk_live.0123-4567/89+ab==' },
    });
    expect(dockerEnvFile(r.stdout)).toEqual({
      [QODER]: CANARY,
      PODSTACK_API_TOKEN: 'psk_live.0123-4567/89+ab==',
    });
  });

  it('Docker: cred run -- docker run -e NAME passes the value through the environment, not argv', () => {
    box = sandbox();
    // A stand-in for `docker` that prints its argv and the variable `-e NAME` would copy.
    box.write('bin/docker', `#!/bin/sh\nprintf '%s\\n' "argv: $*" "env: $${QODER}"\n`, 0o755);
    const r = box.run(['run', '--', box.path('bin/docker'), 'run', '--rm', '-e', QODER, 'image'], {
      env: { [QODER]: CANARY },
    });
    expect(r.stdout).toBe(`argv: run --rm -e ${QODER} image\nenv: ${CANARY}\n`);
  });

  it('Docker/Compose secrets and Kubernetes mounted files: NAME_FILE through the ..data symlink layout', () => {
    box = sandbox();
    const mount = box.path('var/run/secrets/qoder');
    const data = path.join(mount, '..2026_11_24_00_00_00.000000001');
    mkdirSync(data, { recursive: true });
    box.write(path.join(data, QODER), CANARY);
    symlinkSync('..2026_11_24_00_00_00.000000001', path.join(mount, '..data'));
    symlinkSync(`..data/${QODER}`, path.join(mount, QODER));
    const r = box.run(['run', '--', 'sh', '-c', `printf %s "$${QODER}"`], {
      env: { [`${QODER}_FILE`]: path.join(mount, QODER) },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(CANARY);
  });

  it('Kubernetes secretKeyRef: the variable is an ordinary env var, which cred resolves', () => {
    box = sandbox();
    const r = box.run(['resolve', 'qoder', '--json'], { env: { [QODER]: CANARY } });
    expect(JSON.parse(r.stdout).source).toEqual({ step: 'env', detail: QODER });
  });
});
