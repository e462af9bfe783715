// Qoder: a Personal Access Token (prefix `pt-`) sent as `Authorization: Bearer`. The Cloud Agents API
// refuses `x-api-key` with 401 authentication_error. qodercli keeps its login in a store that is not
// a documented file, so reusing it goes through a configured `session_command` (SPEC §2 step 5).
import { builtInProvider } from '../src/provider.js';

export const qoder = builtInProvider({
  id: 'qoder',
  name: 'Qoder',
  envVars: ['QODER_PERSONAL_ACCESS_TOKEN'],
  header: { name: 'Authorization', template: 'Bearer {token}' },
  prefix: 'pt-',
  verify: {
    path: '/api/v1/cloud/agents?limit=1',
    defaultEndpoint: 'https://api.qoder.com',
  },
  tokenHelp:
    'make a new Personal Access Token at https://qoder.com/account/integrations (Account → Integrations)',
  pitfalls: [
    'the Cloud Agents API accepts only `Authorization: Bearer <PAT>`; `x-api-key` is refused with 401',
    'check the spelling and spacing of `Bearer` and that the variable is exported',
  ],
});
