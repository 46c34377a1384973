import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.js';
import { addKey } from '../../../server/auth/keys.js';
import { coreVocabulary } from '../../../server/graph/vocabulary.js';
import { appConfig } from '../../support/app-config.js';
import { deadDatabase } from '../../support/dead-database.js';
import { gql } from '../../support/graphql.js';
import { tinySchema } from '../../support/tiny-schema.js';

// Request logs and request metrics, on the tiny in-memory schema and a database where nothing
// listens; Neo4j query time needs queries, in test/http/neo4j-metrics.test.ts.
const db = deadDatabase();
const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});
const keysFile = join(mkdtempSync(join(tmpdir(), 'kg-keys-')), 'keys.json');
const key = addKey(keysFile, 'crm', 'service');
const app = createApp({ db, config: appConfig({ host: '0.0.0.0', apiKeysFile: keysFile }), logger: pino({ level: 'info' }, sink), vocabulary: coreVocabulary, schema: tinySchema() });
const auth = { authorization: `Bearer ${key}` };
const rawConsumerId = 'raw-consumer-4711@example.com';

afterAll(async () => {
  app.metrics.close();
  await db.close();
});

describe('request logs', () => {
  it('log one line per request with id, operation, duration and role, never the key or a raw consumer id', async () => {
    const res = await gql(app, 'query Lookup($id: ID!) { entity(id: $id, type: Consumer) { key } }', { id: rawConsumerId }, { ...auth, 'x-request-id': 'trace-123' });
    expect(res.headers.get('x-request-id')).toBe('trace-123');
    const line = lines.find((l) => l.reqId === 'trace-123');
    expect(line).toMatchObject({ operation: 'entity', operationName: 'Lookup', role: 'service', caller: 'crm', status: 200, errors: ['NOT_FOUND'] });
    expect(typeof line!.ms).toBe('number');
    const all = JSON.stringify(lines);
    expect(all).not.toContain(key);
    expect(all).not.toContain(rawConsumerId);
  });

  it('give every request an id of its own when the client sends none', async () => {
    const res = await gql(app, '{ stats { nodeCount } }', {}, auth);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('/metrics', () => {
  it('reports requests and latency by operation and errors by code, in Prometheus text', async () => {
    await gql(app, '{ stats { nodeCount } }', {}, auth);
    await gql(app, '{ entity(id: "nope", type: Product) { key } }', {}, auth);
    await gql(app, '{ stats { nodeCount } }', {}, { authorization: 'Bearer wrong' });
    const res = await app.fetch('http://localhost/metrics', { headers: auth });
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/graphql_requests_total\{operation="stats",status="200"\} [1-9]/);
    expect(text).toMatch(/graphql_request_duration_seconds_count\{operation="entity"\} [1-9]/);
    expect(text).toMatch(/graphql_errors_total\{code="NOT_FOUND"\} [1-9]/);
    expect(text).toMatch(/graphql_errors_total\{code="UNAUTHENTICATED"\} [1-9]/);
  });
});
