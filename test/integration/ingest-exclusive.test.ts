import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFiles, type LoadOptions } from '../../server/ingest/load.js';
import { IngestLock, IngestLockedError, lockOwner } from '../../server/ingest/lock.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { IngestNamespace, TEST_SECRET } from '../support/ingest-fixtures.js';
import { testDatabase, testNamespace } from '../support/neo4j.js';

// Issue 17, findings 1 and 2: overlapping loads each dropped the other's writes as stale (5,913
// of 51,316 relationships left, both said "load complete"); loading a second data set that
// used the same source names (crm, web, …) deleted the first and said "created 0".
const db = testDatabase(120_000);
const spaces: IngestNamespace[] = [];
const space = (name: string) => {
  const s = new IngestNamespace(testNamespace(name));
  spaces.push(s);
  return s;
};
const lockKeys: string[] = [];
const options: LoadOptions = { pseudonymSecret: TEST_SECRET };

afterAll(async () => {
  for (const s of spaces) await s.cleanup(db);
  await db.write('test-cleanup', 'MATCH (m:KgMeta) WHERE m.key IN $keys DELETE m', { keys: lockKeys });
  await db.close();
});

const header = 'subject,subject_type,relation,object,object_type,weight,source\n';
const count = async (s: IngestNamespace) =>
  Number((await db.read('test-count', 'MATCH (p:Product)<-[r:PURCHASED]-() WHERE p.id STARTS WITH $ns RETURN count(r) AS n', { ns: s.ns }))[0]!.n);

describe('finding 1: loads are exclusive', () => {
  it('two overlapping loads of the same file end with the whole graph, not a fraction of it', async () => {
    const s = space('ingoverlap');
    const rows = Array.from({ length: 3_000 }, (_, i) => `fx_c${i % 300},Consumer,PURCHASED,fx_p${i % 97},Product,1,crm`);
    const file = s.write(`${s.ns}-orders.csv`, header + rows.join('\n') + '\n');
    const distinct = new Set(rows.map((r) => r.split(',').slice(0, 4).join())).size;
    const logs: string[] = [];
    const run = () => loadFiles(db, coreVocabulary, [file], { ...options, batchSize: 100, lanes: 2, log: (l) => logs.push(l), lock: { pollMs: 100 } });
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.loaded + b.loaded).toBe(6_000);
    expect(await count(s)).toBe(distinct);
    const w = await db.read('test-sum', 'MATCH (p:Product)<-[r:PURCHASED]-() WHERE p.id STARTS WITH $ns RETURN sum(r.weight) AS w', { ns: s.ns });
    expect(Number(w[0]!.w)).toBe(3_000);
    expect(logs.some((l) => /^waiting: another load/.test(l))).toBe(true);
  });

  it('a live owner makes a second load wait, then refuse with a clear message', async () => {
    const key = `lock:${testNamespace('lk')}`;
    lockKeys.push(key);
    const first = new IngestLock(db, 'otherhost:1:a', { key });
    await first.acquire();
    const second = new IngestLock(db, lockOwner('b'), { key, waitMs: 300, pollMs: 100 });
    await expect(second.acquire()).rejects.toThrow(IngestLockedError);
    await expect(second.acquire()).rejects.toThrow(/another load \(otherhost:1:a, heartbeat \d+ s ago\) is writing to this database; loads are exclusive/);
    await first.release();
    await second.acquire();
    await second.release();
  });

  it('takes over a dead owner: a stale heartbeat, or a process of this host that no longer runs', async () => {
    const key = `lock:${testNamespace('lk')}`;
    lockKeys.push(key);
    const stale = new IngestLock(db, 'otherhost:1:a', { key, heartbeatMs: 60_000 });
    await stale.acquire();
    await new Promise((r) => setTimeout(r, 50));
    const taker = new IngestLock(db, lockOwner('b'), { key, staleMs: 10 });
    await taker.acquire();
    stale.check(); // not yet noticed: it learns at its next heartbeat
    await taker.release();

    // A pid that cannot be running (beyond the kernel's pid range).
    const dead = new IngestLock(db, lockOwner('c', undefined, 99_999_999), { key, heartbeatMs: 60_000 });
    await dead.acquire();
    const logs: string[] = [];
    const next = new IngestLock(db, lockOwner('d'), { key, waitMs: 0, log: (l) => logs.push(l) });
    await next.acquire();
    expect(logs.join('\n')).toMatch(/took over the ingest lock of .*:99999999:c, a process that no longer runs/);
    await next.release();
  });
});

describe('finding 2: a second data set never deletes the first', () => {
  it('the same source names in another data set add up; the summary reports deletions; --replace-source asks first', async () => {
    const s = space('ingscope');
    const demo = join(s.root, 'demo');
    const generated = join(s.root, 'generated');
    mkdirSync(demo);
    mkdirSync(generated);
    s.write('demo/triples.csv', header + 'fx_c1,Consumer,PURCHASED,fx_p1,Product,1,fx_crm\nfx_c2,Consumer,PURCHASED,fx_p2,Product,1,fx_web\n');
    s.write('generated/triples.csv', header + 'fx_c3,Consumer,PURCHASED,fx_p3,Product,1,fx_crm\n');
    await loadFiles(db, coreVocabulary, [demo], options);
    const second = await loadFiles(db, coreVocabulary, [generated], options);
    expect(await count(s)).toBe(3);
    expect(second).toMatchObject({ relationshipsCreated: 1, relationshipsDeleted: 0, sharesDropped: 0 });

    // A new delivery of the demo file without c2→p2: that one is deleted, and the summary says so.
    s.write('demo/triples.csv', header + 'fx_c1,Consumer,PURCHASED,fx_p1,Product,1,fx_crm\n');
    const asked: number[] = [];
    const redelivery = await loadFiles(db, coreVocabulary, [demo], { ...options, confirmDeletions: async (st) => (asked.push(st.relationships), true) });
    expect(redelivery).toMatchObject({ relationshipsDeleted: 1, sharesDropped: 1 });
    expect(asked).toEqual([1]);
    expect(await count(s)).toBe(2);

    // --replace-source NAME replaces every data set's share of NAME (a name of this test's own,
    // since it is graph-wide): refused, nothing is deleted.
    s.write('generated/triples.csv', header + 'fx_c4,Consumer,PURCHASED,fx_p4,Product,1,fx_crm\n');
    const refused = await loadFiles(db, coreVocabulary, [generated], { ...options, replaceSources: [`${s.ns}_crm`], confirmDeletions: async () => false });
    expect(refused).toMatchObject({ relationshipsDeleted: 0, sharesKept: 2 });
    expect(await count(s)).toBe(3);
    const confirmed = await loadFiles(db, coreVocabulary, [generated], { ...options, replaceSources: [`${s.ns}_crm`], confirmDeletions: async () => true });
    expect(confirmed).toMatchObject({ relationshipsDeleted: 2 });
    expect(await count(s)).toBe(1);
  });
});
