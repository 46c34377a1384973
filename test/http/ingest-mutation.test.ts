import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { addKey } from '../../server/auth/keys.js';
import { domainLimits } from '../../server/core/limits.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { IngestNamespace, TEST_SECRET } from '../support/ingest-fixtures.js';
import { testConfig, testDatabase, testNamespace } from '../support/neo4j.js';

const db = testDatabase(120_000);
const s = new IngestNamespace(testNamespace('ingapi'));
// ingestTriples needs the admin role, which no anonymous caller gets.
const keysFile = join(mkdtempSync(join(tmpdir(), 'kg-ingest-keys-')), 'api-keys.json');
const adminKey = addKey(keysFile, 'ingest-test', 'admin');
const app = createApp({ db, config: testConfig({ pseudonymSecret: TEST_SECRET, apiKeysFile: keysFile }), logger: pino({ level: 'silent' }), vocabulary: coreVocabulary });
const ns = s.ns;

const MUTATION = `mutation ($triples: [TripleInput!]!, $entities: [EntityInput!]) {
  ingestTriples(triples: $triples, entities: $entities) {
    read loaded rejected errors entitiesCreated relationshipsCreated relationshipsUpdated
  }
}`;

async function ingest(variables: Record<string, unknown>) {
  const res = await app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${adminKey}` },
    body: JSON.stringify({ query: MUTATION, variables }),
  });
  return (await res.json()) as {
    data?: { ingestTriples: { read: number; loaded: number; rejected: number; errors: string[]; entitiesCreated: number; relationshipsCreated: number } };
    errors?: { message: string; extensions: { code: string } }[];
  };
}

const triple = (subject: string, relation: string, object: string, extra: Record<string, unknown> = {}) => ({
  subject: `${ns}_${subject}`,
  subjectType: 'Consumer',
  relation,
  object: `${ns}_${object}`,
  objectType: 'Product',
  ...extra,
});

s.noteConsumers([`${ns}_c1`, `${ns}_c2`]);

afterAll(async () => {
  await s.cleanup(db);
  await db.close();
});

describe('ingestTriples', () => {
  it('loads valid rows, reports each bad one, and pseudonymises consumer ids', { timeout: 240_000 }, async () => {
    const body = await ingest({
      triples: [
        triple('c1', 'PURCHASED', 'p1', { weight: 2, timestamp: '2024-03-01T10:00:00Z' }),
        triple('c1', 'PURCHASED', 'p1', { weight: 1 }),
        triple('c1', 'LIKES', 'p1'),
        triple('c2', 'VIEWED', 'p1', { timestamp: 'soon' }),
      ],
      entities: [{ id: `${ns}_p1`, type: 'Product', name: '露营灯', properties: [{ key: 'name_en', value: 'Camping lantern' }] }],
    });
    expect(body.errors).toBeUndefined();
    expect(body.data!.ingestTriples).toMatchObject({ read: 5, loaded: 3, rejected: 2 });
    expect(body.data!.ingestTriples.errors).toEqual([
      "triples[2] relation: relation 'LIKES' is not in the schema",
      "triples[3] timestamp: not ISO-8601 or Unix seconds: 'soon'",
    ]);
    expect(await s.edge(db, 'fx_c1', 'Consumer', 'PURCHASED', 'fx_p1', 'Product')).toMatchObject({ weight: 3, count: 2, firstTs: Date.parse('2024-03-01T10:00:00Z') / 1000 });
    expect((await s.node(db, 'Product', 'fx_p1'))!.n).toMatchObject({ name: '露营灯', name_en: 'Camping lantern' });
  });

  it('is an upsert: the same call again changes nothing, other calls add their relationships', { timeout: 240_000 }, async () => {
    const first = { triples: [triple('c2', 'PURCHASED', 'p2', { weight: 5 })] };
    await ingest(first);
    await ingest(first);
    expect(await s.edge(db, 'fx_c2', 'Consumer', 'PURCHASED', 'fx_p2', 'Product')).toMatchObject({ weight: 5, count: 1 });
    // A call naming other relationships leaves the earlier ones alone.
    await ingest({ triples: [triple('c2', 'VIEWED', 'p1')] });
    expect(await s.edge(db, 'fx_c2', 'Consumer', 'PURCHASED', 'fx_p2', 'Product')).toMatchObject({ weight: 5 });
    expect(await s.edge(db, 'fx_c1', 'Consumer', 'PURCHASED', 'fx_p1', 'Product')).toMatchObject({ weight: 3 });
    // A new value for the same relationship and source replaces the old one; another source adds.
    await ingest({ triples: [triple('c2', 'PURCHASED', 'p2', { weight: 7 }), triple('c2', 'PURCHASED', 'p2', { weight: 1, source: 'crm' })] });
    expect(await s.edge(db, 'fx_c2', 'Consumer', 'PURCHASED', 'fx_p2', 'Product')).toMatchObject({ weight: 8, count: 2 });
  });

  it('refuses a request over the size limit with BAD_USER_INPUT', async () => {
    const triples = Array.from({ length: domainLimits.ingestRows + 1 }, (_, i) => triple(`c${i}`, 'VIEWED', 'p1'));
    const body = await ingest({ triples });
    expect(body.errors![0]!.extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors![0]!.message).toMatch(/at most 10000/);
    expect(await s.edge(db, 'fx_c0', 'Consumer', 'VIEWED', 'fx_p1', 'Product')).toBeUndefined();
  });
});
