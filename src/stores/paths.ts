// Where cred's own files live, and how paths are shown to a user (with ~ for the home folder).
import { isAbsolute, join as joinPath, sep } from 'node:path';
import type { Deps } from '../deps.js';
import { quoteInput, TOKEN_SIZED } from '../output/redact.js';

/**
 * A path as a file name to open: a relative one is the user's, relative to the working folder cred
 * was given (deps.cwd), not to whatever process.cwd() is in a library caller. An absolute one does
 * not ask for the folder, which may be gone ('.' then: the path stays relative).
 */
export function inWorkingFolder(p: string, deps: Pick<Deps, 'cwd'>): string {
  return isAbsolute(p) ? p : joinPath(deps.cwd, p);
}

export function expandHome(p: string, deps: Pick<Deps, 'homedir'>): string {
  if (p === '~') return deps.homedir;
  if (p.startsWith('~/')) return joinPath(deps.homedir, p.slice(2));
  return p;
}

/**
 * A path as messages show it: ~ for the home folder. A bare word of 16 or more characters (no
 * folder in it) is shown by its length only: cred's own and the providers' paths always have a
 * folder, so such a word came from the user, and it is most likely a token typed where a path
 * belongs (`--token-file $TOKEN`, `NAME_FILE=$TOKEN`), which must not come back on stderr
 * (docs/decisions.md).
 */
export function displayPath(p: string, deps: Pick<Deps, 'homedir'>): string {
  if (looksPasted(p)) return quoteInput(p);
  const home = deps.homedir;
  if (home && home !== '/' && (p === home || p.startsWith(home + sep))) return `~${p.slice(home.length)}`;
  return p;
}

function looksPasted(p: string): boolean {
  return p.length >= TOKEN_SIZED && !p.includes('/') && !p.includes(sep);
}

/**
 * A file the user named, once cred has resolved it (against the working folder, through a
 * symlink): shown as resolved, unless what was given looks like a pasted token (displayPath).
 */
export function displayGivenPath(given: string, resolved: string, deps: Pick<Deps, 'homedir'>): string {
  return displayPath(looksPasted(given) ? given : resolved, deps);
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
