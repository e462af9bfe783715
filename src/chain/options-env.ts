// Step 2, options.env: the explicit map from --env-file/--env (or the library's options.env). It beats
// the process env, as the Qoder SDK documents.
import { valueFinding } from './found.js';
import type { ChainContext, Finding } from './types.js';

export async function* fromOptionsEnv(ctx: ChainContext): AsyncGenerator<Finding> {
  const map = ctx.optionsEnv;
  if (!map) {
    yield { step: 'options-env', location: '--env-file, --env', status: 'missing', reason: 'not given' };
    return;
  }
  for (const name of ctx.envVars) {
    const origin = map.origins[name];
    const location = origin ? `${name} (${origin})` : name;
    if (!Object.hasOwn(map.vars, name)) {
      yield { step: 'options-env', location, status: 'missing', reason: 'not in the map' };
    } else {
      yield valueFinding(ctx, 'options-env', location, map.vars[name]!);
    }
  }
}
