// `cred run`: the child gets the credentials in its environment and nowhere else; exit codes,
// signals and stdin pass through; a child that cannot start is reported as shells report it.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { CANARY, type Sandbox, sandbox, spawnCred } from '../helpers/cli.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

const QODER = 'QODER_PERSONAL_ACCESS_TOKEN';
const node = process.execPath;

describe('cred run', () => {
  it.each([0, 3, 255])('passes exit code %i through', (code) => {
    box = sandbox();
    const r = box.run(['run', '--', node, '-e', `process.exit(${code})`], { env: { [QODER]: CANARY } });
    expect(r.code).toBe(code);
  });

  it('puts each resolved credential in the child env, and only the providers named', () => {
    box = sandbox();
    const show = `console.log(JSON.stringify([process.env.${QODER}, process.env.PODSTACK_API_TOKEN ?? null]))`;
    const env = { [QODER]: CANARY, PODSTACK_API_TOKEN: 'psk-0123456789abcdef' };
    const all = box.run(['run', '--', node, '-e', show], { env });
    expect(JSON.parse(all.stdout)).toEqual([CANARY, 'psk-0123456789abcdef']);
    box.write('tok', 'pt-from-a-file-1234567');
    const one = box.run(['run', '--provider', 'qoder', '--token-file', 'tok', '--', node, '-e', show], {
      env,
    });
    expect(JSON.parse(one.stdout)).toEqual(['pt-from-a-file-1234567', 'psk-0123456789abcdef']);
  });

  it('gives the child NAME, not NAME_FILE as well, when the value came from NAME_FILE', () => {
    box = sandbox();
    const file = box.write('secret', `${CANARY}\n`);
    const show = `console.log(JSON.stringify([process.env.${QODER}, process.env.${QODER}_FILE ?? null]))`;
    const r = box.run(['run', '--', node, '-e', show], { env: { [`${QODER}_FILE`]: file } });
    expect(JSON.parse(r.stdout)).toEqual([CANARY, null]);
  });

  it("a provider's context variables come from its resolution only: --profile never passes on the shell's project", () => {
    box = sandbox();
    box.write('.podstack/credentials', '[production]\napi_token = ps-prod-token-000001\n', 0o600);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, for sh
    const show = 'echo "$PODSTACK_API_TOKEN ${PODSTACK_PROJECT-unset}"';
    const env = { PODSTACK_API_TOKEN: 'ps-dev-token-0000001', PODSTACK_PROJECT: 'devproj' };
    const prod = box.run(
      ['run', '--provider', 'podstack', '--profile', 'production', '--', 'sh', '-c', show],
      {
        env,
      },
    );
    expect(prod.stdout).toBe('ps-prod-token-000001 unset\n');
    // Without --profile the env is the source of both, and the project goes along.
    const dev = box.run(['run', '--provider', 'podstack', '--', 'sh', '-c', show], { env });
    expect(dev.stdout).toBe('ps-dev-token-0000001 devproj\n');
  });

  it('does not run the command when a named provider does not resolve (exit 3)', () => {
    box = sandbox();
    const r = box.run(['run', '--provider', 'podstack', '--', node, '-e', 'console.log("ran")']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
  });

  it('passes stdin through to the child', () => {
    box = sandbox();
    const input = 'line one\nline two\n\u00e9\n';
    const r = box.run(['run', '--', 'cat'], { env: { [QODER]: CANARY }, input });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(input);
  });

  it('reports a command that does not exist with 127 and one line', () => {
    box = sandbox();
    const r = box.run(['run', '--', 'no-such-command-x9'], { env: { [QODER]: CANARY } });
    expect(r.code).toBe(127);
    expect(r.stderr).toBe('cred: error: no-such-command-x9: command not found\n');
  });

  it('with --json, a command that cannot start is also an error object on stdout', () => {
    box = sandbox();
    const r = box.run(['--json', 'run', '--', 'no-such-command-x9'], { env: { [QODER]: CANARY } });
    expect(r.code).toBe(127);
    expect(JSON.parse(r.stdout)).toEqual({
      error: { code: 'command_not_found', message: 'no-such-command-x9: command not found', exitCode: 127 },
    });
  });

  it('a token given as the command is not echoed in the error', () => {
    box = sandbox();
    const r = box.run(['run', '--', CANARY], { env: { [QODER]: 'pt-another-token-0000' } });
    expect(r.code).toBe(127);
    expect(r.stderr).toBe('cred: error: pt-****: command not found\n');
    const nix = box.run(['run', '--', '/nix/store/1b9p07z77phvv2hf6gm9f28syp39f1ag-python3/bin/python'], {
      env: { [QODER]: 'pt-another-token-0000' },
    });
    expect(nix.stderr).toBe('cred: error: /nix/store/****-python3/bin/python: command not found\n');
    // A value cred handed over, whatever its shape, and a JWT are masked whole.
    const handed = 'qov_ab12Cd_34efGH_56ijKL_78mnOP';
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.Xj3_kL9aB2-qW8eR5tY';
    for (const cmd of [handed, jwt]) {
      const r2 = box.run(['run', '--provider', 'qovery', '--', cmd], { env: { QOVERY_API_TOKEN: handed } });
      expect(r2.code).toBe(127);
      expect(r2.stderr).toBe('cred: error: ****: command not found\n');
    }
  });

  it('reports a file that is not executable with 126 and one line', () => {
    box = sandbox();
    const file = box.write('script.sh', '#!/bin/sh\necho hi\n', 0o644);
    const r = box.run(['run', '--', file], { env: { [QODER]: CANARY } });
    expect(r.code).toBe(126);
    expect(r.stderr).toMatch(/^cred: error: .*script\.sh: permission denied \(not an executable file\)\n$/);
  });

  it("keeps the token out of the child's argv (and cred's): only the child's environment has it", async () => {
    box = sandbox();
    box.write('tok', CANARY);
    const child = `console.log(process.pid); process.stdin.resume(); process.stdin.on('end', () => process.exit(0))`;
    const p = spawnCred(
      ['run', '--token-file', 'tok', '--provider', 'qoder', '--', node, '-e', child],
      box.env,
      box.home,
    );
    const [chunk] = (await once(p.stdout, 'data')) as [Buffer];
    const pid = Number(chunk.toString().trim());
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    const credCmdline = readFileSync(`/proc/${p.pid}/cmdline`, 'utf8');
    p.stdin.end();
    const [code] = await once(p, 'exit');
    expect(cmdline).toContain('process.pid');
    expect(cmdline).not.toContain(CANARY);
    expect(credCmdline).not.toContain(CANARY);
    expect(environ.split('\0')).toContain(`${QODER}=${CANARY}`);
    expect(code).toBe(0);
  });

  describe.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s', (sig) => {
    it('is forwarded to the child, and cred exits with the code the child chose', async () => {
      box = sandbox();
      const child = `process.on('${sig}', () => { console.log('child got ${sig}'); process.exit(42) }); console.log('ready'); setInterval(() => {}, 1000)`;
      const p = spawnCred(['run', '--', node, '-e', child], { ...box.env, [QODER]: CANARY }, box.home);
      let out = '';
      p.stdout.on('data', (d) => {
        out += d;
        if (out === 'ready\n') p.kill(sig);
      });
      const [code, signal] = await once(p, 'close');
      expect(out).toBe(`ready\nchild got ${sig}\n`);
      expect([code, signal]).toEqual([42, null]);
    });

    it('ends cred by the same signal when it ends the child', async () => {
      box = sandbox();
      const child = `console.log('ready'); setInterval(() => {}, 1000)`;
      const p = spawnCred(['run', '--', node, '-e', child], { ...box.env, [QODER]: CANARY }, box.home);
      p.stdout.on('data', (d) => {
        if (String(d) === 'ready\n') p.kill(sig);
      });
      const [code, signal] = await once(p, 'close');
      expect([code, signal]).toEqual([null, sig]);
    });
  });

  it('reports 128+N for a signal it does not re-raise on itself', () => {
    box = sandbox();
    const r = box.run(['run', '--', node, '-e', `process.kill(process.pid, 'SIGUSR2')`], {
      env: { [QODER]: CANARY },
    });
    expect(r.code).toBe(128 + constants.signals.SIGUSR2);
  });

  it('says to put -- before a command whose options cred took for its own (exit 2, nothing run)', () => {
    box = sandbox();
    const r = box.run(['run', 'ls', '-la'], { env: { [QODER]: CANARY } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("unknown option '-la'");
    expect(r.stderr).toContain('cred: hint: put -- before the command');
    expect(box.run(['run', '--help']).stdout).toContain('Usage: cred run [options] -- <command...>');
    // With --, the same option is the command's, and no hint is given for other usage errors.
    const other = box.run(['resolve', 'qoder', '--nope']);
    expect(other.code).toBe(2);
    expect(other.stderr).not.toContain('hint: put --');
  });
});
