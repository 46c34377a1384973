/** Typed database errors; the GraphQL layer maps them to contract error codes. */

/** The database cannot be reached (down, restarting, wrong address or credentials). */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

/** A query ran past its transaction timeout. */
export class QueryTimeoutError extends Error {
  override name = 'QueryTimeoutError';
}

/** Any other failure reported by Neo4j; `code` is Neo4j's status code. */
export class DatabaseError extends Error {
  override name = 'DatabaseError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const unavailableCodes = new Set([
  'ServiceUnavailable',
  'SessionExpired',
  'Neo.TransientError.General.DatabaseUnavailable',
  'Neo.ClientError.Security.Unauthorized',
  'Neo.ClientError.Security.AuthenticationRateLimit',
  'Neo.ClientError.Database.DatabaseNotFound',
]);

const timeoutCodes = new Set([
  'Neo.ClientError.Transaction.TransactionTimedOut',
  'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration',
  'Neo.TransientError.Transaction.TransactionTimedOut',
]);

/**
 * Every "cannot reach Neo4j" form whatever its code: the pool's acquisition timeout (code
 * N/A; a frozen Neo4j answered INTERNAL_SERVER_ERROR after 10 s, issue 17 finding 10), socket
 * errors, connect timeouts, unresolvable or unreachable hosts.
 */
const unreachable = /acquisition timed out|connection timed out|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|socket|Failed to connect/i;

/** Turns a driver error into one of the typed errors above; other errors pass through. */
export function toDatabaseError(error: unknown, operation: string): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || code === 'N/A') {
    if (unreachable.test(error.message)) {
      return new DatabaseUnavailableError(`Neo4j is unavailable (${operation}): ${error.message}`);
    }
    if (typeof code !== 'string') return error;
  }
  if (unavailableCodes.has(code)) {
    return new DatabaseUnavailableError(`Neo4j is unavailable (${operation}): ${error.message}`);
  }
  if (timeoutCodes.has(code)) {
    return new QueryTimeoutError(`query ${operation} timed out`);
  }
  return new DatabaseError(`query ${operation} failed: ${error.message}`, code);
}
