/**
 * `npm run bench:identity -- [--triples N] [--consumers N] [--linked N] [--json]`: the cost of
 * identity stitching on a generated graph (default ~1M triples, 40k consumers, ~4k of them in
 * SAME_AS pairs and triples, phones shared within those persons plus a placeholder phone), on a
 * throw-away Neo4j of its own, loaded with the real loader: the full run, a full run with
 * nothing to change, and incremental updates after 1, 100 and 1,000 new SAME_AS links.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { seededRandom } from '../server/core/seeded-random.js';
import { createDriver, Database } from '../server/db/neo4j.js';
import { applySchema } from '../server/graph/setup.js';
import { coreVocabulary, type Vocabulary } from '../server/graph/vocabulary.js';
import { runIdentity, updateIdentityRun } from '../server/identity/precompute.js';
import { ingestRows, loadFiles } from '../server/ingest/load.js';
import type { RawRecord } from '../server/ingest/types.js';
import { startThrowawayNeo4j } from '../server/local-neo4j/throwaway.js';

const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log('usage: npm run bench:identity -- [--triples N] [--consumers N] [--linked N] [--json]');
  process.exit(0);
}
const flag = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(args[i + 1]);
  if (!Number.isInteger(v) || v <= 0) {
    console.error(`--${name} needs a positive integer`);
    process.exit(2);
  }
  return v;
};
const triples = flag('triples', 1_000_000);
const consumers = flag('consumers', 40_000);
const linked = flag('linked', 4_000);
const json = args.includes('--json');
const log = (...m: unknown[]) => (json ? console.error(...m) : console.log(...m));
const SECRET = 'bench-identity-secret-bench-identity';

const rand = seededRandom(18);
const int = (n: number) => Math.floor(rand() * n);
const cid = (c: number) => `bench-c${c}`;

/** Writes the generated files; returns their folder. */
function generate(dir: string): void {
  const products = Math.max(100, Math.round(consumers / 10));
  const interests = 300;
  const lines = ['subject,subject_type,relation,object,object_type,weight,source'];
  const entities = ['id,type,name,phone,source'];
  // Persons: pairs and triples among the first `linked` consumers (SAME_AS from the first id);
  // every other one shares the person's phone too.
  let c = 0;
  let persons = 0;
  while (c < linked) {
    const size = persons % 2 === 0 ? 2 : 3;
    const phone = `1390${String(persons).padStart(7, '0')}`;
    for (let k = 1; k < size && c + k < linked; k++) lines.push(`${cid(c)},Consumer,SAME_AS,${cid(c + k)},Consumer,1,crm`);
    for (let k = 0; k < size && c + k < linked; k += 2) entities.push(`${cid(c + k)},Consumer,x,${phone},loyalty`);
    c += size;
    persons++;
  }
  // Unique phones for a quarter of the rest, a placeholder phone for 200 consumers.
  for (let k = linked; k < consumers; k++) {
    if (k % 4 === 0) entities.push(`${cid(k)},Consumer,x,1370${String(k).padStart(7, '0')},loyalty`);
    else if (k % 150 === 1) entities.push(`${cid(k)},Consumer,x,13800000000,loyalty`);
  }
  const rest = triples - lines.length + 1;
  for (let i = 0; i < rest; i++) {
    const who = cid(int(consumers));
    const r = rand();
    if (r < 0.3) lines.push(`${who},Consumer,PURCHASED,bench-p${int(products)},Product,1,orders`);
    else if (r < 0.8) lines.push(`${who},Consumer,VIEWED,bench-p${int(products)},Product,1,web`);
    else lines.push(`${who},Consumer,INTERESTED_IN,bench-i${int(interests)},Interest,1,web`);
  }
  writeFileSync(join(dir, 'triples.csv'), lines.join('\n') + '\n');
  writeFileSync(join(dir, 'consumers.csv'), entities.join('\n') + '\n');
  log(`generated ${lines.length - 1} triples, ${entities.length - 1} consumer rows with phones, ${persons} multi-id persons over ${linked} consumers`);
}

const ms = (t0: number) => Math.round(performance.now() - t0);

async function main() {
  const vocabulary: Vocabulary = { ...coreVocabulary, consumerIdentifiers: ['phone'] };
  const dir = mkdtempSync(join(tmpdir(), 'kg-bench-identity-'));
  log('starting a throw-away Neo4j…');
  const neo = await startThrowawayNeo4j({ prefix: 'kg-bench-identity-neo4j-', heap: '1g', pagecache: '512m', log });
  const r = neo.running;
  const db = new Database(createDriver({ uri: r.uri, user: r.user, password: r.password, database: 'neo4j', queryTimeoutMs: 3_600_000 }), 'neo4j', 3_600_000);
  const rows: { run: string; touched: number; visited: number; repersoned: number; ms: number }[] = [];
  try {
    generate(dir);
    await applySchema(db, vocabulary);
    let t0 = performance.now();
    const summary = await loadFiles(db, vocabulary, [dir], { pseudonymSecret: SECRET, rejectsFile: join(dir, 'rejects.csv') });
    log(`loaded ${summary.loaded} rows in ${Math.round(summary.seconds)} s (${summary.rejected} rejected)`);

    t0 = performance.now();
    let full = await runIdentity(db, vocabulary);
    rows.push({ run: 'full run (first)', touched: full.visited, visited: full.visited, repersoned: full.changed.length, ms: ms(t0) });
    t0 = performance.now();
    full = await runIdentity(db, vocabulary);
    rows.push({ run: 'full run (no change)', touched: full.visited, visited: full.visited, repersoned: full.changed.length, ms: ms(t0) });

    for (const n of [1, 100, 1_000]) {
      const records: RawRecord[] = Array.from({ length: n }, () => ({
        kind: 'triple',
        file: 'api',
        line: 0,
        defaultSource: 'api',
        fields: { subject: cid(int(consumers)), subject_type: 'Consumer', relation: 'SAME_AS', object: cid(int(consumers)), object_type: 'Consumer' },
      }));
      const { touched } = await ingestRows(db, vocabulary, records, { pseudonymSecret: SECRET });
      t0 = performance.now();
      const result = await updateIdentityRun(db, vocabulary, touched!);
      rows.push({ run: `update after ${n} new link${n > 1 ? 's' : ''}`, touched: touched!.consumers.length, visited: result.visited, repersoned: result.changed.length, ms: ms(t0) });
      // The update must leave nothing for a full run to change.
      const check = await runIdentity(db, vocabulary);
      if (check.changed.length > 0) throw new Error(`after ${n} links the full run still changed ${check.changed.length} consumers`);
    }
    const [people] = await db.read('bench-persons', 'MATCH (c:Consumer) RETURN count(c) AS consumers, count(DISTINCT c.person) AS persons');
    const out = { triples, consumers: Number(people!.consumers), persons: Number(people!.persons), load: loadAvg(), runs: rows };
    if (json) console.log(JSON.stringify(out));
    else {
      console.log(`\n${out.consumers} consumers, ${out.persons} persons; load average ${out.load}`);
      console.log('run                        | touched | visited | re-personed |      ms');
      console.log('---------------------------|---------|---------|-------------|--------');
      for (const x of rows) console.log(`${x.run.padEnd(27)}| ${String(x.touched).padStart(7)} | ${String(x.visited).padStart(7)} | ${String(x.repersoned).padStart(11)} | ${String(x.ms).padStart(7)}`);
    }
  } finally {
    await db.close();
    await neo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function loadAvg(): string {
  return loadavg().map((x) => x.toFixed(1)).join(' ');
}

await main();
