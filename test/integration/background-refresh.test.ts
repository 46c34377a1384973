import { afterAll, describe, expect, it } from 'vitest';
import { refreshDerived } from '../../server/domains.js';
import { scheduleRefresh } from '../../server/refresh/background.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { testDatabase, testNamespace } from '../support/neo4j.js';

const db = testDatabase(300_000);
const ns = testNamespace('bgrefresh');

afterAll(async () => {
  await db.write('test-cleanup', 'MATCH (n:Entity) WHERE n.id STARTS WITH $ns DETACH DELETE n', { ns });
  await db.close();
});

describe('scheduleRefresh', () => {
  it('coalesces a burst of requests and leaves derived values current', async () => {
    await db.write(
      'test-seed',
      `UNWIND range(1, 4) AS i
       MERGE (c:Entity:Consumer {id: $ns + '-c' + i}) SET c.key = 'Consumer:' + c.id
       MERGE (p:Entity:Product {id: $ns + '-p'}) SET p.key = 'Product:' + p.id
       MERGE (c)-[:PURCHASED {weight: 1.0, count: 1}]->(p)`,
      { ns },
    );
    const errors: unknown[] = [];
    const stamp = async () => Number((await db.read('test-stamp', "MATCH (m:KgMeta {key: 'derived'}) RETURN m.refreshedAt AS at"))[0]?.at ?? 0);
    const before = await stamp();
    const burst = [1, 2, 3].map(() => scheduleRefresh(db, coreVocabulary, refreshDerived, (e) => errors.push(e)));
    await Promise.all(burst);
    expect(errors).toEqual([]);
    expect(await stamp()).toBeGreaterThan(before);
    const rows = await db.read('test-read', 'MATCH (p:Product {id: $id}) RETURN p._consumers AS consumers', { id: `${ns}-p` });
    expect(rows[0]!.consumers).toBe(4);
  }, 300_000);
});
