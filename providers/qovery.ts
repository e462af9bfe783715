// Qovery: API tokens go in `Authorization: Token <t>` (not Bearer), but a JWT — what `qovery auth`
// leaves in ~/.qovery/context.json, and what QOVERY_CLI_ACCESS_TOKEN may hold — is sent as Bearer.
import { builtInProvider, epochMs, type SessionRead } from '../src/provider.js';

/** Three base64url segments, the first decoding to a JSON header: how the Qovery CLI tells a JWT. */
export function isJwt(token: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p))) return false;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
    return header !== null && typeof header === 'object';
  } catch {
    return false;
  }
}

/** context.json has no profiles, so it serves profile default only. */
export function readQoveryContext(doc: unknown, profile: string): SessionRead {
  if (profile !== 'default')
    return { found: false, reason: 'the Qovery CLI login has no profiles (serves default only)' };
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    return { found: false, reason: 'not a JSON object' };
  const ctx = doc as Record<string, unknown>;
  const token = typeof ctx.access_token === 'string' ? ctx.access_token : '';
  if (!token) return { found: false, reason: 'no access_token' };
  const raw = ctx.access_token_expiration;
  // Text (RFC 3339) as the CLI writes it, or an epoch number, which must not be ignored.
  const expires = typeof raw === 'string' ? raw : typeof raw === 'number' ? epochMs(raw) : undefined;
  return { found: true, token, ...(expires ? { expires } : {}) };
}

function organizationNames(body: unknown): string | undefined {
  const b = body as { results?: unknown; name?: unknown } | null;
  const list = Array.isArray(b?.results) ? b.results : Array.isArray(body) ? body : b?.name ? [b] : [];
  const names = list
    .map((o: unknown) => (o && typeof o === 'object' ? (o as { name?: unknown }).name : undefined))
    .filter((n: unknown): n is string => typeof n === 'string');
  return names.length ? `organizations: ${names.join(', ')}` : undefined;
}

export const qovery = builtInProvider({
  id: 'qovery',
  name: 'Qovery',
  envVars: ['QOVERY_API_TOKEN', 'QOVERY_CLI_ACCESS_TOKEN', 'Q_CLI_ACCESS_TOKEN'],
  header: { name: 'Authorization', template: 'Token {token}' },
  headerFor: (token) => ({ name: 'Authorization', value: `${isJwt(token) ? 'Bearer' : 'Token'} ${token}` }),
  headerRule: 'a JWT (the CLI login) is sent as Bearer',
  sessionFiles: [
    { path: '~/.qovery/context.json', format: 'json', loginCommand: 'qovery auth', read: readQoveryContext },
  ],
  verify: { path: '/organization', defaultEndpoint: 'https://api.qovery.com', identity: organizationNames },
  tokenHelp: 'make a new API token in the Qovery console (Organization Settings → API Tokens)',
  pitfalls: [
    'API tokens are sent as `Authorization: Token <token>`, not Bearer',
    'a 403 means the token lacks a scope (Admin, Read, Deploy or Write)',
  ],
});
