import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../server/config.js';
import { createDriver, Database } from '../../server/db/neo4j.js';
import { freePort } from '../../server/local-neo4j/throwaway.js';
import { startLocalNeo4j, type LocalNeo4jOptions } from '../../server/local-neo4j/local-neo4j.js';
import { dumpGraph } from '../support/graph-dump.js';
import { convertMovieLens, findMovieLensInput } from '../../seeds/movielens/convert.js';
import { bulkLoadFiles } from '../../server/ingest/bulk/bulk-load.js';
import { loadFiles } from '../../server/ingest/load.js';
import { applySchema } from '../../server/graph/setup.js';
import { loadStoredVocabulary, mergeVocabulary, storeVocabulary } from '../../server/graph/stored-vocabulary.js';
import { coreVocabulary } from '../../server/graph/vocabulary.js';
import { TEST_SECRET } from '../support/ingest-fixtures.js';
import { spawnLoadCli, type LoadCliRun } from '../support/load-cli.js';

/*
 * `npm run load -- --bulk` against bundled Neo4j homes of its own (KG_DATA_DIR in temporary
 * folders, free ports), never the run's test Neo4j: the offline importer replaces a store.
 */

const root = mkdtempSync(join(tmpdir(), 'kg-bulk-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Home {
  dataDir: string;
  port: number;
  env: NodeJS.ProcessEnv;
}

async function newHome(name: string): Promise<Home> {
  const dataDir = join(root, name);
  mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, KG_DATA_DIR: dataDir, NEO4J_LOCAL_PORT: String(port), NEO4J_LOCAL_HEAP: '512m', NEO4J_LOCAL_PAGECACHE: '256m', PSEUDONYM_SECRET: TEST_SECRET };
  delete env.NEO4J_URI;
  return { dataDir, port, env };
}

function runLoad(home: Home, args: string[]): LoadCliRun {
  return spawnLoadCli(args, home.env);
}

/** The bulk graph is the online one: counts first (a readable failure), then every node and relationship. */
function expectSameGraph(bulk: Awaited<ReturnType<typeof dumpGraph>>, online: Awaited<ReturnType<typeof dumpGraph>>): void {
  expect(bulk.nodes.length).toBe(online.nodes.length);
  expect(bulk.relationships.length).toBe(online.relationships.length);
  expect(bulk.nodes).toEqual(online.nodes);
  expect(bulk.relationships).toEqual(online.relationships);
}

const localOf = (home: Home): LocalNeo4jOptions => ({ home: join(home.dataDir, 'neo4j'), port: home.port, passwordFile: join(home.dataDir, 'neo4j-password'), heap: '512m', pagecache: '256m' });

/** Starts the home's bundled Neo4j and connects to it; `close` disconnects and stops it. */
async function openDatabase(home: Home): Promise<{ db: Database; close(): Promise<void> }> {
  const running = await startLocalNeo4j(localOf(home));
  const db = new Database(createDriver({ uri: running.uri, user: running.user, password: running.password, database: 'neo4j', queryTimeoutMs: 300_000 }), 'neo4j', 300_000);
  return {
    db,
    async close() {
      await db.close();
      await running.stop();
    },
  };
}

/** Starts the home's bundled Neo4j, runs `work` on it, stops it. */
async function withDatabase<T>(home: Home, work: (db: Database) => Promise<T>): Promise<T> {
  const c = await openDatabase(home);
  try {
    return await work(c.db);
  } finally {
    await c.close();
  }
}

/**
 * What the refresh writes that two equal graphs may still differ in: clock times, durations and
 * the ids made from them, and the order of lists it collects in storage order (which differs
 * between a store the importer wrote and one written transaction by transaction): an interest
 * set's `serving` products, the learned model's index lists (ties between equal scores) and its
 * pool-exposure counts (ties at each sampled consumer's cut).
 */
const clockKeys = new Set(['builtAt', 'version', 'computedAt', 'model', 'updatedAt', 'refreshedAt']);
function normaliseRefresh(owner: string, key: string, value: unknown): unknown {
  if (clockKeys.has(key)) return '<clock>';
  if (key === 'steps' && typeof value === 'string') return value.replace(/"at":\d+/g, '"at":0');
  if (key === 'info' && typeof value === 'string') return value.replace(/"(\w+_seconds)":[\d.]+/g, '"$1":0');
  // Pool exposure counts each sampled consumer's strongest candidates: a tie at the cut goes
  // either way, but every consumer still counts the same number of places, so the total holds.
  if (key === 'pool' && owner === 'KgModelPart' && Array.isArray(value)) return { products: value.length, total: Math.round(value.reduce((a: number, b) => a + Number(b), 0)) };
  if ((key === 'serving' || owner === 'KgModelPart') && Array.isArray(value)) return [...value].sort();
  return value;
}

const SHOW_SCHEMA = 'SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, owningConstraint RETURN name, type, entityType, labelsOrTypes, properties, owningConstraint ORDER BY name';

const demo = join(repoRoot, 'seeds', 'demo');
const movielensInput = process.env.MOVIELENS_DIR ?? findMovieLensInput();
const movielens = movielensInput && existsSync(join(movielensInput, 'ratings.csv')) ? movielensInput : null;

describe('npm run load -- --bulk', () => {
  let bulkHome: Home;

  it('gives exactly the graph of an online load on the demo seeds (after the same refresh)', async () => {
    const online = await newHome('online');
    bulkHome = await newHome('bulk');
    const a = await runLoad(online, [demo, '--json']).done;
    expect(a.code, a.err).toBe(0);
    const b = await runLoad(bulkHome, [demo, '--bulk', '--json']).done;
    expect(b.code, b.err).toBe(0);
    const sa = JSON.parse(a.out);
    const sb = JSON.parse(b.out);
    expect(sb).toMatchObject({ read: sa.read, loaded: sa.loaded, rejected: sa.rejected, entitiesCreated: sa.entitiesCreated, relationshipsCreated: sa.relationshipsCreated });
    expect(sb.bulk.relationships).toBe(sa.relationshipsCreated);

    const [dumpA, schemaA] = await withDatabase(online, async (db) => [await dumpGraph(db, normaliseRefresh), await db.read('test-schema', SHOW_SCHEMA)] as const);
    const [dumpB, schemaB] = await withDatabase(bulkHome, async (db) => [await dumpGraph(db, normaliseRefresh), await db.read('test-schema', SHOW_SCHEMA)] as const);
    // The same constraints and indexes, created by the same schema set-up after the import.
    expect(schemaB).toEqual(schemaA);
    expect(schemaA.length).toBeGreaterThan(3);
    expectSameGraph(dumpB, dumpA);
  }, 1_200_000);

  // In process and without the refresh (the demo case above covers it): the loaded graph only, one Neo4j start a side.
  it.skipIf(!movielens)('gives exactly the graph of an online load on the MovieLens triples and entities (bulk read in parallel threads)', async () => {
    const files = join(root, 'movielens');
    convertMovieLens(movielens!, files);
    const online = await newHome('ml-online');
    const a = await openDatabase(online);
    let dumpA;
    let summaryA;
    try {
      // What `npm run load` does before the first write.
      const vocabulary = mergeVocabulary(await loadStoredVocabulary(a.db), coreVocabulary);
      await applySchema(a.db, vocabulary);
      await storeVocabulary(a.db, vocabulary);
      summaryA = await loadFiles(a.db, vocabulary, [files], { pseudonymSecret: TEST_SECRET, rejectsFile: join(root, 'ml-online.rejects.csv') });
      dumpA = await dumpGraph(a.db, normaliseRefresh);
    } finally {
      await a.close();
    }

    const bulk = await newHome('ml-bulk');
    let b: Awaited<ReturnType<typeof openDatabase>> | undefined;
    let dumpB;
    try {
      const summaryB = await bulkLoadFiles(coreVocabulary, [files], {
        pseudonymSecret: TEST_SECRET,
        local: localOf(bulk),
        database: 'neo4j',
        rejectsFile: join(root, 'ml-bulk.rejects.csv'),
        // The parallel reader on every unquoted file, however small (large files take it anyway).
        readThreads: 2,
        parallelMinBytes: 0,
        connect: async () => {
          b ??= await openDatabase(bulk);
          return { db: b.db, startedHere: true, close: async () => undefined };
        },
      });
      expect(summaryB).toMatchObject({ read: summaryA.read, loaded: summaryA.loaded, rejected: 0, entitiesCreated: summaryA.entitiesCreated, relationshipsCreated: summaryA.relationshipsCreated });
      dumpB = await dumpGraph(b!.db, normaliseRefresh);
    } finally {
      await b?.close();
    }
    expect(summaryA.loaded).toBeGreaterThan(100_000);
    expectSameGraph(dumpB, dumpA);
  }, 1_200_000);

  it('refuses a database that is not empty, saying so, and changes nothing', async () => {
    const r = await runLoad(bulkHome, [join(demo, 'triples.csv'), '--bulk']).done;
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--bulk loads only into an empty database, and the bundled Neo4j \(data .*\) holds \d+ node\(s\)/);
    expect(existsSync(join(bulkHome.dataDir, 'neo4j', 'bulk-import'))).toBe(false);
  }, 600_000);

  it('refuses a database that is not the bundled one', async () => {
    const home = await newHome('remote');
    const r = await runLoad({ ...home, env: { ...home.env, NEO4J_URI: 'bolt://127.0.0.1:1', NEO4J_PASSWORD: 'x' } }, [join(demo, 'triples.csv'), '--bulk']).done;
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--bulk writes the bundled Neo4j's store .* NEO4J_URI is set/);
  }, 120_000);

  it('writes a bad row to the rejects file with file, line and field exactly as the online loader does', async () => {
    const home = await newHome('rejects');
    const dir = join(root, 'rejects-input');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'orders.csv');
    writeFileSync(
      file,
      'subject,subject_type,relation,object,object_type,weight,timestamp\n' +
        'c1,Consumer,PURCHASED,p1,Product,2,1700000000\n' +
        'c1,Consumer,BOUGHT,p2,Product,1,1700000001\n' +
        'c2,Consumer,PURCHASED,p1,Product,lots,1700000002\n' +
        'c2,Consumer,VIEWED,p2,Product,1,\n',
    );
    const onlineRejects = join(root, 'online.rejects.csv');
    const bulkRejects = join(root, 'bulk.rejects.csv');
    // The online validation path without a database: a dry run writes the same rejects file.
    const dry = await runLoad(home, [file, '--dry-run', '--rejects', onlineRejects]).done;
    expect(dry.code, dry.err).toBe(0);
    const r = await runLoad(home, [file, '--bulk', '--rejects', bulkRejects, '--json']).done;
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ read: 4, loaded: 2, rejected: 2 });
    const rejects = readFileSync(bulkRejects, 'utf8');
    expect(rejects).toBe(readFileSync(onlineRejects, 'utf8'));
    expect(rejects).toContain(`${file},3,relation,relation 'BOUGHT' is not in the schema`);
    expect(rejects).toMatch(new RegExp(`${file},4,weight,not a finite number`));
    const [viewed] = await withDatabase(home, (db) => db.read('test-viewed', 'MATCH (:Consumer)-[r:VIEWED]->(:Product) RETURN properties(r) AS p'));
    // A row without a timestamp: one share (the scalar shape), no firstTs/lastTs.
    expect(viewed!.p).toMatchObject({ _src: expect.any(String), _srcLoad: expect.any(String), weight: 1, count: 1 });
    expect(viewed!.p).not.toHaveProperty('_srcW');
    expect(viewed!.p).not.toHaveProperty('firstTs');
  }, 600_000);

  it('killed during the import and run again, ends with the complete graph and says what it cleared', async () => {
    const home = await newHome('killed');
    const file = join(root, 'kill-orders.csv');
    const lines = ['subject,subject_type,relation,object,object_type,weight,timestamp'];
    for (let i = 0; i < 3_000; i++) lines.push(`c${i % 300},Consumer,PURCHASED,p${i % 97},Product,${1 + (i % 3)},${1_700_000_000 + i}`);
    writeFileSync(file, lines.join('\n') + '\n');
    const expected = new Set(lines.slice(1).map((l) => `${l.split(',')[0]} ${l.split(',')[3]}`)).size;

    const killed = runLoad(home, [file, '--bulk']);
    let err = '';
    killed.child.stderr!.on('data', (d) => (err += d));
    const deadline = Date.now() + 300_000;
    while (!err.includes("importing with Neo4j's offline importer") && Date.now() < deadline && killed.child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    // Mid-way: the importer's JVM has only just started writing its staging store.
    await new Promise((r) => setTimeout(r, 1_500));
    killed.child.kill('SIGKILL');
    const k = await killed.done;
    expect(k.signal).toBe('SIGKILL');
    const staging = join(home.dataDir, 'neo4j', 'bulk-import');
    expect(existsSync(staging), 'the kill should land while the importer runs').toBe(true);

    const rerun = await runLoad(home, [file, '--bulk', '--json']).done;
    expect(rerun.code, rerun.err).toBe(0);
    expect(rerun.err).toMatch(/an earlier bulk import was interrupted before it finished; its partial store was deleted/);
    expect(JSON.parse(rerun.out)).toMatchObject({ loaded: 3_000, rejected: 0, relationshipsCreated: expected });
    const rows = await withDatabase(home, (db) => db.read('test-count', 'MATCH (:Consumer)-[r:PURCHASED]->(:Product) RETURN count(r) AS n, sum(r.count) AS rows'));
    expect(rows[0]).toMatchObject({ n: expected, rows: 3_000 });
  }, 900_000);
});
