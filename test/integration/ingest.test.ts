import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applySchema } from '../../server/graph/setup.js';
import { loadFiles, type LoadOptions } from '../../server/ingest/load.js';
import { seedIfEmpty } from '../../server/ingest/seed.js';
import { loadStoredVocabulary, readSchemaFile, storeVocabulary } from '../../server/graph/stored-vocabulary.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { fixturesDir, IngestNamespace, TEST_SECRET } from '../support/ingest-fixtures.js';
import { testDatabase, testNamespace } from '../support/neo4j.js';

const db = testDatabase(120_000);
const spaces: IngestNamespace[] = [];
const space = (name: string) => {
  const s = new IngestNamespace(testNamespace(name));
  spaces.push(s);
  return s;
};
const options: LoadOptions = { pseudonymSecret: TEST_SECRET, };

afterAll(async () => {
  for (const s of spaces) await s.cleanup(db);
  await db.close();
});

const seconds = (iso: string) => Date.parse(iso) / 1000;

describe('every format loads the same graph', () => {
  let reference: Awaited<ReturnType<IngestNamespace['signature']>>;
  const csv = space('ingcsv');

  it('CSV: entities and triples, aggregated, Chinese names byte for byte, consumers pseudonymised', async () => {
    const dir = csv.stage('csv');
    const summary = await loadFiles(db, coreVocabulary, [dir], options);
    expect(summary).toMatchObject({ read: 16, loaded: 16, rejected: 0 });
    const bought = await csv.edge(db, 'fx_c1', 'Consumer', 'PURCHASED', 'fx_p1', 'Product');
    expect(bought).toMatchObject({ weight: 3.5, count: 2, firstTs: seconds('2024-03-01T10:00:00Z'), lastTs: 1709290000 });
    expect(await csv.edge(db, 'fx_c2', 'Consumer', 'VIEWED', 'fx_p2', 'Product')).toMatchObject({ weight: 1, count: 1, firstTs: seconds('2024-03-02T00:00:00Z') });
    expect(await csv.edge(db, 'fx_c3', 'Consumer', 'PURCHASED', 'fx_p3', 'Product')).toMatchObject({ firstTs: seconds('2024-03-05T00:30:00Z') });
    const lamp = (await csv.node(db, 'Product', 'fx_p1'))!;
    const fileName = readFileSync(join(fixturesDir, 'csv', 'entities.csv'), 'utf8').split('\n')[1]!.split(',')[2]!;
    expect(fileName).toBe('"露营灯 ""超亮""款"');
    expect(Buffer.from(lamp.n.name as string)).toEqual(Buffer.from('露营灯 "超亮"款', 'utf8'));
    expect(lamp.n).toMatchObject({ name_en: 'Camping lantern', name_zh: '露营灯', category: '户外' });
    expect(lamp.labels.sort()).toEqual(['Entity', 'Product']);
    const tea = (await csv.node(db, 'Interest', 'fx_茶道'))!;
    expect(tea.n.name).toBe('茶道 🍵');
    expect(tea.n.key).toBe(`Interest:${csv.ns}_茶道`);
    // A product named only by triples gets name = id.
    expect((await csv.node(db, 'Product', 'fx_p3'))!.n.name).toBe(`${csv.ns}_p3`);
    // The consumer is stored by pseudonym only: name = pseudonym, the raw id and name appear nowhere.
    const c1 = (await csv.node(db, 'Consumer', 'fx_c1'))!;
    expect(c1.n.name).toBe(c1.n.id);
    expect(String(c1.n.id)).toMatch(/^c_/);
    const leaks = await db.read(
      'test-leak',
      'MATCH (n:Entity) WHERE any(k IN keys(n) WHERE toString(n[k]) CONTAINS $raw OR toString(n[k]) = $name) RETURN count(n) AS n',
      { raw: `${csv.ns}_c1`, name: '张三' },
    );
    expect(leaks[0]!.n).toBe(0);
    reference = await csv.signature(db);
    expect(reference.nodes).toHaveLength(9);
    expect(reference.edges).toHaveLength(9);
  }, 240_000);

  it.each([['tsv'], ['gz'], ['jsonl']])('%s gives exactly the CSV graph', async (format) => {
    const s = space(`ing${format}`);
    const summary = await loadFiles(db, coreVocabulary, [s.stage(format)], options);
    expect(summary.rejected).toBe(0);
    expect(await s.signature(db)).toEqual(reference);
  });

  it('loading the same files again changes nothing', async () => {
    const summary = await loadFiles(db, coreVocabulary, [join(csv.root, 'csv')], options);
    expect(summary).toMatchObject({ loaded: 16, rejected: 0 });
    expect(await csv.signature(db)).toEqual(reference);
  });

  it.each([['sample.ttl'], ['sample.nt']])('RDF %s: types, relations, literals and language-tagged labels', async (file) => {
    const s = space('ingrdf');
    const vocabulary = readSchemaFile(join(fixturesDir, 'schema.json'));
    const summary = await loadFiles(db, vocabulary, [s.stage(join('rdf', file))], options);
    expect(summary.rejected).toBe(0);
    const sig = await s.signature(db);
    expect(sig.edges.map((e) => `${e.a} ${e.rel} ${e.b}`)).toEqual([
      'NS_c1 INTERESTED_IN NS_i1',
      'NS_c1 PURCHASED NS_p1',
      'NS_c2 FOLLOWS NS_c1',
      'NS_c2 INTERESTED_IN NS_茶道',
      'NS_p1 RELATES_TO NS_i1',
    ]);
    const lamp = (await s.node(db, 'Product', 'fx_p1'))!.n;
    expect(lamp).toMatchObject({ name: '露营灯 "超亮"款', name_zh: '露营灯 "超亮"款', name_en: 'Camping lantern', category: '户外' });
    expect((await s.node(db, 'Interest', 'fx_茶道'))!.n.name).toBe('茶道 🍵');
  });
});

describe('sources', () => {
  it('two sources add up, and reloading one of them does not add it again', async () => {
    const s = space('ingsrc');
    const header = 'subject,subject_type,relation,object,object_type,weight,source\n';
    const a = s.write(`${s.ns}-a.csv`, header + 'fx_c1,Consumer,PURCHASED,fx_p1,Product,2,crm\n');
    const b = s.write(`${s.ns}-b.csv`, header + 'fx_c1,Consumer,PURCHASED,fx_p1,Product,3,cdp\n');
    await loadFiles(db, coreVocabulary, [a], options);
    await loadFiles(db, coreVocabulary, [b], options);
    expect(await s.edge(db, 'fx_c1', 'Consumer', 'PURCHASED', 'fx_p1', 'Product')).toMatchObject({ weight: 5, count: 2 });
    await loadFiles(db, coreVocabulary, [a], options);
    expect(await s.edge(db, 'fx_c1', 'Consumer', 'PURCHASED', 'fx_p1', 'Product')).toMatchObject({ weight: 5, count: 2 });
  });

  it('a second source turns a one-share relationship into per-source lists, and dropping it turns it back', async () => {
    const s = space('ingshape');
    const header = 'subject,subject_type,relation,object,object_type,weight,timestamp,source\n';
    const a = s.write(`${s.ns}-a.csv`, header + 'fx_c1,Consumer,VIEWED,fx_p1,Product,2,2024-01-01,crm\n');
    const b = s.write(`${s.ns}-b.csv`, header + 'fx_c1,Consumer,VIEWED,fx_p1,Product,3,,cdp\nfx_c1,Consumer,VIEWED,fx_p2,Product,1,,cdp\n');
    const edge = () => s.edge(db, 'fx_c1', 'Consumer', 'VIEWED', 'fx_p1', 'Product');
    await loadFiles(db, coreVocabulary, [a], options);
    expect(await edge()).toMatchObject({ _src: expect.stringMatching(/^crm@/), weight: 2, count: 1, firstTs: seconds('2024-01-01T00:00:00Z') });
    expect(await edge()).not.toHaveProperty('_srcW');
    await loadFiles(db, coreVocabulary, [b], options);
    const both = await edge();
    expect(both).toMatchObject({ _srcW: [2, 3], _srcN: [1, 1], weight: 5, count: 2, firstTs: seconds('2024-01-01T00:00:00Z') });
    expect((both as { _src: string[] })._src.map((x) => x.split('@')[0])).toEqual(['crm', 'cdp']);
    // b's new delivery lacks c1→p1: its share goes, crm's stays, in the one-share shape again.
    s.write(`${s.ns}-b.csv`, header + 'fx_c1,Consumer,VIEWED,fx_p2,Product,1,,cdp\n');
    await loadFiles(db, coreVocabulary, [b], options);
    const one = await edge();
    expect(one).toMatchObject({ _src: expect.stringMatching(/^crm@/), _srcLoad: expect.any(String), weight: 2, count: 1, firstTs: seconds('2024-01-01T00:00:00Z') });
    for (const list of ['_srcW', '_srcN', '_srcFirst', '_srcLast']) expect(one).not.toHaveProperty(list);
    // a's redelivery without the key deletes the relationship (its one share is stale).
    s.write(`${s.ns}-a.csv`, header + 'fx_c1,Consumer,VIEWED,fx_p2,Product,1,,crm\n');
    await loadFiles(db, coreVocabulary, [a], options);
    expect(await edge()).toBeUndefined();
  });

  it('redelivering a source replaces what it contributed, including keys it no longer has', async () => {
    const s = space('ingredeliver');
    const header = 'subject,subject_type,relation,object,object_type,weight,timestamp\n';
    const orders = `${s.ns}-orders.csv`;
    s.write(`${s.ns}-other.csv`, header + 'fx_c1,Consumer,PURCHASED,fx_p2,Product,10,2024-01-01\n');
    await loadFiles(db, coreVocabulary, [join(s.root, `${s.ns}-other.csv`)], options);
    s.write(orders, header + 'fx_c1,Consumer,PURCHASED,fx_p1,Product,2,2024-02-01\nfx_c1,Consumer,PURCHASED,fx_p2,Product,1,2024-05-01\nfx_c2,Consumer,PURCHASED,fx_p1,Product,1,\n');
    await loadFiles(db, coreVocabulary, [join(s.root, orders)], options);
    expect(await s.edge(db, 'fx_c1', 'Consumer', 'PURCHASED', 'fx_p2', 'Product')).toMatchObject({ weight: 11, count: 2, lastTs: seconds('2024-05-01T00:00:00Z') });
    // The new delivery of the same file: c1→p1 changed, c1→p2 and c2→p1 gone from it.
    s.write(orders, header + 'fx_c1,Consumer,PURCHASED,fx_p1,Product,4,2024-03-01\n');
    await loadFiles(db, coreVocabulary, [join(s.root, orders)], options);
    expect(await s.edge(db, 'fx_c1', 'Consumer', 'PURCHASED', 'fx_p1', 'Product')).toMatchObject({ weight: 4, count: 1, firstTs: seconds('2024-03-01T00:00:00Z') });
    const p2 = await s.edge(db, 'fx_c1', 'Consumer', 'PURCHASED', 'fx_p2', 'Product');
    expect(p2).toMatchObject({ weight: 10, count: 1, firstTs: seconds('2024-01-01T00:00:00Z'), lastTs: seconds('2024-01-01T00:00:00Z') });
    expect(await s.edge(db, 'fx_c2', 'Consumer', 'PURCHASED', 'fx_p1', 'Product')).toBeUndefined();
  });
});

describe('bad input', () => {
  it('rejects every bad row with file, line, field and reason, and loads every valid one', async () => {
    const s = space('ingbad');
    const dir = s.stage('bad');
    const missing = join(s.root, 'no-such-file.csv');
    const summary = await loadFiles(db, coreVocabulary, [dir, missing], options);
    expect(summary.missing).toEqual([missing]);
    const rejects = readFileSync(`${dir}.rejects.csv`, 'utf8').trim().split('\n');
    expect(rejects[0]).toBe('file,line,field,reason');
    const has = (file: string, line: number, field: string, reason: RegExp) =>
      expect(rejects.some((r) => r.startsWith(`${join(dir, `${s.ns}-${file}`)},${line},${field},`) && reason.test(r)), `${file}:${line} ${field}`).toBe(true);
    has('missing-field.csv', 3, 'subject', /missing value/);
    has('missing-field.csv', 4, 'object', /missing value/);
    has('unknown-type.csv', 2, 'subject_type', /unknown entity type 'Robot'/);
    has('bad-relation.csv', 2, 'relation', /'LIKES' is not in the schema/);
    has('bad-relation.csv', 3, 'relation', /PURCHASED goes Consumer → Product, not Product → Consumer/);
    has('bad-weight.csv', 2, 'weight', /not a finite number: 'abc'/);
    has('bad-weight.csv', 3, 'weight', /not a finite number: 'Infinity'/);
    has('bad-timestamp.csv', 2, 'timestamp', /'yesterday'/);
    has('bad-timestamp.csv', 3, 'timestamp', /'2024-02-31'/);
    has('invalid-utf8.csv', 2, 'name', /invalid UTF-8/);
    has('wrong-columns.csv', 2, '\\(columns\\)'.replaceAll('\\', ''), /expected 5 columns, found 6/);
    has('wrong-columns.csv', 3, '(columns)', /expected 5 columns, found 3/);
    has('bad.nt', 2, '(statement)', /unparseable RDF/);
    has('bad.ttl', 6, '(statement)', /unparseable RDF/);
    has('empty.csv', 0, '(file)', /empty file/);
    has('bad-header.csv', 1, '(header)', /header must have/);
    expect(readFileSync(`${missing}.rejects.csv`, 'utf8')).toContain(`${missing},0,(file),file not found`);
    expect(summary.rejected).toBe(rejects.length - 1 + 1);

    const edge = (a: string, rel: string, b: string) => s.edge(db, a, 'Consumer', rel, b, 'Product');
    expect(await edge('fx_c1', 'PURCHASED', 'fx_p1')).toMatchObject({ weight: 1 });
    expect(await edge('fx_c1', 'VIEWED', 'fx_p1')).toBeDefined();
    expect(await s.edge(db, 'fx_c1', 'Consumer', 'INTERESTED_IN', 'fx_i1', 'Interest')).toBeDefined();
    expect(await edge('fx_c4', 'PURCHASED', 'fx_p3')).toMatchObject({ weight: 3 });
    expect(await edge('fx_c4', 'PURCHASED', 'fx_p1')).toBeUndefined();
    expect(await edge('fx_c5', 'VIEWED', 'fx_p3')).toMatchObject({ firstTs: seconds('2024-02-29T12:00:00Z') });
    expect(await edge('fx_c6', 'VIEWED', 'fx_p2')).toBeDefined();
    expect(await edge('fx_c7', 'VIEWED', 'fx_p1')).toBeDefined();
    expect(await edge('fx_c7', 'VIEWED', 'fx_p2')).toBeDefined();
    expect(await edge('fx_c8', 'VIEWED', 'fx_p1')).toBeDefined();
    expect(await edge('fx_c8', 'VIEWED', 'fx_p2')).toBeDefined();
    expect(await edge('fx_c9', 'VIEWED', 'fx_p1')).toBeUndefined();
    expect((await s.node(db, 'Product', 'fx_p9'))!.n.name).toBe('保温');
    expect(await s.node(db, 'Product', 'fx_p8')).toBeUndefined();
  });
});

describe('schema file and stored vocabulary', () => {
  it('adds entity types and relations, stores the vocabulary and loads the new relation', async () => {
    const s = space('ingschema');
    const before = await db.read('test-vocab', "MATCH (m:KgMeta {key: 'vocabulary'}) RETURN m.json AS json");
    try {
      const vocabulary = readSchemaFile(join(fixturesDir, 'schema.json'));
      await applySchema(db, vocabulary);
      await storeVocabulary(db, vocabulary);
      const stored = await loadStoredVocabulary(db);
      expect(stored.entityTypes).toContain('Brand');
      expect(stored.relations.find((r) => r.name === 'MADE_BY')).toMatchObject({ from: ['Product'], to: ['Brand'], role: 'product-product' });
      const file = s.write(`${s.ns}-brands.csv`, 'subject,subject_type,relation,object,object_type\nfx_p1,Product,MADE_BY,fx_b1,Brand\nfx_p1,Product,MADE_BY,fx_p2,Product\n');
      const summary = await loadFiles(db, stored, [file], options);
      expect(summary).toMatchObject({ loaded: 1, rejected: 1 });
      expect(await s.edge(db, 'fx_p1', 'Product', 'MADE_BY', 'fx_b1', 'Brand')).toMatchObject({ weight: 1 });
      // The core vocabulary rejects the relation.
      const core = await loadFiles(db, coreVocabulary, [file], { ...options, dryRun: true });
      expect(core.rejected).toBe(2);
    } finally {
      if (typeof before[0]?.json === 'string') await db.write('test-vocab', "MATCH (m:KgMeta {key: 'vocabulary'}) SET m.json = $json", { json: before[0].json });
      else await db.write('test-vocab', "MATCH (m:KgMeta {key: 'vocabulary'}) DELETE m");
    }
  });

  it('explains what is wrong with a bad schema file', () => {
    const s = space('ingschemabad');
    const file = s.write('schema.json', JSON.stringify({ relations: [{ name: 'X', from: ['Nope'], to: ['Product'], role: 'social' }] }));
    expect(() => readSchemaFile(file)).toThrow(/relation X names entity type 'Nope'/);
    const role = s.write('schema2.json', JSON.stringify({ relations: [{ name: 'X', from: ['Product'], to: ['Product'], role: 'fun' }] }));
    expect(() => readSchemaFile(role)).toThrow(/relations\.0\.role/);
  });
});

describe('npm start seeding', () => {
  it('leaves a graph that already has entities alone', async () => {
    const s = space('ingseed');
    const dir = s.stage('csv');
    const result = await seedIfEmpty(db, coreVocabulary, dir, options);
    expect(result.summary).toBeUndefined();
    expect(await s.node(db, 'Product', 'fx_p1')).toBeUndefined();
  });
});
