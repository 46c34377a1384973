import { describe, expect, it } from 'vitest';
import { explain } from '../../server/recommend/explain.js';
import { poolSize, rerank, type Candidate } from '../../server/recommend/explore.js';

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
  it('keeps the score order at exploration 0', () => {
    expect(rerank(candidates, { first: 3, exploration: 0, profile }).map((x) => x.key)).toEqual(['hit1', 'hit2', 'hit3']);
  });

  it('brings novel, different items forward as exploration rises, but only from the strong pool', () => {
    const mid = rerank(candidates, { first: 3, exploration: 0.5, profile }).map((x) => x.key);
    const high = rerank(candidates, { first: 3, exploration: 1, profile }).map((x) => x.key);
    expect(mid).toContain('niche');
    expect(high[0]).toBe('niche');
    // The pool at first=3, e=1 is the 15 strongest, so 'weak' may enter; at first=1 it may not.
    expect(poolSize(1, 1)).toBe(5);
    expect(rerank(candidates, { first: 1, exploration: 1, profile }).map((x) => x.key)).not.toContain('weak');
  });

  it('penalises near-duplicates of what is already chosen', () => {
    const picked = rerank(candidates, { first: 2, exploration: 0.4, profile: new Set() }).map((x) => x.key);
    expect(picked[0]).toBe('hit1');
    expect(picked[1]).not.toBe('hit2');
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
