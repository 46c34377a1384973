import { describe, expect, it } from 'vitest';
import { escapeLucene, luceneQuery, MAX_SEARCH_WORDS, searchWords } from '../../server/browse/search-query.js';

describe('searchWords', () => {
  it('splits Chinese runs from Latin words and drops punctuation and Lucene syntax', () => {
    expect(searchWords('露营camping 灯!')).toEqual(['露营', 'camping', '灯']);
    expect(searchWords('name:*) OR (x~2')).toEqual(['name', 'or', 'x', '2']);
    expect(searchWords('  ?? ')).toEqual([]);
  });

  it('keeps at most MAX_SEARCH_WORDS words', () => {
    expect(searchWords('a b c d e f g h i j k')).toHaveLength(MAX_SEARCH_WORDS);
  });
});

describe('luceneQuery', () => {
  it('boosts exact words, adds prefixes and length-scaled fuzzy terms', () => {
    expect(luceneQuery('Lantern')).toBe('lantern^3 lantern*^1.5 lantern~2');
    expect(luceneQuery('tent')).toBe('tent^3 tent*^1.5 tent~1');
    expect(luceneQuery('42')).toBe('42^3 42*^1.5');
  });

  it('searches Chinese as a boosted phrase plus its bigrams, a single character as a prefix too', () => {
    expect(luceneQuery('露营灯')).toBe('"露营灯"^3 露营灯');
    expect(luceneQuery('灯')).toBe('灯^3 灯*');
  });

  it('returns null when nothing is left to search', () => {
    expect(luceneQuery('*?:')).toBeNull();
  });

  it('escapes every Lucene special character', () => {
    expect(escapeLucene('a+b-c&&d||e!(f){g}[h]^i"j~k*l?m:n\\o/p')).toBe(
      'a\\+b\\-c\\&\\&d\\|\\|e\\!\\(f\\)\\{g\\}\\[h\\]\\^i\\"j\\~k\\*l\\?m\\:n\\\\o\\/p',
    );
  });
});
