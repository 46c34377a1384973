import { describe, expect, it } from 'vitest';
import { components, personId, UnionFind } from '../../server/identity/identity.js';
import { identifierKey, normaliseIdentifier } from '../../server/privacy/identifier.js';
import { RowValidator } from '../../server/ingest/validate.js';
import { readSchemaFile, schemaFileSchema } from '../../server/graph/stored-vocabulary.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { relationsWithRole, consumerLinkRelations } from '../../server/graph/roles.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const secret = 'unit-secret-unit-secret';
const id = (n: number) => 'c_' + String(n).padStart(22, '0');

/** Persons as sets of ids, for comparison independent of order. */
function groupsOf(result: Map<string, { person: string; n: number }>): string[][] {
  const by = new Map<string, string[]>();
  for (const [c, p] of result) by.set(p.person, [...(by.get(p.person) ?? []), c]);
  return [...by.values()].map((g) => g.sort()).sort((a, b) => a[0]!.localeCompare(b[0]!));
}

describe('components', () => {
  const ids = Array.from({ length: 10 }, (_, i) => id(i));

  it('joins pairs and identifier groups, names each person after its smallest id, counts its ids', () => {
    const r = components(ids, [[id(3), id(1)], [id(5), id(6)]], [[id(6), id(7)], [id(8), id(9), id(2)]]);
    expect(groupsOf(r)).toEqual([[id(0)], [id(1), id(3)], [id(2), id(8), id(9)], [id(4)], [id(5), id(6), id(7)]]);
    expect(r.get(id(3))).toEqual({ person: 'p_' + id(1).slice(2), n: 2 });
    expect(r.get(id(9))).toEqual({ person: personId(id(2)), n: 3 });
    expect(r.get(id(0))).toEqual({ person: 'p_' + id(0).slice(2), n: 1 });
  });

  it('follows a chain to one person whatever the order of its links', () => {
    const chain: [string, string][] = [[id(7), id(4)], [id(2), id(9)], [id(4), id(9)], [id(5), id(7)]];
    for (const order of [chain, [...chain].reverse()]) {
      const r = components(ids, order, []);
      expect(new Set([4, 2, 9, 7, 5].map((i) => r.get(id(i))!.person))).toEqual(new Set([personId(id(2))]));
      expect(r.get(id(5))!.n).toBe(5);
      expect(r.get(id(3))!.n).toBe(1);
    }
  });

  it('ignores links to ids it was not given', () => {
    const r = components([id(1), id(2)], [[id(1), id(99)]], [[id(98), id(2)]]);
    expect(r.get(id(1))).toEqual({ person: personId(id(1)), n: 1 });
    expect(r.size).toBe(2);
  });

  it('matches a brute-force search on random graphs', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 20; round++) {
      const n = 30;
      const all = Array.from({ length: n }, (_, i) => id(i));
      const pairs: [string, string][] = Array.from({ length: rand(25) }, () => [all[rand(n)]!, all[rand(n)]!]);
      const groups = Array.from({ length: rand(6) }, () => Array.from({ length: 2 + rand(3) }, () => all[rand(n)]!));
      const adj = new Map(all.map((c) => [c, new Set<string>()]));
      for (const [a, b] of pairs) (adj.get(a)!.add(b), adj.get(b)!.add(a));
      for (const g of groups) for (const a of g) for (const b of g) adj.get(a)!.add(b);
      const r = components(all, pairs, groups);
      for (const c of all) {
        const seen = new Set([c]);
        const stack = [c];
        while (stack.length) for (const d of adj.get(stack.pop()!)!) if (!seen.has(d)) (seen.add(d), stack.push(d));
        expect(r.get(c)).toEqual({ person: personId([...seen].sort()[0]!), n: seen.size });
      }
    }
  });

  it('UnionFind keeps sizes', () => {
    const uf = new UnionFind(4);
    uf.union(0, 1);
    uf.union(1, 0);
    uf.union(2, 3);
    expect([uf.sizeOf(0), uf.sizeOf(3)]).toEqual([2, 2]);
    uf.union(3, 0);
    expect(uf.find(1)).toBe(uf.find(2));
    expect(uf.sizeOf(2)).toBe(4);
  });
});

describe('identifierKey', () => {
  it('normalises phones to digits, emails to trimmed lower case, others trimmed', () => {
    expect(normaliseIdentifier('phone', ' +86 138-0013 8000 ')).toBe('8613800138000');
    expect(normaliseIdentifier('email', '  Alice.Li@Example.COM ')).toBe('alice.li@example.com');
    expect(normaliseIdentifier('openid', '  oX9_Ab ')).toBe('oX9_Ab');
    expect(identifierKey(secret, 'phone', '+86 138 0013 8000')).toBe(identifierKey(secret, 'phone', '86-13800138000'));
    expect(identifierKey(secret, 'email', 'A@B.cn ')).toBe(identifierKey(secret, 'email', 'a@b.cn'));
  });

  it('is the spec\'s keyed hash: i_ + 22 base64url characters, column and secret part of it', () => {
    const k = identifierKey(secret, 'phone', '13800138000')!;
    expect(k).toMatch(/^i_[A-Za-z0-9_-]{22}$/);
    expect(k).not.toContain('13800138000');
    expect(identifierKey(secret, 'openid', '13800138000')).not.toBe(k);
    expect(identifierKey('another-secret-another', 'phone', '13800138000')).not.toBe(k);
    expect(identifierKey(secret, 'phone', 'n/a')).toBeNull();
  });
});

describe('identifier columns in the validator', () => {
  const vocabulary = { ...coreVocabulary, consumerIdentifiers: ['phone', 'email'], consumerProperties: ['segment', 'phone'] };
  const v = new RowValidator(vocabulary, secret);
  const rec = (fields: Record<string, string>) => ({ kind: 'entity' as const, file: 'e.csv', line: 2, defaultSource: 'e.csv', scope: 'e.csv', fields });

  it('hashes them into the row, drops the raw values (even when the allow-list names the column)', () => {
    const row = v.entity(rec({ id: 'u1', type: 'Consumer', phone: '+86 138 0013 8000', email: 'Li@Example.com', segment: 'vip', source: 'crm' }));
    expect(row).toMatchObject({
      props: { segment: 'vip' },
      identifiers: [
        { kind: 'phone', key: identifierKey(secret, 'phone', '8613800138000') },
        { kind: 'email', key: identifierKey(secret, 'email', 'li@example.com') },
      ],
      source: 'crm@e.csv',
    });
    expect(JSON.stringify(row)).not.toMatch(/138|example/i);
  });

  it('leaves other types alone and rows without a value unlinked', () => {
    expect(v.entity(rec({ id: 'p1', type: 'Product', phone: '4001234567' }))).toMatchObject({ props: { phone: '4001234567' } });
    expect('identifiers' in v.entity(rec({ id: 'u2', type: 'Consumer', phone: '', email: ' ' }))).toBe(false);
  });

  it('a reject of a row with an identifier names the field, never the value', () => {
    const reject = v.entity(rec({ id: 'u3', type: 'Consumer', phone: '138' + '0'.repeat(5_000) }));
    expect(reject).toMatchObject({ field: 'phone' });
    expect(JSON.stringify(reject)).not.toContain('1380000');
  });
});

describe('vocabulary', () => {
  it('SAME_AS has the identity role and no other role-based path sees it', () => {
    expect(relationsWithRole(coreVocabulary, 'identity')).toEqual(['SAME_AS']);
    expect(consumerLinkRelations(coreVocabulary)).not.toContain('SAME_AS');
    expect(relationsWithRole(coreVocabulary, 'social')).toEqual(['FOLLOWS']);
  });

  it('a schema file declares identifier columns and the crowd cap', () => {
    const dir = mkdtempSync(join(tmpdir(), 'identity-schema-'));
    const file = join(dir, 'schema.json');
    writeFileSync(file, JSON.stringify({ consumerIdentifiers: ['phone', 'openid'], identifierMaxConsumers: 5 }));
    expect(readSchemaFile(file)).toMatchObject({ consumerIdentifiers: ['phone', 'openid'], identifierMaxConsumers: 5 });
    expect(schemaFileSchema.safeParse({ consumerIdentifiers: ['bad name'] }).success).toBe(false);
    expect(schemaFileSchema.safeParse({ identifierMaxConsumers: 1 }).success).toBe(false);
  });
});
