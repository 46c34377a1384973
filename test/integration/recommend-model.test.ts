import { afterAll, describe, expect, it } from 'vitest';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { buildModel } from '../../server/recommend/model/build.js';
import { loadModel, servedVersion } from '../../server/recommend/model/store.js';
import { createModelHolder } from '../../server/recommend/model/holder.js';
import { pino } from 'pino';
import { createApp } from '../../server/app.js';
import { testConfig } from '../support/neo4j.js';
import { testDatabase, testNamespace } from '../support/neo4j.js';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../server/config.js';
import { updateRecommendModel } from '../../server/recommend/precompute.js';
import { samplePoolExposure } from '../../server/recommend/pool-exposure.js';
import { storeModel } from '../../server/recommend/model/store.js';

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

  it('stores each product’s pool exposure, counted from sampled consumers, and loads it back', async () => {
    const m = await buildModel(db, coreVocabulary, undefined, undefined, (x) => samplePoolExposure(db, coreVocabulary, x));
    built.push(m.version);
    const loaded = (await loadModel(db, m.version))!;
    expect(loaded.poolExposure).toBeDefined();
    expect([...loaded.poolExposure!]).toEqual([...m.poolExposure!]);
    expect(loaded.poolExposure!.length).toBe(loaded.items.length);
    expect(Number(loaded.info.pool_sample)).toBeGreaterThanOrEqual(12);
    // Consumers 3 and 6 never bought a, so a is among their strongest candidates.
    expect(loaded.poolExposure![loaded.itemIndex.get(`${ns}-a`)!]).toBeGreaterThanOrEqual(2);
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

  it('a partial update after a small write knows a new product at once, linked to what was bought with it, as a new version', async () => {
    const before = (await loadModel(db, (await servedVersion(db))!))!;
    expect(before.itemIndex.has(`${ns}-d`)).toBe(false);
    // Consumers 1 and 2 (group a, b, c) buy a new product d.
    await db.write(
      'test-new-product',
      `MERGE (p:Entity:Product {id: $ns + '-d'}) SET p.key = 'Product:' + p.id, p.name = 'Product d'
       WITH p UNWIND [1, 2] AS i MATCH (c:Consumer {id: $ns + '-c' + i}) MERGE (c)-[:PURCHASED {weight: 1.0, count: 1}]->(p)`,
      { ns },
    );
    const outcome = await updateRecommendModel(db, coreVocabulary, { consumers: [], entities: [{ type: 'Product', key: `Product:${ns}-d` }] });
    built.push(outcome.version!);
    expect(outcome).toMatchObject({ products: 1, added: 1 });
    expect(await servedVersion(db)).toBe(outcome.version);
    const m = (await loadModel(db, outcome.version!))!;
    const d = m.itemIndex.get(`${ns}-d`)!;
    expect(d).toBeDefined();
    expect(m.consumers[d]).toBe(2);
    const row = (i: number) => [...m.collab.nbr.subarray(m.collab.ptr[i]!, m.collab.ptr[i + 1]!)].map((j) => m.items[j]);
    // d's neighbours are its buyers' other products (group a, b, c), never group x, y, z.
    expect(row(d).length).toBeGreaterThan(0);
    for (const id of row(d)) expect([`${ns}-a`, `${ns}-b`, `${ns}-c`]).toContain(id);
    // And d enters its neighbours' lists, so their buyers can be offered it.
    expect(row(m.itemIndex.get(row(d)[0]!)!)).toContain(`${ns}-d`);
    // Everything else is the model it started from.
    expect(m.items.slice(0, before.items.length)).toEqual(before.items);
    const x = before.itemIndex.get(`${ns}-x`)!;
    expect([...m.collab.nbr.subarray(m.collab.ptr[x]!, m.collab.ptr[x + 1]!)]).toEqual([...before.collab.nbr.subarray(before.collab.ptr[x]!, before.collab.ptr[x + 1]!)]);
  });

  it('an update started from a version no longer served is not published (and leaves nothing behind)', async () => {
    const served = (await servedVersion(db))!;
    const m = (await loadModel(db, served))!;
    const stale = { ...m, version: `${m.version}-stale` };
    expect(await storeModel(db, stale, { base: 'an-older-version' })).toBe(false);
    expect(await servedVersion(db)).toBe(served);
    const rows = await db.read('test-stale', 'MATCH (m:KgModel {version: $v}) RETURN count(m) AS n', { v: stale.version });
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it('npm run model -- relearn publishes a new version, with progress, and status names it', async () => {
    const before = await servedVersion(db);
    const config = testConfig();
    const run = (command: string) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'server', 'cli', 'model.ts'), command], {
          env: { ...process.env, NEO4J_URI: config.neo4j.uri!, NEO4J_USER: config.neo4j.user, NEO4J_PASSWORD: config.neo4j.password!, NEO4J_DATABASE: config.neo4j.database },
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (err += c.toString()));
        child.on('close', (code) => resolve({ code, out, err }));
      });
    const relearn = await run('relearn');
    expect(relearn.code, relearn.err).toBe(0);
    const after = await servedVersion(db);
    built.push(after!);
    expect(after).not.toBe(before);
    expect(relearn.out).toContain(`published ${after}`);
    expect(relearn.err).toMatch(/read \d+ engagements/);
    expect(relearn.err).toMatch(/stored part 1 of \d+/);
    const status = await run('status');
    expect(status.code).toBe(0);
    expect(status.out).toContain(`served ${after}`);
  }, 120_000);
});
