import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { COUNT_DUPLICATE_RELATIONSHIPS, COUNT_GRAPH, loadCsvPass, WIPE_GRAPH } from './queries.js';
import { repoRoot } from '../server/config.js';
import { createDriver, Database } from '../server/db/neo4j.js';
import { applySchema } from '../server/graph/setup.js';
import { startThrowawayNeo4j } from '../server/local-neo4j/throwaway.js';
import { coreVocabulary } from '../server/graph/vocabulary.js';
import { runBulkLoader, type BulkBenchResult } from './ingest-bulk.js';

const usage =
  'usage: npm run bench:ingest -- [--triples N] [--batch-size N] [--grid LANES:BATCH,...] [--bulk] [--no-online] [--json]   (loader vs LOAD CSV on a throw-away Neo4j; --grid e.g. 1:5000,2:5000,2:5000:free also runs the loader with each lanes × batch size, ":free" without the serialised commits; --bulk adds `npm run load -- --bulk`)';

/** Which relations the generated data uses, and how often (out of 100). */
const mix: [relation: string, from: string, to: string, share: number][] = [
  ['PURCHASED', 'Consumer', 'Product', 25],
  ['VIEWED', 'Consumer', 'Product', 40],
  ['INTERESTED_IN', 'Consumer', 'Interest', 20],
  ['FOLLOWS', 'Consumer', 'Consumer', 5],
  ['RELATES_TO', 'Product', 'Interest', 6],
  ['SIMILAR_TO', 'Product', 'Product', 3],
  ['SUBTOPIC_OF', 'Interest', 'Interest', 1],
];

/**
 * Writes N triples (deterministic: a fixed-seed LCG) as CSV: consumers N/10, products N/100,
 * interests N/1000 (at least 50 each), weights 1–5, Unix-second timestamps.
 */
export async function generateTriples(path: string, n: number): Promise<void> {
  let x = 42;
  const rand = (m: number) => {
    x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
    return Math.floor((x / 2147483648) * m);
  };
  const counts: Record<string, number> = {
    Consumer: Math.max(50, Math.floor(n / 10)),
    Product: Math.max(50, Math.floor(n / 100)),
    Interest: Math.max(50, Math.floor(n / 1000)),
  };
  const prefix: Record<string, string> = { Consumer: 'c', Product: 'p', Interest: 'i' };
  const out = createWriteStream(path);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write('subject,subject_type,relation,object,object_type,weight,timestamp\n');
  let chunk = '';
  for (let i = 0; i < n; i++) {
    let pick = rand(100);
    let k = 0;
    while (pick >= mix[k]![3]) pick -= mix[k++]![3];
    const [rel, from, to] = mix[k]!;
    const s = prefix[from]! + rand(counts[from]!);
    const o = prefix[to]! + rand(counts[to]!);
    chunk += `${s},${from},${rel},${o},${to},${1 + rand(5)},${1_700_000_000 + rand(30_000_000)}\n`;
    if (chunk.length > 1 << 16) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((r) => out.end(r));
}

/** `uptime`'s three load averages, to print beside every figure (the machines are shared). */
export const loadAverage = () => loadavg().map((l) => l.toFixed(2)).join(', ');

/** The pseudonym secret the benchmark's loader runs with (throw-away databases only). */
export const BENCH_PSEUDONYM_SECRET = 'bench-secret-bench-secret-bench';

/** The loader's JSON summary (server/ingest/types.ts LoadSummary) as the benchmark reads it. */
export interface LoaderRun {
  seconds: number;
  loaded: number;
  rejected: number;
  peakRssMb: number;
  writePeakRssMb: number;
  derivedSeconds: number;
  retries: number;
  deadlockRetries: number;
  /** The loader process's CPU seconds (grid runs only). */
  cpuSeconds?: number;
}

/** CPU seconds (user + system, all threads) a process has used so far: the Neo4j JVM's share of a run. */
export function cpuSecondsOf(pid: number): number {
  try {
    // Fields 14 and 15 of /proc/PID/stat (after the parenthesised name) are utime and stime in clock ticks.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

function runChild(args: string[], conn: { uri: string; user: string; password: string }): Promise<LoaderRun> {
  return new Promise<LoaderRun>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: repoRoot,
      env: { ...process.env, NEO4J_URI: conn.uri, NEO4J_USER: conn.user, NEO4J_PASSWORD: conn.password, PSEUDONYM_SECRET: BENCH_PSEUDONYM_SECRET },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`the loader exited with ${code}`))));
  });
}

/** Runs `npm run load` (as node + tsx, one process) on the file; returns its JSON summary. */
export function runLoader(file: string, conn: { uri: string; user: string; password: string }, batchSize: number): Promise<LoaderRun> {
  return runChild([join(repoRoot, 'server', 'cli', 'load.ts'), file, '--json', '--batch-size', String(batchSize)], conn);
}

/** Runs the loader with the given lanes and batch size, without the derived refresh (bench/ingest-loader.ts). */
export function runLoaderWith(file: string, conn: { uri: string; user: string; password: string }, o: { lanes: number; batchSize: number; free?: boolean }): Promise<LoaderRun> {
  return runChild([join(repoRoot, 'bench', 'ingest-loader.ts'), file, '--lanes', String(o.lanes), '--batch-size', String(o.batchSize), ...(o.free ? ['--no-serial-commit'] : [])], conn);
}

export interface GridPoint {
  lanes: number;
  batch_size: number;
  /** Commits not serialised (":free"). */
  free: boolean;
  tps: number;
  ratio: number;
  retries: number;
  deadlock_retries: number;
  write_peak_rss_mb: number;
  /** CPU seconds per 100k rows: the loader process, and the Neo4j JVM during the run. */
  loader_cpu_per_100k: number;
  neo4j_cpu_per_100k: number;
  relationships: number;
  /** Relationships repeating another's (type, start, end): 0 in a correct load. */
  duplicate_relationships: number;
}

export interface IngestBenchResult {
  triples: number;
  ours_tps: number;
  load_csv_tps: number;
  ratio: number;
  loader_peak_rss_mb: number;
  /** Peak RSS up to the end of the writes (the refresh after them has its own peak). */
  loader_write_peak_rss_mb: number;
  retries: number;
  deadlock_retries: number;
  ours_seconds: number;
  load_csv_seconds: number;
  graph: { nodes: number; relationships: number };
  /** LOAD CSV's graph, for comparison (same nodes; relationships too, but for self-loops it merges twice). */
  load_csv_graph: { nodes: number; relationships: number };
  grid: GridPoint[];
  load_average: string;
  /** Neo4j JVM CPU seconds per 100k rows during LOAD CSV. */
  load_csv_neo4j_cpu_per_100k: number;
  /** With --bulk: the offline importer path, and its throughput over LOAD CSV's. */
  bulk?: BulkBenchResult & { ratio: number };
}

/**
 * The ingest benchmark: on a throw-away Neo4j of its own, loads a generated file of `triples`
 * rows with our loader (a child process, for its peak RSS), wipes the graph, and loads the same
 * file with LOAD CSV ... CALL { } IN TRANSACTIONS. Throughput counts input rows per second.
 */
export async function runIngestBench(
  triples: number,
  batchSize: number,
  log: (l: string) => void,
  { online = true, bulk = false, grid = [] }: { online?: boolean; bulk?: boolean; grid?: { lanes: number; batchSize: number; free?: boolean }[] } = {},
): Promise<IngestBenchResult> {
  const throwaway = await startThrowawayNeo4j({ prefix: 'kg-bench-neo4j-', heap: '2g', pagecache: '1g', log });
  const { running } = throwaway;
  const db = new Database(createDriver({ uri: running.uri, user: running.user, password: running.password, database: 'neo4j', queryTimeoutMs: 3_600_000 }), 'neo4j', 3_600_000);
  try {
    const importDir = join(throwaway.options.home, 'import');
    mkdirSync(importDir, { recursive: true });
    const file = join(importDir, 'triples.csv');
    log(`generating ${triples} triples…`);
    await generateTriples(file, triples);
    await applySchema(db, coreVocabulary);
    let ours = { seconds: 0, peakRssMb: 0, writePeakRssMb: 0, retries: 0, deadlockRetries: 0 };
    let oursGraph: Record<string, unknown> | undefined = { nodes: 0, relationships: 0 };
    if (online) {
      log('loading with our loader…');
      ours = await runLoader(file, running, batchSize);
      [oursGraph] = await db.read('bench-count', COUNT_GRAPH);
      const [dup] = await db.read('bench-duplicates', COUNT_DUPLICATE_RELATIONSHIPS, {}, { timeoutMs: 3_600_000 });
      log(`ours: ${Number(dup?.duplicates ?? 0)} duplicate relationships ${JSON.stringify(dup?.examples ?? [])}`);
      log(`ours: ${ours.seconds} s (${Math.round(triples / ours.seconds)} triples/s), ${ours.retries} retries (${ours.deadlockRetries} deadlocks), peak RSS ${ours.writePeakRssMb} MB writing, ${ours.peakRssMb} MB with the refresh; graph ${JSON.stringify(oursGraph)}`);
      for (const statement of WIPE_GRAPH) await db.autoCommit('bench-wipe', statement, {}, { timeoutMs: 3_600_000 });
    }
    log('loading with LOAD CSV … CALL { } IN TRANSACTIONS…');
    const t0 = Date.now();
    const cpu0 = cpuSecondsOf(running.pid);
    for (const [relation, from, to] of mix) {
      // The embedded Neo4j sets no import root, so file URLs are absolute paths.
      await db.autoCommit('bench-load-csv', loadCsvPass(coreVocabulary, relation, from, to), { url: pathToFileURL(file).href, relation, fromType: from, toType: to }, { timeoutMs: 3_600_000 });
    }
    const loadCsvSeconds = (Date.now() - t0) / 1000;
    const per100k = (cpu: number) => Math.round((cpu / triples) * 100_000 * 100) / 100;
    const csvNeo4jCpu = per100k(cpuSecondsOf(running.pid) - cpu0);
    const [csvGraph] = await db.read('bench-count', COUNT_GRAPH);
    log(`LOAD CSV: ${loadCsvSeconds} s (${Math.round(triples / loadCsvSeconds)} triples/s), Neo4j CPU ${csvNeo4jCpu} s per 100k rows; graph ${JSON.stringify(csvGraph)}`);
    const oursTps = online ? triples / ours.seconds : 0;
    const csvTps = triples / loadCsvSeconds;
    const points: GridPoint[] = [];
    for (const g of grid) {
      for (const statement of WIPE_GRAPH) await db.autoCommit('bench-wipe', statement, {}, { timeoutMs: 3_600_000 });
      const cpuBefore = cpuSecondsOf(running.pid);
      const run = await runLoaderWith(file, running, g);
      const neo4jCpu = cpuSecondsOf(running.pid) - cpuBefore;
      const tps = triples / run.seconds;
      const [graph] = await db.read('bench-count', COUNT_GRAPH);
      const [dup] = await db.read('bench-duplicates', COUNT_DUPLICATE_RELATIONSHIPS, {}, { timeoutMs: 3_600_000 });
      const point = {
        lanes: g.lanes, batch_size: g.batchSize, free: !!g.free, tps: Math.round(tps), ratio: Math.round((tps / csvTps) * 100) / 100, retries: run.retries,
        deadlock_retries: run.deadlockRetries, write_peak_rss_mb: run.writePeakRssMb, loader_cpu_per_100k: per100k(run.cpuSeconds ?? Number.NaN), neo4j_cpu_per_100k: per100k(neo4jCpu),
        relationships: Number(graph?.relationships ?? 0), duplicate_relationships: Number(dup?.duplicates ?? 0),
      };
      log(
        `grid lanes ${g.lanes} × batch ${g.batchSize}${g.free ? ' (commits not serialised)' : ''}: ${point.tps} triples/s (×${point.ratio} LOAD CSV), ${point.retries} retries (${point.deadlock_retries} deadlocks), ` +
          `peak RSS ${point.write_peak_rss_mb} MB, CPU s per 100k rows: loader ${point.loader_cpu_per_100k}, Neo4j ${point.neo4j_cpu_per_100k}; ` +
          `${point.relationships} relationships, ${point.duplicate_relationships} duplicates ${JSON.stringify(dup?.examples ?? [])}; load ${loadAverage()}`,
      );
      points.push(point);
    }
    let bulkResult: IngestBenchResult['bulk'];
    if (bulk) {
      log('loading with npm run load -- --bulk (Neo4j\'s offline importer) into a bundled Neo4j of its own…');
      const b = await runBulkLoader(file, triples, BENCH_PSEUDONYM_SECRET, log);
      bulkResult = { ...b, ratio: Math.round((b.bulk_tps / csvTps) * 100) / 100 };
      log(`bulk: ${b.bulk_seconds} s (${b.bulk_tps} triples/s; phases ${JSON.stringify(b.phases)}), then ${b.derived_seconds} s refresh; peak RSS ${b.loader_peak_rss_mb} MB`);
    }
    return {
      triples,
      ours_tps: Math.round(oursTps),
      load_csv_tps: Math.round(csvTps),
      ratio: Math.round((oursTps / csvTps) * 100) / 100,
      loader_peak_rss_mb: ours.peakRssMb,
      loader_write_peak_rss_mb: ours.writePeakRssMb,
      retries: ours.retries,
      deadlock_retries: ours.deadlockRetries,
      ours_seconds: ours.seconds,
      load_csv_seconds: loadCsvSeconds,
      graph: { nodes: Number(oursGraph!.nodes), relationships: Number(oursGraph!.relationships) },
      load_csv_graph: { nodes: Number(csvGraph!.nodes), relationships: Number(csvGraph!.relationships) },
      grid: points,
      load_average: loadAverage(),
      load_csv_neo4j_cpu_per_100k: csvNeo4jCpu,
      ...(bulkResult ? { bulk: bulkResult } : {}),
    };
  } finally {
    await db.close();
    await throwaway.stop();
  }
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, options: { triples: { type: 'string' }, 'batch-size': { type: 'string' }, grid: { type: 'string' }, bulk: { type: 'boolean' }, 'no-online': { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const triples = Number(values.triples ?? 1_000_000);
  const batchSize = Number(values['batch-size'] ?? 5_000);
  if (!Number.isInteger(triples) || triples < 1 || !Number.isInteger(batchSize) || batchSize < 1) {
    console.error(`--triples and --batch-size must be positive whole numbers\n${usage}`);
    return 2;
  }
  const grid = (values.grid ?? '').split(',').filter(Boolean).map((p) => {
    const [lanes, batch, mode] = p.split(':');
    return { lanes: Number(lanes), batchSize: batch ? Number(batch) : batchSize, free: mode === 'free' };
  });
  if (grid.some((g) => !Number.isInteger(g.lanes) || g.lanes < 1 || !Number.isInteger(g.batchSize) || g.batchSize < 1)) {
    console.error(`--grid takes LANES:BATCH pairs, e.g. 1:5000,2:5000\n${usage}`);
    return 2;
  }
  console.error(`load average at the start: ${loadAverage()}`);
  const result = await runIngestBench(triples, batchSize, (l) => console.error(l), { online: !values['no-online'], bulk: !!values.bulk, grid });
  if (values.json) console.log(JSON.stringify({ triples, ingest: result }));
  else {
    console.log(
      `ingest of ${triples} triples: ours ${result.ours_tps} triples/s, LOAD CSV ${result.load_csv_tps} triples/s, ours/LOAD CSV ${result.ratio}, ` +
        `${result.retries} retries (${result.deadlock_retries} deadlocks), loader peak RSS ${result.loader_write_peak_rss_mb} MB writing (${result.loader_peak_rss_mb} MB with the refresh); load average ${result.load_average}`,
    );
    if (result.grid.length) {
      console.log(`lanes | batch | commits | triples/s | ours/LOAD CSV | retries | deadlocks | peak RSS MB | loader CPU s/100k | Neo4j CPU s/100k (LOAD CSV: ${result.load_csv_neo4j_cpu_per_100k})`);
      for (const g of result.grid) {
        console.log(`${g.lanes} | ${g.batch_size} | ${g.free ? 'free' : 'serial'} | ${g.tps} | ${g.ratio} | ${g.retries} | ${g.deadlock_retries} | ${g.write_peak_rss_mb} | ${g.loader_cpu_per_100k} | ${g.neo4j_cpu_per_100k}`);
      }
    }
    if (result.bulk) {
      console.log(
        `bulk (--bulk): ${result.bulk.bulk_tps} triples/s, bulk/LOAD CSV ${result.bulk.ratio}, peak RSS ${result.bulk.loader_peak_rss_mb} MB; phases (s) ${JSON.stringify(result.bulk.phases)}`,
      );
    }
  }
  return 0;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/'))) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`bench:ingest: ${(error as Error).stack ?? String(error)}`);
      process.exit(1);
    },
  );
}
