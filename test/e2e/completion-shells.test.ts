// `cred completion bash|zsh|fish`: each script is loaded by the real shell without errors and
// completes commands, flags, option values and provider ids — including one declared in a config
// file, which the scripts fetch from `cred __complete providers` at completion time.
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, requireTool, type Sandbox, sandbox } from '../helpers/cli.js';

let box: Sandbox;
let env: Record<string, string>;

beforeEach(() => {
  box = sandbox();
  // `cred` on PATH, as a user has it, running this build.
  box.write('bin/cred', `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, 0o755);
  box.write('.config/cred/config', '[provider "acme"]\nname = Acme Cloud\nenv = ACME_TOKEN\n');
  env = { ...box.env, PATH: `${box.path('bin')}:${box.env.PATH}` };
});
afterEach(() => box?.cleanup());

function shell(cmd: string, args: string[], input?: string) {
  const r = spawnSync(cmd, args, {
    cwd: box.home,
    env: { ...env, ZDOTDIR: box.path('zdot'), XDG_CONFIG_HOME: box.path('.config') },
    encoding: 'utf8',
    input: input ?? '',
    timeout: 25_000,
  });
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

function script(kind: string): string {
  const r = box.run(['completion', kind]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  return box.write(`cred.${kind}`, r.stdout);
}

describe('cred completion', () => {
  it('rejects an unknown shell with a usage error', () => {
    const r = box.run(['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bash, zsh, fish');
  });

  it('__complete providers lists ids and names, config providers included', () => {
    const r = box.run(['__complete', 'providers']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('qoder\tQoder\npodstack\tPodstack\nqovery\tQovery\nacme\tAcme Cloud\n');
    // Hidden from help, so users are not offered it.
    expect(box.run(['--help']).stdout).not.toContain('__complete');
  });
});

describe('bash', () => {
  it('loads without errors and completes commands, flags, values and provider ids', () => {
    requireTool('bash');
    const file = script('bash');
    const cases = [
      ['cred', ''],
      ['cred', 'res'],
      ['cred', 'resolve', 'q'],
      ['cred', 'resolve', 'a'],
      ['cred', '--profile', 'prod', 'header', 'ac'],
      ['cred', 'resolve', '--rev'],
      ['cred', 'env', '--shell', 'f'],
      ['cred', 'run', '--provider', 'po'],
      ['cred', 'env', 'qoder', 'acme', 'q'],
      ['cred', 'completion', 'z'],
      ['cred', 'whoami', 'qoder', ''],
    ];
    const calls = cases
      .map((words) => {
        const arr = words.map((w) => `'${w}'`).join(' ');
        return `COMP_WORDS=(${arr}); COMP_CWORD=${words.length - 1}; COMPREPLY=(); _cred; echo "\${COMPREPLY[*]}"`;
      })
      .join('\n');
    const r = shell('bash', ['--norc', '--noprofile', '-c', `set -u\nsource '${file}'\n${calls}`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('resolve env run header whoami status login logout providers completion');
    expect(lines.slice(1, 11)).toEqual([
      'resolve',
      'qoder qovery',
      'acme',
      'acme',
      '--reveal',
      'fish',
      'podstack',
      'qoder qovery',
      'zsh',
      '',
    ]);
  });
});

describe('zsh', () => {
  it('autoloads from $fpath after compinit, defines _cred, and completes a provider id in a real line editor', () => {
    requireTool('zsh');
    const file = script('zsh');
    box.write('zfuncs/_cred', box.run(['completion', 'zsh']).stdout);
    box.write('zdot/.keep', '');
    // Loaded both ways: sourced after compinit, and autoloaded from $fpath.
    const check = shell('zsh', [
      '-f',
      '-c',
      `autoload -U compinit && compinit -u -D && source '${file}' && whence -w _cred && print -r -- $_comps[cred]`,
    ]);
    expect(check.stderr).toBe('');
    expect(check.stdout).toBe('_cred: function\n_cred\n');

    const driver = `
zmodload zsh/zpty
zpty -b z 'zsh -f -i'
zpty -w z 'PS1="%% "; fpath=(${box.path('zfuncs')} $fpath); autoload -U compinit; compinit -u -D; setopt nobeep'
zpty -w -n z $'cred resolve ac\\t'
out=""
for i in {1..100}; do
  sleep 0.1
  while zpty -r -t z chunk; do out+=$chunk; done
  [[ $out == *"resolve acme"* ]] && break
done
zpty -w -n z $'\\C-u cred env --shell po\\t'
for i in {1..100}; do
  sleep 0.1
  while zpty -r -t z chunk; do out+=$chunk; done
  [[ $out == *"--shell posix"* || $out == *"powershell"* ]] && break
done
zpty -d z
print -r -- "$out"
`;
    const r = shell('zsh', ['-f', '-c', driver]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('cred resolve acme');
    expect(r.stdout).toMatch(/posix|powershell/);
    expect(r.stdout).not.toMatch(/command not found|parse error|bad pattern/);
  });
});

describe('fish', () => {
  it('loads without errors and completes commands, flags, values and provider ids', () => {
    requireTool('fish');
    const file = script('fish');
    const probe = (line: string) => `echo "== ${line}"; complete -C '${line}'`;
    const r = shell('fish', [
      '--no-config',
      '-c',
      [
        `source '${file}'`,
        probe('cred resolve q'),
        probe('cred resolve a'),
        probe('cred --profile prod header ac'),
        probe('cred env --shell f'),
        probe('cred run --provider po'),
        probe('cred completion z'),
        probe('cred resolve --rev'),
        probe('cred prov'),
      ].join('\n'),
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const blocks = Object.fromEntries(
      r.stdout
        .split('== ')
        .filter(Boolean)
        .map((b) => {
          const [head, ...rest] = b.trimEnd().split('\n');
          return [head, rest.map((l) => l.split('\t')[0])];
        }),
    );
    expect(blocks).toEqual({
      'cred resolve q': ['qoder', 'qovery'],
      'cred resolve a': ['acme'],
      'cred --profile prod header ac': ['acme'],
      'cred env --shell f': ['fish'],
      'cred run --provider po': ['podstack'],
      'cred completion z': ['zsh'],
      'cred resolve --rev': ['--reveal'],
      'cred prov': ['providers'],
    });
  });
});
