import { afterAll, describe, expect, it } from 'vitest';
import { ENTITY_SEARCH_INDEX } from '../../server/graph/schema-statements.js';
import { DatabaseUnavailableError, QueryTimeoutError } from '../../server/db/errors.js';
import { Database } from '../../server/db/neo4j.js';
import { applySchema } from '../../server/graph/setup.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { deadDatabase, testDatabase, testNamespace } from '../support/neo4j.js';

const db = testDatabase();
const ns = testNamespace('neo4j');

afterAll(async () => {
  await db.write('test-cleanup', 'MATCH (n:Entity) WHERE n.id STARTS WITH $ns DETACH DELETE n', { ns });
  await db.close();
});

/** Work no timeout of these tests lets finish. */
const endless = 'UNWIND range(1, 1000000000) AS x WITH x WHERE x < 0 RETURN count(x) AS c';

describe('the Neo4j module against a real Neo4j', () => {
  it('writes through the driver and reads the same values back, Chinese included', async () => {
    await db.write(
      'test-write',
      `CREATE (:Entity:Interest {id: $id, key: 'Interest:' + $id, name: $name, weight: 3})`,
      { id: `${ns}-camping`, name: '户外露营 Outdoor camping' },
    );
    const rows = await db.read('test-read', 'MATCH (n:Interest {id: $id}) RETURN n.name AS name, n.weight AS weight, n', { id: `${ns}-camping` });
    expect(rows).toEqual([{ name: '户外露营 Outdoor camping', weight: 3, n: expect.objectContaining({ name: '户外露营 Outdoor camping' }) }]);
    expect(typeof rows[0]!.weight).toBe('number');
  });

  it('finds names through the full-text index in Chinese and English', async () => {
    await db.write('test-write', `CREATE (:Entity:Product {id: $id, key: 'Product:' + $id, name: '精品挂耳咖啡', name_en: 'Drip bag coffee'})`, {
      id: `${ns}-coffee`,
    });
    const search = (q: string) =>
      db.read('test-search', `CALL db.index.fulltext.queryNodes($index, $q) YIELD node WHERE node.id STARTS WITH $ns RETURN node.id AS id`, {
        index: ENTITY_SEARCH_INDEX,
        q,
        ns,
      });
    expect(await search('咖啡')).toEqual([{ id: `${ns}-coffee` }]);
    expect(await search('coffee')).toEqual([{ id: `${ns}-coffee` }]);
    expect(await search('cofee~')).toEqual([{ id: `${ns}-coffee` }]);
  });

  it('applies the schema idempotently', async () => {
    await applySchema(db, coreVocabulary);
    await applySchema(db, coreVocabulary);
    const rows = await db.read('test-constraints', 'SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names');
    expect(rows[0]!.names).toEqual(expect.arrayContaining(['consumer_id', 'product_id', 'interest_id', 'entity_key']));
    await expect(
      db.write('test-duplicate', `CREATE (:Entity:Interest {id: $id, key: 'Interest:' + $id, name: 'dup'})`, { id: `${ns}-camping` }),
    ).rejects.toThrow(/already exists/);
  });

  it('stops a query at its timeout with a typed error', async () => {
    await expect(db.read('test-timeout', endless, {}, { timeoutMs: 300 })).rejects.toBeInstanceOf(QueryTimeoutError);
  });

  it('gives background work a view with a longer default timeout, on the same driver and observers', async () => {
    const short = new Database(db.driver, db.database, 300);
    const seen: string[] = [];
    short.observe((e) => seen.push(`${e.operation}:${e.ok}`));
    const long = short.withDefaultTimeout(120_000);
    // The short default stops endless work; a lock another transaction holds for a second
    // makes the view's wait certain on any machine (a query sized in rows finished inside
    // 300 ms on a fast one, and a lock wait cut by the timeout reports another code under load).
    await expect(short.read('test-short', endless)).rejects.toBeInstanceOf(QueryTimeoutError);
    const id = `${ns}-locked`;
    await db.write('test-write', `CREATE (:Entity:Interest {id: $id, key: 'Interest:' + $id, name: 'locked'})`, { id });
    const touch = 'MATCH (n:Interest {id: $id}) SET n.touched = coalesce(n.touched, 0) + 1 RETURN n.touched AS c';
    const session = db.driver.session({ database: db.database });
    const holder = await session.beginTransaction();
    try {
      await holder.run('MATCH (n:Interest {id: $id}) SET n.held = true', { id });
      const waiting = long.write('test-long', touch, { id });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await holder.commit();
      expect(await waiting).toEqual([{ c: 1 }]);
    } finally {
      if (holder.isOpen()) await holder.rollback();
      await session.close();
    }
    expect(long.defaultTimeoutMs).toBe(120_000);
    expect(short.withDefaultTimeout(300)).toBe(short);
    expect(seen).toEqual(['test-short:false', 'test-long:true']);
  });

  it('reports a database that does not answer as unavailable', async () => {
    const dead = deadDatabase();
    try {
      await expect(dead.ping()).rejects.toBeInstanceOf(DatabaseUnavailableError);
    } finally {
      await dead.close();
    }
  });
});
