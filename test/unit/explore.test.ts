import { describe, expect, it } from 'vitest';
import { explain } from '../../server/recommend/explain.js';
import { consumerExploration, explorationBeta, exploredSlots, poolSize, rerank, type Candidate } from '../../server/recommend/explore.js';
import { defaultSettings } from '../../server/recommend/settings.js';

const c = (key: string, score: number, consumers: number, interests: string[]): Candidate => ({ key, score, consumers, interests });

// Popular, same-category items score highest; a niche item in a new category scores lower.
const candidates = [
  c('hit1', 1.0, 1000, ['drama']),
  c('hit2', 0.95, 900, ['drama']),
  c('hit3', 0.9, 800, ['drama']),
  c('niche', 0.6, 3, ['documentary']),
  c('other', 0.5, 50, ['comedy']),
  c('weak', 0.01, 1, ['opera']),
];
const profile = new Set(['drama']);

describe('exploration re-rank', () => {
  const o = (first: number, exploration: number, diversity = 0.7, p: ReadonlySet<string> = profile) => ({ first, exploration, profile: p, diversity });

  it('keeps the score order at exploration 0, whatever the diversity', () => {
    expect(rerank(candidates, o(3, 0, 1)).map((x) => x.key)).toEqual(['hit1', 'hit2', 'hit3']);
  });

  it('brings unfamiliar, different items forward as exploration rises, but only from the strong pool', () => {
    const mid = rerank(candidates, o(3, 0.5)).map((x) => x.key);
    const high = rerank(candidates, o(3, 1)).map((x) => x.key);
    expect(mid).toContain('niche');
    expect(high[0]).toBe('niche');
    // The pool at first=3, e=1 is the 15 strongest, so 'weak' may enter; at first=1 it may not.
    expect(poolSize(1, 1)).toBe(5);
    expect(rerank(candidates, o(1, 1)).map((x) => x.key)).not.toContain('weak');
  });

  it('penalises near-duplicates of what is already chosen', () => {
    const picked = rerank(candidates, o(2, 0.4, 0.7, new Set())).map((x) => x.key);
    expect(picked[0]).toBe('hit1');
    expect(picked[1]).not.toBe('hit2');
  });

  it('with diversity 0 leaves the (already popularity-discounted) score order alone', () => {
    expect(rerank(candidates, o(4, 1, 0)).map((x) => x.key)).toEqual(['hit1', 'hit2', 'hit3', 'niche']);
  });

  it('raises the popularity discount β linearly with exploration, within 0..1', () => {
    const s = { beta: 0.2, exploreBeta: 0.5 };
    expect(explorationBeta(s, 0)).toBe(0.2);
    expect(explorationBeta(s, 0.6)).toBeCloseTo(0.5, 12);
    expect(explorationBeta(s, 1)).toBeCloseTo(0.7, 12);
    expect(explorationBeta(s, 3)).toBeCloseTo(0.7, 12);
  });

  it('with β raised, a niche item backed by a strong path overtakes a hub with a slightly stronger raw path', () => {
    // Scores as the query computes them: raw / (consumers + 1)^β.
    const scored = (beta: number) =>
      [c('hub', 1.5, 2000, ['drama']), c('tail', 0.5, 20, ['drama'])].map((x) => ({ ...x, score: x.score / (x.consumers + 1) ** beta }));
    const s = { beta: 0.2, exploreBeta: 0.5 };
    expect(rerank(scored(explorationBeta(s, 0)), o(1, 0, 0.1)).map((x) => x.key)).toEqual(['hub']);
    expect(rerank(scored(explorationBeta(s, 1)), o(1, 1, 0.1)).map((x) => x.key)).toEqual(['tail']);
  });
});

describe('explored places', () => {
  // A consumer's pool: strong hubs first, then long-tail products with slightly weaker scores.
  const pool = [
    ...Array.from({ length: 10 }, (_, i) => c(`hub${i}`, 1 - i * 0.01, 1000, ['drama'])),
    ...Array.from({ length: 30 }, (_, i) => c(`tail${i}`, 0.8 - i * 0.01, 5, ['drama'])),
  ];
  const o = (exploration: number, tailBeta = 1, slotPower = 2) => ({ first: 10, exploration, profile, diversity: 0, slotPower, tailBeta });
  const keys = (exploration: number, tailBeta?: number, slotPower?: number) => rerank(pool, o(exploration, tailBeta, slotPower)).map((x) => x.key);

  it('hands first · e^power places to exploration, none at 0 and all at 1', () => {
    expect([0, 0.3, 0.5, 0.6, 1].map((e) => exploredSlots(10, e, 2))).toEqual([0, 1, 3, 4, 10]);
    expect(exploredSlots(10, 0.5, 1)).toBe(5);
    expect(exploredSlots(3, 2, 2)).toBe(3);
  });

  it('above 0.5 gives way from exploration 0\'s answer, and at 1 leaves it whenever the pool holds others', () => {
    // Hubs and tail equally exposed: only leaving exploration 0's answer can move the list.
    const flat = pool.map((x) => ({ ...x, consumers: 5 }));
    const safe = rerank(flat, o(0)).map((x) => x.key);
    const at = (exploration: number, leaveSafe: boolean) => rerank(flat, { ...o(exploration), leaveSafe }).map((x) => x.key);
    expect(at(0.5, true)).toEqual(at(0.5, false));
    expect(at(1, false).filter((k) => safe.includes(k)).length).toBe(10);
    expect(at(1, true).filter((k) => safe.includes(k))).toEqual([]);
    expect(at(1, true)).toEqual(flat.slice(10, 20).map((x) => x.key));
    // A pool with nothing else still fills every place.
    expect(rerank(flat.slice(0, 10), { ...o(1), leaveSafe: true })).toHaveLength(10);
  });

  it('keeps the strongest in score order ahead of the explored places', () => {
    expect(keys(0)).toEqual(pool.slice(0, 10).map((x) => x.key));
    const mid = keys(0.5);
    expect(mid.slice(0, 7)).toEqual(pool.slice(0, 7).map((x) => x.key));
    // The three explored places go to the long tail: strongly linked, far less popular.
    expect(mid.slice(7)).toEqual(['tail0', 'tail1', 'tail2']);
  });

  it('without a popularity discount, the explored places are the next strongest', () => {
    expect(keys(0.5, 0)).toEqual(pool.slice(0, 10).map((x) => x.key));
  });

  it('moves more of the answer as exploration rises, and exploration 1 shares at most half of exploration 0', () => {
    const at0 = new Set(keys(0));
    const shared = (e: number) => keys(e).filter((k) => at0.has(k)).length;
    const curve = [0, 0.3, 0.5, 0.6, 1].map(shared);
    expect(curve).toEqual([...curve].sort((a, b) => b - a));
    expect(curve[0]).toBe(10);
    expect(curve[4]).toBeLessThanOrEqual(5);
  });

  it("recommendProducts keeps exploration 0's β and widens the explored places' discount only above 0.5", () => {
    const s = { ...defaultSettings, exploreTailBeta: 0.8, exploreTailRise: 1, exploreTailPool: 12 };
    const at = (e: number) => consumerExploration(s, 10, e);
    expect([0, 0.5, 1].map((e) => at(e).beta)).toEqual([s.beta, s.beta, s.beta]);
    expect(at(0.3).options.tailBeta).toBe(0.8);
    expect(at(0.5).options.tailBeta).toBe(0.8);
    expect(at(1).options.tailBeta).toBeCloseTo(1.6, 12);
    expect(at(0.5).pool).toBe(70);
    expect(at(0).pool).toBe(10);
  });

  it('discounts by exposure, when given, rather than by consumers', () => {
    const two = [c('a', 1, 5, ['drama']), c('b', 0.9, 500, ['drama'])];
    const byConsumers = rerank(two, { first: 1, exploration: 1, profile, diversity: 0, slotPower: 2, tailBeta: 1 });
    const byExposure = rerank([{ ...two[0]!, exposure: 900 }, { ...two[1]!, exposure: 1 }], { first: 1, exploration: 1, profile, diversity: 0, slotPower: 2, tailBeta: 1 });
    expect(byConsumers.map((x) => x.key)).toEqual(['a']);
    expect(byExposure.map((x) => x.key)).toEqual(['b']);
  });

  it('only ever picks from the strong pool', () => {
    const weak = [...pool, c('weak', 0.01, 0, ['opera'])];
    // At β 3 its tiny score over no consumers would outrank the tail; the pool (first · (1 + 4e)) keeps it out.
    for (const e of [0.3, 0.5, 0.6]) expect(rerank(weak, o(e, 3)).map((x) => x.key)).not.toContain('weak');
  });
});

describe('explanations', () => {
  const node = (id: string, type: string, name = id) => ({ id, key: `${type}:${id}`, name, _type: type });

  it('gives shares of the score and sentences in English and Chinese', () => {
    const reasons = explain(
      [
        { kind: 'collab', c: 0.3, n: 4, rels: ['PURCHASED', 'CO_ENGAGED'], nodes: [node('c_x', 'Consumer'), node('a', 'Product', '帐篷'), node('b', 'Product', '睡袋')] },
        { kind: 'interest', c: 0.1, n: 1, rels: ['INTERESTED_IN', 'RELATES_TO'], nodes: [node('c_x', 'Consumer'), node('t', 'Interest', '露营'), node('b', 'Product', '睡袋')] },
      ],
      0.5,
      { coldStart: false },
    );
    expect(reasons.map((r) => r.share)).toEqual([0.6, 0.2].map((x) => expect.closeTo(x, 9)));
    expect(reasons[0]!.text).toBe('You bought "帐篷"; 4 consumers who did too also chose "睡袋".');
    expect(reasons[0]!.textZh).toBe('你购买过「帐篷」，同样如此的 4 位消费者也选择了「睡袋」。');
    expect(reasons[1]!.path.nodes.map((n) => n.type)).toEqual(['Consumer', 'Interest', 'Product']);
    expect(reasons[1]!.path.strength).toBe(0.1);
  });

  it('merges paths through the same nodes into one reason naming both relations', () => {
    const u = node('c_x', 'Consumer');
    const a = node('a', 'Product', 'Tent');
    const b = node('b', 'Product', 'Sleeping bag');
    const t = node('t', 'Interest', 'camping');
    const reasons = explain(
      [
        { kind: 'collab', c: 0.3, n: 4, rels: ['PURCHASED', 'CO_ENGAGED'], nodes: [u, a, b] },
        { kind: 'interest', c: 0.2, n: 1, rels: ['INTERESTED_IN', 'RELATES_TO'], nodes: [u, t, b] },
        { kind: 'collab', c: 0.15, n: 4, rels: ['VIEWED', 'CO_ENGAGED'], nodes: [u, a, b] },
      ],
      1,
      { coldStart: false },
    );
    expect(reasons).toHaveLength(2);
    expect(reasons[0]!.path.relations).toEqual(['PURCHASED/VIEWED', 'CO_ENGAGED']);
    expect(reasons[0]!.path.nodes.map((n) => n.id)).toEqual(['c_x', 'a', 'b']);
    expect(reasons[0]!.share).toBeCloseTo(0.45, 9);
    expect(reasons[0]!.path.strength).toBeCloseTo(0.45, 9);
    expect(reasons[0]!.text).toBe('You bought and viewed "Tent"; 4 consumers who did too also chose "Sleeping bag".');
    expect(reasons[0]!.textZh).toBe('你购买过并浏览过「Tent」，同样如此的 4 位消费者也选择了「Sleeping bag」。');
    expect(reasons[1]!.path.relations).toEqual(['INTERESTED_IN', 'RELATES_TO']);
    expect(reasons.reduce((sum, r) => sum + r.share, 0)).toBeLessThanOrEqual(1);
  });

  it('keeps paths through different nodes apart, and a merged list still holds at most 3', () => {
    const u = node('c_x', 'Consumer');
    const target = node('z', 'Product');
    const paths = ['a', 'b', 'c', 'd'].flatMap((id, i) => [
      { kind: 'collab', c: 1 - i / 10, n: 2, rels: ['PURCHASED', 'CO_ENGAGED'], nodes: [u, node(id, 'Product'), target] },
      { kind: 'collab', c: 0.01, n: 2, rels: ['VIEWED', 'CO_ENGAGED'], nodes: [u, node(id, 'Product'), target] },
    ]);
    const reasons = explain(paths, 10, { coldStart: false });
    expect(reasons.map((r) => r.path.nodes[1]!.id)).toEqual(['a', 'b', 'c']);
    expect(new Set(reasons.map((r) => r.path.nodes.map((n) => n.key).join('>'))).size).toBe(3);
  });

  it('says when a consumer has no purchases yet', () => {
    const [r] = explain(
      [{ kind: 'interest', c: 1, n: 1, rels: ['INTERESTED_IN', 'RELATES_TO'], nodes: [node('c', 'Consumer'), node('t', 'Interest', 'camping'), node('p', 'Product')] }],
      1,
      { coldStart: true },
    );
    expect(r!.text).toContain('you have no purchases yet');
    expect(r!.textZh).toContain('还没有购买记录');
  });
});
