// What every command receives: ambient state (Deps), the parsed global options, the registry (built
// on first use, since a config file may add providers), and the streams with the rules for them:
// diagnostics on stderr, only the promised output on stdout.
import type { Command } from 'commander';
import { loadConfigProviders } from '../config.js';
import type { Deps } from '../deps.js';
import type { CredError } from '../errors.js';
import { colorWanted, loadStyle, type Style } from '../output/style.js';
import { Registry } from '../registry.js';

export interface GlobalOptions {
  profile?: string;
  json?: boolean;
  color?: boolean;
  config?: string;
  quiet?: boolean;
  debug?: boolean;
}

export class CliContext {
  readonly deps: Deps;
  exitCode = 0;
  #registry: Promise<Registry> | undefined;
  #warned = new Set<string>();
  #program: Command | undefined;

  constructor(deps: Deps) {
    this.deps = deps;
  }

  attach(program: Command): void {
    this.#program = program;
  }

  get global(): GlobalOptions {
    return (this.#program?.opts() ?? {}) as GlobalOptions;
  }

  /** The registry: built-ins plus whatever the config file declares (loaded once, on first use). */
  registry(): Promise<Registry> {
    this.#registry ??= this.#loadRegistry();
    return this.#registry;
  }

  async #loadRegistry(): Promise<Registry> {
    const registry = new Registry();
    await loadConfigProviders(registry, this.deps, this.global.config, (m) => this.warn(m));
    return registry;
  }

  out(text: string): void {
    this.deps.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  err(text: string): void {
    this.deps.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  json(value: unknown): void {
    this.out(JSON.stringify(value, null, 2));
  }

  /**
   * A failure on stderr: `cred: error: …` and, when there is one, `cred: hint: …`. `about` names the
   * provider when a command reports several; `messageShown` when stdout already carries the message.
   */
  reportError(e: CredError, about?: string, messageShown = false): void {
    const prefix = about ? `${about}: ` : '';
    if (!messageShown) this.err(`cred: error: ${prefix}${e.message}`);
    if (e.suggestion) this.err(`cred: hint: ${prefix}${e.suggestion}`);
  }

  /** Warnings name sources, never values; each is printed once, and not at all with --quiet. */
  warn(message: string): void {
    if (this.global.quiet || this.#warned.has(message)) return;
    this.#warned.add(message);
    this.err(`cred: warning: ${message}`);
  }

  debug(message: string): void {
    if (this.global.debug) this.err(`cred: debug: ${message}`);
  }

  style(): Promise<Style> {
    return loadStyle(colorWanted(this.global, this.deps.env, this.deps.isTTY.stdout));
  }
}
