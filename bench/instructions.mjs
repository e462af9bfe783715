// `npm run bench:instructions`: how many CPU instructions cred adds to starting Node, counted by
// valgrind (callgrind). Wall-clock ratios (bench/run.mjs) are what users feel, but on a shared
// 2-core machine their noise (±3 %) hides the 0.2 ms changes that start-up work is made of;
// instruction counts are exact and repeatable, so this is what to compare two builds with.
//
// Repeatable needs three things: no address-space randomization (setarch -R), a fixed V8 random
// seed (--random-seed, from which V8 also derives its hash seed), and code caches made under that
// same flag (V8 rejects a cache made under other flags), so the caches are remade in a copy of bin/
// and dist/. Not --hash-seed: it changes the flag hash that Node's own embedded code cache for its
// built-in modules was made under, so V8 rejects that cache and every built-in a run loads is
// compiled from source, which counted node:child_process at 55 M instructions instead of 18 M.
// Instructions are not milliseconds (system calls, page faults and the child of `run` are not
// counted), so this complements bench/run.mjs and does not replace it.
//
//   node bench/instructions.mjs [--no-build]
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCodeCaches } from '../scripts/code-cache.mjs';
import { TOKENS, writeCredentialsFile, writeSpawnTrue } from './fixtures.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FLAGS = ['--random-seed=1'];

for (const tool of ['valgrind', 'setarch']) {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
    console.error(`bench:instructions needs ${tool} on PATH (Debian: apt-get install valgrind util-linux)`);
    process.exit(1);
  }
}
if (!process.argv.includes('--no-build')) {
  execFileSync(process.execPath, ['scripts/build.mjs', '--no-types'], { cwd: ROOT, stdio: 'inherit' });
}

const work = mkdtempSync(path.join(os.tmpdir(), 'cred-instructions-'));
const home = path.join(work, 'home');
const copy = path.join(work, 'cred');
for (const part of ['bin', 'dist', 'package.json']) {
  cpSync(path.join(ROOT, part), path.join(copy, part), { recursive: true });
}
symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
writeCodeCaches(path.join(copy, 'dist', 'cli.cjs'), { nodeFlags: FLAGS });

const fileCase = (n) => [
  `\`cred resolve qoder --profile p${n}\` (${n.toLocaleString('en')}-profile file)`,
  cred('resolve', 'qoder', '--profile', `p${n}`, '--credentials-file', writeCredentialsFile(work, n)),
  {},
];

/**
 * Instructions one run executes (the process itself, not its children). `cred run` replaces its
 * process with the command (execvpe), which ends valgrind without its summary, so callgrind also
 * dumps its counts on entering execve (execvpe's first try): that dump, of the process valgrind
 * started, is the count of a run that never exits.
 */
function count(args, env) {
  const log = path.join(work, 'valgrind.log');
  const dumps = path.join(work, 'callgrind');
  rmSync(dumps, { recursive: true, force: true });
  mkdirSync(dumps);
  const r = spawnSync(
    'setarch',
    [
      '-R',
      'valgrind',
      '--tool=callgrind',
      '--dump-before=execve',
      `--callgrind-out-file=${dumps}/%p`,
      `--log-file=${log}`,
      ...args,
    ],
    {
      env: { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
  const text = readFileSync(log, 'utf8');
  const collected = /Collected\s*:\s*(\d+)/.exec(text);
  if (collected) return Number(collected[1]);
  const pid = /^==(\d+)==/m.exec(text)?.[1];
  const dump = pid && existsSync(`${dumps}/${pid}.1`) ? readFileSync(`${dumps}/${pid}.1`, 'utf8') : '';
  const summary = /^summary: (\d+)$/m.exec(dump);
  if (!summary) throw new Error(`no instruction count for ${args.join(' ')}`);
  return Number(summary[1]);
}

const spawnTrue = writeSpawnTrue(work);
const cred = (...args) => [process.execPath, ...FLAGS, path.join(copy, 'bin', 'cred'), ...args];
const CASES = [
  [
    '`cred resolve qoder` (token in env)',
    cred('resolve', 'qoder'),
    { QODER_PERSONAL_ACCESS_TOKEN: TOKENS.QODER_PERSONAL_ACCESS_TOKEN },
  ],
  [
    '`cred header qoder` (token in env)',
    cred('header', 'qoder'),
    { QODER_PERSONAL_ACCESS_TOKEN: TOKENS.QODER_PERSONAL_ACCESS_TOKEN },
  ],
  ['`cred env` (all three providers in env)', cred('env'), TOKENS],
  ['`cred run -- true` (all three in env; cred only, not `true`)', cred('run', '--', 'true'), TOKENS],
  [
    '`cred run --mask -- true` (spawns `true` and waits; cred only)',
    cred('run', '--mask', '--', 'true'),
    TOKENS,
  ],
  fileCase(1000),
  fileCase(10000),
  fileCase(100000),
  ['`cred status` (all three in env)', cred('status'), TOKENS],
  [
    'reference, no cred: Node spawning `true` (`node spawn-true.cjs`)',
    [process.execPath, ...FLAGS, spawnTrue],
    {},
  ],
];

const started = Date.now();
const floor = count([process.execPath, ...FLAGS, '-e', '0'], {});
const counts = CASES.map(([name, args, env]) => [name, count(args, env)]);
const rows = counts.map(
  ([name, n]) => `| ${name} | ${((n - floor) / 1e6).toFixed(1)} M | ${(n / floor).toFixed(3)}× |`,
);
// What each profile adds over the token from the environment: flat means linear.
const countOf = (prefix) => counts.find(([name]) => name.startsWith(prefix))[1];
const perProfile = (n) =>
  (countOf(`\`cred resolve qoder --profile p${n}\``) - countOf('`cred resolve qoder`')) / n;
const [p1k, p10k, p100k] = [1000, 10000, 100000].map(perProfile);
rmSync(work, { recursive: true, force: true });

const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
  cwd: ROOT,
  encoding: 'utf8',
}).stdout.trim();
const report = `# Instruction counts

Produced by \`npm run bench:instructions\` (\`node bench/instructions.mjs\`), ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC,
commit \`${commit}\`, in ${Math.round((Date.now() - started) / 1000)} s, on Node ${process.version}.

Instructions executed by the process (valgrind callgrind, no address-space randomization, V8's
random seed fixed, code caches made under the same flag), against \`node -e 0\` under the same conditions:
${(floor / 1e6).toFixed(1)} M instructions. The same build gives the same counts on every run.

| case | instructions above \`node -e 0\` | ratio of instructions |
|---|---:|---:|
${rows.join('\n')}

Instructions each profile of a credentials file adds over the token from the environment (the profile
asked for is the last, so the whole file is read and checked): ${Math.round(p1k)} at 1,000 profiles,
${Math.round(p10k)} at 10,000, ${Math.round(p100k)} at 100,000 (${p100k <= p10k * 1.1 ? 'linear: the cost per profile does not grow with the file' : '**worse than linear**'}).
`;
writeFileSync(path.join(ROOT, 'bench', 'INSTRUCTIONS.md'), report);
console.log(report);
