import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { loadFiles } from '../../server/ingest/load.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { pseudonymize } from '../../server/privacy/pseudonym.js';
import { gql } from '../support/graphql.js';
import { IngestNamespace, TEST_SECRET } from '../support/ingest-fixtures.js';
import { testConfig, testDatabase, testNamespace } from '../support/neo4j.js';

// Issue 17, finding 5: a Consumer entity row kept name_en, name_zh, email and phone, so
// search("Alice Smith") returned an email and a phone number. Consumer rows now keep only the
// allow-list (vocabulary.consumerProperties, default defaultConsumerProperties).
const db = testDatabase();
const ns = testNamespace('pii');
const space = new IngestNamespace(ns);
const app = createApp({ db, config: testConfig({ pseudonymSecret: TEST_SECRET }), logger: pino({ level: 'silent' }), vocabulary: coreVocabulary });
const word = 'zq' + ns.slice(-8).replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]!);

afterAll(async () => {
  await space.cleanup(db);
  await db.close();
  app.metrics.close();
});

describe('finding 5: personal data never passes the loader', () => {
  it('stores none of name, email and phone of a consumer row, counts them and finds nothing by them', async () => {
    const raw = `${ns}_c1`;
    space.noteConsumers([raw]);
    const dir = space.root;
    space.write(
      `${ns}-entities.csv`,
      `id,type,name,name_en,name_zh,email,phone,segment\n${raw},Consumer,Alice Smith ${word},Alice Smith ${word},爱丽丝${word},alice.${word}@example.com,+86 138 0013 8000,vip\n`,
    );
    space.write(`${ns}-triples.csv`, `subject,subject_type,relation,object,object_type\n${raw},Consumer,PURCHASED,${ns}_p1,Product\n`);
    const summary = await loadFiles(db, coreVocabulary, [dir], { pseudonymSecret: TEST_SECRET, rejectsFile: `${dir}/rejects.csv` });
    expect(summary.rejected).toBe(0);
    expect(summary.propertiesDropped).toBe(4);

    const pseudo = pseudonymize(TEST_SECRET, raw);
    const rows = await db.read('test-read', 'MATCH (c:Consumer {id: $pseudo}) RETURN c {.*} AS props', { pseudo });
    const props = rows[0]!.props as Record<string, unknown>;
    expect(Object.keys(props).filter((k) => !k.startsWith('_')).sort()).toEqual(['id', 'key', 'name', 'segment']);
    expect(props.name).toBe(pseudo);
    expect(JSON.stringify(props)).not.toMatch(/Alice|爱丽丝|example\.com|138/);

    for (const q of [`Alice Smith ${word}`, word, `alice.${word}@example.com`]) {
      const res = await gql(app, 'query($q: String!) { search(query: $q, first: 50) { key name nameEn properties } }', { q });
      const text = JSON.stringify(res.body);
      expect(text, q).not.toContain(pseudo);
      expect(text, q).not.toMatch(/example\.com|138 0013/);
    }
  });

  it('a schema file may name the allow-list', async () => {
    const { RowValidator } = await import('../../server/ingest/validate.js');
    const v = new RowValidator({ ...coreVocabulary, consumerProperties: ['tier'] }, TEST_SECRET);
    const row = v.entity({ kind: 'entity', file: 'e.csv', line: 2, defaultSource: 'e.csv', fields: { id: 'u', type: 'Consumer', tier: 'gold', segment: 'vip' } });
    expect(row).toMatchObject({ props: { tier: 'gold' }, droppedProperties: 1 });
  });
});
