import { describe, expect, it } from 'vitest';
import { learnModel } from '../../server/recommend/model/learn-model.js';
import { scoreConsumer, type ConsumerProfile } from '../../server/recommend/score.js';
import { defaultSettings } from '../../server/recommend/settings.js';
import { buildPersonIndex, personName, type ConsumerRow } from '../../server/recommend/audience/persons.js';
import { interestTarget, interestsUnder, preparePersons, productTarget, scorePersons, topPersons } from '../../server/recommend/audience/rank.js';
import { audienceReasons } from '../../server/recommend/audience/reasons.js';

// A pure model (no database): two taste groups of products, an interest per group, and a
// broad interest above both (SUBTOPIC_OF), as in recommend-score.test.ts.
const groupA = ['a1', 'a2', 'a3', 'a4'];
const groupB = ['b1', 'b2', 'b3', 'b4'];
const engagements: { user: string; item: string; w: number }[] = [];
for (let u = 0; u < 12; u++) {
  const group = u < 6 ? groupA : groupB;
  for (const [k, item] of group.entries()) if (k !== u % 4) engagements.push({ user: `u${u}`, item, w: Math.log1p(1) });
}
const model = learnModel(
  {
    engagements,
    strong: new Set(engagements.map((e) => `${e.user}\u0000${e.item}`)),
    products: [...groupA, ...groupB].map((id) => ({ id, name: `Product ${id}`, nameEn: '' })),
    interests: [{ id: 'ta', name: 'Taste A' }, { id: 'tb', name: 'Taste B' }, { id: 'all', name: 'Everything' }],
    productInterests: [...groupA.map((product) => ({ product, interest: 'ta', w: 1 })), ...groupB.map((product) => ({ product, interest: 'tb', w: 1 }))],
    taxonomy: [{ narrower: 'ta', broader: 'all', rel: 'SUBTOPIC_OF' }, { narrower: 'tb', broader: 'all', rel: 'SUBTOPIC_OF' }],
    revisitViewed: false,
  },
  'test',
);
const roles = { factors: { PURCHASED: 1, VIEWED: 0.3 }, strongRels: ['PURCHASED'], piRels: ['RELATES_TO'] };
const buy = (...ids: string[]): ConsumerRow['engaged'] => ids.map((id) => [id, 'PURCHASED', 1, null]);
const rows: ConsumerRow[] = [
  { id: 'c_aaaaaaaaaaaaaaaaaaaaaa', person: null, engaged: buy('a1', 'a2'), interests: [] },
  { id: 'c_bbbbbbbbbbbbbbbbbbbbbb', person: null, engaged: buy('b1', 'b2', 'b3'), interests: [['tb', 'INTERESTED_IN', 2]] },
  // One person under two ids: a3 under one, a1 under the other.
  { id: 'c_cccccccccccccccccccccc', person: 'p_cccccccccccccccccccccc', engaged: buy('a3'), interests: [] },
  { id: 'c_dddddddddddddddddddddd', person: 'p_cccccccccccccccccccccc', engaged: buy('a1'), interests: [] },
  // Only views of group A, and an interest in taste B.
  { id: 'c_eeeeeeeeeeeeeeeeeeeeee', person: null, engaged: [['a2', 'VIEWED', 3, null]], interests: [['tb', 'INTERESTED_IN', 1]] },
];
const x = buildPersonIndex(model, rows, roles);
const prep = preparePersons(model, x);
const at = (key: string) => x.byKey.get(key)!;

describe('the person index', () => {
  it('merges the consumers of one person and names persons by their p_ id', () => {
    expect(x.keys).toHaveLength(4);
    const u = at('p_cccccccccccccccccccccc');
    expect(x.byConsumer.get('c_dddddddddddddddddddddd')).toBe(u);
    expect(x.byConsumer.get('c_cccccccccccccccccccccc')).toBe(u);
    const items = [...x.item.subarray(x.ptr[u]!, x.ptr[u + 1]!)].map((j) => model.items[j]);
    expect(items.sort()).toEqual(['a1', 'a3']);
    expect(x.persons[at('c_aaaaaaaaaaaaaaaaaaaaaa')]).toBe('p_aaaaaaaaaaaaaaaaaaaaaa');
    expect(personName('c_xyz', 'p_given')).toBe('p_given');
  });
});

describe('audience scores are the recommendation scores', () => {
  it("a person's share for a product equals what recommendProducts scores that product for them", () => {
    let total = 0;
    let all = 0;
    for (const row of [rows[0]!, rows[1]!]) {
      const profile: ConsumerProfile = {
        consumer: { id: row.id, key: null, name: null },
        engaged: row.engaged.map(([id, rel, w]) => ({ id, rel, w })),
        interests: row.interests.map(([id, rel, w]) => ({ id, rel, w, key: null, name: null, name_en: null })),
        follows: [],
      };
      const recs = scoreConsumer(model, profile, { first: 8, exploration: 0, settings: defaultSettings, roles, revisit: false });
      const u = at(row.id);
      let checked = 0;
      total++;
      for (const r of recs.filter((y) => y.score > 0)) {
        const scored = scorePersons(model, x, prep, productTarget(model, model.itemIndex.get(r.entity.id)!), { exploration: 0 });
        expect(scored.share[u]).toBeCloseTo(r.score, 9);
        // The propensity is the share times the person's purchases so far.
        expect(scored.score[u]).toBeCloseTo(r.score * row.engaged.length, 9);
        checked++;
      }
      expect(checked).toBeGreaterThanOrEqual(1);
      all += checked;
    }
    expect(total).toBe(2);
    expect(all).toBeGreaterThanOrEqual(3);
  });
});

describe('ranking persons for a target', () => {
  const a4 = productTarget(model, model.itemIndex.get('a4')!);

  it('ranks the taste group of the product first and leaves out anyone who engaged with it under any id', () => {
    const scored = scorePersons(model, x, prep, a4, { exploration: 0 });
    const order = topPersons(scored, 10).map((u) => x.keys[u]);
    // The two group-A buyers first, then the person who only viewed one (a smaller engagement rate).
    expect(order.slice(0, 2).sort()).toEqual(['c_aaaaaaaaaaaaaaaaaaaaaa', 'p_cccccccccccccccccccccc']);
    expect(order[2]).toBe('c_eeeeeeeeeeeeeeeeeeeeee');
    // Taste B has no learned link to a4: eligible, but not a member.
    expect(scored.eligible[at('c_bbbbbbbbbbbbbbbbbbbbbb')]).toBe(1);
    expect(order).not.toContain('c_bbbbbbbbbbbbbbbbbbbbbb');
    const a1 = productTarget(model, model.itemIndex.get('a1')!);
    const forA1 = topPersons(scorePersons(model, x, prep, a1, { exploration: 0 }), 10).map((u) => x.keys[u]);
    // The person bought a1 under its second id only: still out.
    expect(forA1).not.toContain('p_cccccccccccccccccccccc');
    expect(forA1).not.toContain('c_aaaaaaaaaaaaaaaaaaaaaa');
    expect(forA1).toEqual(['c_eeeeeeeeeeeeeeeeeeeeee']);
    // A live exclusion (a purchase since the index was read) takes a person out too.
    const live = topPersons(scorePersons(model, x, prep, a4, { exploration: 0, exclude: new Set([at('c_aaaaaaaaaaaaaaaaaaaaaa')]) }), 10).map((u) => x.keys[u]);
    expect(live).not.toContain('c_aaaaaaaaaaaaaaaaaaaaaa');
    expect(topPersons(scored, 1)).toHaveLength(1);
  });

  it('exploration discounts persons whose history already shows the target’s interests', () => {
    const safe = scorePersons(model, x, prep, a4, { exploration: 0 });
    const bold = scorePersons(model, x, prep, a4, { exploration: 1 });
    const a = at('c_aaaaaaaaaaaaaaaaaaaaaa');
    const b = at('c_bbbbbbbbbbbbbbbbbbbbbb');
    expect(safe.shows[a]).toBeCloseTo(1, 9);
    expect(safe.shows[b]).toBeCloseTo(0, 9);
    expect(bold.score[a]).toBeLessThan(safe.score[a]! * 1e-6);
    expect(bold.score[b]).toBeCloseTo(safe.score[b]!, 12);
    const half = scorePersons(model, x, prep, a4, { exploration: 0.5 });
    expect(half.score[a]).toBeCloseTo(safe.score[a]! * 0.5, 9);
  });

  it('an interest target is its products; under an interest, those of every interest below it', () => {
    const t = model.interestIndex.get('all')!;
    expect(interestsUnder(model, t).map((i) => model.interests[i]).sort()).toEqual(['all', 'ta', 'tb']);
    expect(interestTarget(model, t, false).count).toBe(0);
    const under = interestTarget(model, t, true);
    expect(under.count).toBe(8);
    const scored = scorePersons(model, x, prep, under, { exploration: 0 });
    // Everybody engaged with something under "all": nobody is left to target.
    expect(topPersons(scored, 10)).toEqual([]);
    // Taste B: the view-only person interested in it (its B buyer is out), through the interest family.
    const tb = interestTarget(model, model.interestIndex.get('tb')!, false);
    const forTb = scorePersons(model, x, prep, tb, { exploration: 0 });
    expect(topPersons(forTb, 10).map((u) => x.keys[u])).toEqual(['c_eeeeeeeeeeeeeeeeeeeeee']);
    expect(forTb.eligible[at('c_bbbbbbbbbbbbbbbbbbbbbb')]).toBe(0);
    // Half of their history (their own interest, not their product) shows taste B.
    expect(forTb.shows[at('c_eeeeeeeeeeeeeeeeeeeeee')]).toBeCloseTo(0.5, 9);
  });

  it('gives each member up to three reasons whose shares add up to at most 1, naming no other consumer', () => {
    const scored = scorePersons(model, x, prep, a4, { exploration: 0.3 });
    const ta = interestTarget(model, model.interestIndex.get('all')!, true);
    const o = { piRel: 'RELATES_TO', taxRel: 'SUBTOPIC_OF', relOf: () => 'PURCHASED' };
    for (const u of topPersons(scored, 10)) {
      const reasons = audienceReasons(model, x, prep, scored, a4, u, o);
      expect(reasons.length).toBeGreaterThan(0);
      expect(reasons.length).toBeLessThanOrEqual(3);
      expect(reasons.reduce((t, r) => t + r.share, 0)).toBeLessThanOrEqual(1 + 1e-9);
      for (const r of reasons) {
        expect(r.share).toBeGreaterThan(0);
        expect(r.path.nodes[0]!.id).toBe(x.persons[u]);
        expect(r.path.nodes.filter((n) => n.type === 'Consumer')).toHaveLength(1);
        expect(r.path.nodes.at(-1)!.id).toBe('a4');
        expect(r.path.relations).toHaveLength(r.path.nodes.length - 1);
        expect(r.textZh).toMatch(/[\u4e00-\u9fff]/);
      }
    }
    // For a target under an interest, a path ends at the interest the target is under (held for the view-only person).
    const e = at('c_eeeeeeeeeeeeeeeeeeeeee');
    const noA2 = { ...ta, items: ta.items.map((v, j) => (model.items[j] === 'a2' ? 0 : v)) };
    const s2 = scorePersons(model, x, prep, noA2, { exploration: 0 });
    const reasons = audienceReasons(model, x, prep, s2, noA2, e, o);
    expect(reasons.length).toBeGreaterThan(0);
    for (const r of reasons) expect(r.path.nodes.at(-1)!.id).toBe('all');
  });
});
