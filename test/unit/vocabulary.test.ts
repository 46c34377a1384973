import { describe, expect, it } from 'vitest';
import { schemaStatements } from '../../server/graph/schema-statements.js';
import { statsQuery } from '../../server/stats/queries.js';
import { allowListed, coreVocabulary, isSafeIdentifier } from '../../server/graph/vocabulary.js';

describe('allow-listed identifiers', () => {
  it('quotes names in the allow-list', () => {
    expect(allowListed('Consumer', coreVocabulary.entityTypes)).toBe('`Consumer`');
  });

  it('refuses names outside the allow-list, however harmless they look', () => {
    expect(() => allowListed('Brand', coreVocabulary.entityTypes)).toThrow(/allow-list/);
  });

  it('refuses injection attempts even if someone put them in a list', () => {
    const evil = 'X`) DETACH DELETE n //';
    expect(isSafeIdentifier(evil)).toBe(false);
    expect(() => allowListed(evil, [evil])).toThrow(/allow-list/);
  });
});

describe('schema statements', () => {
  it('has a uniqueness constraint per entity type and a CJK full-text index, all idempotent', () => {
    const statements = schemaStatements(coreVocabulary);
    for (const type of coreVocabulary.entityTypes) {
      expect(statements.some((s) => s.includes(`(n:\`${type}\`) REQUIRE n.id IS UNIQUE`))).toBe(true);
    }
    expect(statements.some((s) => s.includes('FULLTEXT') && s.includes("'cjk'"))).toBe(true);
    expect(statements.every((s) => s.includes('IF NOT EXISTS'))).toBe(true);
  });
});

describe('stats query', () => {
  it('counts every type and relation of the vocabulary, names passed as parameters', () => {
    const { cypher, params } = statsQuery(coreVocabulary);
    expect(Object.values(params).sort()).toEqual(
      [...coreVocabulary.entityTypes, ...coreVocabulary.relations.map((r) => r.name)].sort(),
    );
    expect(cypher).toContain('MATCH ()-[x:`PURCHASED`]->()');
  });
});
