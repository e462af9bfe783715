// The built-in providers, in the order `cred providers`, `cred status` and `cred env` list them.
import type { Provider } from '../src/provider.js';
import { podstack } from './podstack.js';
import { qoder } from './qoder.js';
import { qovery } from './qovery.js';

export const builtinProviders: readonly Provider[] = [qoder, podstack, qovery];
