import { afterAll, describe, expect, it } from 'vitest';
import { precomputeSteps, refreshDerived } from '../../server/domains.js';
import { refreshIfStale } from '../../server/refresh/background.js';
import { staleSteps } from '../../server/refresh/pipeline.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { testDatabase, testNamespace } from '../support/neo4j.js';

const db = testDatabase();
const ns = testNamespace('derived');

afterAll(async () => {
  await db.write('test-cleanup', 'MATCH (n:Entity) WHERE n.id STARTS WITH $ns DETACH DELETE n', { ns });
  await db.close();
});

describe('refreshDerived', () => {
  it('counts distinct consumers per product and interest, and follows changes', async () => {
    await db.write(
      'test-seed',
      `UNWIND range(1, 3) AS i
       MERGE (c:Entity:Consumer {id: $ns + '-c' + i}) SET c.key = 'Consumer:' + c.id
       MERGE (p:Entity:Product {id: $ns + '-p'}) SET p.key = 'Product:' + p.id
       MERGE (t:Entity:Interest {id: $ns + '-t'}) SET t.key = 'Interest:' + t.id
       MERGE (c)-[:PURCHASED {weight: 1.0, count: 1}]->(p)
       MERGE (c)-[:VIEWED {weight: 1.0, count: 1}]->(p)
       WITH c, t, i WHERE i = 1
       MERGE (c)-[:INTERESTED_IN {weight: 1.0, count: 1}]->(t)`,
      { ns },
    );
    await refreshDerived(db, coreVocabulary);
    const read = () =>
      db.read('test-read', 'MATCH (n:Entity) WHERE n.id IN [$ns + "-p", $ns + "-t"] RETURN n.id AS id, n._consumers AS consumers ORDER BY id', { ns });
    expect(await read()).toEqual([
      { id: `${ns}-p`, consumers: 3 },
      { id: `${ns}-t`, consumers: 1 },
    ]);
    await db.write('test-change', "MATCH (c:Consumer {id: $ns + '-c3'}) DETACH DELETE c", { ns });
    await refreshDerived(db, coreVocabulary);
    expect((await read())[0]).toEqual({ id: `${ns}-p`, consumers: 2 });
  });

  it('stamps every step with its format, so a graph derived by an older version is found stale', async () => {
    await refreshDerived(db, coreVocabulary);
    expect(await staleSteps(db, precomputeSteps)).toEqual([]);
    const newer = precomputeSteps.map((s) => (s.name === 'recommend' ? { ...s, format: s.format + 1 } : s));
    expect(await staleSteps(db, newer)).toEqual(['recommend']);
    // A graph refreshed before steps were stamped (only refreshedAt): every step is stale.
    const [row] = await db.read('test-stamps', "MATCH (m:KgMeta {key: 'derived'}) RETURN m.steps AS steps");
    await db.write('test-unstamp', "MATCH (m:KgMeta {key: 'derived'}) REMOVE m.steps");
    try {
      expect(await staleSteps(db, precomputeSteps)).toEqual(precomputeSteps.map((s) => s.name));
    } finally {
      await db.write('test-restamp', "MATCH (m:KgMeta {key: 'derived'}) SET m.steps = $steps", { steps: row!.steps });
    }
  });

  it('refreshes at start, in the background, what an older version derived, and nothing when current', async () => {
    const logs: string[] = [];
    const logger = { info: (_: unknown, m?: string) => void logs.push(`info ${m}`), warn: (_: unknown, m?: string) => void logs.push(`warn ${m}`), error: (_: unknown, m?: string) => void logs.push(`error ${m}`) };
    await refreshDerived(db, coreVocabulary);
    expect((await refreshIfStale(db, coreVocabulary, precomputeSteps, refreshDerived, logger)).stale).toEqual([]);
    // As a graph loaded by an earlier version: a consumer count no refresh has seen, no stamps.
    await db.write('test-old', "MATCH (p:Product {id: $ns + '-p'}) SET p._consumers = 99 WITH 1 AS x MATCH (m:KgMeta {key: 'derived'}) REMOVE m.steps", { ns });
    const started = await refreshIfStale(db, coreVocabulary, precomputeSteps, refreshDerived, logger);
    expect(started.stale).toEqual(precomputeSteps.map((s) => s.name));
    await started.done;
    const [p] = await db.read('test-read', 'MATCH (p:Product {id: $id}) RETURN p._consumers AS consumers', { id: `${ns}-p` });
    expect(p!.consumers).toBe(2);
    expect(await staleSteps(db, precomputeSteps)).toEqual([]);
    expect(logs.filter((l) => l.startsWith('error'))).toEqual([]);
  });
});
