import { afterAll, describe, expect, it } from 'vitest';
import { refreshDerived } from '../../server/domains.js';
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
});
