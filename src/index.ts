// The library entry: what the CLI uses, for programs that want cred's resolution without a shell.

export { loadConfigProviders } from './config.js';
export type { Deps, Env } from './deps.js';
export { defaultDeps } from './deps.js';
export {
  AuthEnvVarNotConfiguredError,
  AuthExpiredError,
  AuthNotConfiguredError,
  AuthRejectedError,
  CredError,
  EXIT,
  ForbiddenError,
  NetworkError,
  StoreError,
  UnknownProviderError,
  UsageError,
} from './errors.js';
export { fingerprint, redact } from './output/redact.js';
export type { Provider, ProviderDefinition, SessionRead, Source, StepName } from './provider.js';
export { defineProvider, headerFor } from './provider.js';
export { defaultRegistry, Registry, registerProvider } from './registry.js';
export type { ExplainedStep, Explanation, Resolution, ResolveOptions } from './resolve.js';
export { explain, resolve } from './resolve.js';
export type { AuthExpiredEvent, OnAuthExpired, Verification, VerifyOptions } from './verify/index.js';
export { createSession, VerifySession, verify } from './verify/index.js';
