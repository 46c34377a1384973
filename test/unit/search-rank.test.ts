import { describe, expect, it } from 'vitest';
import { editDistance, matchTier, MatchTier, normalizeName, rankSearchHits, type SearchHit } from '../../server/browse/search-rank.js';

const hit = (type: string, id: string, name: string, nameEn?: string, score = 1, consumers = 0): SearchHit => ({
  type,
  score,
  props: { id, key: `${type}:${id}`, name, ...(nameEn ? { name_en: nameEn } : {}), _consumers: consumers },
});

describe('normalizeName', () => {
  it('compares names without case, width or punctuation', () => {
    expect(normalizeName('Pour-over  Coffee')).toBe('pour over coffee');
    expect(normalizeName('ＳＵＶ')).toBe('suv');
    expect(normalizeName('纯电SUV 极光')).toBe('纯电 suv 极光');
  });
});

describe('matchTier', () => {
  const camping = hit('Interest', 'camping', '露营', 'Camping');
  it('tells id, exact, prefix, word, partial and fuzzy matches apart', () => {
    expect(matchTier('Interest:camping', camping)).toBe(MatchTier.Id);
    expect(matchTier('camping', camping)).toBe(MatchTier.Id);
    expect(matchTier('CAMPING', camping)).toBe(MatchTier.Exact);
    expect(matchTier('露营', camping)).toBe(MatchTier.Exact);
    expect(matchTier('camp', camping)).toBe(MatchTier.Prefix);
    expect(matchTier('camping', hit('Product', 'o-2', '蛋卷桌', 'Roll-up camping table'))).toBe(MatchTier.Words);
    expect(matchTier('露营', hit('Interest', 'glamping', '精致露营', 'Glamping'))).toBe(MatchTier.Words);
    expect(matchTier('camping coffee', camping)).toBe(MatchTier.Partial);
    expect(matchTier('gaming', camping)).toBe(MatchTier.Fuzzy);
  });
  it('matches an id only as a whole: "coffee" is not every product with an id coffee-N', () => {
    expect(matchTier('Pour over', hit('Interest', 'pour-over', '手冲咖啡'))).toBe(MatchTier.Exact);
    expect(matchTier('coffee', hit('Product', 'coffee-19', '奶泡机', 'Milk frother'))).toBe(MatchTier.Fuzzy);
  });
});

describe('rankSearchHits', () => {
  it('puts exact before prefix before word matches, whatever Lucene scored', () => {
    const hits = [
      hit('Product', 'p1', '蛋卷桌', 'Roll-up camping table', 9),
      hit('Product', 'p2', '营地灯', 'Camping lantern', 8),
      hit('Interest', 'camping', '露营', 'Camping', 1),
    ];
    expect(rankSearchHits('camping', hits, 10).map((h) => h.props.id)).toEqual(['camping', 'p2', 'p1']);
  });

  it('drops fuzzy hits when anything matched better ("camping" never brings gaming gear)', () => {
    const hits = [hit('Interest', 'gaming-gear', '游戏外设', 'Gaming gear', 5), hit('Interest', 'camping', '露营', 'Camping', 1)];
    expect(rankSearchHits('camping', hits, 10).map((h) => h.props.id)).toEqual(['camping']);
  });

  it('keeps fuzzy hits when nothing better exists, the closest spelling first', () => {
    const hits = [hit('Interest', 'tea-latte', '茶拿铁', 'Tea lattes', 5), hit('Product', 'lantern', '营地灯', 'Camping lantern', 2)];
    expect(rankSearchHits('lanten', hits, 10).map((h) => h.props.id)).toEqual(['lantern', 'tea-latte']);
  });

  it('never matches a consumer by a fuzzy or inner word, only by its id or a prefix', () => {
    const consumer = hit('Consumer', 'c_xCat9', 'c_xCat9', undefined, 7);
    expect(rankSearchHits('cat', [consumer, hit('Interest', 'cat', '猫', 'Cats', 1)], 10).map((h) => h.type)).toEqual(['Interest']);
    expect(rankSearchHits('cat', [consumer], 10)).toEqual([]);
    expect(rankSearchHits('c_xCa', [consumer], 10)).toHaveLength(1);
    expect(rankSearchHits('c_xCat9', [{ ...consumer, score: 1e9 }], 10)).toHaveLength(1);
  });

  it('orders equal matches by closeness, then by how many consumers engage', () => {
    const hits = [hit('Product', 'a', 'x', 'Camping lantern', 1, 500), hit('Interest', 'b', 'y', 'Camping gear', 1, 10), hit('Product', 'c', 'z', 'Camping tarp', 1, 90)];
    expect(rankSearchHits('camping', hits, 10).map((h) => h.props.id)).toEqual(['c', 'b', 'a']);
    expect(rankSearchHits('camping', hits, 2)).toHaveLength(2);
  });
});

describe('editDistance', () => {
  it('counts edits', () => {
    expect(editDistance('lanten', 'lantern')).toBe(1);
    expect(editDistance('lanten', 'latte')).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
