import { createServer, type Server } from 'node:http';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { graphqlLoad } from '../../bench/http-load.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { testConfig, testDatabase } from '../support/neo4j.js';

const db = testDatabase();
let server: Server;
let url = '';

beforeAll(async () => {
  const app = createApp({ db, config: testConfig(), logger: pino({ level: 'silent' }), vocabulary: coreVocabulary });
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await db.close();
});

describe('graphqlLoad', () => {
  it('measures every response and counts GraphQL errors as errors', async () => {
    const ok = await graphqlLoad({ url, concurrency: 2, seconds: 30, maxRequests: 40, bodies: [JSON.stringify({ query: '{ stats { nodeCount } }' })] });
    expect(ok.count).toBeGreaterThanOrEqual(40);
    // Stopping takes a moment (answers in flight still count), but long before the 30 s.
    expect(ok.count).toBeLessThan(200);
    expect(ok.seconds).toBeLessThan(20);
    expect(ok.errors).toBe(0);
    expect(ok.p99).toBeGreaterThanOrEqual(ok.p50);
    const bad = await graphqlLoad({ url, concurrency: 1, seconds: 5, maxRequests: 5, bodies: [JSON.stringify({ query: '{ nope }' })] });
    expect(bad.errors).toBe(bad.count);
    expect(bad.count).toBeGreaterThanOrEqual(5);
  });

  it('refuses targets that are not loopback', async () => {
    await expect(graphqlLoad({ url: 'http://10.0.0.1/graphql', concurrency: 1, seconds: 1, bodies: ['{}'] })).rejects.toThrow(/loopback/);
  });
});
