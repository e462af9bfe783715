// `cred run`: the child gets the credentials in its environment and nowhere else; exit codes,
// signals and stdin pass through; a child that cannot start is reported as shells report it.
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BIN,
  CANARY,
  credWithoutExecHelper,
  expectNoCanary,
  ROOT,
  requireTool,
  type Sandbox,
  sandbox,
  spawnCred,
} from '../helpers/cli.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

const QODER = 'QODER_PERSONAL_ACCESS_TOKEN';
const node = process.execPath;

// Without --mask, cred becomes the command (exec, through its native helper); where the helper is
// missing it spawns the command and waits. Both must look the same from outside (but for signals
// other than INT/TERM/HUP/KILL/ALRM, which only exec passes on as themselves).
const MODES = [
  ['replacing its own process (exec)', () => BIN],
  ['spawning the command (no native exec helper)', credWithoutExecHelper],
] as const;

describe.each(MODES)('cred run, %s', (_mode, makeBin) => {
  const replaces = makeBin === MODES[0][1];
  let bin: string;
  /** Runs `caller` (Python, which can set descriptor flags) with this cred and `args` as its argv. */
  const fromPython = (caller: string, args: string[], env: Record<string, string> = { [QODER]: CANARY }) =>
    spawnSync(requireTool('python3'), ['-c', caller, bin, ...args], {
      cwd: box.home,
      env: { ...box.env, ...env },
      encoding: 'utf8',
    });

  beforeAll(() => {
    if (replaces && !existsSync(path.join(ROOT, 'dist', 'native', 'exec.node'))) {
      throw new Error(
        'dist/native/exec.node was not built: it needs a C compiler (bash .ci/run installs one)',
      );
    }
    bin = makeBin();
  });

  it.each([0, 3, 255])('passes exit code %i through', (code) => {
    box = sandbox({ bin });
    const r = box.run(['run', '--', node, '-e', `process.exit(${code})`], { env: { [QODER]: CANARY } });
    expect(r.code).toBe(code);
  });

  it('puts each resolved credential in the child env, and only the providers named', () => {
    box = sandbox({ bin });
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
    box = sandbox({ bin });
    const file = box.write('secret', `${CANARY}\n`);
    const show = `console.log(JSON.stringify([process.env.${QODER}, process.env.${QODER}_FILE ?? null]))`;
    const r = box.run(['run', '--', node, '-e', show], { env: { [`${QODER}_FILE`]: file } });
    expect(JSON.parse(r.stdout)).toEqual([CANARY, null]);
  });

  it("a provider's context variables come from its resolution only: --profile never passes on the shell's project", () => {
    box = sandbox({ bin });
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
    box = sandbox({ bin });
    const r = box.run(['run', '--provider', 'podstack', '--', node, '-e', 'console.log("ran")']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
  });

  it('passes stdin through to the child', () => {
    box = sandbox({ bin });
    const input = 'line one\nline two\n\u00e9\n';
    const r = box.run(['run', '--', 'cat'], { env: { [QODER]: CANARY }, input });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(input);
  });

  it("--token-stdin takes the first line; the rest of stdin is the command's", () => {
    box = sandbox({ bin });
    const show = `printf '%s|' "$${QODER}"; cat`;
    const r = box.run(['run', '--token-stdin', '--provider', 'qoder', '--', 'sh', '-c', show], {
      input: `${CANARY}\r\nline two\nline three\n`,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${CANARY}|line two\nline three\n`);
  });

  it('--token-stdin on a non-blocking stdin with nothing in it yet waits for the line, and leaves the rest', () => {
    box = sandbox({ bin });
    // Python gives cred the read end of a pipe made non-blocking, and writes a moment later.
    const caller = [
      'import fcntl, os, subprocess, sys, time',
      'r, w = os.pipe()',
      'fcntl.fcntl(r, fcntl.F_SETFL, os.O_NONBLOCK)',
      'p = subprocess.Popen(sys.argv[1:], stdin=r, stdout=subprocess.PIPE)',
      'time.sleep(0.3)',
      `os.write(w, b"${CANARY}\\nthe rest\\n")`,
      'os.close(w)',
      'sys.stdout.write(p.communicate()[0].decode())',
    ].join('\n');
    const show = `printf '%s|' "$${QODER}"; cat`;
    const r = fromPython(caller, ['run', '--token-stdin', '--provider', 'qoder', '--', 'sh', '-c', show], {});
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${CANARY}|the rest\n`);
  });

  it('reports a command that does not exist with 127 and one line', () => {
    box = sandbox({ bin });
    const r = box.run(['run', '--', 'no-such-command-x9'], { env: { [QODER]: CANARY } });
    expect(r.code).toBe(127);
    expect(r.stderr).toBe('cred: error: no-such-command-x9: command not found\n');
  });

  it('with --json, a command that cannot start is also an error object on stdout', () => {
    box = sandbox({ bin });
    const r = box.run(['--json', 'run', '--', 'no-such-command-x9'], { env: { [QODER]: CANARY } });
    expect(r.code).toBe(127);
    expect(JSON.parse(r.stdout)).toEqual({
      error: { code: 'command_not_found', message: 'no-such-command-x9: command not found', exitCode: 127 },
    });
  });

  it('a token given as the command is not echoed in the error', () => {
    box = sandbox({ bin });
    const r = box.run(['run', '--', CANARY], { env: { [QODER]: 'pt-another-token-0000' } });
    expect(r.code).toBe(127);
    expect(r.stderr).toBe('cred: error: pt-****: command not found\n');
    // Nor in --debug's account of what it runs.
    const debug = box.run(['--debug', 'run', '--', CANARY], { env: { [QODER]: 'pt-another-token-0000' } });
    expect(debug.stderr).toContain(
      'cred: debug: run: pt-**** with QODER_PERSONAL_ACCESS_TOKEN in its environment\n',
    );
    expectNoCanary(debug.stderr, 'stderr with --debug');
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
    box = sandbox({ bin });
    const file = box.write('script.sh', '#!/bin/sh\necho hi\n', 0o644);
    const r = box.run(['run', '--', file], { env: { [QODER]: CANARY } });
    expect(r.code).toBe(126);
    expect(r.stderr).toMatch(/^cred: error: .*script\.sh: permission denied \(not an executable file\)\n$/);
  });

  it("keeps the token out of the child's argv (and cred's): only the child's environment has it", async () => {
    box = sandbox({ bin });
    box.write('tok', CANARY);
    const child = `console.log(process.pid); process.stdin.resume(); process.stdin.on('end', () => process.exit(0))`;
    const p = spawnCred(
      ['run', '--token-file', 'tok', '--provider', 'qoder', '--', node, '-e', child],
      box.env,
      box.home,
      bin,
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
      box = sandbox({ bin });
      const child = `process.on('${sig}', () => { console.log('child got ${sig}'); process.exit(42) }); console.log('ready'); setInterval(() => {}, 1000)`;
      const p = spawnCred(['run', '--', node, '-e', child], { ...box.env, [QODER]: CANARY }, box.home, bin);
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
      box = sandbox({ bin });
      const child = `console.log('ready'); setInterval(() => {}, 1000)`;
      const p = spawnCred(['run', '--', node, '-e', child], { ...box.env, [QODER]: CANARY }, box.home, bin);
      p.stdout.on('data', (d) => {
        if (String(d) === 'ready\n') p.kill(sig);
      });
      const [code, signal] = await once(p, 'close');
      expect([code, signal]).toEqual([null, sig]);
    });
  });

  it(
    replaces
      ? 'ends by any signal that ends the command, as the command itself would'
      : 'reports 128+N for a signal it does not re-raise on itself',
    () => {
      box = sandbox({ bin });
      const r = box.run(['run', '--', node, '-e', `process.kill(process.pid, 'SIGUSR2')`], {
        env: { [QODER]: CANARY },
      });
      expect([r.code, r.signal]).toEqual(
        replaces ? [null, 'SIGUSR2'] : [128 + constants.signals.SIGUSR2, null],
      );
    },
  );

  it(replaces ? 'runs the command in its own process' : 'runs the command in a child process', () => {
    box = sandbox({ bin });
    const p = spawnSync(bin, ['run', '--', 'sh', '-c', 'echo $$'], {
      cwd: box.home,
      env: { ...box.env, [QODER]: CANARY },
      encoding: 'utf8',
    });
    expect(p.status).toBe(0);
    expect(Number(p.stdout) === p.pid).toBe(replaces);
  });

  it("starts the command as Node starts a child: default signals, none blocked, stdin's flags as given, no descriptor of cred's", () => {
    box = sandbox({ bin });
    // Each program reads its own /proc entry (a shell in between would show its own masks, which
    // it changes around every fork): signal masks and stdin's open flags, then the descriptors
    // (ls's own directory among them). Compared with the same programs spawned by this test.
    const programs = [
      ['grep', '-E', '^Sig(Blk|Ign)|^flags', '/proc/self/status', '/proc/self/fdinfo/0'],
      ['ls', '/proc/self/fd'],
    ];
    for (const [file, ...rest] of programs) {
      const direct = spawnSync(file!, rest, { cwd: box.home, env: box.env, input: '', encoding: 'utf8' });
      expect(direct.stdout).toMatch(file === 'grep' ? /SigBlk:\t0+\n.*SigIgn:\t0+\n/s : /^0\n1\n2\n/);
      // --token-stdin has cred read (part of) its stdin first.
      for (const args of [[], ['--token-stdin', '--provider', 'qoder']]) {
        const r = box.run(['run', ...args, '--', file!, ...rest], {
          env: { [QODER]: CANARY },
          input: `${CANARY}\n`,
        });
        expect(r.stderr).toBe('');
        expect(r.stdout).toBe(direct.stdout);
      }
    }
  });

  it('leaves a non-blocking stdout the caller shares as it was', () => {
    box = sandbox({ bin });
    // Python hands cred the write end of a pipe it made non-blocking, then looks at it again.
    const caller = [
      'import fcntl, os, subprocess, sys',
      'r, w = os.pipe()',
      'fcntl.fcntl(w, fcntl.F_SETFL, os.O_NONBLOCK)',
      'code = subprocess.run(sys.argv[1:], stdout=w).returncode',
      'print(code, bool(fcntl.fcntl(w, fcntl.F_GETFL) & os.O_NONBLOCK))',
    ].join('\n');
    const r = fromPython(caller, ['run', '--', 'true']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('0 True\n');
  });

  it('a stderr that Node made non-blocking (a plugin wrote to it) reaches the command, and the caller, blocking again', () => {
    box = sandbox({ bin });
    // console.error makes Node build process.stderr over the pipe, which makes it non-blocking.
    box.write(
      '.config/cred/noisy.mjs',
      "console.error('noisy plugin loaded');\nexport default { id: 'noisy', name: 'Noisy', envVars: ['NOISY_TOKEN'], header: { name: 'Authorization', template: 'Bearer {token}' } };\n",
    );
    box.write('.config/cred/config', 'plugins = ./noisy.mjs\n');
    const caller = [
      'import os, subprocess, sys',
      'r, w = os.pipe()',
      'p = subprocess.run(sys.argv[1:], stderr=w, stdout=subprocess.PIPE)',
      'after = os.get_blocking(w)',
      'os.close(w)',
      'print("command:", p.stdout.decode().strip(), "caller:", after, os.read(r, 1000).decode().strip())',
    ].join('\n');
    const command = ['python3', '-c', 'import os; print(os.get_blocking(2))'];
    const r = fromPython(caller, ['run', '--', ...command]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('command: True caller: True noisy plugin loaded\n');
  });

  it("everything cred writes before the command starts comes before the command's output", () => {
    box = sandbox({ bin });
    // Readable by others: cred warns (on stderr) before it runs the command.
    box.write('.podstack/credentials', '[default]\napi_token = ps-file-token-00000001\n', 0o644);
    const r = box.run(['run', '--', 'sh', '-c', 'echo from the command >&2']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^cred: warning: [^\n]*credentials[^\n]*\nfrom the command\n$/);
  });

  it('says to put -- before a command whose options cred took for its own (exit 2, nothing run)', () => {
    box = sandbox({ bin });
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
