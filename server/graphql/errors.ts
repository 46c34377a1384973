import { GraphQLError } from 'graphql';
import { DatabaseUnavailableError, QueryTimeoutError } from '../db/errors.js';

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
]);

/** A GraphQL error with one of the contract's codes. */
export function apiError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

/** GraphQLError by shape: a test runner or bundler may load two copies of graphql, so no instanceof. */
function isGraphQLError(e: unknown): e is GraphQLError {
  return typeof e === 'object' && e !== null && (e as Error).name === 'GraphQLError' && 'extensions' in e;
}

/**
 * Turns whatever a resolver threw into a client-safe error: typed database errors become
 * their codes, GraphQLErrors with a code pass, everything else is masked.
 */
export function toClientError(error: unknown): GraphQLError {
  let original = error;
  while (isGraphQLError(original) && original.originalError) original = original.originalError;
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

/** The same error (message, locations, path) with `code` added to its extensions. */
export function withCode(error: GraphQLError, code: ErrorCode): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...error.extensions, code },
  });
}
