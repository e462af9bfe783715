// Podstack: `PODSTACK_API_TOKEN`, an INI file `~/.podstack/credentials` with one section per profile
// (`api_token`, optional `api_endpoint`), and the CLI's login in `~/.podstack/config.yaml`.
import { builtInProvider, epochMs, type SessionRead } from '../src/provider.js';

type Entry = { token?: unknown; expires?: unknown; project?: unknown; api_endpoint?: unknown };

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function fromEntry(entry: Entry | undefined, where: string): SessionRead {
  if (!entry) return { found: false, reason: `no ${where}` };
  const token = str(entry.token);
  if (!token) return { found: false, reason: `no token in ${where}` };
  const expires = typeof entry.expires === 'number' ? epochMs(entry.expires) : str(entry.expires);
  return {
    found: true,
    token,
    ...(expires !== undefined ? { expires } : {}),
    ...(str(entry.project) ? { project: str(entry.project) } : {}),
    ...(str(entry.api_endpoint) ? { endpoint: str(entry.api_endpoint) } : {}),
  };
}

/** `auth.token` serves profile default; `profiles.<name>.token` any other. */
export function readPodstackConfig(doc: unknown, profile: string): SessionRead {
  const root = asRecord(doc);
  if (!root) return { found: false, reason: doc == null ? 'empty file' : 'not a YAML mapping' };
  if (profile === 'default') return fromEntry(asRecord(root.auth) as Entry | undefined, 'auth section');
  const profiles = asRecord(root.profiles);
  const entry = profiles && Object.hasOwn(profiles, profile) ? asRecord(profiles[profile]) : undefined;
  return fromEntry(entry as Entry | undefined, `profiles.${profile}`);
}

export const podstack = builtInProvider({
  id: 'podstack',
  name: 'Podstack',
  envVars: ['PODSTACK_API_TOKEN'],
  contextVars: { project: 'PODSTACK_PROJECT' },
  header: { name: 'Authorization', template: 'Bearer {token}' },
  ownCredentials: {
    path: '~/.podstack/credentials',
    key: 'api_token',
    endpointKey: 'api_endpoint',
    projectKey: 'project',
  },
  sessionFiles: [
    {
      path: '~/.podstack/config.yaml',
      format: 'yaml',
      loginCommand: 'podstack login',
      read: readPodstackConfig,
    },
  ],
  verify: {
    path: '/v1/pods',
    defaultEndpoint: 'https://api.podstack.ai',
    identity: (body) => {
      const b = asRecord(body);
      return str(b?.email) ?? str(asRecord(b?.user)?.email);
    },
  },
  tokenHelp: 'make a new API token at https://dashboard.podstack.ai (Account → API Tokens)',
  pitfalls: [
    'the API expects `Authorization: Bearer <token>`',
    '"Access denied to resource" usually means the token lacks a permission or the project is wrong (PODSTACK_PROJECT)',
  ],
});
