import { describe, expect, it } from 'vitest';
import { iriName } from '../../server/ingest/rdf-reader.js';
import { formatOf } from '../../server/ingest/sources.js';
import type { RawRecord } from '../../server/ingest/types.js';
import { classify, parseTimestamp, RowValidator } from '../../server/ingest/validate.js';
import { KeyFilter } from '../../server/ingest/batch-writer.js';
import { pseudonymize } from '../../server/privacy/pseudonym.js';
import { mergeVocabulary } from '../../server/graph/stored-vocabulary.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';

const secret = 'unit-secret-unit-secret';
const triple = (fields: Record<string, string>): RawRecord => ({ kind: 'triple', file: 'f.csv', line: 7, defaultSource: 'f.csv', fields });
const base = { subject: 'u1', subject_type: 'Consumer', relation: 'PURCHASED', object: 'p1', object_type: 'Product' };

describe('parseTimestamp', () => {
  it('reads Unix seconds and ISO-8601, UTC unless a zone is given', () => {
    expect(parseTimestamp('1709290000')).toBe(1709290000);
    expect(parseTimestamp('1709290000.5')).toBe(1709290000.5);
    expect(parseTimestamp('2024-03-01')).toBe(Date.UTC(2024, 2, 1) / 1000);
    expect(parseTimestamp('2024-03-01T10:00:00Z')).toBe(Date.UTC(2024, 2, 1, 10) / 1000);
    expect(parseTimestamp('2024-03-01 10:00')).toBe(Date.UTC(2024, 2, 1, 10) / 1000);
    expect(parseTimestamp('2024-03-01T10:00:00+08:00')).toBe(Date.UTC(2024, 2, 1, 2) / 1000);
    expect(parseTimestamp('2024-03-01T10:00:00.250-0130')).toBe(Date.UTC(2024, 2, 1, 11, 30, 0, 250) / 1000);
  });

  it('rejects what is neither, and dates that do not exist', () => {
    for (const bad of ['yesterday', '2024-13-01', '2024-02-30', '03/01/2024', '2024-03-01T25:00:00Z', '']) expect(parseTimestamp(bad), bad).toBeNull();
  });
});

describe('RowValidator', () => {
  const v = new RowValidator(coreVocabulary, secret);

  it('pseudonymises consumer ids, keeps other ids, defaults weight and source', () => {
    expect(v.triple(triple(base))).toEqual({ s: pseudonymize(secret, 'u1'), sType: 'Consumer', rel: 'PURCHASED', o: 'p1', oType: 'Product', weight: 1, ts: null, source: 'f.csv' });
    expect(v.triple(triple({ ...base, weight: '2.5', source: 'crm', timestamp: '1700000000' }))).toMatchObject({ weight: 2.5, source: 'crm', ts: 1700000000 });
  });

  it('names the field and the reason of each problem', () => {
    const reject = (fields: Record<string, string>) => v.triple(triple({ ...base, ...fields }));
    expect(reject({ subject: ' ' })).toEqual({ file: 'f.csv', line: 7, field: 'subject', reason: 'missing value' });
    expect(reject({ object_type: 'Robot' })).toMatchObject({ field: 'object_type', reason: "unknown entity type 'Robot'" });
    expect(reject({ relation: 'LIKES' })).toMatchObject({ field: 'relation', reason: "relation 'LIKES' is not in the schema" });
    expect(reject({ relation: 'FOLLOWS' })).toMatchObject({ field: 'relation', reason: 'FOLLOWS goes Consumer → Consumer, not Consumer → Product' });
    expect(reject({ weight: 'NaN' })).toMatchObject({ field: 'weight' });
    expect(reject({ weight: '1e999' })).toMatchObject({ field: 'weight' });
    expect(reject({ timestamp: 'soon' })).toMatchObject({ field: 'timestamp' });
    expect(reject({ object: 'p\uFFFD' })).toMatchObject({ field: 'object', reason: 'invalid UTF-8' });
  });

  it('stores a consumer entity by pseudonym only, and keeps safe extra columns as properties', () => {
    const e = v.entity({ kind: 'entity', file: 'e.csv', line: 2, defaultSource: 'e.csv', fields: { id: 'u1', type: 'Consumer', name: '张三', segment: 'vip', _secret: 'x', 'bad key': 'y' } });
    expect(e).toEqual({ id: pseudonymize(secret, 'u1'), type: 'Consumer', name: pseudonymize(secret, 'u1'), props: { segment: 'vip' } });
  });

  it('follows a schema file: new types and relations become valid', () => {
    const extended = new RowValidator(mergeVocabulary(coreVocabulary, { entityTypes: ['Brand'], relations: [{ name: 'MADE_BY', from: ['Product'], to: ['Brand'], role: 'product-product' }] }), secret);
    expect(extended.triple(triple({ subject: 'p1', subject_type: 'Product', relation: 'MADE_BY', object: 'b1', object_type: 'Brand' }))).toMatchObject({ rel: 'MADE_BY' });
  });
});

describe('file classification', () => {
  it('classifies headers and file names', () => {
    expect(classify(['subject', 'subject_type', 'relation', 'object', 'object_type', 'weight'])).toBe('triple');
    expect(classify(['id', 'type', 'name', 'price'])).toBe('entity');
    expect(classify(['who', 'what'])).toBeNull();
    expect(formatOf('a/b.TSV.gz')).toEqual({ format: 'tsv', gzip: true });
    expect(formatOf('x.jsonl')).toEqual({ format: 'jsonl', gzip: false });
    expect(formatOf('data.rejects.csv')).toBeNull();
    expect(formatOf('notes.txt')).toBeNull();
  });

  it('maps IRIs by the longest prefix, else by their local part', () => {
    const prefixes = { 'http://ex.org/': 'ex_', 'http://ex.org/schema/': '' };
    expect(iriName('http://ex.org/schema/PURCHASED', prefixes)).toBe('PURCHASED');
    expect(iriName('http://ex.org/p1', prefixes)).toBe('ex_p1');
    expect(iriName('http://other.org/vocab#Product', prefixes)).toBe('Product');
  });
});

describe('the consumer property allow-list (issue 17, finding 5)', () => {
  const v = new RowValidator(coreVocabulary, secret);
  it('drops name_en, name_zh, email and phone of a consumer row and counts them; other types keep their columns', () => {
    const fields = { id: 'u1', type: 'Consumer', name: 'Alice Smith', name_en: 'Alice Smith', name_zh: '爱丽丝', email: 'a@example.com', phone: '+86 138', segment: 'vip' };
    expect(v.entity({ kind: 'entity', file: 'e.csv', line: 2, defaultSource: 'e.csv', fields })).toEqual({
      id: pseudonymize(secret, 'u1'),
      type: 'Consumer',
      name: pseudonymize(secret, 'u1'),
      props: { segment: 'vip' },
      droppedProperties: 4,
    });
    const product = v.entity({ kind: 'entity', file: 'e.csv', line: 3, defaultSource: 'e.csv', fields: { id: 'p1', type: 'Product', name: 'lamp', name_en: 'lamp', email: 'shop@example.com' } });
    expect(product).toEqual({ id: 'p1', type: 'Product', name: 'lamp', props: { name_en: 'lamp', email: 'shop@example.com' } });
  });

  it('takes the allow-list from a schema file', () => {
    const merged = mergeVocabulary(coreVocabulary, { consumerProperties: ['tier'] });
    expect(merged.consumerProperties).toEqual(['tier']);
    expect(mergeVocabulary(merged, {}).consumerProperties).toEqual(['tier']);
  });
});

describe('row limits: no row can fail its batch or poison a figure (issue 17, finding 3)', () => {
  const v = new RowValidator(coreVocabulary, secret);
  const reject = (fields: Record<string, string>) => v.triple(triple({ ...base, ...fields }));

  it('rejects an id over the index key limit (a 100 kB object id failed its whole batch)', () => {
    expect(reject({ object: 'p'.repeat(100_000) })).toMatchObject({ field: 'object', reason: 'too long: 100000 bytes (at most 1024)' });
    expect(reject({ subject: '字'.repeat(400) })).toMatchObject({ field: 'subject' });
    expect(reject({ object: 'p'.repeat(1024) })).toMatchObject({ rel: 'PURCHASED' });
    const entity = v.entity({ kind: 'entity', file: 'e.csv', line: 2, defaultSource: 'e.csv', fields: { id: 'p1', type: 'Product', name: 'n'.repeat(5000) } });
    expect(entity).toMatchObject({ field: 'name', reason: 'too long: 5000 bytes (at most 4096)' });
  });

  it('rejects timestamps outside 1900..2100 and says when one looks like milliseconds', () => {
    expect(reject({ timestamp: '99999999999999999999' })).toMatchObject({ field: 'timestamp', reason: "outside 1900..2100: '99999999999999999999'" });
    expect(reject({ timestamp: '1700000000000' })).toMatchObject({ field: 'timestamp', reason: "looks like milliseconds: give Unix seconds (or ISO-8601): '1700000000000'" });
    expect(reject({ timestamp: '1700000000' })).toMatchObject({ ts: 1700000000 });
    expect(reject({ timestamp: '1950-06-01' })).toMatchObject({ ts: Date.UTC(1950, 5, 1) / 1000 });
  });

  it('rejects weights whose sums could overflow (two of 1e308 added up to Infinity)', () => {
    expect(reject({ weight: '1e308' })).toMatchObject({ field: 'weight' });
    expect(reject({ weight: '-1e13' })).toMatchObject({ field: 'weight' });
    expect(reject({ weight: '1e12' })).toMatchObject({ weight: 1e12 });
  });
});

describe('the batch writer key filter', () => {
  it('never forgets a key it was given, and says "new" for most keys it was not', () => {
    const filter = new KeyFilter(20);
    const keys = Array.from({ length: 20_000 }, (_, i) => `VIEWED\u0000Consumer\u0000Product\u0000c${i}\u0000p${i % 97}`);
    expect(keys.filter((k) => filter.add(k))).toEqual([]);
    expect(keys.every((k) => filter.add(k))).toBe(true);
    const others = Array.from({ length: 20_000 }, (_, i) => `VIEWED\u0000Consumer\u0000Product\u0000x${i}\u0000p${i % 97}`);
    expect(others.filter((k) => filter.add(k)).length).toBeLessThan(200);
  });
});
