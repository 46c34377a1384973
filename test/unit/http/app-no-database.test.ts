import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.js';
import { coreVocabulary } from '../../../server/graph/vocabulary.js';
import { appConfig } from '../../support/app-config.js';
import { deadDatabase } from '../../support/dead-database.js';

// The product's app on a database where nothing listens: what it answers when Neo4j is down,
// and what it answers without asking Neo4j. With a database: test/http/app.test.ts.
const dead = deadDatabase();
const logger = pino({ level: 'silent' });
const app = createApp({ db: dead, config: appConfig(), logger, vocabulary: coreVocabulary });

const graphql = (query: string, target = app) =>
  target.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query }),
  });

afterAll(async () => {
  app.metrics.close();
  await dead.close();
});

describe('GET /health', () => {
  it('answers 503 with neo4j down when it does not', async () => {
    const res = await app.fetch('http://localhost/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ neo4j: 'down' });
  });
});

describe('POST /graphql', () => {
  it('answers DATABASE_UNAVAILABLE, not a crash, when Neo4j is down', async () => {
    const res = await graphql('{ stats { nodeCount } }');
    const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('DATABASE_UNAVAILABLE');
    expect(body.errors[0]!.message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
  });

  it('rejects an unknown field with a validation error', async () => {
    const res = await graphql('{ nosuchfield }');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { message: string }[] };
    expect(body.errors[0]!.message).toMatch(/nosuchfield/);
  });

  it('serves GraphiQL to a browser on GET', async () => {
    const res = await app.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/graphiql/i);
  });
});
