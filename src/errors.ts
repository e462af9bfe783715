// One base error, one subclass per failure kind, one exit-code table (SPEC §3). Messages name the
// file, variable or host and the next step; they never carry a credential value.
import { quoteInput } from './output/redact.js';

export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  notConfigured: 3,
  rejected: 4,
  forbidden: 5,
  network: 6,
  store: 7,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CredError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly suggestion: string | undefined;

  constructor(code: string, exitCode: ExitCode, message: string, suggestion?: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    this.suggestion = suggestion;
  }

  toJSON(): { code: string; message: string; exitCode: number; suggestion?: string } {
    return {
      code: this.code,
      message: this.message,
      exitCode: this.exitCode,
      ...(this.suggestion ? { suggestion: this.suggestion } : {}),
    };
  }
}

/** Bad flags, unknown providers, a value the chosen output format cannot carry. */
export class UsageError extends CredError {
  constructor(message: string, suggestion?: string, code = 'usage') {
    super(code, EXIT.usage, message, suggestion);
  }
}

export class UnknownProviderError extends UsageError {
  constructor(id: string, known: readonly string[]) {
    super(
      `unknown provider ${quoteInput(id)}`,
      `known providers: ${known.join(', ')} (see \`cred providers\`)`,
      'unknown_provider',
    );
  }
}

/** Nothing in the chain yielded a value. `looked` lists every place, with its reason. */
export class AuthNotConfiguredError extends CredError {
  readonly looked: readonly string[];
  constructor(message: string, looked: readonly string[], suggestion?: string, code = 'auth_not_configured') {
    super(code, EXIT.notConfigured, message, suggestion);
    this.looked = looked;
  }
}

/** The same, when the user named the variable with --env-var (the Qoder SDK's error code). */
export class AuthEnvVarNotConfiguredError extends AuthNotConfiguredError {
  constructor(message: string, looked: readonly string[], suggestion?: string) {
    super(message, looked, suggestion, 'auth_access_token_env_var_not_configured');
  }
}

/** Only an expired session was found (a 401 is AuthRejectedError). */
export class AuthExpiredError extends CredError {
  constructor(message: string, suggestion?: string) {
    super('auth_expired', EXIT.rejected, message, suggestion);
  }
}

export class AuthRejectedError extends CredError {
  constructor(message: string, suggestion?: string) {
    super('auth_rejected', EXIT.rejected, message, suggestion);
  }
}

export class ForbiddenError extends CredError {
  constructor(message: string, suggestion?: string) {
    super('forbidden', EXIT.forbidden, message, suggestion);
  }
}

export class NetworkError extends CredError {
  constructor(message: string, suggestion?: string, code = 'network_error') {
    super(code, EXIT.network, message, suggestion);
  }
}

/** A credential store cred cannot use: unreadable, not a regular file, malformed, a locked keychain. */
export class StoreError extends CredError {
  constructor(message: string, suggestion?: string, code = 'store_unusable') {
    super(code, EXIT.store, message, suggestion);
  }
}

export function isCredError(e: unknown): e is CredError {
  return e instanceof CredError;
}

/** "Nothing configured here" (exit 3): what an all-providers command leaves out quietly. */
export function isNotConfigured(e: unknown): boolean {
  return isCredError(e) && e.exitCode === EXIT.notConfigured;
}

/**
 * The `{code, message, exitCode}` object the CLI's `--json` prints for a failure (SPEC: exactly
 * these three; the library's toJSON adds the suggestion).
 */
export function errorJson(e: CredError): { code: string; message: string; exitCode: number } {
  return { code: e.code, message: e.message, exitCode: e.exitCode };
}

/** The exit code of a command that reports several outcomes: the highest error's, 0 when none failed. */
export function worstExitCode(errors: readonly (CredError | undefined)[]): number {
  return Math.max(EXIT.ok, ...errors.map((e) => e?.exitCode ?? EXIT.ok));
}
