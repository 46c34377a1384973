import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DatabaseError, DatabaseUnavailableError, QueryTimeoutError, toDatabaseError } from '../../server/db/errors.js';
import { DomainError, notFound } from '../../server/core/errors.js';
import { apiError, toClientError } from '../../server/graphql/errors.js';

const neo4jError = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

describe('toDatabaseError', () => {
  it('maps connection failures to DatabaseUnavailableError', () => {
    expect(toDatabaseError(neo4jError('ServiceUnavailable'), 'op')).toBeInstanceOf(DatabaseUnavailableError);
    expect(toDatabaseError(new Error('connect ECONNREFUSED 127.0.0.1:7687'), 'op')).toBeInstanceOf(DatabaseUnavailableError);
  });

  it('maps transaction timeouts to QueryTimeoutError', () => {
    expect(toDatabaseError(neo4jError('Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration'), 'op')).toBeInstanceOf(QueryTimeoutError);
  });

  it('keeps Neo4j codes of other failures', () => {
    const e = toDatabaseError(neo4jError('Neo.ClientError.Statement.SyntaxError'), 'op');
    expect(e).toBeInstanceOf(DatabaseError);
    expect((e as DatabaseError).code).toBe('Neo.ClientError.Statement.SyntaxError');
  });
});

describe('toClientError', () => {
  it('gives typed database errors their contract codes', () => {
    expect(toClientError(new DatabaseUnavailableError('x')).extensions.code).toBe('DATABASE_UNAVAILABLE');
    expect(toClientError(new QueryTimeoutError('x')).extensions.code).toBe('TIMEOUT');
    const wrapped = new GraphQLError('wrapped', { originalError: new DatabaseUnavailableError('inner') });
    expect(toClientError(wrapped).extensions.code).toBe('DATABASE_UNAVAILABLE');
  });

  it('passes coded API errors and masks everything else', () => {
    expect(toClientError(apiError('NOT_FOUND', 'no such consumer')).message).toBe('no such consumer');
    const masked = toClientError(new Error('password=hunter2 at /internal/path'));
    expect(masked.extensions.code).toBe('INTERNAL_SERVER_ERROR');
    expect(masked.message).not.toContain('hunter2');
  });

  it('gives a DomainError its own code, message and details, thrown bare or located by GraphQL', () => {
    const bare = toClientError(new DomainError('BAD_USER_INPUT', 'first is too large', { argument: 'first' }));
    expect(bare.message).toBe('first is too large');
    expect(bare.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'first' });
    const thrown = notFound('no such consumer');
    const located = new GraphQLError(thrown.message, { originalError: thrown, path: ['entity'] });
    expect(toClientError(located)).toBe(located);
    expect(located.extensions.code).toBe('NOT_FOUND');
  });
});
