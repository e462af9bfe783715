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
