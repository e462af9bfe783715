// Colour, loaded only when it will be used: stdout is a terminal and neither --no-color nor
// NO_COLOR says otherwise. Piped output (the fast path in prompts and CI) never loads chalk.
import type { Env } from '../deps.js';

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  red(s: string): string;
}

export const PLAIN: Style = { bold: String, dim: String, green: String, yellow: String, red: String };

export function colorWanted(opts: { color?: boolean }, env: Env, isTTY: boolean): boolean {
  if (opts.color === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTTY;
}

export async function loadStyle(enabled: boolean): Promise<Style> {
  if (!enabled) return PLAIN;
  const { Chalk } = await import('chalk');
  const c = new Chalk({ level: 1 });
  return { bold: c.bold, dim: c.dim, green: c.green, yellow: c.yellow, red: c.red };
}
