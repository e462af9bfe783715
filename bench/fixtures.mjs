// What both benches feed cred: its three tokens in the environment, and credentials files of n
// profiles.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export const TOKENS = {
  QODER_PERSONAL_ACCESS_TOKEN: 'pt-bench0123456789abcdef0123',
  PODSTACK_API_TOKEN: 'ps-bench0123456789abcdef0123',
  QOVERY_API_TOKEN: 'qov-bench0123456789abcdef012',
};

/** A credentials file of n profiles. The benches ask for the last one, so all of it is read and checked. */
export function credentialsText(n) {
  const lines = [];
  for (let i = 1; i <= n; i++) {
    lines.push(`[qoder:p${i}]`, `token = pt-profile${String(i).padStart(6, '0')}abcdef0123456789`, '');
  }
  return lines.join('\n');
}

/** Writes `credentials-<n>` in `dir`, 0600 as cred wants it, and returns its path. */
export function writeCredentialsFile(dir, n) {
  const file = path.join(dir, `credentials-${n}`);
  writeFileSync(file, credentialsText(n), { mode: 0o600 });
  return file;
}

/**
 * Writes `spawn-true.cjs` in `dir` and returns its path: the reference case, a Node program that only
 * loads node:child_process, spawns `true` and waits — the least `cred run -- true` can cost.
 */
export function writeSpawnTrue(dir) {
  const file = path.join(dir, 'spawn-true.cjs');
  writeFileSync(
    file,
    "require('node:child_process').spawn('true', { stdio: 'inherit' }).on('exit', (c) => { process.exitCode = c; });\n",
  );
  return file;
}
