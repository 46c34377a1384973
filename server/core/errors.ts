/** The contract's error codes, carried in `extensions.code`. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'QUERY_TOO_COMPLEX'
  | 'DATABASE_UNAVAILABLE'
  | 'TIMEOUT'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR';

/**
 * An error a caller can act on, with its contract code and extra details (e.g. the argument
 * at fault). Thrown anywhere below the GraphQL layer; `extensions` is what GraphQL shows
 * (graphql-js copies an original error's `extensions`), and server/graphql/errors.ts maps it
 * in one place. Direct callers (eval, tests) read `code`.
 */
export class DomainError extends Error {
  override name = 'DomainError';
  readonly extensions: Record<string, unknown> & { code: ErrorCode };

  constructor(
    readonly code: ErrorCode,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message);
    this.extensions = { code, ...details };
  }
}

/** Bad arguments: BAD_USER_INPUT. */
export const badInput = (message: string, details?: Record<string, unknown>) => new DomainError('BAD_USER_INPUT', message, details);

/** The named entity, consumer or segment does not exist: NOT_FOUND. */
export const notFound = (message: string, details?: Record<string, unknown>) => new DomainError('NOT_FOUND', message, details);
