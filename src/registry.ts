// The provider registry: built-ins first, then whatever a config file or plugin adds. A later
// definition with the same id extends (replaces fields of) the earlier one, so a config section
// `[provider "qoder"]` can add a session_command to the built-in.
import { builtinProviders } from '../providers/index.js';
import { UnknownProviderError } from './errors.js';
import { defineProvider, type Provider, type ProviderDefinition } from './provider.js';

export class Registry {
  readonly #providers = new Map<string, Provider>();

  constructor(initial: readonly Provider[] = builtinProviders) {
    for (const p of initial) this.#providers.set(p.id, p);
  }

  /** Adds a provider, or extends the one with the same id. */
  register(def: ProviderDefinition | Provider): Provider {
    // Not an object: defineProvider's typed refusal, before def.id is read.
    if (typeof def !== 'object' || def === null) return defineProvider(def);
    const existing = this.#providers.get(def.id);
    if (!existing) return this.#set(defineProvider(def));
    // Only the fields given: a key present as undefined must not erase the existing value.
    const given = Object.fromEntries(
      Object.entries(def).filter(([, v]) => v !== undefined),
    ) as Partial<ProviderDefinition>;
    const extended: ProviderDefinition = {
      ...existing,
      ...given,
      origin: `${existing.origin}, extended by ${def.origin ?? 'code'}`,
    };
    // A different header replaces the old provider's own rule for it (Qovery's JWT-means-Bearer)
    // unless it brings its own: otherwise the new header would never apply. The same header given
    // again (plugins must pass one), or none (a partial extension), keeps the rule.
    const sameHeader =
      given.header === undefined ||
      (given.header.name === existing.header.name && given.header.template === existing.header.template);
    if (!sameHeader && extended.headerFor === existing.headerFor) {
      extended.headerFor = undefined;
    }
    // The rule's description goes with the rule it describes.
    if (extended.headerFor !== existing.headerFor && given.headerRule === undefined) {
      extended.headerRule = undefined;
    }
    return this.#set(defineProvider(extended));
  }

  #set(provider: Provider): Provider {
    this.#providers.set(provider.id, provider);
    return provider;
  }

  get(id: string): Provider {
    const p = this.#providers.get(id);
    if (!p) throw new UnknownProviderError(id, this.ids());
    return p;
  }

  has(id: string): boolean {
    return this.#providers.has(id);
  }

  ids(): string[] {
    return [...this.#providers.keys()];
  }

  list(): Provider[] {
    return [...this.#providers.values()];
  }
}

/** The registry the library functions use when none is passed. */
export const defaultRegistry = new Registry();

export function registerProvider(def: ProviderDefinition): Provider {
  return defaultRegistry.register(def);
}
