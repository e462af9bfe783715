// Where cred's own files live, and how paths are shown to a user (with ~ for the home folder).
import { isAbsolute, join as joinPath, sep } from 'node:path';
import type { Deps } from '../deps.js';

export function expandHome(p: string, deps: Pick<Deps, 'homedir'>): string {
  if (p === '~') return deps.homedir;
  if (p.startsWith('~/')) return joinPath(deps.homedir, p.slice(2));
  return p;
}

export function displayPath(p: string, deps: Pick<Deps, 'homedir'>): string {
  const home = deps.homedir;
  if (home && home !== '/' && (p === home || p.startsWith(home + sep))) return `~${p.slice(home.length)}`;
  return p;
}

/** `$XDG_CONFIG_HOME/cred`, else `~/.config/cred`. */
export function configDir(deps: Pick<Deps, 'env' | 'homedir'>): string {
  const xdg = deps.env.XDG_CONFIG_HOME;
  return joinPath(xdg && isAbsolute(xdg) ? xdg : joinPath(deps.homedir, '.config'), 'cred');
}

/** `--credentials-file`, else `$CRED_CREDENTIALS_FILE`, else `<config dir>/credentials`. */
export function credentialsPath(deps: Pick<Deps, 'env' | 'homedir'>, override?: string): string {
  const p = override || deps.env.CRED_CREDENTIALS_FILE;
  return p ? expandHome(p, deps) : joinPath(configDir(deps), 'credentials');
}

/** `--config`, else `$CRED_CONFIG`, else `<config dir>/config`. */
export function configPath(deps: Pick<Deps, 'env' | 'homedir'>, override?: string): string {
  const p = override || deps.env.CRED_CONFIG;
  return p ? expandHome(p, deps) : joinPath(configDir(deps), 'config');
}
