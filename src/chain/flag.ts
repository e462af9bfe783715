// Step 1, flags: --token-stdin, --token-file, --token (in that order when several are given).
import { displayPath, expandHome } from '../stores/paths.js';
import { fileValueFinding, guarded, valueFinding } from './found.js';
import type { ChainContext, Finding } from './types.js';

export async function* fromFlag(ctx: ChainContext): AsyncGenerator<Finding> {
  const { token, tokenFile, tokenStdin } = ctx.flags;
  if (!tokenStdin && tokenFile === undefined && token === undefined) {
    yield {
      step: 'flag',
      location: '--token-stdin, --token-file, --token',
      status: 'missing',
      reason: 'not given',
    };
    return;
  }
  if (tokenStdin) {
    yield await guarded('flag', '--token-stdin', async () =>
      valueFinding(ctx, 'flag', '--token-stdin', await ctx.readStdinLine()),
    );
  }
  if (tokenFile !== undefined) {
    const path = expandHome(tokenFile, ctx.deps);
    const location = `--token-file ${displayPath(path, ctx.deps)}`;
    const absent = `token file ${displayPath(path, ctx.deps)} does not exist`;
    yield await fileValueFinding(ctx, 'flag', location, path, 'token file', absent);
  }
  if (token !== undefined) {
    ctx.note(
      '--token puts the token in argv, where other users can see it (ps); prefer --token-stdin or --token-file',
    );
    yield valueFinding(ctx, 'flag', '--token', token);
  }
}
