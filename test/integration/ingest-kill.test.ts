import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { IngestNamespace, TEST_SECRET } from '../support/ingest-fixtures.js';
import { spawnLoadCli, type LoadCliRun } from '../support/load-cli.js';
import { testDatabase, testNamespace } from '../support/neo4j.js';

const db = testDatabase(120_000);
const s = new IngestNamespace(testNamespace('ingkill'));

afterAll(async () => {
  await s.cleanup(db);
  await db.close();
});

/** `npm run load` as a child process on the test Neo4j. */
function runLoad(args: string[]): LoadCliRun {
  const target = inject('neo4j');
  return spawnLoadCli(args, { ...process.env, NEO4J_URI: target.uri, NEO4J_USER: target.user, NEO4J_PASSWORD: target.password, NEO4J_DATABASE: target.database, PSEUDONYM_SECRET: TEST_SECRET });
}

/** A deterministic file of triples with repeated keys, and the graph it must give. */
function generate(rows: number) {
  const lines = ['subject,subject_type,relation,object,object_type,weight,timestamp'];
  const expected = new Map<string, { weight: number; count: number; first: number; last: number }>();
  let x = 12345;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff) >>> 8;
  for (let i = 0; i < rows; i++) {
    const c = `fx_c${next() % 400}`;
    const p = `fx_p${next() % 150}`;
    const w = (next() % 5) + 1;
    const ts = 1_700_000_000 + (next() % 1_000_000);
    lines.push(`${c},Consumer,PURCHASED,${p},Product,${w},${ts}`);
    const key = `${c.replace('fx_', 'NS_')} PURCHASED ${p.replace('fx_', 'NS_')}`;
    const e = expected.get(key) ?? { weight: 0, count: 0, first: Infinity, last: -Infinity };
    e.weight += w;
    e.count += 1;
    e.first = Math.min(e.first, ts);
    e.last = Math.max(e.last, ts);
    expected.set(key, e);
  }
  return { text: lines.join('\n') + '\n', expected };
}

async function relationshipCount(): Promise<number> {
  const rows = await db.read('test-count', 'MATCH (p:Product)<-[r:PURCHASED]-() WHERE p.id STARTS WITH $ns RETURN count(r) AS n', { ns: s.ns });
  return Number(rows[0]!.n);
}

describe('a load killed with SIGKILL and run again', () => {
  it('ends with exactly the graph of an uninterrupted load', async () => {
    const { text, expected } = generate(15_000);
    const file = s.write(`${s.ns}-orders.csv`, text);
    const killed = runLoad([file, '--batch-size', '200']);
    const started = Date.now();
    // Kill as soon as some batches are committed, well before the end.
    const t0 = Date.now();
    let seen = 0;
    while (Date.now() - t0 < 120_000) {
      seen = await relationshipCount();
      if (seen > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    killed.child.kill('SIGKILL');
    const k = await killed.done;
    expect(k.signal).toBe('SIGKILL');
    const partial = await relationshipCount();
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(expected.size);

    const rerun = runLoad([file, '--batch-size', '2000', '--json']);
    const r = await rerun.done;
    console.log(`[ingest-kill] killed after ${partial} relationships; rerun took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(r.code, r.err).toBe(0);
    const summary = JSON.parse(r.out) as { loaded: number; rejected: number };
    expect(summary).toMatchObject({ loaded: 15_000, rejected: 0 });

    const edges = (await s.signature(db)).edges;
    const got = new Map(edges.map((e) => [`${e.a} ${e.rel} ${e.b}`, { weight: e.weight, count: e.count, first: e.firstTs, last: e.lastTs }]));
    expect(got.size).toBe(expected.size);
    for (const [key, e] of expected) expect(got.get(key), key).toEqual(e);
  }, 600_000);
});
