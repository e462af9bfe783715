// A provider's configured session_command (SPEC §7). Placeholder until pluggable providers land:
// it reports that the command is not run yet rather than pretending to find nothing.
import type { ChainContext, Finding } from './types.js';

export async function fromSessionCommand(ctx: ChainContext): Promise<Finding> {
  const location = `session_command ${ctx.provider.sessionCommand?.[0] ?? ''}`;
  return { step: 'session', location, status: 'skipped', reason: 'session_command is not supported yet' };
}
