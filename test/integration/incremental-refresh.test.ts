import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { addKey } from '../../server/auth/keys.js';
import { createDriver, Database } from '../../server/db/neo4j.js';
import { repoRoot } from '../../server/config.js';
import { refreshDerived, updateDerived } from '../../server/domains.js';
import { applySchema } from '../../server/graph/setup.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { loadFiles } from '../../server/ingest/load.js';
import { startLocalNeo4j, type RunningLocalNeo4j } from '../../server/local-neo4j/local-neo4j.js';
import { freePort } from '../../server/local-neo4j/throwaway.js';
import { storedEntityId } from '../../server/privacy/pseudonym.js';
import { readStamps } from '../../server/refresh/pipeline.js';
import { loadModel, servedVersion } from '../../server/recommend/model/store.js';
import { generateGeneric } from '../../seeds/generator/run-generic.js';
import { sizesForTriples } from '../../seeds/generator/synthetic.js';
import { TEST_SECRET } from '../support/ingest-fixtures.js';
import { testConfig } from '../support/neo4j.js';

// A throw-away Neo4j of this file's own: the tests assert that no graph-wide refresh ran, and
// they load generated graphs whose ids are not namespaced.
const home = mkdtempSync(join(tmpdir(), 'kg-incremental-'));
let running: RunningLocalNeo4j | undefined;
let db: Database;
let post: (query: string, variables: Record<string, unknown>) => Promise<{ data?: Record<string, unknown>; errors?: unknown[] }>;

beforeAll(async () => {
  const passwordFile = join(home, 'password');
  writeFileSync(passwordFile, `inc-${Math.random().toString(36).slice(2)}\n`, { mode: 0o600 });
  running = await startLocalNeo4j({ home: join(home, 'neo4j'), port: await freePort(), passwordFile, heap: '1g', pagecache: '256m' });
  const target = { uri: running.uri, user: running.user, password: running.password, database: 'neo4j', queryTimeoutMs: 600_000 };
  db = new Database(createDriver(target), 'neo4j', 600_000);
  await applySchema(db, coreVocabulary);
  const keysFile = join(home, 'api-keys.json');
  const admin = addKey(keysFile, 'incremental-admin', 'admin');
  const app = createApp({ db, config: testConfig({ neo4j: target, pseudonymSecret: TEST_SECRET, apiKeysFile: keysFile }), logger: pino({ level: 'silent' }), vocabulary: coreVocabulary });
  post = async (query, variables) => {
    const res = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  };
}, 300_000);

afterAll(async () => {
  await db?.close();
  await running?.stop();
  rmSync(home, { recursive: true, force: true });
});

/** Generates a graph with the seed generator and loads it with the real loader (then the full refresh). */
async function loadGenerated(sizes: { consumers: number; products: number; interests: number }, seed: number): Promise<{ consumers: number }> {
  await db.autoCommit('test-wipe', 'MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
  await applySchema(db, coreVocabulary);
  const out = mkdtempSync(join(home, 'graph-'));
  generateGeneric({ ...sizes, seed, outDir: out });
  const summary = await loadFiles(db, coreVocabulary, [out], { pseudonymSecret: TEST_SECRET, rejectsFile: join(out, 'rejects.csv'), refresh: refreshDerived });
  expect(summary.rejected).toBe(0);
  console.log(`loaded ${summary.loaded} rows in ${summary.seconds} s; full refresh ${summary.derivedSeconds} s`);
  return { consumers: sizes.consumers };
}

const consumerRaw = (i: number, total: number) => 'u' + String(i + 1).padStart(Math.max(6, String(total).length), '0');

/** Raw ids of consumers by their stored (pseudonymised) id. */
function rawIds(total: number): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i < total; i++) {
    const raw = consumerRaw(i, total);
    map.set(storedEntityId(TEST_SECRET, 'Consumer', raw), raw);
  }
  return map;
}

const INGEST = 'mutation ($t: [TripleInput!]!) { ingestTriples(triples: $t) { loaded rejected errors } }';
const purchase = (consumer: string, product: string) => ({ subject: consumer, subjectType: 'Consumer', relation: 'PURCHASED', object: product, objectType: 'Product', weight: 1 });
const interest = (consumer: string, key: string) => ({ subject: consumer, subjectType: 'Consumer', relation: 'INTERESTED_IN', object: key, objectType: 'Interest', weight: 1 });

/** Waits for the incremental update to stamp `updatedAt` after `since` on every step that has an update. */
async function updatedAfter(since: number, deadlineMs: number): Promise<Record<string, { at: number; updatedAt?: number }>> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const stamps = await readStamps(db);
    if ((stamps.degrees?.updatedAt ?? 0) > since && (stamps.insights?.updatedAt ?? 0) > since) return stamps;
    if (Date.now() > end) return stamps;
    await new Promise((r) => setTimeout(r, 100));
  }
}

type SetRow = Record<string, unknown> & { id: string };
const FIGURES = ['support', 'memberConsumers', 'allConsumers', 'lift', 'pmi', 'zScore', 'expected', 'excess', 'demand', 'servingCount', 'serving', 'coverage', 'gap', 'gapScore'];

async function derived(): Promise<{ degrees: Map<string, number>; pairs: Map<string, SetRow>; allConsumers: number }> {
  const degrees = new Map<string, number>();
  for (const r of await db.read('test-degrees', 'MATCH (n:Entity) WHERE NOT n:Consumer RETURN n.key AS key, n._consumers AS n')) degrees.set(String(r.key), Number(r.n));
  const pairs = new Map<string, SetRow>();
  const rows = await db.read(
    'test-sets',
    "MATCH (m:KgMeta {key: 'insights'}) MATCH (o:KgInterestSet {version: m.version}) WHERE o.size = 2 RETURN o {.*} AS set, m.allConsumers AS n",
  );
  for (const r of rows) {
    const s = r.set as SetRow;
    pairs.set(s.id, Object.fromEntries([['id', s.id], ...FIGURES.map((f) => [f, s[f]])]) as SetRow);
  }
  const meta = await db.read('test-meta', "MATCH (m:KgMeta {key: 'insights'}) RETURN m.allConsumers AS n");
  return { degrees, pairs, allConsumers: Number(meta[0]?.n) };
}

describe('incremental freshness', () => {
  it('updates exactly what a full refresh computes afterwards for the touched consumers, products and interests', { timeout: 600_000 }, async () => {
    const { consumers } = await loadGenerated({ consumers: 300, products: 40, interests: 48 }, 7);
    const raw = rawIds(consumers);
    const storedConsumers = [...raw.keys()];
    // Purchases of the products serving the strongest opportunities, by consumers who have not bought them.
    const top = await db.read(
      'test-top',
      "MATCH (m:KgMeta {key: 'insights'}) MATCH (o:KgInterestSet {version: m.version}) WHERE o.size = 2 AND o.servingCount > 0 RETURN o.a AS a, o.b AS b, o.serving AS serving ORDER BY o.gapScore DESC LIMIT 5",
    );
    expect(top.length).toBeGreaterThan(0);
    const triples: Record<string, unknown>[] = [];
    for (const t of top) {
      const product = String((t.serving as string[])[0]);
      const buyers = await db.read(
        'test-buyers',
        `MATCH (:Entity {key: $a})<-[:INTERESTED_IN]-(c:Consumer)-[:INTERESTED_IN]->(:Entity {key: $b})
         WHERE NOT (c)-[:PURCHASED]->(:Entity {key: $p}) RETURN c.id AS id LIMIT 6`,
        { a: t.a, b: t.b, p: product },
      );
      for (const b of buyers) triples.push(purchase(raw.get(String(b.id))!, product.slice('Product:'.length)));
    }
    // New interest links (pair supports and member counts move) and a new consumer (the population moves).
    const interests = (await db.read('test-interests', 'MATCH (i:Interest) RETURN i.id AS id ORDER BY i.id LIMIT 6')).map((r) => String(r.id));
    for (let i = 0; i < 12; i++) triples.push(interest(raw.get(storedConsumers[i * 7]!)!, interests[i % interests.length]!));
    triples.push(interest('brand-new-consumer', interests[0]!), interest('brand-new-consumer', interests[1]!));
    const before = await readStamps(db);
    const refreshedAt = async () => Number((await db.read('test-refreshed', "MATCH (m:KgMeta {key: 'derived'}) RETURN m.refreshedAt AS at"))[0]?.at);
    const fullAt = await refreshedAt();
    const sent = Date.now();
    const res = await post(INGEST, { t: triples });
    expect(res.errors).toBeUndefined();
    expect((res.data!.ingestTriples as { rejected: number }).rejected).toBe(0);
    const stamps = await updatedAfter(sent, 60_000);
    expect(stamps.degrees!.updatedAt).toBeGreaterThan(sent);
    expect(stamps.insights!.updatedAt).toBeGreaterThan(sent);
    expect(stamps.insights!.at).toBe(before.insights!.at);
    expect(await refreshedAt()).toBe(fullAt);

    const incremental = await derived();
    expect(incremental.allConsumers).toBe(consumers + 1);
    await refreshDerived(db, coreVocabulary);
    const full = await derived();
    expect(incremental.degrees).toEqual(full.degrees);
    expect(incremental.allConsumers).toBe(full.allConsumers);
    // Every stored pair with a touched interest exists in both, with the same figures and supply.
    const touchedKeys = interests.map((id) => `Interest:${id}`);
    const touchedPairs = (m: Map<string, SetRow>) => [...m.keys()].filter((id) => touchedKeys.some((k) => id.split('|').includes(k))).sort();
    expect(touchedPairs(incremental.pairs)).toEqual(touchedPairs(full.pairs));
    expect(touchedPairs(full.pairs).length).toBeGreaterThan(0);
    // Every pair both have (the population moved, so every pair's figures moved) is identical.
    let compared = 0;
    for (const [id, s] of full.pairs) {
      const mine = incremental.pairs.get(id);
      if (!mine) continue;
      expect(mine, id).toEqual(s);
      compared++;
    }
    expect(compared).toBeGreaterThan(full.pairs.size * 0.95);
  });

  it('an entities file that only renames products updates the names the model serves, and recounts no degree or pair', { timeout: 300_000 }, async () => {
    const version = (await servedVersion(db))!;
    const model = (await loadModel(db, version))!;
    const renamed = model.items.slice(0, 3);
    const dir = mkdtempSync(join(home, 'rename-'));
    writeFileSync(join(dir, 'entities.csv'), 'id,type,name,name_en\n' + renamed.map((id) => `${id},Product,新名字 ${id},Renamed ${id}`).join('\n') + '\n');
    const before = await readStamps(db);
    const summary = await loadFiles(db, coreVocabulary, [dir], { pseudonymSecret: TEST_SECRET, rejectsFile: join(dir, 'rejects.csv'), refresh: refreshDerived, update: updateDerived });
    expect(summary.rejected).toBe(0);
    const after = await readStamps(db);
    // Counts and pairs depend on links only: neither the full run nor an update touched them.
    for (const step of ['degrees', 'insights']) expect(after[step], step).toEqual(before[step]);
    expect(after.recommend!.at).toBe(before.recommend!.at);
    expect(after.recommend!.updatedAt ?? 0).toBeGreaterThan(before.recommend!.updatedAt ?? 0);
    const served = (await loadModel(db, (await servedVersion(db))!))!;
    for (const id of renamed) expect(served.namesEn[served.items.indexOf(id)], id).toBe(`Renamed ${id}`);
  });

  it('sends 100 purchases to a graph of 100k triples: demand links and the affected opportunities change within 5 s, with no full refresh', { timeout: 900_000 }, async () => {
    const sizes = sizesForTriples(100_000);
    await loadGenerated(sizes, 42);
    const triplesInGraph = Number((await db.read('test-count', 'MATCH ()-[r]->() RETURN count(r) AS n'))[0]!.n);
    expect(triplesInGraph).toBeGreaterThanOrEqual(100_000);
    const raw = rawIds(sizes.consumers);
    // The strongest served opportunity and a product serving it; 100 consumers of its first interest who have not bought it.
    const [set] = await db.read(
      'test-top',
      "MATCH (m:KgMeta {key: 'insights'}) MATCH (o:KgInterestSet {version: m.version}) WHERE o.size = 2 AND o.servingCount > 0 AND o.support >= 20 RETURN o {.*} AS o ORDER BY o.gapScore DESC LIMIT 1",
    );
    const opp = set!.o as SetRow & { a: string; b: string; serving: string[]; coverage: number; support: number };
    const product = opp.serving[0]!;
    // Consumers with no link to the product yet (so support and its consumer count grow by exactly
    // 100), first those of the opportunity who bought none of its serving products (so its coverage grows).
    const buyers = await db.read(
      'test-buyers',
      `MATCH (a:Entity {key: $a})<-[:INTERESTED_IN]-(c:Consumer) WHERE NOT (c)-->(:Entity {key: $p})
       WITH c, EXISTS { (c)-[:INTERESTED_IN]->(:Entity {key: $b}) } AND NOT EXISTS { (c)-[:PURCHASED]->(s:Entity) WHERE s.key IN $serving } AS gain
       RETURN c.id AS id, gain ORDER BY gain DESC, c.id LIMIT 100`,
      { a: opp.a, b: opp.b, p: product, serving: opp.serving },
    );
    expect(buyers.length).toBe(100);
    expect(buyers.some((b) => b.gain)).toBe(true);
    const DEMAND = `query ($id: ID!) { demandLinkReport(id: $id, type: Interest, targetType: Product, first: 50, sortBy: SUPPORT) {
      refreshedAt links { entity { key } support targetConsumers } } }`;
    type Report = { refreshedAt: string | null; links: { entity: { key: string }; support: number; targetConsumers: number }[] };
    const interestId = opp.a.slice('Interest:'.length);
    const linkTo = (r: Report) => r.links.find((l) => l.entity.key === product);
    const beforeReport = (await post(DEMAND, { id: interestId })).data!.demandLinkReport as Report;
    const [was] = await db.read(
      'test-was',
      'MATCH (p:Entity {key: $p}) RETURN p._consumers AS n, COUNT { MATCH (:Entity {key: $a})<-[:INTERESTED_IN]-(c:Consumer)-->(p) RETURN DISTINCT c } AS support',
      { p: product, a: opp.a },
    );
    const stampsBefore = await readStamps(db);
    const refreshedAt = async () => Number((await db.read('test-refreshed', "MATCH (m:KgMeta {key: 'derived'}) RETURN m.refreshedAt AS at"))[0]?.at);
    const fullAt = await refreshedAt();
    const oppNow = async () =>
      (await db.read('test-opp', "MATCH (m:KgMeta {key: 'insights'}) MATCH (o:KgInterestSet {version: m.version, id: $id}) RETURN o {.*} AS o", { id: opp.id }))[0]!
        .o as { coverage: number; gap: number; gapScore: number };

    const sent = Date.now();
    const res = await post(INGEST, { t: buyers.map((b) => purchase(raw.get(String(b.id))!, product.slice('Product:'.length))) });
    expect(res.errors).toBeUndefined();
    expect((res.data!.ingestTriples as { loaded: number }).loaded).toBe(100);
    const stamps = await updatedAfter(sent, 5_000);
    const seconds = (Date.now() - sent) / 1000;
    console.log(`incremental update after 100 purchases on ${triplesInGraph} triples: visible ${seconds.toFixed(2)} s after the mutation was sent`);
    expect(stamps.degrees!.updatedAt).toBeGreaterThan(sent);
    expect(stamps.insights!.updatedAt).toBeGreaterThan(sent);
    // No graph-wide refresh ran: the full run's stamps are as they were.
    for (const step of Object.keys(stampsBefore)) expect(stamps[step]!.at).toBe(stampsBefore[step]!.at);
    expect(await refreshedAt()).toBe(fullAt);

    const afterReport = (await post(DEMAND, { id: interestId })).data!.demandLinkReport as Report;
    if (linkTo(beforeReport)) expect(linkTo(beforeReport)!.targetConsumers).toBe(Number(was!.n));
    expect(linkTo(afterReport)!.support).toBe(Number(was!.support) + 100);
    expect(linkTo(afterReport)!.targetConsumers).toBe(Number(was!.n) + 100);
    expect(Date.parse(afterReport.refreshedAt!)).toBeGreaterThan(sent);
    const after = await oppNow();
    expect(after.coverage).toBeGreaterThan(opp.coverage);
    expect(after.gap).toBeLessThan(opp.gap as unknown as number);
    // The answers say how fresh they are: opportunities from the update, segments from the full run.
    const fresh = await post('{ opportunityReport(first: 1) { computedAt refreshedAt } segments(first: 1) { version refreshedAt } }', {});
    expect(fresh.errors).toBeUndefined();
    const report = fresh.data!.opportunityReport as { computedAt: string; refreshedAt: string };
    expect(Date.parse(report.refreshedAt)).toBeGreaterThan(sent);
    expect(Date.parse(report.computedAt)).toBeLessThan(sent);
    const [segment] = fresh.data!.segments as { version: string; refreshedAt: string }[];
    expect(segment!.version).toBe(String(opp.version));
    expect(Date.parse(segment!.refreshedAt)).toBeLessThan(sent);
  });

  it('npm run refresh -- --step degrees reruns that step in full: its `at` moves, the whole run\'s refreshedAt does not', { timeout: 300_000 }, async () => {
    const before = await readStamps(db);
    const refreshedAt = async () => Number((await db.read('test-refreshed', "MATCH (m:KgMeta {key: 'derived'}) RETURN m.refreshedAt AS at"))[0]?.at);
    const fullAt = await refreshedAt();
    await db.write('test-stale-degree', "MATCH (p:Product) WITH p ORDER BY p.key LIMIT 1 SET p._consumers = -1");
    const r = spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(repoRoot, 'server', 'cli', 'refresh.ts'), '--step', 'degrees'], {
      encoding: 'utf8',
      timeout: 280_000,
      env: { ...process.env, NEO4J_URI: running!.uri, NEO4J_USER: running!.user, NEO4J_PASSWORD: running!.password, PSEUDONYM_SECRET: TEST_SECRET },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/refreshed degrees in/);
    const after = await readStamps(db);
    expect(after.degrees!.at).toBeGreaterThan(before.degrees!.at);
    expect(after.insights!.at).toBe(before.insights!.at);
    expect(await refreshedAt()).toBe(fullAt);
    const [min] = await db.read('test-min-degree', 'MATCH (p:Product) RETURN min(p._consumers) AS n');
    expect(Number(min!.n)).toBeGreaterThanOrEqual(0);
  });
});
