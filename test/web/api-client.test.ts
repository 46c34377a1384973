import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { capabilitiesFrom, introspectionQuery, type IntrospectedType } from '../../web/src/api/capabilities.js';
import { ApiError, GraphQLClient, type ApiStatus } from '../../web/src/api/client.js';
import { demandLinksQuery, entitiesQuery, opportunitiesQuery, segmentIndex, segmentsQuery } from '../../web/src/api/queries.js';
import { deadDatabase, testConfig, testDatabase } from '../support/neo4j.js';

// The explorer's client against the real app (through app.fetch, no port) and the real Neo4j.
const logger = pino({ level: 'silent' });
const db = testDatabase();
const app = createApp({ db, config: testConfig(), logger, vocabulary: coreVocabulary });
const viaApp = (target: typeof app): typeof fetch => (input, init) => Promise.resolve(target.fetch(new Request(new URL(String(input), "http://localhost"), init)));

afterAll(() => db.close());

describe('GraphQLClient', () => {
  it('returns data and reports loading while a request is in flight', async () => {
    const seen: ApiStatus[] = [];
    const client = new GraphQLClient({ fetch: viaApp(app), onStatus: (s) => seen.push(s) });
    const data = await client.request<{ stats: { nodeCount: number } }>('{ stats { nodeCount } }');
    expect(data.stats.nodeCount).toBeGreaterThanOrEqual(0);
    expect(seen[0]!.pending).toBe(1);
    expect(seen.at(-1)!.pending).toBe(0);
  });

  it('calls a field the server lacks "unsupported", without retrying', async () => {
    let calls = 0;
    const client = new GraphQLClient({ fetch: (i, o) => { calls++; return viaApp(app)(i, o); } });
    const err = await client.request('{ noSuchField }').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).kind).toBe('unsupported');
    expect(calls).toBe(1);
  });

  it('retries with backoff while the database is down, reporting "down", then gives up', async () => {
    const dead = deadDatabase();
    const downApp = createApp({ db: dead, config: testConfig(), logger, vocabulary: coreVocabulary });
    const delays: number[] = [];
    const states: ApiStatus[] = [];
    try {
      const client = new GraphQLClient({ fetch: viaApp(downApp), attempts: 3, baseDelayMs: 100, sleep: async (ms) => { delays.push(ms); }, onStatus: (s) => states.push(s) });
      const err = (await client.request('{ stats { nodeCount } }').catch((e: unknown) => e)) as ApiError;
      expect(err.code).toBe('DATABASE_UNAVAILABLE');
      expect(err.kind).toBe('unavailable');
      expect(delays).toEqual([100, 200]);
      expect(states.some((s) => s.down && s.retryIn !== undefined)).toBe(true);
      expect(client.current.down).toBe(true);
    } finally {
      await dead.close();
    }
  });

  it('recovers: a later success clears "down"', async () => {
    let fail = 2;
    const client = new GraphQLClient({
      fetch: (i, o) => (fail-- > 0 ? Promise.reject(new TypeError('fetch failed')) : viaApp(app)(i, o)),
      sleep: async () => undefined,
    });
    await client.request('{ stats { nodeCount } }');
    expect(client.current.down).toBe(false);
  });
});

describe('capabilities and queries', () => {
  it('reads the real schema: root fields and entity types', async () => {
    const client = new GraphQLClient({ fetch: viaApp(app) });
    const data = await client.request<{ __schema: { queryType: { name: string }; types: IntrospectedType[] } }>(introspectionQuery);
    const caps = capabilitiesFrom(data.__schema);
    expect(caps.query.has('stats')).toBe(true);
    expect(caps.entityTypes).toEqual(['Consumer', 'Product', 'Interest']);
  });

  it('asks for the extra demand and opportunity figures a schema offers, and reads segments', () => {
    const F = (name: string, kind = 'SCALAR', of = 'Float') => ({ name, type: { kind: 'NON_NULL', name: null, ofType: { kind, name: of } } });
    const L = (name: string, of: string) => ({ name, type: { kind: 'LIST', name: null, ofType: { kind: 'OBJECT', name: of } } });
    const caps = capabilitiesFrom({
      queryType: { name: 'Query' },
      types: [
        { name: 'Query', kind: 'OBJECT', fields: [{ ...L('segments', 'Segment'), args: [] }, F('stats', 'OBJECT', 'GraphStats')] },
        { name: 'DemandLink', kind: 'OBJECT', fields: [F('support', 'SCALAR', 'Int'), F('lift'), F('pmi'), F('zScore'), L('entity', 'Entity')] },
        { name: 'Opportunity', kind: 'OBJECT', fields: [F('lift'), F('consumers', 'SCALAR', 'Int'), L('interests', 'Entity'), L('adjacentInterests', 'Entity')] },
        { name: 'Segment', kind: 'OBJECT', fields: [F('id', 'SCALAR', 'ID'), F('name', 'SCALAR', 'String'), L('members', 'Entity')] },
        { name: 'EntityType', kind: 'ENUM', fields: null, enumValues: [{ name: 'Consumer' }] },
      ],
    });
    // Significance first; at most two extra columns.
    expect(caps.demandFigures).toEqual(['zScore', 'pmi']);
    expect(demandLinksQuery(caps)).toContain('lift zScore pmi');
    expect(caps.opportunityEntityLists).toEqual(['adjacentInterests']);
    expect(opportunitiesQuery(caps)).toContain('adjacentInterests {');
    expect(segmentsQuery(caps)).toBe('{ segments { id name members { key } } }');
    const idx = segmentIndex(caps, { segments: [{ id: 's1', name: 'Outdoor', members: [{ key: 'Interest:a' }] }, { id: 's2', name: 'Home', members: [{ key: 'Interest:b' }, { key: 'Interest:a' }] }] });
    expect(idx.labels).toEqual(['Outdoor', 'Home']);
    expect(idx.byKey.get('Interest:a')).toBe(0);
    expect(idx.byKey.get('Interest:b')).toBe(1);
  });

  it('builds one aliased request for many entities', () => {
    const q = entitiesQuery(2);
    expect(q).toContain('e0: entity(id: $id0, type: $t0)');
    expect(q).toContain('e1: entity(id: $id1, type: $t1)');
  });
});
