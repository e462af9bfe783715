// Step 3, the process env. `NAME_FILE` (the Docker/Kubernetes secret convention) is read when `NAME`
// is unset or empty; both set is an error naming both, as Docker's official entrypoints do.
import { StoreError } from '../errors.js';
import { displayPath } from '../stores/paths.js';
import { fileValueFinding, valueFinding } from './found.js';
import type { ChainContext, Finding } from './types.js';

export async function* fromEnv(ctx: ChainContext): AsyncGenerator<Finding> {
  const env = ctx.deps.env;
  for (const name of ctx.envVars) {
    const direct = env[name];
    const fileVar = `${name}_FILE`;
    const filePath = env[fileVar];
    if (direct && filePath) {
      const err = new StoreError(
        `both ${name} and ${fileVar} are set; unset one of them`,
        `${name} holds the value itself, ${fileVar} names a file that holds it`,
      );
      yield { step: 'env', location: name, status: 'error', reason: err.message, error: err };
      continue;
    }
    if (direct) {
      yield valueFinding(ctx, 'env', name, direct);
      continue;
    }
    if (filePath) {
      const location = `${fileVar} (${displayPath(filePath, ctx.deps)})`;
      const absent = `${fileVar} names ${displayPath(filePath, ctx.deps)}, which does not exist`;
      yield await fileValueFinding(ctx, 'env', location, filePath, `file named by ${fileVar},`, absent);
      continue;
    }
    yield direct === ''
      ? { step: 'env', location: name, status: 'empty', reason: 'set but empty (counts as unset)' }
      : { step: 'env', location: name, status: 'missing', reason: 'not set' };
  }
}
