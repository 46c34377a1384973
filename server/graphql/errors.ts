import { GraphQLError } from 'graphql';
import { DomainError, type ErrorCode } from '../core/errors.js';
import { DatabaseUnavailableError, QueryTimeoutError } from '../db/errors.js';

export type { ErrorCode };

const contractCodes = new Set<string>([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'QUERY_TOO_COMPLEX',
  'DATABASE_UNAVAILABLE',
  'TIMEOUT',
  'RATE_LIMITED',
  'INTERNAL_SERVER_ERROR',
] satisfies ErrorCode[]);

/** A GraphQL error with one of the contract's codes. */
export function apiError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

/** GraphQLError by shape: a test runner or bundler may load two copies of graphql, so no instanceof. */
function isGraphQLError(e: unknown): e is GraphQLError {
  return typeof e === 'object' && e !== null && (e as Error).name === 'GraphQLError' && 'extensions' in e;
}

/**
 * Turns whatever a resolver threw into a client-safe error, the one place codes are given:
 * a DomainError keeps its code, message and extensions (and the field's path), typed database
 * errors become their codes, GraphQLErrors with a code pass, everything else is masked.
 */
export function toClientError(error: unknown): GraphQLError {
  let original = error;
  while (isGraphQLError(original) && original.originalError) original = original.originalError;
  if (original instanceof DomainError) {
    // graphql-js copied its extensions onto the located error (with the field's path); Yoga
    // logs a masked error that differs from the thrown one, so keep that very object.
    if (isGraphQLError(error) && error.extensions?.code === original.code) return error;
    return new GraphQLError(original.message, { extensions: original.extensions });
  }
  if (original instanceof DatabaseUnavailableError) {
    return apiError('DATABASE_UNAVAILABLE', 'The graph database is unavailable; try again shortly.');
  }
  if (original instanceof QueryTimeoutError) {
    return apiError('TIMEOUT', 'The query took too long and was stopped; narrow it down and retry.');
  }
  if (isGraphQLError(original) && typeof original.extensions?.code === 'string' && contractCodes.has(original.extensions.code)) {
    // Keep the located error (with its path) when it carries the same code.
    return isGraphQLError(error) && error.extensions?.code === original.extensions.code ? error : original;
  }
  // A GraphQLError that wraps nothing comes from GraphQL or Yoga (syntax, validation, variable
  // coercion, e.g. GRAPHQL_VALIDATION_FAILED): it describes the request, so it is shown,
  // coded as bad input.
  if (isGraphQLError(original)) return withCode(original, 'BAD_USER_INPUT');
  return apiError('INTERNAL_SERVER_ERROR', 'Unexpected error.');
}

/**
 * Gives a request error of GraphQL's own `code`, in place: the same object keeps its
 * locations and stays recognisable to Yoga (which then neither logs it as unexpected nor
 * answers 500). `http.spec`: 400 for application/graphql-response+json, 200 for
 * application/json, as GraphQL over HTTP asks.
 */
export function withCode(error: GraphQLError, code: ErrorCode): GraphQLError {
  const extensions = error.extensions as Record<string, unknown>;
  // Yoga's malformed-request errors (BAD_REQUEST) keep their 400 whatever the media type.
  if (extensions.code !== 'BAD_REQUEST') extensions.http = { ...(extensions.http as object | undefined), status: 400, spec: true };
  extensions.code = code;
  return error;
}
