import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { deadDatabase, testConfig, testDatabase, testNamespace } from '../support/neo4j.js';

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

  it('answers 503 with neo4j down when it does not', async () => {
    const dead = deadDatabase();
    const downApp = createApp({ db: dead, config: testConfig(), logger, vocabulary: coreVocabulary });
    try {
      const res = await downApp.fetch('http://localhost/health');
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ neo4j: 'down' });
    } finally {
      await dead.close();
    }
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

  it('answers DATABASE_UNAVAILABLE, not a crash, when Neo4j is down', async () => {
    const dead = deadDatabase();
    const downApp = createApp({ db: dead, config: testConfig(), logger, vocabulary: coreVocabulary });
    try {
      const res = await graphql('{ stats { nodeCount } }', downApp);
      const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe('DATABASE_UNAVAILABLE');
      expect(body.errors[0]!.message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    } finally {
      await dead.close();
    }
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
