// Plugin modules named by `plugins =` in the config file: a file next to the config, a package
// installed next to it, written against the library's defineProvider; and broken ones, which are
// reported by name while the built-ins (and the other providers) keep working.
import { symlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, type Sandbox, sandbox } from '../helpers/cli.js';

let box: Sandbox;
afterEach(() => box?.cleanup());

const CFG = '.config/cred';
const QODER = { QODER_PERSONAL_ACCESS_TOKEN: 'pt-builtinstillworks01' };

/** The plugin imports the library as a user's would: `import { defineProvider } from 'cred'`. */
function linkLibrary(b: Sandbox): void {
  b.write(`${CFG}/node_modules/.keep`, '');
  symlinkSync(ROOT, b.path(`${CFG}/node_modules/cred`));
}

const FOO_PLUGIN = `import { defineProvider } from 'cred';
export default defineProvider({
  id: 'foo',
  name: 'Foo Cloud',
  envVars: ['FOO_TOKEN'],
  header: { name: 'Authorization', template: 'Token {token}' },
  prefix: 'foo_',
  verify: { url: 'https://api.foo.test/whoami', identity: (b) => b.login },
});
`;

function providers(b: Sandbox, env: Record<string, string> = {}) {
  const r = b.run(['providers', '--json'], { env });
  expect(r.code, r.stderr).toBe(0);
  return { list: JSON.parse(r.stdout) as { id: string; origin: string; header: string }[], stderr: r.stderr };
}

describe('plugins', () => {
  it('loads a module file relative to the config folder, written with defineProvider', () => {
    box = sandbox();
    linkLibrary(box);
    box.write(`${CFG}/plugins/foo.mjs`, FOO_PLUGIN);
    box.write(`${CFG}/config`, 'plugins = ./plugins/foo.mjs\n');
    const { list, stderr } = providers(box);
    expect(stderr).toBe('');
    expect(list.find((p) => p.id === 'foo')).toMatchObject({
      header: 'Authorization: Token {token}',
      origin: 'plugin ./plugins/foo.mjs',
    });
    const r = box.run(['resolve', 'foo', '--json'], { env: { FOO_TOKEN: 'foo_0123456789abcdef' } });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      source: { step: 'env', detail: 'FOO_TOKEN' },
      redacted: 'foo_…cdef',
      header: { name: 'Authorization', value: 'Token foo_…cdef' },
    });
  });

  it("a plugin giving a built-in a new header replaces the built-in's own rule (Qovery JWTs)", () => {
    box = sandbox();
    linkLibrary(box);
    box.write(
      `${CFG}/qovery-key.mjs`,
      `import { defineProvider } from 'cred';
export default defineProvider({ id: 'qovery', name: 'Qovery', envVars: ['QOVERY_API_TOKEN'],
  header: { name: 'X-Qovery-Key', template: '{token}' } });
`,
    );
    box.write(`${CFG}/config`, 'plugins = ./qovery-key.mjs\n');
    const jwt = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.eyJzdWIiOiJ1In0.c2ln`;
    const r = box.run(['header', 'qovery'], { env: { QOVERY_API_TOKEN: jwt } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`X-Qovery-Key: ${jwt}\n`);
  });

  it('loads a package installed next to the config file: named `providers`, several at once', () => {
    box = sandbox();
    box.write(
      `${CFG}/node_modules/cred-plugin-pair/package.json`,
      JSON.stringify({
        name: 'cred-plugin-pair',
        type: 'module',
        exports: { '.': { import: './index.js' } },
      }),
    );
    box.write(
      `${CFG}/node_modules/cred-plugin-pair/index.js`,
      `const base = { header: { name: 'Authorization', template: 'Bearer {token}' } };
export const providers = [
  { ...base, id: 'alpha', name: 'Alpha', envVars: ['ALPHA_TOKEN'] },
  { ...base, id: 'beta', name: 'Beta', envVars: ['BETA_TOKEN'] },
];
`,
    );
    box.write(`${CFG}/config`, 'plugins = cred-plugin-pair\n[provider "beta"]\nprefix = b_\n');
    const { list } = providers(box);
    expect(list.find((p) => p.id === 'alpha')?.origin).toBe('plugin cred-plugin-pair');
    // A config section applies after the plugins, so it can extend a plugin's provider.
    expect(list.find((p) => p.id === 'beta')?.origin).toBe(
      'plugin cred-plugin-pair, extended by ~/.config/cred/config',
    );
    const r = box.run(['resolve', 'alpha', '--reveal'], { env: { ALPHA_TOKEN: 'alpha-secret-value' } });
    expect(r.stdout).toBe('alpha-secret-value\n');
  });

  it('a CommonJS plugin exporting a provider works too', () => {
    box = sandbox();
    box.write(
      `${CFG}/gamma.cjs`,
      `module.exports = { provider: { id: 'gamma', name: 'Gamma', envVars: ['GAMMA_TOKEN'], header: { name: 'Authorization', template: 'Bearer {token}' } } };\n`,
    );
    box.write(`${CFG}/config`, 'plugins = ./gamma.cjs\n');
    expect(providers(box).list.map((p) => p.id)).toContain('gamma');
  });
});

describe('broken plugins', () => {
  const cases: [string, string, string][] = [
    ['syntax.mjs', 'export default {{\n', 'could not be loaded: SyntaxError'],
    ['throws.mjs', "throw new Error('boom at load');\n", 'could not be loaded: Error: boom at load'],
    ['empty.mjs', 'export const nothing = 1;\n', 'exports no providers'],
    // There, but importing a package that is not installed beside it: not "was not found".
    [
      'deps.mjs',
      "import 'no-such-package-x9';\nexport default {};\n",
      "could not be loaded: Error: Cannot find package 'no-such-package-x9'",
    ],
    [
      'invalid.mjs',
      "export default { id: 'bad', name: 'Bad', envVars: ['1X'], header: { name: 'A', template: '{token}' } };\n",
      'has an invalid provider "bad"',
    ],
    [
      'notemplate.mjs',
      "export default { id: 'bad', name: 'Bad', envVars: ['X'], header: { name: 'A', template: 'x' } };\n",
      'header template must contain {token}',
    ],
    [
      'stringenv.mjs',
      "export default { id: 'bad', envVars: 'X_TOKEN', header: { name: 'A', template: '{token}' } };\n",
      'has an invalid provider "bad": envVars must be a non-empty list of variable names',
    ],
    [
      'badheader.mjs',
      "export default { id: 'bad', envVars: ['X'], header: { name: 'Bad Name:', template: '{token}' } };\n",
      'is not a valid header name',
    ],
  ];

  it.each(cases)('%s: a warning naming it; built-ins and other plugins keep working', (file, source, why) => {
    box = sandbox();
    linkLibrary(box);
    box.write(`${CFG}/${file}`, source);
    box.write(`${CFG}/foo.mjs`, FOO_PLUGIN);
    box.write(`${CFG}/config`, `plugins = ./${file}, ./foo.mjs\n\n[provider "acme"]\nenv = ACME_TOKEN\n`);
    const r = box.run(['resolve', 'qoder', '--json'], { env: QODER });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).source.detail).toBe('QODER_PERSONAL_ACCESS_TOKEN');
    expect(r.stderr).toContain(`cred: warning: plugin ./${file} (~/.config/cred/config, line 1)`);
    expect(r.stderr).toContain(why);
    expect(r.stderr).toContain('its providers are not available');
    expect(r.stderr).not.toContain('pt-builtinstillworks01');
    const ids = providers(box).list.map((p) => p.id);
    expect(ids).toEqual(['qoder', 'podstack', 'qovery', 'foo', 'acme']);
  });

  it('a headerFor that returns no valid header: header and whoami stop with exit 2, naming the provider, never the token', () => {
    box = sandbox();
    box.write(
      `${CFG}/odd.mjs`,
      "export default { id: 'odd', envVars: ['ODD_TOKEN'], header: { name: 'Authorization', template: 'Bearer {token}' }, headerFor: () => 42, verify: { url: 'http://127.0.0.1:9/x' } };\n",
    );
    box.write(`${CFG}/config`, 'plugins = ./odd.mjs\n');
    for (const args of [
      ['header', 'odd', '--reveal'],
      ['whoami', 'odd'],
      ['resolve', 'odd', '--json'],
    ]) {
      const r = box.run(args, { env: { ODD_TOKEN: 'odd_token_value_000001' } });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('provider "odd": headerFor');
      expect(r.stdout + r.stderr).not.toContain('odd_token_value_000001');
    }
  });

  it('a missing plugin file or package is named, with where cred looked', () => {
    box = sandbox();
    box.write(`${CFG}/config`, 'plugins = ./nowhere.mjs, cred-plugin-nowhere\n');
    const r = box.run(['resolve', 'qoder'], { env: QODER });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `plugin ./nowhere.mjs (~/.config/cred/config, line 1) was not found (looked for ${box.home}/.config/cred/nowhere.mjs)`,
    );
    expect(r.stderr).toContain(
      'plugin cred-plugin-nowhere (~/.config/cred/config, line 1) was not found: install the package',
    );
  });

  it('--quiet silences the warning; asking for a provider the broken plugin held is exit 2', () => {
    box = sandbox();
    box.write(`${CFG}/broken.mjs`, 'export default {{\n');
    box.write(`${CFG}/config`, 'plugins = ./broken.mjs\n[provider "ext"]\nprefix = x_\n');
    let r = box.run(['--quiet', 'resolve', 'qoder'], { env: QODER });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    // The section could only have extended a provider of the broken plugin: skipped with a note.
    r = box.run(['resolve', 'ext']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('plugin ./broken.mjs');
    expect(r.stderr).toContain('[provider "ext"] was skipped');
    expect(r.stderr).toContain('unknown provider "ext"');
  });
});
