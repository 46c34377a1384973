import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { updateIdentity } from '../../server/identity/precompute.js';
import { pseudonymize } from '../../server/privacy/pseudonym.js';
import { lookalikes, recommendProducts, related, type EngineDeps } from '../../server/recommend/engine.js';
import { buildModel } from '../../server/recommend/model/build.js';
import { createModelHolder } from '../../server/recommend/model/holder.js';
import { updateModel } from '../../server/recommend/model/update.js';
import { READ_TOUCHED_PRODUCTS } from '../../server/recommend/model/queries.js';
import { testConfig, testDatabase, testNamespace } from '../support/neo4j.js';

/**
 * Recommendations and lookalikes of a person under several consumer ids (issue 18): the
 * profile read covers every id of the person, lookalikes list each other person once and never
 * the caller's own ids, and the learned model (build and incremental update) counts persons.
 */
const db = testDatabase();
const ns = testNamespace('recpersons');
const secret = testConfig().pseudonymSecret;
const model = createModelHolder(db);
const deps: EngineDeps = { db, vocabulary: coreVocabulary, pseudonymSecret: secret, model };
const built: string[] = [];

const raw = (name: string) => `${ns}-${name}`;
const pid = (name: string) => pseudonymize(secret, raw(name));
const prod = (name: string) => `${ns}-${name}`;
const consumers = new Set<string>();

/** Purchases [consumer, product, weight], stored as the loader stores them (consumers by pseudonym). */
async function buy(rows: [string, string, number][]) {
  for (const [c] of rows) consumers.add(pid(c));
  await db.write(
    'test-seed',
    `UNWIND $rows AS r
     MERGE (c:Entity:Consumer {id: r.c}) SET c.key = 'Consumer:' + r.c, c.name = r.c
     MERGE (p:Entity:Product {id: r.p}) SET p.key = 'Product:' + r.p, p.name = r.p
     MERGE (c)-[x:PURCHASED]->(p) SET x.weight = toFloat(r.w), x.count = 1`,
    { rows: rows.map(([c, p, w]) => ({ c: pid(c), p: prod(p), w })) },
  );
}

/**
 * Links the named consumers by SAME_AS rows and runs the identity step's incremental update
 * for them, as a small write does: they become one person. Returns that person's id.
 */
async function person(...names: string[]): Promise<string> {
  const ids = names.map(pid);
  await db.write(
    'test-same-as',
    'UNWIND range(1, size($ids) - 1) AS i MATCH (a:Consumer {id: $ids[i - 1]}), (b:Consumer {id: $ids[i]}) MERGE (a)-[r:SAME_AS]->(b) SET r.weight = 1.0, r.count = 1',
    { ids },
  );
  await updateIdentity(db, coreVocabulary, { consumers: ids.map((c) => `Consumer:${c}`), entities: [] });
  const [row] = await db.read('test-person', 'MATCH (c:Consumer) WHERE c.id IN $ids RETURN collect(DISTINCT c.person) AS persons, collect(DISTINCT c.personIds) AS sizes', { ids });
  const persons = row!.persons as string[];
  expect(persons).toEqual([`p_${[...ids].sort()[0]!.slice(2)}`]);
  expect((row!.sizes as unknown[]).map(Number)).toEqual([ids.length]);
  return persons[0]!;
}

const G = ['g1', 'g2', 'g3', 'g4', 'g5'];
const H = ['h1', 'h2', 'h3', 'h4', 'h5'];

beforeAll(async () => {
  const rows: [string, string, number][] = [];
  // Two taste groups: six consumers buy four of g1..g5 each, six four of h1..h5 each.
  for (let k = 0; k < 6; k++) {
    for (const [i, g] of G.entries()) if (i !== k % 5) rows.push([`gfan${k}`, g, 1]);
    for (const [i, h] of H.entries()) if (i !== k % 5) rows.push([`hfan${k}`, h, 1]);
  }
  // Person P under three ids, each with part of the history: a bought g1, b bought h1, c bought g2.
  rows.push(['a', 'g1', 2], ['b', 'h1', 2], ['c', 'g2', 2]);
  // Person Q under two ids, both like P's first id: q1 bought g1 and g3, q2 g1 and g4.
  rows.push(['q1', 'g1', 1], ['q1', 'g3', 1], ['q2', 'g1', 1], ['q2', 'g4', 1]);
  await buy(rows);
  await person('a', 'b', 'c');
  await person('q1', 'q2');
  const m = await buildModel(db, coreVocabulary);
  built.push(m.version);
  await model.sync();
}, 180_000);

afterAll(async () => {
  await db.write('test-cleanup', 'MATCH (n:Entity) WHERE n.id STARTS WITH $ns OR n.id IN $consumers DETACH DELETE n', { ns, consumers: [...consumers] });
  await db.write('test-cleanup-models', 'MATCH (m:KgModel) WHERE m.version IN $built OPTIONAL MATCH (m)-[:HAS_PART]->(p) DETACH DELETE p, m', { built });
  await db.write('test-cleanup-meta', "MATCH (m:KgMeta {key: 'recommend'}) WHERE m.model IN $built REMOVE m.model, m.previousModel", { built });
  await db.close();
});

const ids = (rs: { entity: { id: string } }[]) => rs.map((r) => r.entity.id);

describe('recommendations for a person under several ids', () => {
  it('exclude every product any of its ids engaged with and are driven by the union of their histories', async () => {
    const rs = await recommendProducts(deps, raw('a'), 6, 0);
    const got = ids(rs);
    for (const own of ['g1', 'h1', 'g2']) expect(got).not.toContain(prod(own));
    // h2..h5 are reachable only from id b's purchase of h1, g3..g5 from a's and c's.
    const fromB = rs.filter((r) => H.map(prod).includes(r.entity.id) && r.score > 0);
    expect(fromB.length).toBeGreaterThan(0);
    expect(got.filter((id) => G.map(prod).includes(id)).length).toBeGreaterThan(0);
    for (const r of fromB) {
      // Their reasons start at the asking consumer (never another id of the person) and go through h1.
      expect(r.reasons.length).toBeGreaterThan(0);
      expect(r.reasons.reduce((s, x) => s + x.share, 0)).toBeLessThanOrEqual(1 + 1e-9);
      for (const x of r.reasons) {
        expect(x.path.nodes[0]!.id).toBe(pid('a'));
        expect(x.path.nodes.at(-1)!.id).toBe(r.entity.id);
        expect(x.path.relations[0]).toBe('PURCHASED');
      }
      expect(r.reasons.some((x) => x.path.nodes.some((n) => n.id === prod('h1')))).toBe(true);
    }
    for (const r of rs) for (const x of r.reasons) for (const n of x.path.nodes) expect([pid('b'), pid('c')]).not.toContain(n.id);
  });

  it('are the same products whichever of the person’s ids asks, also through related()', async () => {
    const a = ids(await recommendProducts(deps, raw('a'), 6, 0));
    expect(ids(await recommendProducts(deps, raw('b'), 6, 0))).toEqual(a);
    expect(ids(await recommendProducts(deps, raw('c'), 6, 0))).toEqual(a);
    expect(ids(await related(deps, raw('c'), 'Consumer', 'Product', 6, 0))).toEqual(a);
  });
});

describe('lookalikes of a person', () => {
  it('never list the caller’s own ids and list a two-id person once, by its smallest id', async () => {
    for (const caller of ['a', 'b', 'c']) {
      const rs = await lookalikes(deps, raw(caller), 30);
      const got = ids(rs);
      expect(got.length).toBeGreaterThan(0);
      for (const own of ['a', 'b', 'c']) expect(got).not.toContain(pid(own));
      expect(new Set(got).size).toBe(got.length);
      const q = [pid('q1'), pid('q2')].sort();
      expect(got).toContain(q[0]);
      expect(got).not.toContain(q[1]);
      // No reason names another consumer than the caller and the one listed.
      for (const r of rs) for (const x of r.reasons) for (const n of x.path.nodes) if (n.type === 'Consumer') expect([pid(caller), r.entity.id]).toContain(n.id);
    }
  });
});

describe('the learned model counts persons', () => {
  it('learns one row a person: a product bought by two ids of one person has one consumer more, not two', async () => {
    const m = model.current()!;
    // g1: gfan1..4 (gfan0 and gfan5 miss it), a, and Q under two ids → 4 + 1 + 1 persons.
    const buyersOfG1 = Number((await db.read('test-g1', "MATCH (:Product {id: $p})<-[:PURCHASED]-(c:Consumer) RETURN count(DISTINCT coalesce(c.person, c.id)) AS n", { p: prod('g1') }))[0]!.n);
    expect(buyersOfG1).toBe(6);
    expect(m.consumers[m.itemIndex.get(prod('g1'))!]).toBe(6);
  });

  it('an incremental update counts persons too', async () => {
    // g9 is new: bought by both of Q's ids and by gfan0.
    await buy([['q1', 'g9', 1], ['q2', 'g9', 1], ['gfan0', 'g9', 1]]);
    const q = await person('q1', 'q2');
    // The update's read: one engager a person, with the products of all its ids.
    const [row] = await db.read('test-touched', READ_TOUCHED_PRODUCTS, { ids: [prod('g9')], engRels: ['PURCHASED', 'VIEWED'], piRels: ['RELATES_TO'], engagers: 500, perConsumer: 100 });
    const engagers = row!.engagers as [string, [string, unknown][], [string, string, unknown][]][];
    expect(engagers.map((e) => e[0]).sort()).toEqual([pid('gfan0'), q].sort());
    const ofQ = engagers.find((e) => e[0] === q)!;
    expect(ofQ[1]).toHaveLength(2);
    expect(ofQ[2].map((x) => x[0]).sort()).toEqual([prod('g1'), prod('g1'), prod('g3'), prod('g4')]);
    expect(engagers.find((e) => e[0] !== q)![2]).toHaveLength(4);
    const outcome = await updateModel(db, coreVocabulary, [prod('g9')]);
    expect(outcome.version).not.toBeNull();
    built.push(outcome.version!);
    const m = (await model.sync())!;
    expect(m.version).toBe(outcome.version);
    expect(m.consumers[m.itemIndex.get(prod('g9'))!]).toBe(2);
    // Its learned neighbours come from both persons' other products (Q's g3, g4 under either id).
    const j = m.itemIndex.get(prod('g9'))!;
    const nbrs = [...m.collab.nbr.subarray(m.collab.ptr[j]!, m.collab.ptr[j + 1]!)].map((x) => m.items[x]);
    expect(nbrs).toEqual(expect.arrayContaining([prod('g3'), prod('g4')]));
  });
});
