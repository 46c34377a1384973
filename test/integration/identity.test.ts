import { afterAll, describe, expect, it } from 'vitest';
import { ingestRows, loadFiles } from '../../server/ingest/load.js';
import { runIdentity, updateIdentityRun } from '../../server/identity/precompute.js';
import { personId } from '../../server/identity/identity.js';
import { coreVocabulary, type Vocabulary } from '../../server/graph/vocabulary.js';
import { pseudonymize } from '../../server/privacy/pseudonym.js';
import type { RawRecord } from '../../server/ingest/types.js';
import type { Database } from '../../server/db/neo4j.js';
import { IngestNamespace, TEST_SECRET } from '../support/ingest-fixtures.js';
import { testDatabase, testNamespace } from '../support/neo4j.js';

/*
 * The identity step on the run's test Neo4j: graph-wide full runs (db-sequential), assertions
 * on this file's own consumers only.
 */
const db = testDatabase(120_000);
const ns = testNamespace('identity');
const space = new IngestNamespace(ns);
const vocabulary: Vocabulary = { ...coreVocabulary, consumerIdentifiers: ['phone', 'email'] };
// Phone numbers of this run only (keys are graph-wide).
const digits = [...ns.slice(-8)].map((ch) => (parseInt(ch, 16) % 10).toString()).join('');
const phone = (n: number) => `+86 139 ${digits.slice(0, 4)} ${digits.slice(4)}${n}`;
const raw = (n: number) => `${ns}_c${n}`;
const pseudo = (n: number) => pseudonymize(TEST_SECRET, raw(n));
const options = { pseudonymSecret: TEST_SECRET };

afterAll(async () => {
  await db.write('test-cleanup', 'MATCH (c:Consumer)-[:HAS_IDENTIFIER]->(i:KgIdentifier) WHERE c.id IN $ps DETACH DELETE i', { ps: [...space.consumers.keys()] });
  await space.cleanup(db);
  await db.close();
});

/** Stored persons of consumers n (by number) as [person, personIds]. */
async function persons(db: Database, ns: number[]): Promise<Map<number, [string, number]>> {
  const rows = await db.read('test-persons', 'UNWIND $ids AS id MATCH (c:Consumer {id: id}) RETURN c.id AS id, c.person AS person, c.personIds AS n', { ids: ns.map(pseudo) });
  const back = new Map(ns.map((n) => [pseudo(n), n]));
  return new Map(rows.map((r) => [back.get(String(r.id))!, [String(r.person), Number(r.n)]]));
}

/** What the persons of these consumer groups must be: each group one person, named after its smallest pseudonym. */
function expected(groups: number[][]): Map<number, [string, number]> {
  const out = new Map<number, [string, number]>();
  for (const g of groups) {
    const smallest = g.map(pseudo).sort()[0]!;
    for (const n of g) out.set(n, [personId(smallest), g.length]);
  }
  return out;
}

const all = Array.from({ length: 16 }, (_, i) => i + 1);
const mine = (ids: string[]) => ids.filter((id) => space.consumers.has(id));
const triple = (a: number, rel: string, b: number | string, bType = 'Consumer'): RawRecord => ({
  kind: 'triple',
  file: 'api',
  line: 0,
  defaultSource: 'api',
  fields: { subject: raw(a), subject_type: 'Consumer', relation: rel, object: typeof b === 'number' ? raw(b) : b, object_type: bType },
});
const entity = (n: number, fields: Record<string, string>): RawRecord => ({ kind: 'entity', file: 'api', line: 0, defaultSource: 'api', fields: { id: raw(n), type: 'Consumer', ...fields } });

describe('identity step', () => {
  // 1-2 SAME_AS only; 3-4 a phone in two spellings; 5-6 SAME_AS and 6-7 an email in two cases;
  // 8-9-10-11 a chain of SAME_AS in both directions; 12, 13 singletons (13 has a phone of its own).
  const entities = space.write(
    `${ns}-consumers.csv`,
    [
      'id,type,name,phone,email,segment',
      `${raw(3)},Consumer,Three,${phone(1)},,vip`,
      `${raw(4)},Consumer,Four,"86-139${digits}1",,`,
      `${raw(6)},Consumer,Six,,Li.${ns}@Example.com,`,
      `${raw(7)},Consumer,Seven,,  li.${ns}@example.COM ,`,
      `${raw(13)},Consumer,Thirteen,${phone(2)},,`,
      `${raw(14)},Consumer,Fourteen,${phone(3)},,`,
      `${raw(15)},Consumer,Fifteen,,,`,
      `${raw(16)},Consumer,Sixteen,,,`,
    ].join('\n') + '\n',
  );
  const triples = space.write(
    `${ns}-links.csv`,
    [
      'subject,subject_type,relation,object,object_type',
      `${raw(1)},Consumer,SAME_AS,${raw(2)},Consumer`,
      `${raw(5)},Consumer,SAME_AS,${raw(6)},Consumer`,
      `${raw(8)},Consumer,SAME_AS,${raw(9)},Consumer`,
      `${raw(10)},Consumer,SAME_AS,${raw(9)},Consumer`,
      `${raw(10)},Consumer,SAME_AS,${raw(11)},Consumer`,
      `${raw(12)},Consumer,PURCHASED,${ns}_p1,Product`,
      `${raw(3)},Consumer,PURCHASED,${ns}_p1,Product`,
    ].join('\n') + '\n',
  );
  space.noteConsumers(all.map(raw));
  const groups = [[1, 2], [3, 4], [5, 6, 7], [8, 9, 10, 11], [12], [13], [14], [15], [16]];

  it('a full run gives the exact components: SAME_AS only, phone only, both, a chain, singletons', async () => {
    const summary = await loadFiles(db, vocabulary, [entities, triples], options);
    expect(summary.rejected).toBe(0);
    const links = await db.read('test-links', 'MATCH (c:Consumer)-[x:HAS_IDENTIFIER]->(i:KgIdentifier) WHERE c.id IN $ps RETURN x.kind AS kind, x._src AS src, i.key AS key', { ps: all.map(pseudo) });
    expect(links.map((l) => l.kind).sort()).toEqual(['email', 'email', 'phone', 'phone', 'phone', 'phone']);
    expect(new Set(links.filter((l) => l.kind === 'email').map((l) => l.key)).size).toBe(1);
    expect(links.every((l) => String(l.src) === entities.split('/').pop() || String(l.src).endsWith('consumers.csv'))).toBe(true);

    const { changed } = await runIdentity(db, vocabulary);
    expect(new Set(mine(changed))).toEqual(new Set(all.map(pseudo)));
    expect(await persons(db, all)).toEqual(expected(groups));
    // A second run finds nothing to change.
    expect(mine((await runIdentity(db, vocabulary)).changed)).toEqual([]);
  });

  it('loading the same files again changes nothing', async () => {
    await loadFiles(db, vocabulary, [entities, triples], options);
    expect(mine((await runIdentity(db, vocabulary)).changed)).toEqual([]);
    expect(await persons(db, all)).toEqual(expected(groups));
  });

  it('an incremental update merges persons, reports who changed, and equals a full run', async () => {
    // 2-3 joins {1,2} and {3,4}; 14 takes 13's phone through a new row; 16 follows 15 (no identity link).
    const { touched } = await ingestRows(db, vocabulary, [triple(2, 'SAME_AS', 3), entity(14, { phone: phone(2) }), triple(16, 'FOLLOWS', 15)], options);
    expect(touched).not.toBeNull();
    const result = await updateIdentityRun(db, vocabulary, touched!);
    const merged = [[1, 2, 3, 4], [5, 6, 7], [8, 9, 10, 11], [12], [13, 14], [15], [16]];
    expect(await persons(db, all)).toEqual(expected(merged));
    // Whoever's person changed: 1-4 (a new smallest id or size) and 13-14, nobody else of mine.
    const before = expected(groups);
    const after = expected(merged);
    const moved = all.filter((n) => before.get(n)![0] !== after.get(n)![0] || before.get(n)![1] !== after.get(n)![1]);
    expect(new Set(mine(result.changed))).toEqual(new Set(moved.map(pseudo)));
    expect(result.visited).toBeLessThan(20);
    expect(mine((await runIdentity(db, vocabulary)).changed)).toEqual([]);
  });

  it('a redelivered source that drops a link splits the person', async () => {
    // The consumers file again without 4's phone: its share is stale, the link goes.
    space.write(
      `${ns}-consumers.csv`,
      [
        'id,type,name,phone,email,segment',
        `${raw(3)},Consumer,Three,${phone(1)},,vip`,
        `${raw(4)},Consumer,Four,,,`,
        `${raw(6)},Consumer,Six,,Li.${ns}@Example.com,`,
        `${raw(7)},Consumer,Seven,,  li.${ns}@example.COM ,`,
        `${raw(13)},Consumer,Thirteen,${phone(2)},,`,
        `${raw(14)},Consumer,Fourteen,${phone(3)},,`,
      ].join('\n') + '\n',
    );
    const summary = await loadFiles(db, vocabulary, [entities], { ...options, refresh: async (d, v) => void (await runIdentity(d, v)) });
    expect(summary.sharesDropped).toBe(1);
    // 2-3 came through the API (source api) and stays; 4 loses its phone: {1,2,3} and {4}. 14's API phone stays.
    expect(await persons(db, all)).toEqual(expected([[1, 2, 3], [4], [5, 6, 7], [8, 9, 10, 11], [12], [13, 14], [15], [16]]));
    const left = await db.read('test-links', 'MATCH (c:Consumer {id: $id})-[x:HAS_IDENTIFIER]->() RETURN count(x) AS n', { id: pseudo(4) });
    expect(Number(left[0]!.n)).toBe(0);
  });

  it('an update after a split link also splits (the walk follows old person-mates)', async () => {
    // Remove the API's 2-3 link by hand (as a deletion would), then update from 2 alone.
    await db.write('test-unlink', 'MATCH (a:Consumer {id: $a})-[x:SAME_AS]->(b:Consumer {id: $b}) DELETE x', { a: pseudo(2), b: pseudo(3) });
    const result = await updateIdentityRun(db, vocabulary, { consumers: [`Consumer:${pseudo(2)}`], entities: [] });
    expect(await persons(db, [1, 2, 3])).toEqual(expected([[1, 2], [3]]));
    // All three lose size (3 → 2 and 1).
    expect(new Set(mine(result.changed))).toEqual(new Set([1, 2, 3].map(pseudo)));
    expect(mine((await runIdentity(db, vocabulary)).changed)).toEqual([]);
  });
  // Last: its consumers are one person again under the default cap.
  it('an identifier on more consumers than the cap links nobody, also when an update crowds it', async () => {
    const capped: Vocabulary = { ...vocabulary, identifierMaxConsumers: 3 };
    const shared = phone(9);
    await ingestRows(db, capped, [30, 31, 32].map((n) => entity(n, { phone: shared })), options);
    space.noteConsumers([30, 31, 32, 33].map(raw));
    await runIdentity(db, capped);
    expect(await persons(db, [30, 31, 32])).toEqual(expected([[30, 31, 32]]));
    // A fourth holder: the phone is crowded now, and the update splits the three.
    const { touched } = await ingestRows(db, capped, [entity(33, { phone: shared })], options);
    const result = await updateIdentityRun(db, capped, touched!);
    expect(await persons(db, [30, 31, 32, 33])).toEqual(expected([[30], [31], [32], [33]]));
    expect(new Set(mine(result.changed))).toEqual(new Set([30, 31, 32, 33].map(pseudo)));
    expect(mine((await runIdentity(db, capped)).changed)).toEqual([]);
    const [row] = await db.read('test-crowded', 'MATCH (c:Consumer {id: $id})-[:HAS_IDENTIFIER]->(i) RETURN COUNT { (i)<-[:HAS_IDENTIFIER]-() } AS n', { id: pseudo(33) });
    expect(Number(row!.n)).toBe(4);
  });

});
