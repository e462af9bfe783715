// The config file (SPEC §7) that declares providers. The pluggable-provider work fills this in; for
// now only the built-ins exist and this is the seam the CLI calls.
import type { Deps } from './deps.js';
import type { Registry } from './registry.js';

export async function loadConfigProviders(
  _registry: Registry,
  _deps: Deps,
  _override?: string,
): Promise<void> {}
