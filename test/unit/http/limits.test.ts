import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../server/app.js';
import { addKey } from '../../../server/auth/keys.js';
import type { AppConfig } from '../../../server/config.js';
import { queryLimits } from '../../../server/graphql/use-limits.js';
import { coreVocabulary } from '../../../server/graph/vocabulary.js';
import { appConfig } from '../../support/app-config.js';
import { deadDatabase } from '../../support/dead-database.js';
import { codes, gql } from '../../support/graphql.js';
import { tinySchema } from '../../support/tiny-schema.js';

// Query limits, timeouts, rate limits and production switches act on the request, whatever
// the schema: the tiny in-memory one serves, on a database where nothing listens.
const db = deadDatabase();
const logger = pino({ level: 'silent' });
const apps: App[] = [];
const appWith = (overrides: Partial<AppConfig> = {}) => {
  const app = createApp({ db, config: appConfig(overrides), logger, vocabulary: coreVocabulary, schema: tinySchema() });
  apps.push(app);
  return app;
};
const app = appWith();

afterAll(async () => {
  for (const a of apps) a.metrics.close();
  await db.close();
});

const tooComplex = async (query: string) => {
  const res = await gql(app, query);
  expect(res.status, query.slice(0, 80)).toBeLessThan(500);
  expect(codes(res.body), query.slice(0, 80)).toContain('QUERY_TOO_COMPLEX');
  expect(res.body.data ?? null).toBeNull();
};

describe('query limits (graphql-armor), all QUERY_TOO_COMPLEX', () => {
  it('depth', async () => {
    // Introspection types nest as deep as anyone likes; the limit counts them too.
    let sel = 'name';
    for (let i = 0; i < queryLimits.maxDepth + 2; i++) sel = `ofType { ${sel} }`;
    await tooComplex(`{ __type(name: "Entity") { fields { type { ${sel} } } } }`.replace('__type', 'a: __type'));
  });

  it('aliases', async () => {
    const many = Array.from({ length: queryLimits.maxAliases + 1 }, (_, i) => `s${i}: stats { nodeCount }`).join(' ');
    await tooComplex(`{ ${many} }`);
  });

  it('cost', async () => {
    // Cost grows with the literal `first` and the fields asked for each result.
    const heavy = `search(query: "x", first: 50) { ${'key name '.repeat(60)} }`;
    await tooComplex(`{ a: ${heavy} b: ${heavy} c: ${heavy} }`);
  });

  it('tokens', async () => {
    await tooComplex(`{ stats { ${'nodeCount '.repeat(queryLimits.maxTokens)} } }`);
  });

  it('directives', async () => {
    await tooComplex(`{ stats { nodeCount ${'@include(if: true) '.repeat(queryLimits.maxDirectives + 1)} } }`);
  });

  it('lets an ordinary explorer query through', async () => {
    const res = await gql(app, '{ stats { nodeCount byType { name count } } search(query: "camping") { key name } }');
    expect(res.body.errors).toBeUndefined();
  });

  it('refuses batched requests', async () => {
    const res = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(res.status).toBe(400);
  });
});

describe('request timeout', () => {
  it('answers TIMEOUT when a request runs past REQUEST_TIMEOUT_MS', async () => {
    const slow = appWith({ api: { requestTimeoutMs: 1 } });
    const res = await gql(slow, '{ stats { nodeCount } search(query: "露营 camping tent lantern") { key } }');
    expect(codes(res.body)).toEqual(['TIMEOUT']);
  });
});

describe('rate limiting', () => {
  it('answers 429 RATE_LIMITED with Retry-After once a key exceeds its share, per key', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kg-keys-')), 'keys.json');
    const a = addKey(file, 'a', 'reader');
    const b = addKey(file, 'b', 'reader');
    const limited = appWith({ host: '0.0.0.0', apiKeysFile: file, api: { rateLimitPerMinute: 3 } });
    const call = (key: string) => gql(limited, '{ __typename }', {}, { authorization: `Bearer ${key}` });
    for (let i = 0; i < 3; i++) expect((await call(a)).status).toBe(200);
    const over = await call(a);
    expect(over.status).toBe(429);
    expect(codes(over.body)).toEqual(['RATE_LIMITED']);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await call(b)).status).toBe(200);
  });
});

describe('production mode', () => {
  const prod = appWith({ production: true, api: { corsOrigins: ['https://shop.example.com'] } });

  it('turns introspection off', async () => {
    const res = await gql(prod, '{ __schema { types { name } } }');
    expect(res.body.data ?? null).toBeNull();
    expect(codes(res.body)).toEqual(['BAD_USER_INPUT']);
    expect(JSON.stringify(res.body)).toMatch(/introspection/i);
  });

  it('can turn introspection back on by config', async () => {
    const open = appWith({ production: true, api: { introspection: true } });
    expect((await gql(open, '{ __schema { queryType { name } } }')).body.data).toBeTruthy();
  });

  it('serves no GraphiQL', async () => {
    const res = await prod.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } });
    expect(await res.text()).not.toMatch(/graphiql/i);
  });

  it('gives no field suggestions', async () => {
    const res = await gql(prod, '{ stat { nodeCount } }');
    expect(JSON.stringify(res.body)).not.toMatch(/Did you mean/);
    expect(codes(res.body)).toEqual(['BAD_USER_INPUT']);
  });

  it('allows CORS only from the configured origins', async () => {
    const preflight = (origin: string) =>
      prod.fetch('http://localhost/graphql', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    expect((await preflight('https://shop.example.com')).headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    expect((await preflight('https://evil.example.com')).headers.get('access-control-allow-origin')).not.toBe('https://evil.example.com');
  });
});

describe('cost-aware limits (issue 17, finding 9)', () => {
  it('refuses one request that asks for seconds of the database, and passes what the explorer sends', async () => {
    const { fieldCost, requestCostBudget } = await import('../../../server/core/limits.js');
    const tenOpportunities = 10 * fieldCost('productOpportunities', {});
    expect(tenOpportunities).toBeGreaterThan(requestCostBudget);
    expect(3 * fieldCost('paths', { maxLength: 6 })).toBeGreaterThan(requestCostBudget);
    expect(3 * fieldCost('neighborhood', { depth: 3, limit: 500 })).toBeGreaterThan(requestCostBudget);
    // The explorer: one neighbourhood count per relation (7 of the core vocabulary), one paths query.
    expect(7 * fieldCost('neighborhood', { depth: 1, limit: 1 })).toBeLessThanOrEqual(requestCostBudget);
    expect(fieldCost('paths', { maxLength: 6 })).toBeLessThanOrEqual(requestCostBudget);
    const app = appWith({});
    const aliases = Array.from({ length: 10 }, (_, i) => `a${i}: search(query: "x") { key }`).join(' ');
    expect(codes((await gql(app, `{ ${aliases} }`)).body)).not.toContain('QUERY_TOO_COMPLEX');
    // On the product's schema the guard refuses before Neo4j is asked (nothing listens there).
    const product = createApp({ db, config: appConfig(), logger, vocabulary: coreVocabulary });
    apps.push(product);
    const costly = Array.from({ length: 10 }, (_, i) => `o${i}: productOpportunities { consumers }`).join(' ');
    const refused = await gql(product, `{ ${costly} }`);
    // Refused as a whole, before the database (which would answer DATABASE_UNAVAILABLE).
    expect(codes(refused.body)).toContain('QUERY_TOO_COMPLEX');
    expect(codes(refused.body)).not.toContain('DATABASE_UNAVAILABLE');
  });
});
