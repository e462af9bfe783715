// The precedence matrix (SPEC §2): for every pair of sources, the higher one wins and `--explain`
// marks the other shadowed. Plus the rules that bend the order: --from, --env-var, --profile vs
// CRED_PROFILE, NAME_FILE, empty variables, and the shadow warning.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunResult, type Sandbox, sandbox } from '../helpers/cli.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

const fp = (v: string) => createHash('sha256').update(v).digest('hex').slice(0, 6);

interface Placed {
  args: string[];
  env: Record<string, string>;
}

/** A source puts one token somewhere in the sandbox and says how cred is told about it. */
interface Source {
  name: string;
  step: string;
  place(box: Sandbox, token: string): Placed;
}

const none = (args: string[] = [], env: Record<string, string> = {}): Placed => ({ args, env });

function podstackSources(): Source[] {
  return [
    {
      name: 'flag --token-file',
      step: 'flag',
      place: (b, t) => none(['--token-file', b.write('token.txt', `${t}\n`)]),
    },
    {
      name: 'options-env --env',
      step: 'options-env',
      place: (_b, t) => none(['--env', `PODSTACK_API_TOKEN=${t}`]),
    },
    {
      name: 'options-env --env-file',
      step: 'options-env',
      place: (b, t) => none(['--env-file', b.write('opts.env', `PODSTACK_API_TOKEN=${t}\n`)]),
    },
    { name: 'env', step: 'env', place: (_b, t) => none([], { PODSTACK_API_TOKEN: t }) },
    {
      name: "cred's credentials file",
      step: 'file',
      place: (b, t) => {
        b.write('.config/cred/credentials', `[podstack]\ntoken = ${t}\n`);
        return none();
      },
    },
    {
      name: "Podstack's own credentials file",
      step: 'file',
      place: (b, t) => {
        b.write('.podstack/credentials', `[default]\napi_token = ${t}\n`);
        return none();
      },
    },
    {
      name: 'Podstack CLI session config.yaml',
      step: 'session',
      place: (b, t) => {
        b.write('.podstack/config.yaml', `auth:\n  token: ${t}\n  expires: 2999-01-01T00:00:00Z\n`);
        return none();
      },
    },
  ];
}

function jwt(sub: string): string {
  const b = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b({ alg: 'RS256', typ: 'JWT' })}.${b({ sub })}.c2lnbmF0dXJlLXNpZ25hdHVyZQ`;
}

function qoverySources(): Source[] {
  return [
    { name: 'flag --token-file', step: 'flag', place: (b, t) => none(['--token-file', b.write('t', t)]) },
    {
      name: 'options-env --env',
      step: 'options-env',
      place: (_b, t) => none(['--env', `QOVERY_API_TOKEN=${t}`]),
    },
    { name: 'env', step: 'env', place: (_b, t) => none([], { QOVERY_API_TOKEN: t }) },
    {
      name: "cred's credentials file",
      step: 'file',
      place: (b, t) => {
        b.write('.config/cred/credentials', `[qovery]\ntoken = ${t}\n`);
        return none();
      },
    },
    {
      name: 'Qovery CLI session context.json',
      step: 'session',
      place: (b, t) => {
        b.write(
          '.qovery/context.json',
          JSON.stringify({ access_token: t, access_token_expiration: '2999-01-01T00:00:00Z' }),
        );
        return none();
      },
    },
  ];
}

function pairs(sources: Source[]): [Source, Source][] {
  const out: [Source, Source][] = [];
  for (let i = 0; i < sources.length; i++)
    for (let j = i + 1; j < sources.length; j++) out.push([sources[i]!, sources[j]!]);
  return out;
}

function runWith(b: Sandbox, placed: Placed[], args: string[], env: Record<string, string> = {}): RunResult {
  return b.run([...args, ...placed.flatMap((p) => p.args)], {
    env: Object.assign({}, ...placed.map((p) => p.env), env),
  });
}

interface Step {
  step: string;
  location: string;
  status: string;
  reason?: string;
  fingerprint?: string;
  sameAsUsed?: boolean;
}

function explainJson(r: RunResult) {
  expect(r.stderr).not.toContain('internal error');
  return JSON.parse(r.stdout) as {
    steps: Step[];
    result: { source: { step: string; detail: string } } | null;
    error?: { code: string };
    exitCode: number;
  };
}

describe.each([
  ['podstack', podstackSources(), 'ps-high-token-0001', 'ps-low-token-00002'],
  ['qovery', qoverySources(), 'qv-high-token-0001', jwt('low')],
])('precedence matrix for %s', (provider, sources, high, low) => {
  it.each(pairs(sources).map(([a, b]) => [a.name, b.name, a, b] as const))(
    '%s beats %s',
    (_an, _bn, a, b) => {
      box = sandbox();
      const placed = [a.place(box, high), b.place(box, low)];
      const x = explainJson(runWith(box, placed, ['resolve', provider, '--explain', '--json']));
      expect(x.exitCode).toBe(0);
      expect(x.result?.source.step).toBe(a.step);
      const used = x.steps.filter((s) => s.status === 'used');
      expect(used).toHaveLength(1);
      expect(used[0]!.fingerprint).toBe(fp(high));
      // --env and --env-file merge into one map (--env replaces the file's entry), so the loser
      // of that one pair is gone before the chain runs; every other loser is shown shadowed.
      if (!(a.step === 'options-env' && b.step === 'options-env')) {
        const other = x.steps.find((s) => s.fingerprint === fp(low));
        expect(other?.status).toBe('shadowed');
        expect(other?.sameAsUsed).toBe(false);
      }
      const reveal = runWith(box, placed, ['resolve', provider, '--reveal']);
      expect(reveal.code).toBe(0);
      expect(reveal.stdout).toBe(`${high}\n`);
    },
  );
});

describe('order inside a step', () => {
  it('Qovery env vars: QOVERY_API_TOKEN, then QOVERY_CLI_ACCESS_TOKEN, then Q_CLI_ACCESS_TOKEN', () => {
    box = sandbox();
    const all = {
      QOVERY_API_TOKEN: 'qv-api-token-00001',
      QOVERY_CLI_ACCESS_TOKEN: 'qv-cli-token-00002',
      Q_CLI_ACCESS_TOKEN: 'qv-q-token-0000003',
    };
    expect(box.run(['resolve', 'qovery', '--reveal'], { env: all }).stdout).toBe('qv-api-token-00001\n');
    const two = { ...all, QOVERY_API_TOKEN: undefined };
    expect(box.run(['resolve', 'qovery', '--reveal'], { env: two }).stdout).toBe('qv-cli-token-00002\n');
    const one = { ...two, QOVERY_CLI_ACCESS_TOKEN: undefined };
    const r = box.run(['resolve', 'qovery', '--json'], { env: one });
    expect(JSON.parse(r.stdout).source).toEqual({ step: 'env', detail: 'Q_CLI_ACCESS_TOKEN' });
  });

  it('--env beats --env-file, and a later --env-file beats an earlier one', () => {
    box = sandbox();
    const f1 = box.write('one.env', 'QODER_PERSONAL_ACCESS_TOKEN=pt-from-file-one-1\n');
    const f2 = box.write('two.env', 'QODER_PERSONAL_ACCESS_TOKEN=pt-from-file-two-2\n');
    const files = ['resolve', 'qoder', '--reveal', '--env-file', f1, '--env-file', f2];
    expect(box.run(files).stdout).toBe('pt-from-file-two-2\n');
    expect(box.run([...files, '--env', 'QODER_PERSONAL_ACCESS_TOKEN=pt-from-env-flag-3']).stdout).toBe(
      'pt-from-env-flag-3\n',
    );
  });

  it('flags: --token-stdin, then --token-file, then --token', () => {
    box = sandbox();
    const file = box.write('t', 'pt-from-token-file-2\n');
    const r = box.run(
      [
        'resolve',
        'qoder',
        '--explain',
        '--json',
        '--token-stdin',
        '--token-file',
        file,
        '--token',
        'pt-argv-token-3',
      ],
      { input: 'pt-from-stdin-line-1\nsecond line\n' },
    );
    const x = explainJson(r);
    expect(x.steps.filter((s) => s.step === 'flag').map((s) => [s.location.split(' ')[0], s.status])).toEqual(
      [
        ['--token-stdin', 'used'],
        ['--token-file', 'shadowed'],
        ['--token', 'shadowed'],
      ],
    );
    expect(x.steps[0]!.fingerprint).toBe(fp('pt-from-stdin-line-1'));
  });
});

describe('rules that bend the order', () => {
  it('--from limits the chain, and --explain marks the rest skipped', () => {
    box = sandbox();
    box.write('.config/cred/credentials', '[qoder]\ntoken = pt-file-token-00001\n');
    const env = { QODER_PERSONAL_ACCESS_TOKEN: 'pt-env-token-000002' };
    expect(box.run(['resolve', 'qoder', '--reveal', '--from', 'file'], { env }).stdout).toBe(
      'pt-file-token-00001\n',
    );
    const x = explainJson(
      box.run(['resolve', 'qoder', '--explain', '--json', '--from', 'file,session'], { env }),
    );
    expect(x.steps.find((s) => s.step === 'env')).toMatchObject({
      status: 'skipped',
      reason: 'not in --from',
    });
    expect(x.steps.find((s) => s.step === 'flag')?.status).toBe('skipped');
    expect(x.result?.source.step).toBe('file');
    const envOnly = box.run(['resolve', 'qoder', '--from', 'flag,options-env', '--json']);
    expect(envOnly.code).toBe(3);
    expect(JSON.parse(envOnly.stdout).error.code).toBe('auth_not_configured');
    const bad = box.run(['resolve', 'qoder', '--from', 'env,keychain']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('keychain');
  });

  it('--env-var replaces the provider variable in the options map and the env', () => {
    box = sandbox();
    const env = { QODER_PERSONAL_ACCESS_TOKEN: 'pt-standard-var-001', MY_PAT: 'pt-custom-var-0002' };
    expect(box.run(['resolve', 'qoder', '--reveal', '--env-var', 'MY_PAT'], { env }).stdout).toBe(
      'pt-custom-var-0002\n',
    );
    // A comma list, as the library's string form takes it: the first that is set wins.
    expect(box.run(['resolve', 'qoder', '--reveal', '--env-var', 'UNSET_PAT,MY_PAT'], { env }).stdout).toBe(
      'pt-custom-var-0002\n',
    );
    const viaMap = box.run([
      'resolve',
      'qoder',
      '--reveal',
      '--env-var',
      'MY_PAT',
      '--env',
      'MY_PAT=pt-in-map-0003',
    ]);
    expect(viaMap.stdout).toBe('pt-in-map-0003\n');
    const missing = box.run(['resolve', 'qoder', '--json', '--env-var', 'MY_PAT'], {
      env: { QODER_PERSONAL_ACCESS_TOKEN: 'pt-standard-var-001' },
    });
    expect(missing.code).toBe(3);
    const err = JSON.parse(missing.stdout).error;
    expect(err.code).toBe('auth_access_token_env_var_not_configured');
    expect(err.exitCode).toBe(3);
    expect(err.message).toContain('MY_PAT');
  });

  it('--profile skips the env (explain says why); CRED_PROFILE does not', () => {
    box = sandbox();
    box.write('.podstack/credentials', '[prod]\napi_token = ps-prod-file-00001\n');
    const env = { PODSTACK_API_TOKEN: 'ps-env-token-00002' };
    expect(box.run(['--profile', 'prod', 'resolve', 'podstack', '--reveal'], { env }).stdout).toBe(
      'ps-prod-file-00001\n',
    );
    const x = explainJson(
      box.run(['--profile', 'prod', 'resolve', 'podstack', '--explain', '--json'], { env }),
    );
    const skipped = x.steps.find((s) => s.step === 'env');
    expect(skipped?.status).toBe('skipped');
    expect(skipped?.reason).toContain('--profile prod');
    const ambient = box.run(['resolve', 'podstack', '--json'], { env: { ...env, CRED_PROFILE: 'prod' } });
    expect(JSON.parse(ambient.stdout)).toMatchObject({ profile: 'prod', source: { step: 'env' } });
  });

  it('nothing found under an explicit --profile: the hint offers what serves a profile, not an export', () => {
    box = sandbox();
    const r = box.run(['--profile', 'nope', 'resolve', 'qoder']);
    expect(r.code).toBe(3);
    const hint = r.stderr.split('\n').find((l) => l.startsWith('cred: hint:'));
    expect(hint).toBe(
      'cred: hint: run `cred login qoder --profile nope`, or add a [qoder:nope] section to ~/.config/cred/credentials (the environment serves no --profile)',
    );
    const custom = box.run(['--profile', 'nope', 'resolve', 'qoder', '--env-var', 'MY_PAT']);
    expect(custom.stderr).toContain(
      'cred: hint: pass it with --env MY_PAT=… (the environment serves no --profile)',
    );
    // Without --profile, exporting the variable is the fix.
    expect(box.run(['resolve', 'qoder']).stderr).toContain(
      'cred: hint: export QODER_PERSONAL_ACCESS_TOKEN=…, or run `cred login qoder`',
    );
  });

  it('NAME_FILE is read when NAME is unset (trailing newline trimmed)', () => {
    box = sandbox();
    const file = box.write('secret', 'pt-docker-secret-0001\n');
    const r = box.run(['resolve', 'qoder', '--json', '--reveal'], {
      env: { QODER_PERSONAL_ACCESS_TOKEN_FILE: file },
    });
    const out = JSON.parse(r.stdout);
    expect(out.token).toBe('pt-docker-secret-0001');
    expect(out.source.step).toBe('env');
    expect(out.source.detail).toContain('QODER_PERSONAL_ACCESS_TOKEN_FILE');
    // An empty NAME counts as unset, so NAME_FILE is still read.
    const empty = box.run(['resolve', 'qoder', '--reveal'], {
      env: { QODER_PERSONAL_ACCESS_TOKEN: '', QODER_PERSONAL_ACCESS_TOKEN_FILE: file },
    });
    expect(empty.stdout).toBe('pt-docker-secret-0001\n');
  });

  it('NAME and NAME_FILE both set: exit 7 naming both', () => {
    box = sandbox();
    const file = box.write('secret', 'pt-docker-secret-0001\n');
    const r = box.run(['resolve', 'qoder'], {
      env: { QODER_PERSONAL_ACCESS_TOKEN: 'pt-direct-value-0002', QODER_PERSONAL_ACCESS_TOKEN_FILE: file },
    });
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('QODER_PERSONAL_ACCESS_TOKEN and QODER_PERSONAL_ACCESS_TOKEN_FILE');
    expect(r.stdout).toBe('');
  });

  it('a set-but-empty variable counts as unset, and --explain says so', () => {
    box = sandbox();
    box.write('.config/cred/credentials', '[qoder]\ntoken = pt-file-token-00001\n');
    const env = { QODER_PERSONAL_ACCESS_TOKEN: '' };
    expect(box.run(['resolve', 'qoder', '--reveal'], { env }).stdout).toBe('pt-file-token-00001\n');
    const x = explainJson(box.run(['resolve', 'qoder', '--explain', '--json'], { env }));
    const step = x.steps.find((s) => s.step === 'env');
    expect(step?.status).toBe('empty');
    expect(step?.reason).toContain('counts as unset');
    const blank = explainJson(
      box.run(['resolve', 'qoder', '--explain', '--json'], { env: { QODER_PERSONAL_ACCESS_TOKEN: '   ' } }),
    );
    expect(blank.steps.find((s) => s.step === 'env')?.status).toBe('empty');
  });

  it('a different shadowed token gives one warning on stderr; the same token gives none', () => {
    box = sandbox();
    box.write('.config/cred/credentials', '[qoder]\ntoken = pt-file-token-00001\n');
    box.write('.podstack/credentials', '[default]\napi_token = ps-unrelated-00001\n');
    const diff = box.run(['resolve', 'qoder'], {
      env: { QODER_PERSONAL_ACCESS_TOKEN: 'pt-env-token-000002' },
    });
    expect(diff.code).toBe(0);
    const warnings = diff.stderr.split('\n').filter((l) => l.includes('different token'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('~/.config/cred/credentials [qoder]');
    expect(warnings[0]).toContain('QODER_PERSONAL_ACCESS_TOKEN');
    const same = box.run(['resolve', 'qoder'], {
      env: { QODER_PERSONAL_ACCESS_TOKEN: 'pt-file-token-00001' },
    });
    expect(same.code).toBe(0);
    expect(same.stderr).toBe('');
  });

  it('--explain shows a shadowed copy of the same token as the same', () => {
    box = sandbox();
    box.write('.config/cred/credentials', '[qoder]\ntoken = pt-file-token-00001\n');
    const x = explainJson(
      box.run(['resolve', 'qoder', '--explain', '--json'], {
        env: { QODER_PERSONAL_ACCESS_TOKEN: 'pt-file-token-00001' },
      }),
    );
    expect(x.steps.find((s) => s.step === 'file')).toMatchObject({ status: 'shadowed', sameAsUsed: true });
  });
});
