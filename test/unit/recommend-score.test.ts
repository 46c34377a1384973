import { describe, expect, it } from 'vitest';
import { learnModel } from '../../server/recommend/model/learn-model.js';
import { scoreConsumer, topScored, type ConsumerProfile } from '../../server/recommend/score.js';
import { defaultSettings } from '../../server/recommend/settings.js';
import { consumerProfileQuery } from '../../server/recommend/queries.js';
import { coreVocabulary, type Vocabulary } from '../../server/graph/vocabulary.js';

// A pure model (no database): two taste groups of products and one interest per group.
const groupA = ['a1', 'a2', 'a3', 'a4'];
const groupB = ['b1', 'b2', 'b3', 'b4'];
const engagements: { user: string; item: string; w: number }[] = [];
for (let u = 0; u < 12; u++) {
  const group = u < 6 ? groupA : groupB;
  for (const [k, item] of group.entries()) if (k !== u % 4) engagements.push({ user: `u${u}`, item, w: Math.log1p(1) });
}
const products = [...groupA, ...groupB, 'lonely'].map((id) => ({ id, name: `Product ${id}`, nameEn: '' }));
const model = learnModel(
  {
    engagements,
    strong: new Set(engagements.map((e) => `${e.user}\u0000${e.item}`)),
    products,
    interests: [{ id: 'ta', name: 'Taste A' }, { id: 'tb', name: 'Taste B' }],
    productInterests: [...groupA.map((product) => ({ product, interest: 'ta', w: 1 })), ...groupB.map((product) => ({ product, interest: 'tb', w: 1 }))],
    revisitViewed: true,
  },
  'test',
);
const roles = { factors: { PURCHASED: 1, VIEWED: 0.3 }, strongRels: ['PURCHASED'], piRels: ['RELATES_TO'] };
const profile = (engaged: ConsumerProfile['engaged'], extra: Partial<ConsumerProfile> = {}): ConsumerProfile => ({
  consumer: { id: 'c_me', key: 'Consumer:c_me', name: 'c_me' },
  engaged,
  interests: [],
  follows: [],
  ...extra,
});
const score = (p: ConsumerProfile, o: Partial<{ first: number; exploration: number; revisit: boolean }> = {}) =>
  scoreConsumer(model, p, { first: 5, exploration: 0, settings: defaultSettings, roles, revisit: false, ...o });

describe('scoring a consumer from the learned model', () => {
  it('recommends the bought products’ group, never a bought product, with shares ≤ 1 naming the consumer’s own products', () => {
    const rs = score(profile([{ id: 'a1', rel: 'PURCHASED', w: 1 }, { id: 'a2', rel: 'PURCHASED', w: 2 }]));
    const ids = rs.map((r) => r.entity.id);
    expect(ids).not.toContain('a1');
    expect(ids).not.toContain('a2');
    expect(ids.slice(0, 2).sort()).toEqual(['a3', 'a4']);
    for (const r of rs.filter((x) => x.score > 0)) {
      expect(r.reasons.length).toBeGreaterThan(0);
      expect(r.reasons.length).toBeLessThanOrEqual(3);
      expect(r.reasons.reduce((s, x) => s + x.share, 0)).toBeLessThanOrEqual(1 + 1e-9);
      for (const x of r.reasons) {
        expect(x.path.nodes[0]!.id).toBe('c_me');
        expect(x.path.nodes.at(-1)!.id).toBe(r.entity.id);
        expect(x.path.relations.length).toBe(x.path.nodes.length - 1);
        // The second node is one of the consumer's own products (collab, profile) or interests.
        expect(['a1', 'a2']).toContain(x.path.nodes[1]!.id);
        expect(x.textZh).toMatch(/[\u4e00-\u9fff]/);
      }
    }
  });

  it('explains each chosen product from its own routes, whether reasons are read first, last or only through JSON', () => {
    const p = profile([{ id: 'a1', rel: 'PURCHASED', w: 1 }, { id: 'b1', rel: 'PURCHASED', w: 1 }]);
    const eager = score(p, { exploration: 0.5 }).map((r) => JSON.parse(JSON.stringify(r)));
    const lazy = score(p, { exploration: 0.5 });
    // Reading the last result's reasons first works out every chosen product's paths at once.
    const last = lazy.at(-1)!.reasons;
    expect(lazy.at(-1)!.reasons).toBe(last);
    expect(lazy.map((r) => JSON.parse(JSON.stringify(r)))).toEqual(eager);
    for (const r of lazy.filter((x) => x.score > 0)) {
      expect(r.reasons.length).toBeGreaterThan(0);
      for (const x of r.reasons) expect(x.path.nodes.at(-1)!.id).toBe(r.entity.id);
    }
  });

  it('counts a purchase the model never saw for this consumer at once: it seeds and is excluded', () => {
    const before = score(profile([{ id: 'b1', rel: 'PURCHASED', w: 1 }]));
    const after = score(profile([{ id: 'b1', rel: 'PURCHASED', w: 1 }, { id: 'a1', rel: 'PURCHASED', w: 1 }]), { first: 8 });
    // Before, group A comes only as popular fill-ins (score 0); after, through a1.
    for (const r of before) if (r.entity.id.startsWith('a')) expect(r.score).toBe(0);
    expect(after.map((r) => r.entity.id)).not.toContain('a1');
    const viaA1 = after.filter((r) => r.reasons.some((x) => x.path.nodes[1]!.id === 'a1'));
    expect(viaA1.map((r) => r.entity.id)).toEqual(expect.arrayContaining(['a2', 'a3', 'a4']));
  });

  it('brings back a viewed-only product only when views lead to purchases, saying so', () => {
    const engaged = [{ id: 'a1', rel: 'PURCHASED', w: 1 }, { id: 'a2', rel: 'VIEWED', w: 3 }];
    expect(score(profile(engaged)).map((r) => r.entity.id)).not.toContain('a2');
    const back = score(profile(engaged), { revisit: true }).find((r) => r.entity.id === 'a2')!;
    expect(back.reasons.some((x) => x.path.relations.join() === 'VIEWED' && x.text.includes('have not bought it yet'))).toBe(true);
  });

  it('answers a consumer with nothing but interests from them, and a bare one with popular products', () => {
    const byInterest = score(profile([], { interests: [{ id: 'tb', name: 'Taste B', rel: 'INTERESTED_IN', w: 1 }] }));
    expect(byInterest[0]!.entity.id).toMatch(/^b/);
    expect(byInterest[0]!.reasons[0]!.text).toContain('no purchases yet');
    const bare = score(profile([]));
    expect(bare.length).toBe(5);
    for (const r of bare) expect(r.reasons[0]!.text).toMatch(/^Popular with \d+ consumers; you have no purchases or interests yet/);
  });
});

describe('the consumer profile read', () => {
  it('expands only the vocabulary’s relations of each role, and checks the far end’s label only where a relation may end elsewhere', () => {
    const core = consumerProfileQuery(coreVocabulary);
    expect(core).toContain('(m)-[r:`PURCHASED`|`VIEWED`]->(p)');
    expect(core).toContain('(m)-[f:`FOLLOWS`]->(v)');
    expect(core).not.toContain('type(r) IN');
    // A vocabulary where a purchase may also end at a service: products must be told apart by label.
    const wider: Vocabulary = {
      ...coreVocabulary,
      entityTypes: [...coreVocabulary.entityTypes, 'Service'],
      relations: coreVocabulary.relations.map((r) => (r.name === 'PURCHASED' ? { ...r, to: ['Product', 'Service'] } : r)),
    };
    const q = consumerProfileQuery(wider);
    expect(q).toContain('(m)-[r:`PURCHASED`|`VIEWED`]->(p:`Product`)');
    expect(q).toContain('(v)-[x:`PURCHASED`|`VIEWED`]->(j:`Product`)');
    expect(q).toContain('(m)-[f:`FOLLOWS`]->(v)');
  });
});

describe('choosing the scoring pool', () => {
  it('keeps the k best touched products with a score > 0, best first and ties by index, as a full sort would', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const [n, k] of [[0, 5], [3, 5], [50, 10], [400, 50], [400, 400]] as const) {
      const score = new Float64Array(500);
      const touched = new Int32Array(500);
      // Few distinct values, so many ties; some zeros, which never enter the pool.
      for (let t = 0; t < n; t++) {
        const j = (t * 37) % 500;
        touched[t] = j;
        score[j] = Math.floor(random() * 6) / 2;
      }
      const expected = [...touched.subarray(0, n)].filter((j) => score[j]! > 0).sort((a, b) => score[b]! - score[a]! || a - b).slice(0, k);
      expect([...topScored(score, touched, n, k)]).toEqual(expected);
    }
  });
});

describe('a partial model update (pure)', () => {
  it('adds a new product with neighbours from its buyers’ other products, keeps known rows’ learned weights, and scores it at once', async () => {
    const { patched } = await import('../../server/recommend/model/update.js');
    // a5 is new: bought by u0 and u1 (group A), whose other products are a2..a4.
    const rows = [
      {
        id: 'a5', name: 'Product a5', nameEn: null, props: { id: 'a5', name: 'Product a5' }, consumers: 2, interests: [['ta', 1]],
        // One engager a person: [person, its links to the product, the products of all its ids].
        engagers: [
          ['u0', [['PURCHASED', 1]], [['a2', 'PURCHASED', 1], ['a3', 'PURCHASED', 1]]],
          ['u1', [['PURCHASED', 1]], [['a1', 'PURCHASED', 1], ['a3', 'PURCHASED', 1]]],
        ],
      },
    ];
    const { model: next, added } = patched(model, rows, { PURCHASED: 1 });
    expect(added).toBe(1);
    expect(next.version).not.toBe(model.version);
    const j = next.itemIndex.get('a5')!;
    const row = (m: typeof model, i: number) => [...m.collab.nbr.subarray(m.collab.ptr[i]!, m.collab.ptr[i + 1]!)].map((x) => m.items[x]);
    expect(row(next, j).sort()).toEqual(['a1', 'a2', 'a3']);
    expect(row(next, next.itemIndex.get('a3')!)).toContain('a5');
    const b1 = model.itemIndex.get('b1')!;
    expect([...next.collab.w.subarray(next.collab.ptr[b1]!, next.collab.ptr[b1 + 1]!)]).toEqual([...model.collab.w.subarray(model.collab.ptr[b1]!, model.collab.ptr[b1 + 1]!)]);
    const rs = scoreConsumer(next, profile([{ id: 'a3', rel: 'PURCHASED', w: 1 }]), { first: 5, exploration: 0, settings: defaultSettings, roles, revisit: false });
    expect(rs.map((r) => r.entity.id)).toContain('a5');
  });
});

describe('pool exposure (counted at build from sampled consumers)', () => {
  it('counts each product once per sampled consumer whose strongest candidates hold it, scaled to all consumers', async () => {
    const { countPools } = await import('../../server/recommend/pool-exposure.js');
    const tasteA = profile([{ id: 'a1', rel: 'PURCHASED', w: 1 }]);
    const tasteB = profile([{ id: 'b1', rel: 'PURCHASED', w: 1 }]);
    // Three sampled consumers standing for 30: two of taste A, one of taste B; a pool of 3 (first 1 at e 0.5, pool growth 4).
    const counts = countPools(model, [tasteA, tasteA, tasteB], 30, { roles, settings: { ...defaultSettings, exploreTailPool: 4 }, first: 1, exploration: 0.5 });
    const at = (id: string) => counts[model.itemIndex.get(id)!]!;
    expect(counts.length).toBe(model.items.length);
    // a1 is excluded from its buyers' own pools; its group neighbours are in both A consumers' pools.
    expect(at('a1')).toBe(0);
    expect(at('a2') + at('a3') + at('a4')).toBe(2 * 3 * 10);
    expect(at('b2') + at('b3') + at('b4')).toBe(3 * 10);
    // Every counted place is one consumer's: 3 consumers × 3 places × 10.
    expect(counts.reduce((s, x) => s + x, 0)).toBe(90);
  });

  it('is what the explored places discount when the model has it', async () => {
    const { exposure } = await import('../../server/recommend/explore.js');
    const pool = Float32Array.from(model.items, (_, j) => j * 10);
    const withPool = { ...model, poolExposure: pool };
    expect([...exposure(withPool)]).toEqual([...pool]);
    // Without it, the collab-share estimate: not the pool counts.
    expect([...exposure(model)]).not.toEqual([...pool]);
  });
});
