import { basename } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFiles, type LoadOptions } from '../../server/ingest/load.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { pseudonymize } from '../../server/privacy/pseudonym.js';
import { IngestNamespace, TEST_SECRET } from '../support/ingest-fixtures.js';
import { testDatabase, testNamespace } from '../support/neo4j.js';

// Issue 16: the write lanes were keyed by relationship, so two lanes locked the same consumer or
// product and every real load printed DeadlockDetected retries. Batches are now scheduled by
// node partition: no two concurrent transactions touch one node. A file whose rows share a few
// consumers and products across every batch must load with no retry, into exactly the graph
// its rows describe, and the same graph a one-lane (serial) load gives.
const db = testDatabase(180_000);
const spaces: IngestNamespace[] = [];
const space = (name: string) => {
  const s = new IngestNamespace(testNamespace(name));
  spaces.push(s);
  return s;
};

afterAll(async () => {
  for (const s of spaces) await s.cleanup(db);
  await db.close();
});

const header = 'subject,subject_type,relation,object,object_type,weight,timestamp,source\n';
const shapes: [rel: string, from: string, fromPrefix: string, fromN: number, to: string, toPrefix: string, toN: number][] = [
  ['PURCHASED', 'Consumer', 'c', 40, 'Product', 'p', 12],
  ['VIEWED', 'Consumer', 'c', 40, 'Product', 'p', 12],
  ['FOLLOWS', 'Consumer', 'c', 40, 'Consumer', 'c', 40],
  ['SIMILAR_TO', 'Product', 'p', 12, 'Product', 'p', 12],
];

/** 800 rows over 40 consumers and 12 products (deterministic), two sources. */
function rows(): { s: string; sType: string; rel: string; o: string; oType: string; w: number; ts: number; src: string }[] {
  let x = 7;
  const rand = (m: number) => {
    x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
    return Math.floor((x / 2147483648) * m);
  };
  return Array.from({ length: 800 }, () => {
    const [rel, from, fp, fn, to, tp, tn] = shapes[rand(10) < 7 ? rand(2) : 2 + rand(2)]!;
    return { s: `fx_${fp}${rand(fn)}`, sType: from, rel, o: `fx_${tp}${rand(tn)}`, oType: to, w: 1 + rand(3), ts: 1_700_000_000 + rand(1_000_000), src: rand(2) ? 'crm' : 'web' };
  });
}

describe('issue 16: writes partitioned by node', () => {
  it('many rows on the same consumers and products across lanes: no deadlock retry, exactly the graph of the rows and of a serial load', async () => {
    const data = rows();
    const csv = header + data.map((r) => `${r.s},${r.sType},${r.rel},${r.o},${r.oType},${r.w},${r.ts},${r.src}`).join('\n') + '\n';
    const parallel = space('inglanes');
    const serial = space('inglane1');
    const logs: string[] = [];
    const options: LoadOptions = { pseudonymSecret: TEST_SECRET, log: (l) => logs.push(l) };

    const summary = await loadFiles(db, coreVocabulary, [parallel.write(`${parallel.ns}-rows.csv`, csv)], { ...options, lanes: 2, batchSize: 50 });
    expect(summary).toMatchObject({ read: 800, loaded: 800, rejected: 0, deadlockRetries: 0 });
    expect(logs.filter((l) => /Deadlock/.test(l))).toEqual([]);

    // The graph the rows describe: per relationship, summed weights and counts, first and last time, sources.
    const expected = new Map<string, { a: string; rel: string; b: string; weight: number; count: number; firstTs: number; lastTs: number; src: Set<string> }>();
    for (const r of data) {
      const a = r.s.replace('fx_', 'NS_');
      const b = r.o.replace('fx_', 'NS_');
      const key = `${a} ${r.rel} ${b}`;
      const e = expected.get(key) ?? { a, rel: r.rel, b, weight: 0, count: 0, firstTs: Infinity, lastTs: -Infinity, src: new Set<string>() };
      e.weight += r.w;
      e.count += 1;
      e.firstTs = Math.min(e.firstTs, r.ts);
      e.lastTs = Math.max(e.lastTs, r.ts);
      // A file's source names are scoped to its identity, `folder/file`.
      e.src.add(`${r.src}@${basename(parallel.root)}/${parallel.ns}-rows.csv`);
      expected.set(key, e);
    }
    const graph = await parallel.signature(db);
    expect(graph.edges).toHaveLength(expected.size);
    for (const edge of graph.edges) {
      const e = expected.get(`${edge.a} ${edge.rel} ${edge.b}`);
      expect(e, `${edge.a} ${edge.rel} ${edge.b}`).toBeDefined();
      expect(edge).toMatchObject({ weight: e!.weight, count: e!.count, firstTs: e!.firstTs, lastTs: e!.lastTs });
    }
    expect(graph.nodes).toHaveLength(40 + 12);

    // Sources: each relationship keeps one share per source, named in the file's scope.
    const shares = await db.read(
      'test-shares',
      `MATCH (a:Entity)-[r]->(b:Entity) WHERE a.id IN $ids OR a.id STARTS WITH $ns
       RETURN a.id AS a, type(r) AS rel, b.id AS b, r._src AS src, coalesce(r._srcW, [r.weight]) AS w`,
      { ns: parallel.ns, ids: [...parallel.consumers.keys()] },
    );
    const raw = new Map([...parallel.consumers].map(([p, id]) => [p, id.replace(parallel.ns, 'NS')]));
    const readable = (id: string) => raw.get(id) ?? id.replace(parallel.ns, 'NS');
    expect(shares).toHaveLength(expected.size);
    for (const s of shares) {
      const e = expected.get(`${readable(String(s.a))} ${s.rel} ${readable(String(s.b))}`)!;
      expect([s.src as string | string[]].flat().sort()).toEqual([...e.src].sort());
      // One share: the scalar shape; several: a list (queries.ts, mergeRelationships).
      expect(typeof s.src === 'string').toBe(e.src.size === 1);
      expect((s.w as number[]).reduce((a, v) => a + v, 0)).toBe(e.weight);
    }

    // A serial load (one lane, one partition) of the same rows gives the same graph.
    const one = await loadFiles(db, coreVocabulary, [serial.write(`${serial.ns}-rows.csv`, csv)], { ...options, lanes: 1, batchSize: 500 });
    expect(one).toMatchObject({ loaded: 800, deadlockRetries: 0 });
    expect(await serial.signature(db)).toEqual(graph);

    // The consumers are pseudonymised: no raw id is stored.
    const rawIds = await db.read('test-raw', 'MATCH (c:Consumer) WHERE c.id STARTS WITH $ns RETURN count(c) AS n', { ns: parallel.ns });
    expect(Number(rawIds[0]!.n)).toBe(0);
    const stored = Array.from({ length: 40 }, (_, i) => pseudonymize(TEST_SECRET, `${parallel.ns}_c${i}`));
    const pseudonymous = await db.read('test-pseudonyms', 'MATCH (c:Consumer) WHERE c.id IN $stored RETURN count(c) AS n', { stored });
    expect(Number(pseudonymous[0]!.n)).toBe(40);
  }, 300_000);

  // Neo4j links new relationships into the endpoints' chains at COMMIT and locks neighbouring
  // relationship records there, so disjoint node partitions still deadlocked (~1 per 100k rows
  // at 1M). The lanes now run their statements concurrently but commit one at a time.
  it('three lanes commit one batch at a time, and the graph is the one a serial load gives', async () => {
    const data = rows();
    const csv = header + data.map((r) => `${r.s},${r.sType},${r.rel},${r.o},${r.oType},${r.w},${r.ts},${r.src}`).join('\n') + '\n';
    const laned = space('inggate');
    const serial = space('inggate1');
    // The real database, watched: when each batch's COMMIT starts and ends.
    let open = 0;
    let most = 0;
    let commits = 0;
    const watched = Object.create(db) as typeof db;
    watched.writeAll = (operation, statements, options = {}) =>
      db.writeAll(operation, statements, {
        ...options,
        ...(options.beforeCommit && {
          beforeCommit: async () => {
            const release = await options.beforeCommit!();
            open++;
            commits++;
            most = Math.max(most, open);
            return () => {
              open--;
              release();
            };
          },
        }),
      });
    const summary = await loadFiles(watched, coreVocabulary, [laned.write(`${laned.ns}-rows.csv`, csv)], { pseudonymSecret: TEST_SECRET, lanes: 3, batchSize: 40 });
    expect(summary).toMatchObject({ read: 800, loaded: 800, rejected: 0, deadlockRetries: 0 });
    expect(commits).toBeGreaterThan(10);
    expect(most).toBe(1);
    await loadFiles(db, coreVocabulary, [serial.write(`${serial.ns}-rows.csv`, csv)], { pseudonymSecret: TEST_SECRET, lanes: 1, batchSize: 800 });
    const graph = await laned.signature(db);
    expect(graph.edges.length).toBeGreaterThan(100);
    expect(await serial.signature(db)).toEqual(graph);
  }, 300_000);
});
