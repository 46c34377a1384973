import { afterAll, describe, expect, it } from 'vitest';
import { BatchWriter } from '../../server/ingest/batch-writer.js';
import type { EntityRow, TripleRow } from '../../server/ingest/types.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { testDatabase, testNamespace } from '../support/neo4j.js';

// Issue 17, finding 3: a triple whose object id was 100 kB failed its whole batch on Neo4j's
// index size limit, and the load exited 1 with a stack trace, the batch's valid rows unwritten.
// Validation now rejects such ids first (test/unit/ingest-validate.test.ts); behind it, a batch
// Neo4j refuses is split until the offending row is found. Rows here bypass validation.
const db = testDatabase(120_000);
const ns = testNamespace('refused');

afterAll(async () => {
  await db.write('test-cleanup', 'MATCH (n:Entity) WHERE n.id STARTS WITH $ns DETACH DELETE n', { ns });
  await db.write('test-cleanup', "MATCH (m:KgMeta) WHERE m.key STARTS WITH 'source:' AND m.key CONTAINS $ns DELETE m", { ns });
  await db.close();
});

describe('finding 3: one bad row never aborts its batch', () => {
  it('splits a refused batch, writes every valid row and reports the offending one', async () => {
    const triple = (i: number, object = `${ns}-p${i % 7}`): TripleRow => ({
      s: `${ns}-c${i}`, sType: 'Consumer', rel: 'PURCHASED', o: object, oType: 'Product', weight: 1, ts: null, source: `${ns}-src`, origin: { file: 'orders.csv', line: i + 2 },
    });
    const rows = Array.from({ length: 40 }, (_, i) => triple(i));
    rows.splice(17, 0, triple(99, `${ns}-${'x'.repeat(100_000)}`));
    const entities: EntityRow[] = [];
    const writer = new BatchWriter(db, coreVocabulary, { lanes: 1, retry: { delaysMs: [] } });
    const refused: { row: TripleRow | EntityRow; code: string }[] = [];
    writer.onRowRefused = (row, error) => refused.push({ row, code: error.code });
    for (const row of rows) await writer.addTriple(row);
    for (const entity of entities) await writer.addEntity(entity);
    await writer.drain();
    await writer.dropClaims();
    expect(refused).toHaveLength(1);
    expect(refused[0]!.row.origin).toEqual({ file: 'orders.csv', line: 101 });
    const [r] = await db.read('test-count', 'MATCH (c:Consumer)-[x:PURCHASED]->() WHERE c.id STARTS WITH $ns RETURN count(x) AS n', { ns });
    expect(Number(r!.n)).toBe(40);
  });
});
