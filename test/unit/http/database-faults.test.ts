import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.js';
import type { Database } from '../../../server/db/neo4j.js';
import { DatabaseUnavailableError, toDatabaseError } from '../../../server/db/errors.js';
import { toClientError } from '../../../server/graphql/errors.js';
import { coreVocabulary } from '../../../server/graph/vocabulary.js';
import { appConfig } from '../../support/app-config.js';
import { deadDatabase } from '../../support/dead-database.js';
import { tinySchema } from '../../support/tiny-schema.js';

// Issue 17, finding 10: a frozen Neo4j (SIGSTOP) gave INTERNAL_SERVER_ERROR after 10 s (the
// pool's acquisition timeout was not mapped) and /health hung for as long as it was frozen.
const dead = deadDatabase();
afterAll(async () => {
  await dead.close();
});

/** The driver's own error for a pool that found no connection in time (neo4j-driver-core pool.js). */
const acquisitionTimeout = () => Object.assign(new Error('Connection acquisition timed out in 10000 ms. Pool status: Active conn count = 0, Idle conn count = 0.'), { code: 'N/A' });

describe('finding 10: database faults', () => {
  it('maps the acquisition timeout and every "cannot reach Neo4j" form to DATABASE_UNAVAILABLE', () => {
    const forms = [
      acquisitionTimeout(),
      Object.assign(new Error('connect ETIMEDOUT 10.0.0.9:7687'), { code: 'N/A' }),
      new Error('getaddrinfo ENOTFOUND neo4j.internal'),
      new Error('connect EHOSTUNREACH 10.0.0.9:7687'),
      Object.assign(new Error('Failed to connect to server.'), { code: 'ServiceUnavailable' }),
    ];
    for (const form of forms) {
      const mapped = toDatabaseError(form, 'q');
      expect(mapped, form.message).toBeInstanceOf(DatabaseUnavailableError);
      expect(toClientError(mapped).extensions.code).toBe('DATABASE_UNAVAILABLE');
    }
  });

  it('/health answers 503 within 2 s while Neo4j does not answer at all', async () => {
    // A database that never answers, as a frozen process does: only the wait matters here.
    const frozen = { ping: () => new Promise<void>(() => undefined), observe: () => () => undefined } as unknown as Database;
    const app = createApp({ db: frozen, config: appConfig(), logger: pino({ level: 'silent' }), vocabulary: coreVocabulary, schema: tinySchema() });
    try {
      const started = Date.now();
      const answers = await Promise.all([app.fetch('http://localhost/health'), app.fetch('http://localhost/health')]);
      expect(Date.now() - started).toBeLessThan(2_000);
      for (const res of answers) {
        expect(res.status).toBe(503);
        expect(await res.json()).toMatchObject({ neo4j: 'down' });
      }
    } finally {
      app.metrics.close();
    }
  });

  it('answers 405 on /health with a JSON body and a code', async () => {
    const app = createApp({ db: dead, config: appConfig(), logger: pino({ level: 'silent' }), vocabulary: coreVocabulary, schema: tinySchema() });
    try {
      const res = await app.fetch('http://localhost/health', { method: 'POST' });
      expect(res.status).toBe(405);
      expect(await res.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
    } finally {
      app.metrics.close();
    }
  });
});
