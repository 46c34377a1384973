import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { addKey } from '../../server/auth/keys.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { gql } from '../support/graphql.js';
import { testConfig, testDatabase } from '../support/neo4j.js';

// /metrics's Neo4j query time needs a query to time; the request metrics and logs run without
// a database in test/unit/http/observability.test.ts.
const db = testDatabase();
const keysFile = join(mkdtempSync(join(tmpdir(), 'kg-keys-')), 'keys.json');
const key = addKey(keysFile, 'crm', 'service');
const app = createApp({ db, config: testConfig({ host: '0.0.0.0', apiKeysFile: keysFile }), logger: pino({ level: 'silent' }), vocabulary: coreVocabulary });
const auth = { authorization: `Bearer ${key}` };

afterAll(async () => {
  app.metrics.close();
  await db.close();
});

describe('/metrics', () => {
  it('reports Neo4j query time by query name, access mode and outcome, in Prometheus text', async () => {
    await gql(app, '{ stats { nodeCount } }', {}, auth);
    const res = await app.fetch('http://localhost/metrics', { headers: auth });
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/neo4j_query_duration_seconds_count\{operation="stats",mode="READ",outcome="ok"\} [1-9]/);
  });
});
