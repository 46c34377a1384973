import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { COUNT_GRAPH, loadCsvPass, WIPE_GRAPH } from './queries.js';
import type { Database } from '../server/db/neo4j.js';
import { coreVocabulary } from '../server/graph/vocabulary.js';
import { runLoader, type IngestBenchResult } from './ingest.js';

export interface IngestPhaseResult extends Omit<IngestBenchResult, 'triples' | 'grid' | 'load_csv_graph' | 'load_average' | 'load_csv_neo4j_cpu_per_100k'> {
  /** Seconds the loader then spent refreshing derived values (not in ours_seconds). */
  derived_seconds: number;
  rows: number;
}

/**
 * The ingest section of `npm run bench`, on the bench's database and its training file, with
 * the ingest benchmark's pieces (bench/ingest.ts): first Neo4j's LOAD CSV … CALL { }
 * IN TRANSACTIONS (one pass per relation and type pair), then a wipe, then our loader (a child
 * process, for its peak RSS) on the same file, so the graph the later phases query is the one
 * our loader built; the entity file (names) is loaded after it, untimed.
 */
export async function benchIngestOn(o: {
  db: Database;
  neo4j: { uri: string; user: string; password: string };
  dir: string;
  file: string;
  rows: number;
  batchSize: number;
  log: (line: string) => void;
}): Promise<IngestPhaseResult> {
  const long = { timeoutMs: 3_600_000 };
  const t0 = Date.now();
  for (const r of coreVocabulary.relations) {
    for (const from of r.from) {
      for (const to of r.to) {
        await o.db.autoCommit('bench-load-csv', loadCsvPass(coreVocabulary, r.name, from, to), { url: pathToFileURL(o.file).href, relation: r.name, fromType: from, toType: to }, long);
      }
    }
  }
  const loadCsvSeconds = (Date.now() - t0) / 1000;
  o.log(`  LOAD CSV: ${loadCsvSeconds.toFixed(1)} s`);
  for (const statement of WIPE_GRAPH) await o.db.autoCommit('bench-wipe', statement, {}, long);
  const ours = await runLoader(o.file, o.neo4j, o.batchSize);
  o.log(`  our loader: ${ours.seconds} s (+ ${ours.derivedSeconds} s derived values), ${ours.retries} retries (${ours.deadlockRetries} deadlocks), peak RSS ${ours.writePeakRssMb} MB writing, ${ours.peakRssMb} MB with the refresh`);
  await runLoader(join(o.dir, 'entities.csv'), o.neo4j, o.batchSize);
  const [graph] = await o.db.read('bench-count', COUNT_GRAPH);
  const oursTps = o.rows / ours.seconds;
  const csvTps = o.rows / loadCsvSeconds;
  return {
    ours_tps: Math.round(oursTps),
    load_csv_tps: Math.round(csvTps),
    ratio: Math.round((oursTps / csvTps) * 100) / 100,
    loader_peak_rss_mb: ours.peakRssMb,
    loader_write_peak_rss_mb: ours.writePeakRssMb,
    retries: ours.retries,
    deadlock_retries: ours.deadlockRetries,
    ours_seconds: ours.seconds,
    load_csv_seconds: Math.round(loadCsvSeconds * 10) / 10,
    derived_seconds: ours.derivedSeconds,
    rows: o.rows,
    graph: { nodes: Number(graph?.nodes ?? 0), relationships: Number(graph?.relationships ?? 0) },
  };
}
