import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { addKey } from '../../server/auth/keys.js';
import { scheduleRefresh } from '../../server/refresh/background.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { refreshDerived } from '../../server/domains.js';
import { pseudonymize } from '../../server/privacy/pseudonym.js';
import { lookalikes, recommendProducts, related, type EngineDeps } from '../../server/recommend/engine.js';
import { DomainError } from '../../server/core/errors.js';
import { defaultSettings } from '../../server/recommend/settings.js';
import { createModelHolder } from '../../server/recommend/model/holder.js';
import { learnSettings } from '../../server/recommend/model/learn-model.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { testConfig, testDatabase, testNamespace } from '../support/neo4j.js';

/** A DomainError with the given contract code (what the API answers with). */
const isCode = (code: string) => (e: unknown) => e instanceof DomainError && e.code === code;

const db = testDatabase();
const ns = testNamespace('recommend');
const config = testConfig();
const secret = config.pseudonymSecret;
// One model holder for the engine calls and the app, as one API process has.
const model = createModelHolder(db);
const deps: EngineDeps = { db, vocabulary: coreVocabulary, pseudonymSecret: secret, model };
const app = createApp({ db, config, logger: pino({ level: 'silent' }), vocabulary: coreVocabulary, recommendModel: model });

/** Raw consumer id as a loader would see it, and its stored pseudonym. */
const raw = (name: string) => `${ns}-${name}`;
const pid = (name: string) => pseudonymize(secret, raw(name));
const prod = (name: string) => `${ns}-${name}`;

interface Edge {
  from: [string, string];
  rel: string;
  to: [string, string];
  weight?: number;
}

/** Creates entities and relationships exactly as docs/DATA-MODEL.md stores them. */
const created = new Set<string>();

async function seed(edges: Edge[]) {
  for (const e of edges) for (const end of [e.from, e.to]) if (end[0] === 'Consumer') created.add(pid(end[1]));
  const id = ([type, name]: [string, string]) => (type === 'Consumer' ? pid(name) : prod(name));
  const rows = edges.map((e) => ({
    ft: e.from[0], fid: id(e.from), tt: e.to[0], tid: id(e.to), rel: e.rel, weight: e.weight ?? 1,
    fname: e.from[0] === 'Consumer' ? id(e.from) : e.from[1], tname: e.to[0] === 'Consumer' ? id(e.to) : e.to[1],
  }));
  for (const rel of new Set(rows.map((r) => r.rel))) {
    const typed = rows.filter((r) => r.rel === rel);
    // Relation types only from the fixed core vocabulary here; labels set via APOC-free CASE.
    await db.write(
      'test-seed',
      `UNWIND $rows AS r
       MERGE (a:Entity {key: r.ft + ':' + r.fid}) SET a.id = r.fid, a.name = r.fname
       MERGE (b:Entity {key: r.tt + ':' + r.tid}) SET b.id = r.tid, b.name = r.tname
       WITH a, b, r
       CALL (a, r) { WITH a, r WHERE r.ft = 'Consumer' SET a:Consumer }
       CALL (a, r) { WITH a, r WHERE r.ft = 'Product' SET a:Product }
       CALL (a, r) { WITH a, r WHERE r.ft = 'Interest' SET a:Interest }
       CALL (b, r) { WITH b, r WHERE r.tt = 'Consumer' SET b:Consumer }
       CALL (b, r) { WITH b, r WHERE r.tt = 'Product' SET b:Product }
       CALL (b, r) { WITH b, r WHERE r.tt = 'Interest' SET b:Interest }
       MERGE (a)-[x:${rel}]->(b) SET x.weight = toFloat(r.weight), x.count = 1`,
      { rows: typed },
    );
  }
}

const C = (n: string): [string, string] => ['Consumer', n];
const P = (n: string): [string, string] => ['Product', n];
const I = (n: string): [string, string] => ['Interest', n];
const buys = (c: string, ...ps: string[]): Edge[] => ps.map((p) => ({ from: C(c), rel: 'PURCHASED', to: P(p), weight: 2 }));

beforeAll(async () => {
  const edges: Edge[] = [
    // Collaborative core: c1 bought p1, p2; others who did also bought p3 (3×) and p4 (1×).
    ...buys('c1', 'p1', 'p2'),
    ...buys('c2', 'p1', 'p2', 'p3'),
    ...buys('c3', 'p1', 'p3', 'p4'),
    ...buys('c4', 'p2', 'p3'),
    { from: C('c1'), rel: 'INTERESTED_IN', to: I('camping'), weight: 3 },
    { from: I('tents'), rel: 'SUBTOPIC_OF', to: I('camping') },
    { from: P('p5'), rel: 'RELATES_TO', to: I('tents') },
    { from: P('p1'), rel: 'RELATES_TO', to: I('camping') },
    // Social: c1 follows c5, who bought p7.
    { from: C('c1'), rel: 'FOLLOWS', to: C('c5') },
    ...buys('c5', 'p7', 'p9', 'p10', 'p11'),
    // Cold starts: an interest only, and nothing at all.
    { from: C('c0'), rel: 'INTERESTED_IN', to: I('camping') },
    { from: C('bare'), rel: 'FOLLOWS', to: C('hermit') },
    // Viewed but not bought: v1 bought p1 and only viewed p3.
    ...buys('v1', 'p1'),
    { from: C('v1'), rel: 'VIEWED', to: P('p3'), weight: 4 },
    // Product–product affinity.
    ...buys('c6', 'p8'),
    { from: P('p8'), rel: 'SIMILAR_TO', to: P('p6'), weight: 5 },
  ];
  // Supernode interest: 150 products relate to it, five of them strongly.
  for (let k = 0; k < 150; k++) edges.push({ from: P(`hub-p${k}`), rel: 'RELATES_TO', to: I('hubtag'), weight: k < 5 ? 100 : 1 });
  edges.push({ from: C('fan'), rel: 'INTERESTED_IN', to: I('hubtag') });
  // Supernode product: 150 consumers bought it and one other product each.
  for (let k = 0; k < 150; k++) edges.push(...buys(`crowd${k}`, 'mega', `crowd-p${k}`));
  // Exploration: t bought x1. Popular items pop0..4 are bought by many consumers (four of each
  // also bought x1), niche items n0..4 by one consumer each, who also bought x1. Popular items
  // share x1's interest, niche ones each have their own.
  for (let k = 0; k < 5; k++) {
    edges.push(...buys(`nfan${k}`, 'x1', `n${k}`), { from: P(`n${k}`), rel: 'RELATES_TO', to: I(`niche${k}`) });
    edges.push({ from: P(`pop${k}`), rel: 'RELATES_TO', to: I('mainstream') });
    for (let m = 0; m < 12; m++) edges.push(...buys(`pfan${k}-${m}`, `pop${k}`, m < 4 ? 'x1' : `pop${(k + 1) % 5}`));
  }
  edges.push(...buys('t', 'x1'), { from: P('x1'), rel: 'RELATES_TO', to: I('mainstream') });
  await seed(edges);
  await refreshDerived(db, coreVocabulary);
  await model.sync();
}, 180_000);

// Consumers are stored by pseudonym, so cleanup removes exactly the pseudonyms this file made.
afterAll(async () => {
  await db.write('test-cleanup', 'MATCH (n:Entity) WHERE n.id STARTS WITH $ns OR n.id IN $consumers DETACH DELETE n', {
    ns,
    consumers: [...created],
  });
  await db.close();
});

const ids = (rs: { entity: { id: string } }[]) => rs.map((r) => r.entity.id);

/**
 * Every hop of a reason is real: a graph hop is a relationship of that type between the two
 * nodes in Neo4j (either direction), a learned hop (CO_ENGAGED) joins two products the served
 * model links.
 */
async function expectRealPath(path: { nodes: { key: string; id: string }[]; relations: string[] }) {
  const m = model.current()!;
  for (let k = 0; k < path.relations.length; k++) {
    const [a, b] = [path.nodes[k]!, path.nodes[k + 1]!];
    if (path.relations[k] === 'CO_ENGAGED') {
      const i = m.itemIndex.get(a.id)!;
      expect([...m.collab.nbr.subarray(m.collab.ptr[i]!, m.collab.ptr[i + 1]!)].map((j) => m.items[j])).toContain(b.id);
      continue;
    }
    const rows = await db.read('test-hop', 'MATCH (a:Entity {key: $a})-[r]-(b:Entity {key: $b}) WHERE type(r) IN $rels RETURN count(r) AS n', {
      a: a.key,
      b: b.key,
      rels: path.relations[k]!.split('/'),
    });
    expect(Number(rows[0]!.n), `${a.key} -${path.relations[k]}- ${b.key}`).toBeGreaterThan(0);
  }
}

describe('recommendProducts', () => {
  it('ranks the co-purchased product first, excludes purchases and explains with shares', async () => {
    const rs = await recommendProducts(deps, raw('c1'), 10, 0);
    expect(ids(rs)).not.toContain(prod('p1'));
    expect(ids(rs)).not.toContain(prod('p2'));
    expect(rs[0]!.entity.id).toBe(prod('p3'));
    for (const r of rs) {
      expect(r.reasons.length).toBeGreaterThan(0);
      expect(r.reasons.length).toBeLessThanOrEqual(3);
      const total = r.reasons.reduce((s, x) => s + x.share, 0);
      expect(total).toBeLessThanOrEqual(1 + 1e-9);
      for (const reason of r.reasons) {
        expect(reason.share).toBeGreaterThan(0);
        expect(reason.text.length).toBeGreaterThan(5);
        expect(reason.textZh).toMatch(/[\u4e00-\u9fff]/);
        expect(reason.path.relations.length).toBe(reason.path.nodes.length - 1);
        // Linked results start at the consumer; popularity fill-ins stand alone.
        expect(reason.path.nodes[0]!.id).toBe(r.score > 0 ? pid('c1') : r.entity.id);
      }
    }
    for (const r of rs) for (const reason of r.reasons) await expectRealPath(reason.path);
    const top = rs[0]!.reasons[0]!;
    expect(top.path.relations).toEqual(['PURCHASED', 'CO_ENGAGED']);
    expect(top.text).toMatch(/"p[12]"/);
  });

  it('recommends a product the consumer only viewed, saying so, but never one they bought', async () => {
    // Whether views lead to purchases is a graph-wide statistic; the test graph is shared, so both modes are set explicitly.
    const revisit = { ...deps, settings: { ...defaultSettings, excludeViewed: false } };
    const rs = await recommendProducts(revisit, raw('v1'), 10, 0);
    expect(ids(rs)).not.toContain(prod('p1'));
    const p3 = rs.find((r) => r.entity.id === prod('p3'));
    expect(p3).toBeDefined();
    const revisitReason = p3!.reasons.find((r) => r.path.relations.join() === 'VIEWED');
    expect(revisitReason?.path.nodes.map((n) => n.id)).toEqual([pid('v1'), prod('p3')]);
    expect(revisitReason?.text).toContain('have not bought it yet');
    expect(revisitReason?.textZh).toContain('还没有购买');
    const strict = await recommendProducts({ ...deps, settings: { ...defaultSettings, excludeViewed: true } }, raw('v1'), 10, 0);
    expect(ids(strict)).not.toContain(prod('p3'));
    expect(ids(strict)).not.toContain(prod('p1'));
  });

  it('follows interests through the taxonomy, social links and product affinity', async () => {
    const rs = await recommendProducts(deps, raw('c1'), 20, 0);
    const byId = new Map(rs.map((r) => [r.entity.id, r]));
    const tent = byId.get(prod('p5'))!;
    expect(tent.reasons[0]!.path.relations).toEqual(['INTERESTED_IN', 'SUBTOPIC_OF', 'RELATES_TO']);
    expect(tent.reasons[0]!.path.nodes.map((n) => n.id)).toEqual([pid('c1'), prod('camping'), prod('tents'), prod('p5')]);
    expect(byId.get(prod('p7'))!.reasons[0]!.path.relations).toEqual(['FOLLOWS', 'PURCHASED']);
    for (const r of rs) for (const reason of r.reasons) await expectRealPath(reason.path);
    const similar = await recommendProducts(deps, raw('c6'), 5, 0);
    expect(similar[0]!.entity.id).toBe(prod('p6'));
    expect(similar[0]!.reasons[0]!.path.relations).toEqual(['PURCHASED', 'SIMILAR_TO']);
  });

  it('answers a consumer without engagement from interests, and says so', async () => {
    const rs = await recommendProducts(deps, raw('c0'), 3, 0);
    expect(rs.length).toBe(3);
    expect(rs[0]!.reasons[0]!.path.relations[0]).toBe('INTERESTED_IN');
    expect(rs[0]!.reasons[0]!.text).toContain('no purchases yet');
  });

  it('falls back to popular products for a consumer with nothing to go on', async () => {
    const rs = await recommendProducts(deps, raw('bare'), 3, 0);
    expect(rs.length).toBe(3);
    for (const r of rs) expect(r.reasons[0]!.text).toMatch(/^Popular with \d+ consumers; you have no purchases or interests yet/);
  });

  it('rejects unknown consumers and bad arguments', async () => {
    await expect(recommendProducts(deps, raw('nobody'), 10, 0)).rejects.toSatisfy(isCode('NOT_FOUND'));
    await expect(recommendProducts(deps, raw('c1'), 0, 0)).rejects.toSatisfy(isCode('BAD_USER_INPUT'));
    await expect(recommendProducts(deps, raw('c1'), 10, 1.5)).rejects.toSatisfy(isCode('BAD_USER_INPUT'));
  });

  it('caps the fan-out of a supernode by weight', async () => {
    const s = { ...defaultSettings, fanout: 10 };
    const rs = await recommendProducts({ ...deps, settings: s }, raw('fan'), 100, 0);
    const viaHub = rs.filter((r) => r.reasons.some((x) => x.path.nodes.some((n) => n.id === prod('hubtag'))));
    expect(viaHub.length).toBe(10);
    // The five strongest links are always among those kept.
    for (let k = 0; k < 5; k++) expect(ids(viaHub)).toContain(prod(`hub-p${k}`));
    // The learned neighbour list of a product bought with 150 others keeps at most `neighbours`.
    const m = model.current()!;
    const mega = m.itemIndex.get(prod('mega'))!;
    const kept = m.collab.ptr[mega + 1]! - m.collab.ptr[mega]!;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(learnSettings.neighbours);
  });

  it('excludes a purchase sent with ingestTriples from the next answer and seeds it, with no refresh in between', async () => {
    const keysFile = join(mkdtempSync(join(tmpdir(), 'kg-recommend-keys-')), 'api-keys.json');
    const admin = addKey(keysFile, 'recommend-test-admin', 'admin');
    const service = addKey(keysFile, 'recommend-test-service', 'service');
    const keyed = createApp({ db, config: testConfig({ apiKeysFile: keysFile }), logger: pino({ level: 'silent' }), vocabulary: coreVocabulary, recommendModel: model });
    const post = async (key: string, query: string, variables: Record<string, unknown>) => {
      const res = await keyed.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as { data: Record<string, unknown>; errors?: unknown[] };
    };
    const RECS = `query ($c: ID!) { recommendProducts(consumerId: $c, first: 10, exploration: 0) {
      entity { id } reasons { share path { relations nodes { id key } } } } }`;
    type Recs = { entity: { id: string }; reasons: { share: number; path: { relations: string[]; nodes: { id: string; key: string }[] } }[] }[];
    const version = model.current()!.version;
    const before = (await post(service, RECS, { c: raw('c4') })).data.recommendProducts as Recs;
    expect(ids(before)).toContain(prod('p1'));
    const through = (rs: Recs, p: string) => rs.filter((r) => r.reasons.some((x) => x.path.nodes[1]?.id === p));
    expect(through(before, prod('p1'))).toEqual([]);
    const ingested = await post(admin, 'mutation ($t: [TripleInput!]!) { ingestTriples(triples: $t) { loaded } }', {
      t: [{ subject: raw('c4'), subjectType: 'Consumer', relation: 'PURCHASED', object: prod('p1'), objectType: 'Product', weight: 2 }],
    });
    expect(ingested.errors).toBeUndefined();
    const after = (await post(service, RECS, { c: raw('c4') })).data.recommendProducts as Recs;
    // Same model version: the answer changed through the consumer's live read alone.
    expect(model.current()!.version).toBe(version);
    expect(ids(after)).not.toContain(prod('p1'));
    expect(through(after, prod('p1')).length).toBeGreaterThan(0);
    for (const r of after) {
      expect(r.reasons.reduce((t, x) => t + x.share, 0)).toBeLessThanOrEqual(1 + 1e-9);
      for (const x of r.reasons) await expectRealPath(x.path);
    }
    // Take the purchase back so the shared fixture is as the other tests expect it (c4 buying
    // p1 ties it with c2 as c1's lookalike), then let the refresh finish (it is graph-wide).
    await db.write('test-undo-ingest', 'MATCH (:Consumer {id: $c})-[r:PURCHASED]->(:Product {id: $p}) DELETE r', { c: pid('c4'), p: prod('p1') });
    await scheduleRefresh(db, coreVocabulary, refreshDerived, () => {});
    await model.sync();
    keyed.metrics.close();
  }, 120_000);

  it('trades popularity and sameness for novelty as exploration rises, keeping strong paths', async () => {
    const safe = await recommendProducts(deps, raw('t'), 5, 0);
    const bold = await recommendProducts(deps, raw('t'), 5, 1);
    const popularity = async (rs: { entity: { id: string } }[]) => {
      const rows = await db.read('test-pop', 'MATCH (p:Product) WHERE p.id IN $ids RETURN avg(p._consumers) AS pop', { ids: ids(rs) });
      return Number(rows[0]!.pop);
    };
    expect(ids(safe).filter((i) => i.includes('-pop')).length).toBeGreaterThan(ids(bold).filter((i) => i.includes('-pop')).length);
    expect(await popularity(bold)).toBeLessThan(await popularity(safe));
    const wide = await recommendProducts(deps, raw('t'), 25, 0);
    const strong = new Set(ids(wide).slice(0, 25));
    for (const r of bold) {
      expect(strong.has(r.entity.id)).toBe(true);
      expect(r.reasons[0]!.share).toBeGreaterThan(0);
    }
  });
});

describe('related and lookalikes', () => {
  it('finds products for an interest, including its narrower interests', async () => {
    const rs = await related(deps, prod('camping'), 'Interest', 'Product', 10, 0);
    expect(ids(rs)).toEqual(expect.arrayContaining([prod('p1'), prod('p5')]));
    const tent = rs.find((r) => r.entity.id === prod('p5'))!;
    expect(tent.reasons[0]!.path.nodes.map((n) => n.id)).toEqual([prod('camping'), prod('tents'), prod('p5')]);
  });

  it('finds co-purchased products for a product without naming consumers', async () => {
    const rs = await related(deps, prod('p1'), 'Product', 'Product', 10, 0);
    expect(ids(rs)).toContain(prod('p3'));
    for (const r of rs) for (const x of r.reasons) for (const n of x.path.nodes) expect(n.type).not.toBe('Consumer');
  });

  it('lists consumers for a product by pseudonym, directly linked ones first, naming no other consumer', async () => {
    const rs = await related(deps, prod('p3'), 'Product', 'Consumer', 10, 0);
    // Bought it (c2, c3, c4) or viewed it (v1).
    const linked = [pid('c2'), pid('c3'), pid('c4'), pid('v1')];
    expect(ids(rs).slice(0, 4).sort()).toEqual([...linked].sort());
    for (const r of rs) {
      expect(r.entity.type).toBe('Consumer');
      expect(r.entity.id).toMatch(/^c_/);
      expect(r.entity.id).not.toContain(ns);
      expect(r.reasons.length).toBeGreaterThan(0);
      for (const x of r.reasons) for (const n of x.path.nodes) if (n.type === 'Consumer') expect(n.id).toBe(r.entity.id);
    }
    expect(rs.find((r) => r.entity.id === pid('c2'))!.reasons[0]!.path.relations).toEqual(['PURCHASED']);
    // A consumer source is lookalikes.
    expect(ids(await related(deps, raw('c1'), 'Consumer', 'Consumer', 5, 0))).toEqual(ids(await lookalikes(deps, raw('c1'), 5)));
  });

  it('refuses unknown entities and target types', async () => {
    await expect(related(deps, prod('nothing'), 'Product', 'Product', 10, 0)).rejects.toSatisfy(isCode('NOT_FOUND'));
    await expect(related(deps, prod('p1'), 'Product', 'Shop', 10, 0)).rejects.toSatisfy(isCode('BAD_USER_INPUT'));
  });

  it('ranks the consumer with the most shared purchases first in lookalikes', async () => {
    const rs = await lookalikes(deps, raw('c1'), 5);
    expect(rs[0]!.entity.id).toBe(pid('c2'));
    expect(rs[0]!.entity.type).toBe('Consumer');
    expect(rs[0]!.reasons[0]!.text).toMatch(/^Both bought/);
    await expect(lookalikes(deps, raw('nobody'), 5)).rejects.toSatisfy(isCode('NOT_FOUND'));
  });
});

describe('related and lookalikes from the model', () => {
  const realShares = async (rs: Awaited<ReturnType<typeof lookalikes>>) => {
    for (const r of rs) {
      expect(r.reasons.length).toBeGreaterThan(0);
      expect(r.reasons.reduce((t, x) => t + x.share, 0)).toBeLessThanOrEqual(1 + 1e-9);
      for (const x of r.reasons) {
        expect(x.share).toBeGreaterThan(0);
        expect(x.textZh).toMatch(/[\u4e00-\u9fff]/);
        expect(x.path.relations.length).toBe(x.path.nodes.length - 1);
        await expectRealPath(x.path);
      }
    }
  };

  it('lookalikes name only the two consumers, explain through shared products, learned neighbours and follows, on real paths', async () => {
    const rs = await lookalikes(deps, raw('c1'), 10);
    expect(ids(rs)).not.toContain(pid('c1'));
    expect(ids(rs)).toContain(pid('c5'));
    const c5 = rs.find((r) => r.entity.id === pid('c5'))!;
    expect(c5.reasons.map((x) => x.path.relations)).toContainEqual(['FOLLOWS']);
    expect(c5.reasons.find((x) => x.path.relations[0] === 'FOLLOWS')!.text).toBe('You follow this consumer.');
    for (const r of rs) {
      for (const x of r.reasons) {
        expect(x.path.nodes[0]!.id).toBe(pid('c1'));
        expect(x.path.nodes.at(-1)!.id).toBe(r.entity.id);
        for (const n of x.path.nodes.slice(1, -1)) expect(n.type).not.toBe('Consumer');
      }
    }
    await realShares(rs);
    // t bought x1 only: consumers of x1's learned neighbours come in through the model (taste).
    const t = await lookalikes(deps, raw('t'), 30);
    const taste = t.flatMap((r) => r.reasons).filter((x) => x.path.relations.includes('CO_ENGAGED'));
    expect(taste.length).toBeGreaterThan(0);
    expect(taste[0]!.text).toMatch(/^You bought "x1"; they bought ".+", which goes with it\.$/);
    await realShares(t);
  });

  it('finds an interest’s narrower interests, a product’s interests and a consumer’s, from the model', async () => {
    const fromInterest = await related(deps, prod('camping'), 'Interest', 'Interest', 10, 0);
    const tents = fromInterest.find((r) => r.entity.id === prod('tents'))!;
    expect(tents.reasons[0]!.path.relations).toEqual(['SUBTOPIC_OF']);
    expect(ids(fromInterest)).not.toContain(prod('camping'));
    const fromProduct = await related(deps, prod('p1'), 'Product', 'Interest', 10, 0);
    expect(fromProduct[0]!.entity.id).toBe(prod('camping'));
    expect(fromProduct[0]!.entity.type).toBe('Interest');
    const fromConsumer = await related(deps, raw('c1'), 'Consumer', 'Interest', 10, 0);
    // Their own interest (camping) is left out; the one under it comes in through it.
    expect(ids(fromConsumer)).not.toContain(prod('camping'));
    expect(fromConsumer.find((r) => r.entity.id === prod('tents'))!.reasons[0]!.path.relations).toEqual(['INTERESTED_IN', 'SUBTOPIC_OF']);
    for (const rs of [fromInterest, fromProduct, fromConsumer]) await realShares(rs);
  });

  it('lists the consumers of an interest, those holding it first, by pseudonym', async () => {
    const rs = await related(deps, prod('camping'), 'Interest', 'Consumer', 10, 0);
    expect(ids(rs).slice(0, 2).sort()).toEqual([pid('c0'), pid('c1')].sort());
    for (const r of rs) {
      expect(r.entity.id).toMatch(/^c_/);
      for (const x of r.reasons) for (const n of x.path.nodes) if (n.type === 'Consumer') expect(n.id).toBe(r.entity.id);
    }
    await realShares(rs);
  });
});

describe('GraphQL', () => {
  // Anonymous local callers get the role in localAnonymousRole: service by default, reader here.
  const readerApp = createApp({ db, config: testConfig({ api: { requestTimeoutMs: 60_000, localAnonymousRole: 'reader' } }), logger: pino({ level: 'silent' }), vocabulary: coreVocabulary });
  afterAll(() => {
    readerApp.metrics.close();
  });
  const gql = async (query: string, variables: Record<string, unknown> = {}, on = app) => {
    const res = await on.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: Record<string, unknown> | null; errors?: { message: string; extensions: { code: string } }[] };
  };

  it('answers recommendProducts with reasons, and NOT_FOUND / BAD_USER_INPUT codes', async () => {
    const ok = await gql(`{ recommendProducts(consumerId: "${raw('c1')}", first: 2, exploration: 0) {
      entity { id type } score reasons { share text textZh path { relations strength nodes { key } } } } }`);
    expect(ok.errors).toBeUndefined();
    const list = ok.data!.recommendProducts as { entity: { id: string } }[];
    expect(list[0]!.entity.id).toBe(prod('p3'));
    const missing = await gql(`{ recommendProducts(consumerId: "${raw('nobody')}") { score } }`);
    expect(missing.errors![0]!.extensions.code).toBe('NOT_FOUND');
    // related() over HTTP with its defaults (exploration 0.3), for every target type the model serves.
    for (const [id, type, target] of [[prod('p1'), 'Product', 'Product'], [prod('p1'), 'Product', 'Consumer'], [prod('camping'), 'Interest', 'Interest'], [prod('camping'), 'Interest', 'Product']]) {
      const r = await gql(`{ related(id: "${id}", type: ${type}, targetType: ${target}, first: 10) { entity { id type } score reasons { share text path { relations } } } }`);
      expect(r.errors, `${type} → ${target}`).toBeUndefined();
      expect((r.data!.related as unknown[]).length, `${type} → ${target}`).toBeGreaterThan(0);
    }
    const bad = await gql(`{ related(id: "${prod('p1')}", type: Product, targetType: Product, exploration: 2) { score } }`);
    expect(bad.errors![0]!.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('gives related(targetType: Consumer) to role service only; a reader is pointed to demandLinks', async () => {
    const query = `query ($t: EntityType!) { related(id: "${prod('p3')}", type: Product, targetType: $t, first: 3, exploration: 0) { entity { id type } } }`;
    const asService = await gql(query, { t: 'Consumer' });
    expect(asService.errors).toBeUndefined();
    expect((asService.data!.related as { entity: { type: string } }[]).map((r) => r.entity.type)).toEqual(['Consumer', 'Consumer', 'Consumer']);
    const asReader = await gql(query, { t: 'Consumer' }, readerApp);
    expect(asReader.data ?? null).toBeNull();
    expect(asReader.errors![0]!.extensions.code).toBe('FORBIDDEN');
    expect((asReader.errors![0] as unknown as { message: string }).message).toMatch(/service role.*demandLinks/);
    // Other targets stay open to readers, inline literal or variable alike.
    const products = await gql(query, { t: 'Product' }, readerApp);
    expect(products.errors).toBeUndefined();
    const inline = await gql(`{ related(id: "${prod('p3')}", type: Product, targetType: Consumer) { score } }`, {}, readerApp);
    expect(inline.errors![0]!.extensions.code).toBe('FORBIDDEN');
  });
});
