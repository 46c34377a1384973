import { afterAll, describe, expect, it } from 'vitest';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { buildModel } from '../../server/recommend/model/build.js';
import { loadModel, servedVersion } from '../../server/recommend/model/store.js';
import { createModelHolder } from '../../server/recommend/model/holder.js';
import { pino } from 'pino';
import { createApp } from '../../server/app.js';
import { testConfig } from '../support/neo4j.js';
import { testDatabase, testNamespace } from '../support/neo4j.js';

const db = testDatabase();
const ns = testNamespace('model');
const built: string[] = [];

afterAll(async () => {
  await db.write('test-cleanup', 'MATCH (n:Entity) WHERE n.id STARTS WITH $ns DETACH DELETE n', { ns });
  await db.write('test-cleanup-models', 'MATCH (m:KgModel) WHERE m.version IN $built OPTIONAL MATCH (m)-[:HAS_PART]->(p) DETACH DELETE p, m', { built });
  await db.write('test-cleanup-meta', "MATCH (m:KgMeta {key: 'recommend'}) WHERE m.model IN $built REMOVE m.model, m.previousModel", { built });
  await db.close();
});

/** Two taste groups: consumers 1-6 buy a, b, c; consumers 7-12 buy x, y, z (each misses one). */
async function seed() {
  await db.write(
    'test-seed',
    `UNWIND range(1, 12) AS i
     MERGE (c:Entity:Consumer {id: $ns + '-c' + i}) SET c.key = 'Consumer:' + c.id
     WITH c, i, CASE WHEN i <= 6 THEN ['a', 'b', 'c'] ELSE ['x', 'y', 'z'] END AS group
     UNWIND [g IN group WHERE g <> group[i % 3]] AS g
     MERGE (p:Entity:Product {id: $ns + '-' + g}) SET p.key = 'Product:' + p.id, p.name = 'Product ' + g
     MERGE (c)-[:PURCHASED {weight: 1.0, count: 1}]->(p)`,
    { ns },
  );
}

const modelOf = async () => {
  const m = await buildModel(db, coreVocabulary);
  built.push(m.version);
  return m;
};

describe('the learned recommendation model in Neo4j', () => {
  it('is stored as a published version that loads back into the same arrays', async () => {
    await seed();
    const m = await modelOf();
    expect(await servedVersion(db)).toBe(m.version);
    const loaded = (await loadModel(db, m.version))!;
    expect(loaded.items).toEqual(m.items);
    expect([...loaded.collab.ptr]).toEqual([...m.collab.ptr]);
    expect([...loaded.collab.nbr]).toEqual([...m.collab.nbr]);
    expect([...loaded.collab.w]).toEqual([...m.collab.w]);
    expect([...loaded.consumers]).toEqual([...m.consumers]);
    // The model links within a taste group: a's neighbours are b and c, not x, y or z.
    const a = loaded.itemIndex.get(`${ns}-a`)!;
    const neighbours = [...loaded.collab.nbr.subarray(loaded.collab.ptr[a]!, loaded.collab.ptr[a + 1]!)].map((j) => loaded.items[j]);
    expect(neighbours.slice(0, 2).sort()).toEqual([`${ns}-b`, `${ns}-c`]);
    expect(neighbours).not.toContain(`${ns}-x`);
  });

  it('a reader during a relearn sees the old or the new model, whole, never a mix', async () => {
    const before = await servedVersion(db);
    let done = false;
    const seen = new Set<string>();
    const relearn = modelOf().finally(() => (done = true));
    while (!done) {
      const version = await servedVersion(db);
      const m = version ? await loadModel(db, version) : null;
      if (m) {
        seen.add(m.version);
        expect(m.consumers.length).toBe(m.items.length);
        expect(m.collab.ptr.length).toBe(m.items.length + 1);
        expect(m.collab.ptr[m.items.length]).toBe(m.collab.nbr.length);
      }
    }
    const after = await relearn;
    for (const v of seen) expect([before, after.version]).toContain(v);
    expect(await servedVersion(db)).toBe(after.version);
  });

  it('two API processes on one Neo4j serve the same new version within 10 s of a relearn', async () => {
    // Two apps, each with the holder createApp makes (its own load and poll), as two replicas have.
    const apps = [0, 1].map(() => createApp({ db, config: testConfig(), logger: pino({ level: 'silent' }), vocabulary: coreVocabulary }));
    await Promise.all(apps.map((a) => a.recommendModel.ready()));
    const relearned = await modelOf();
    const t0 = Date.now();
    while (apps.some((a) => a.recommendModel.current()?.version !== relearned.version) && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 100));
    const seconds = (Date.now() - t0) / 1000;
    for (const a of apps) {
      expect(a.recommendModel.current()?.version).toBe(relearned.version);
      a.recommendModel.stop();
      a.metrics.close();
    }
    expect(seconds).toBeLessThan(10);
  }, 60_000);

  it('a new holder has no model until its first check, then the published one', async () => {
    const holder = createModelHolder(db);
    expect(holder.current()).toBeNull();
    const m = await holder.sync();
    expect(m?.version).toBe(await servedVersion(db));
  });

  it('keeps only the served version and the one before it', async () => {
    await modelOf();
    const rows = await db.read('test-versions', 'MATCH (m:KgModel) RETURN count(m) AS n');
    expect(Number(rows[0]!.n)).toBeLessThanOrEqual(2);
  });
});
