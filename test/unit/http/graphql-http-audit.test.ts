import { serverAudits } from 'graphql-http';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.js';
import { coreVocabulary } from '../../../server/graph/vocabulary.js';
import { appConfig } from '../../support/app-config.js';
import { deadDatabase } from '../../support/dead-database.js';
import { tinySchema } from '../../support/tiny-schema.js';

// The audit asks about GraphQL over HTTP, not about data: the tiny in-memory schema serves,
// on a database where nothing listens.
const db = deadDatabase();
const app = createApp({ db, config: appConfig(), logger: pino({ level: 'silent' }), vocabulary: coreVocabulary, schema: tinySchema() });

afterAll(async () => {
  app.metrics.close();
  await db.close();
});

/**
 * Recommendations (SHOULD / MAY) we deliberately answer differently, with the reason. Every
 * MUST passes; a SHOULD not listed here must pass too.
 */
const nonStringOperationName =
  'a non-string operationName is answered like any request error: 400 for application/graphql-response+json, 200 with a BAD_USER_INPUT error for application/json';
const documentedDeviations: Record<string, string> = {
  '6C00': nonStringOperationName,
  '6C01': nonStringOperationName,
  '6C02': nonStringOperationName,
  '6C03': nonStringOperationName,
};

describe('GraphQL over HTTP audit (graphql-http serverAudits)', () => {
  for (const audit of serverAudits({ url: 'http://localhost/graphql', fetchFn: (input: string, init?: RequestInit) => app.fetch(new Request(input, init)) })) {
    it(`${audit.name}`, async () => {
      const result = await audit.fn();
      if (result.status === 'ok') return;
      const reason = 'reason' in result ? result.reason : '';
      if (audit.name.startsWith('MUST')) expect.fail(`${audit.id}: ${reason}`);
      expect(documentedDeviations[audit.id], `${audit.id} ${audit.name}: ${reason}`).toBeDefined();
    });
  }
});
