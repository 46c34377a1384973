import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDriver, Database } from '../../server/db/neo4j.js';
import { freePort } from '../../server/local-neo4j/throwaway.js';
import { startLocalNeo4j, type LocalNeo4jOptions } from '../../server/local-neo4j/local-neo4j.js';
import { bulkLoadFiles } from '../../server/ingest/bulk/bulk-load.js';
import { loadFiles } from '../../server/ingest/load.js';
import { applySchema } from '../../server/graph/setup.js';
import { loadStoredVocabulary, mergeVocabulary, storeVocabulary } from '../../server/graph/stored-vocabulary.js';
import { coreVocabulary, type Vocabulary } from '../../server/graph/vocabulary.js';
import { runIdentity } from '../../server/identity/precompute.js';
import { dumpGraph } from '../support/graph-dump.js';
import { TEST_SECRET } from '../support/ingest-fixtures.js';

/*
 * `--bulk` writes the identifier links the online loader writes, so the identity step gives the
 * same persons: both graphs (persons included) compared whole. Bundled Neo4j homes of its own.
 */

const root = mkdtempSync(join(tmpdir(), 'kg-identity-bulk-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function home(name: string): Promise<LocalNeo4jOptions> {
  const dataDir = join(root, name);
  mkdirSync(dataDir, { recursive: true });
  return { home: join(dataDir, 'neo4j'), port: await freePort(), passwordFile: join(dataDir, 'neo4j-password'), heap: '512m', pagecache: '256m' };
}

async function open(local: LocalNeo4jOptions): Promise<{ db: Database; close(): Promise<void> }> {
  const running = await startLocalNeo4j(local);
  const db = new Database(createDriver({ uri: running.uri, user: running.user, password: running.password, database: 'neo4j', queryTimeoutMs: 300_000 }), 'neo4j', 300_000);
  return {
    db,
    async close() {
      await db.close();
      await running.stop();
    },
  };
}

/** A small graph with multi-id persons: SAME_AS rows, phones and emails shared across sources, purchases. */
function writeInput(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const entities = ['id,type,name,phone,email,segment,source'];
  const triples = ['subject,subject_type,relation,object,object_type,weight,source'];
  for (let p = 0; p < 60; p++) {
    const phone = `1390000${String(p).padStart(4, '0')}`;
    entities.push(`crm${p},Consumer,Crm ${p},+86 ${phone},,vip,crm`);
    if (p % 2 === 0) entities.push(`loy${p},Consumer,Loyalty ${p},86-${phone},u${p}@Example.com,,loyalty`);
    if (p % 3 === 0) {
      entities.push(`wx${p},Consumer,Social ${p},,U${p}@example.com ,,scrm`);
      triples.push(`wx${p},Consumer,SAME_AS,crm${p},Consumer,1,scrm`);
    }
    if (p % 5 === 0) triples.push(`crm${p},Consumer,SAME_AS,web${p},Consumer,1,crm`);
    triples.push(`crm${p},Consumer,PURCHASED,prod${p % 7},Product,${1 + (p % 3)},crm`);
  }
  // One placeholder phone on many consumers (above the default cap of 20).
  for (let i = 0; i < 25; i++) entities.push(`anon${i},Consumer,Anon ${i},13800000000,,,crm`);
  writeFileSync(join(dir, 'consumers.csv'), entities.join('\n') + '\n');
  writeFileSync(join(dir, 'links.csv'), triples.join('\n') + '\n');
}

// The two loads ran at different times: clock values (the stored vocabulary's updatedAt) differ.
const clockFree = (_owner: string, key: string, value: unknown) => (key === 'updatedAt' ? '<clock>' : value);

describe('identity over --bulk', () => {
  it('the bulk graph and its persons are those of an online load', async () => {
    const input = join(root, 'input');
    writeInput(input);
    const vocabulary: Vocabulary = { ...coreVocabulary, consumerIdentifiers: ['phone', 'email'] };
    const refresh = async (db: Database, v: Vocabulary) => void (await runIdentity(db, v));

    const online = await open(await home('online'));
    let dumpA;
    let personsA;
    try {
      // What `npm run load` does before the first write (the bulk load stores the vocabulary too).
      await applySchema(online.db, vocabulary);
      await storeVocabulary(online.db, mergeVocabulary(await loadStoredVocabulary(online.db), vocabulary));
      const summary = await loadFiles(online.db, vocabulary, [input], { pseudonymSecret: TEST_SECRET, rejectsFile: join(root, 'online.rejects.csv'), refresh });
      expect(summary.rejected).toBe(0);
      dumpA = await dumpGraph(online.db, clockFree);
      personsA = await online.db.read('test-persons', 'MATCH (c:Consumer) RETURN c.personIds AS n, count(*) AS consumers ORDER BY n');
    } finally {
      await online.close();
    }

    const bulkHome = await home('bulk');
    let bulk: Awaited<ReturnType<typeof open>> | undefined;
    let dumpB;
    try {
      await bulkLoadFiles(vocabulary, [input], {
        pseudonymSecret: TEST_SECRET,
        local: bulkHome,
        database: 'neo4j',
        rejectsFile: join(root, 'bulk.rejects.csv'),
        refresh,
        connect: async () => {
          bulk ??= await open(bulkHome);
          return { db: bulk.db, startedHere: true, close: async () => undefined };
        },
      });
      dumpB = await dumpGraph(bulk!.db, clockFree);
    } finally {
      await bulk?.close();
    }
    // Persons of 4 (crm, loyalty, social, web), 3, 2 and 1 ids; the 25 placeholder-phone holders stay apart.
    expect(personsA.map((r) => [Number(r.n), Number(r.consumers)])).toEqual(expect.arrayContaining([[1, expect.any(Number)], [2, expect.any(Number)], [3, expect.any(Number)], [4, expect.any(Number)]]));
    expect(dumpA.relationships.filter((r) => r.includes('HAS_IDENTIFIER')).length).toBeGreaterThan(100);
    expect(dumpB.nodes.length).toBe(dumpA.nodes.length);
    expect(dumpB.relationships.length).toBe(dumpA.relationships.length);
    expect(dumpB.nodes).toEqual(dumpA.nodes);
    expect(dumpB.relationships).toEqual(dumpA.relationships);
  }, 900_000);
});
