import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { testConfig, testDatabase, testNamespace } from '../support/neo4j.js';

// The app on the test Neo4j, and the web explorer it serves (built by `npm test` first). What it
// answers with Neo4j down or without asking it: test/unit/http/app-no-database.test.ts.
const db = testDatabase();
const ns = testNamespace('http');
const logger = pino({ level: 'silent' });
const app = createApp({ db, config: testConfig(), logger, vocabulary: coreVocabulary });

const graphql = (query: string, target = app) =>
  target.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query }),
  });

beforeAll(async () => {
  await db.write(
    'test-seed',
    `CREATE (c:Entity:Consumer {id: $ns + '-c', key: 'Consumer:' + $ns + '-c', name: 'c'})
     CREATE (p:Entity:Product {id: $ns + '-p', key: 'Product:' + $ns + '-p', name: '露营灯'})
     CREATE (c)-[:PURCHASED {weight: 1}]->(p)`,
    { ns },
  );
});

afterAll(async () => {
  await db.write('test-cleanup', 'MATCH (n:Entity) WHERE n.id STARTS WITH $ns DETACH DELETE n', { ns });
  await db.close();
});

describe('GET /health', () => {
  it('answers 200 with neo4j up when the database answers', async () => {
    const res = await app.fetch('http://localhost/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', neo4j: 'up' });
  });
});

describe('POST /graphql', () => {
  it('returns real counts from Neo4j in stats', async () => {
    const res = await graphql('{ stats { nodeCount relationshipCount byType { name count } byRelation { name count } } }');
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as {
      data: { stats: { nodeCount: number; relationshipCount: number; byType: { name: string; count: number }[]; byRelation: { name: string; count: number }[] } };
    };
    expect(data.stats.nodeCount).toBeGreaterThanOrEqual(2);
    expect(data.stats.relationshipCount).toBeGreaterThanOrEqual(1);
    expect(data.stats.byType.map((t) => t.name)).toEqual(['Consumer', 'Product', 'Interest']);
    expect(data.stats.byType.find((t) => t.name === 'Product')!.count).toBeGreaterThanOrEqual(1);
    expect(data.stats.byRelation.find((t) => t.name === 'PURCHASED')!.count).toBeGreaterThanOrEqual(1);
  });
});

describe('GET /', () => {
  it('serves the web explorer', async () => {
    const res = await app.fetch('http://localhost/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
  });

  it('never serves files outside the web root', async () => {
    const res = await app.fetch('http://localhost/..%2f..%2fpackage.json');
    expect(await res.text()).not.toContain('"dependencies"');
  });
});
