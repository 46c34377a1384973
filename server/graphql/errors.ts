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
  | 'INTERNAL_SERVER_ERROR';

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
  if (isGraphQLError(original) && typeof original.extensions?.code === 'string') return original;
  return apiError('INTERNAL_SERVER_ERROR', 'Unexpected error.');
}
