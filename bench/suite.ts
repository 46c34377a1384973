import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storedEntityId } from '../server/privacy/pseudonym.js';
import { coreVocabulary } from '../server/graph/vocabulary.js';
import { startBenchNeo4j } from './neo4j.js';
import { prepareBenchData } from './graph-data.js';
import { graphqlPost } from './graphql-post.js';
import { graphqlLoad, type LoadResult } from './http-load.js';
import { BENCH_PSEUDONYM_SECRET as BENCH_SECRET } from './ingest.js';
import { benchIngestOn, type IngestPhaseResult } from './ingest-phase.js';
import { runBulkLoader, type BulkBenchResult } from './ingest-bulk.js';
import { SERVED_MODEL_INFO } from './queries.js';
import { comparePeer, RECOMMEND_QUERY, type HeldOutConsumer } from './peer-cf.js';
import { insightLoads } from './field-loads.js';
import { startBenchServer } from './server-process.js';
import { runSoak, type SoakResult } from './soak.js';

export interface BenchOptions {
  triples: number;
  concurrency: number[];
  /** Seconds of load per concurrency level (recommendations). */
  duration: number;
  /** Seconds of load per insight/browsing field. */
  fieldSeconds: number;
  /** Soak seconds (0: no soak). */
  soak: number;
  soakRate: number;
  /** Keeps the generated graph and split here and reuses them on the next run. */
  keep?: string;
  /** At most this many held-out consumers for the peer comparison (also bounded by time). */
  peerUsers: number;
  peerSeconds: number;
  batchSize: number;
  log: (line: string) => void;
}

export interface LatencyRow {
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  rps: number;
  errors: number;
  requests: number;
}

export interface BenchResult {
  triples: number;
  generated_triples: number;
  train_triples: number;
  started_at: string;
  seconds: number;
  machine: { cpus: number; cpu_model: string; mem_gb: number; free_mem_gb: number; node: string; platform: string; loadavg_start: number[]; loadavg_end: number[] };
  ingest: IngestPhaseResult;
  /** `npm run load -- --bulk` on the same training file, into a throw-away bundled Neo4j of its own. */
  bulk?: BulkBenchResult & { ratio: number };
  recommend: ({ concurrency: number } & LatencyRow)[];
  /** BENCH_COMPARE_ROOT=DIR: the same loads, interleaved, on DIR's app against the same Neo4j (A/B). */
  recommend_compare?: { root: string; rows: ({ concurrency: number } & LatencyRow)[] };
  peer_cf: {
    p50_ms: number;
    p95_ms: number;
    p99_ms: number;
    ndcg: number;
    ours_ndcg: number;
    ours_p50_ms: number;
    ours_p99_ms: number;
    /** ours p99 / peer p99, both sequential on the same consumers. */
    p99_ratio: number;
    ndcg_ratio: number;
    users: number;
    k: number;
  };
  insights: ({ field: string; concurrency: number } & LatencyRow)[];
  soak: SoakResult | null;
  /** The learned recommendation model the server loaded: build seconds, in-process MB, sizes. */
  model?: Record<string, unknown> | null;
  targets: { name: string; target: string; actual: string; met: boolean }[];
}


const row = (r: LoadResult): LatencyRow => ({ p50_ms: r.p50, p95_ms: r.p95, p99_ms: r.p99, rps: r.rps, errors: r.errors, requests: r.count });
const round2 = (x: number) => Math.round(x * 100) / 100;

/** The targets against this run's figures. */
export function targetsOf(r: Omit<BenchResult, 'targets'>): BenchResult['targets'] {
  const c8 = r.recommend.find((x) => x.concurrency === 8);
  const out: BenchResult['targets'] = [];
  if (c8) {
    out.push({ name: 'recommendProducts p50 @ c=8', target: '≤ 20 ms', actual: `${c8.p50_ms} ms`, met: c8.p50_ms <= 20 });
    out.push({ name: 'recommendProducts p99 @ c=8', target: '≤ 100 ms', actual: `${c8.p99_ms} ms`, met: c8.p99_ms <= 100 });
  }
  out.push({ name: 'p99 ours / peer CF', target: '≤ 0.2', actual: String(r.peer_cf.p99_ratio), met: r.peer_cf.p99_ratio > 0 && r.peer_cf.p99_ratio <= 0.2 });
  out.push({ name: 'NDCG@10 ours vs peer', target: '≥ peer', actual: `${r.peer_cf.ours_ndcg} vs ${r.peer_cf.ndcg}`, met: r.peer_cf.ours_ndcg >= r.peer_cf.ndcg });
  out.push({ name: 'ingest ours / LOAD CSV', target: '≥ 1.5', actual: String(r.ingest.ratio), met: r.ingest.ratio >= 1.5 });
  if (r.bulk) out.push({ name: 'bulk ingest / LOAD CSV', target: '≥ 10', actual: String(r.bulk.ratio), met: r.bulk.ratio >= 10 });
  out.push({ name: 'ingest deadlock retries', target: '0', actual: String(r.ingest.deadlock_retries), met: r.ingest.deadlock_retries === 0 });
  if (r.soak) {
    const flat = Math.abs(r.soak.rss_slope_mb_per_min) <= 5;
    out.push({ name: `soak ${r.soak.seconds} s @ ${r.soak.target_rps} req/s`, target: '300 s, 100 req/s, 0 errors, flat RSS', actual: `${r.soak.rps} req/s, ${r.soak.errors} errors, RSS ${r.soak.rss_start_mb}→${r.soak.rss_end_mb} MB (${r.soak.rss_slope_mb_per_min} MB/min)`, met: r.soak.seconds >= 300 && r.soak.errors === 0 && flat && r.soak.rps >= 0.95 * r.soak.target_rps });
  }
  if (r.triples < 1_000_000) out.push({ name: 'graph size', target: '1,000,000 triples', actual: String(r.triples), met: false });
  return out;
}

/**
 * The whole benchmark: data, its own Neo4j, ingest (ours vs LOAD CSV), recommendations over
 * HTTP at each concurrency, the peer collaborative filter, insight and browsing fields, soak.
 * Every loop is bounded in count and time; everything runs on 127.0.0.1 and is torn down.
 */
export async function runBench(o: BenchOptions): Promise<BenchResult> {
  const t0 = Date.now();
  const started_at = new Date().toISOString();
  const loadavgStart = loadavg().map(round2);
  const scratch = o.keep ? undefined : mkdtempSync(join(tmpdir(), 'kg-bench-data-'));
  const log = o.log;
  try {
    log('[1/7] graph');
    const data = await prepareBenchData(o.triples, o.keep ?? scratch!, log);
    log('[2/7] own Neo4j');
    const neo = await startBenchNeo4j(log);
    try {
      log('[3/7] ingest: LOAD CSV … CALL { } IN TRANSACTIONS, then our loader, on the same training file');
      const ingest = await benchIngestOn({ db: neo.db, neo4j: neo, dir: data.trainDir, file: data.trainTriplesFile, rows: data.trainTriples, batchSize: o.batchSize, log });
      log(`  ours ${ingest.ours_tps} triples/s, LOAD CSV ${ingest.load_csv_tps} triples/s (×${ingest.ratio}), ${ingest.deadlock_retries} deadlock retries, loader peak RSS ${ingest.loader_write_peak_rss_mb} MB writing`);
      const bulkRun = await runBulkLoader(data.trainTriplesFile, data.trainTriples, BENCH_SECRET, log);
      const bulk = { ...bulkRun, ratio: round2(bulkRun.bulk_tps / ingest.load_csv_tps) };
      log(`  bulk ${bulk.bulk_tps} triples/s (×${bulk.ratio} LOAD CSV), phases (s) ${JSON.stringify(bulk.phases)}, loader peak RSS ${bulk.loader_peak_rss_mb} MB`);

      const [served] = await neo.db.read('bench-model-info', SERVED_MODEL_INFO);
      const model = served ? { version: served.version, ...(JSON.parse(String(served.info)) as Record<string, unknown>) } : null;
      log(model ? `  model ${JSON.stringify(model)}` : '  no recommendation model was built');

      const server = await startBenchServer({ neo4j: neo, pseudonymSecret: BENCH_SECRET });
      try {
        const consumers: HeldOutConsumer[] = [...data.test]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([raw, heldOut]) => ({ raw, stored: storedEntityId(BENCH_SECRET, 'Consumer', raw), heldOut }));
        const bodies = consumers.slice(0, 1000).map((c) => JSON.stringify({ query: RECOMMEND_QUERY, variables: { c: c.raw, k: 10 } }));
        if (!bodies.length) throw new Error('the split has no held-out consumers: the graph is too small');

        log(`[4/7] recommendProducts over HTTP (${server.url}), ${o.duration} s per concurrency`);
        // Warm-up: enough requests for the JIT to settle (50 left the first measured level paying for it).
        const warmUp = (url: string) => graphqlLoad({ url, concurrency: 4, seconds: Math.min(10, o.duration), maxRequests: 1000, bodies });
        await warmUp(server.url);
        const recommend: BenchResult['recommend'] = [];
        // A/B: another checkout's app against the same Neo4j, each level run on both back to back.
        const compareRoot = process.env.BENCH_COMPARE_ROOT;
        const other = compareRoot ? await startBenchServer({ neo4j: neo, pseudonymSecret: BENCH_SECRET, root: compareRoot }) : null;
        const compare: ({ concurrency: number } & LatencyRow)[] = [];
        try {
          if (other) await warmUp(other.url);
          for (const [level, concurrency] of o.concurrency.entries()) {
            const ours = async () => {
              const r = await graphqlLoad({ url: server.url, concurrency, seconds: o.duration, bodies });
              recommend.push({ concurrency, ...row(r) });
              log(`  c=${concurrency}: p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms, ${r.rps} req/s, ${r.errors} errors`);
            };
            const theirs = async () => {
              const b = await graphqlLoad({ url: other!.url, concurrency, seconds: o.duration, bodies });
              compare.push({ concurrency, ...row(b) });
              log(`  c=${concurrency} ${compareRoot}: p50 ${b.p50} ms, p95 ${b.p95} ms, p99 ${b.p99} ms, ${b.rps} req/s, ${b.errors} errors`);
            };
            // A/B order alternates by level (ABBA…), so neither app always runs first.
            if (!other) await ours();
            else if (level % 2 === 0) await ours().then(theirs);
            else await theirs().then(ours);
          }
        } finally {
          await other?.stop();
        }

        log(`[5/7] peer: plain Cypher collaborative filter vs ours, ≤ ${o.peerUsers} held-out consumers, ≤ ${o.peerSeconds} s`);
        const peer = await comparePeer({ db: neo.db, vocabulary: coreVocabulary, url: server.url, consumers, k: 10, maxUsers: o.peerUsers, maxSeconds: o.peerSeconds });
        log(`  peer p99 ${peer.peer.p99} ms NDCG@10 ${peer.peer.ndcg}; ours p99 ${peer.ours.p99} ms NDCG@10 ${peer.ours.ndcg} (${peer.users} consumers)`);

        log(`[6/7] insights and browsing, ${o.fieldSeconds} s each`);
        const pairs = consumers.map((c) => [c.raw, [...c.heldOut][0]!] as [string, string]);
        const insights: BenchResult['insights'] = [];
        for (const f of await insightLoads(neo.db, coreVocabulary, pairs)) {
          if (!f.bodies.length) continue;
          const probe = await graphqlPost(server.url, JSON.parse(f.bodies[0]!).query, JSON.parse(f.bodies[0]!).variables).catch((e: Error) => e);
          if (probe instanceof Error && /Cannot query field/.test(probe.message)) {
            log(`  ${f.field}: not in this API (its branch has not landed), skipped`);
            continue;
          }
          const r = await graphqlLoad({ url: server.url, concurrency: 1, seconds: o.fieldSeconds, maxRequests: 5000, bodies: f.bodies });
          insights.push({ field: f.field, concurrency: 1, ...row(r) });
          log(`  ${f.field}: p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms, ${r.errors} errors`);
        }

        let soak: SoakResult | null = null;
        if (o.soak > 0) {
          log(`[7/7] soak: ${o.soak} s at ${o.soakRate} req/s`);
          soak = await runSoak({ url: server.url, bodies, seconds: o.soak, rate: o.soakRate, concurrency: 8, serverRssMb: server.rssMb, log });
        } else log('[7/7] soak skipped (--soak 0)');

        const partial: Omit<BenchResult, 'targets'> = {
          triples: o.triples,
          generated_triples: data.generated,
          train_triples: data.trainTriples,
          started_at,
          seconds: 0,
          machine: {
            cpus: cpus().length,
            cpu_model: cpus()[0]?.model ?? 'unknown',
            mem_gb: round2(totalmem() / 2 ** 30),
            free_mem_gb: round2(freemem() / 2 ** 30),
            node: process.version,
            platform: `${process.platform} ${process.arch}`,
            loadavg_start: loadavgStart,
            loadavg_end: loadavg().map(round2),
          },
          ingest,
          bulk,
          recommend,
          ...(compareRoot ? { recommend_compare: { root: compareRoot, rows: compare } } : {}),
          peer_cf: {
            p50_ms: peer.peer.p50,
            p95_ms: peer.peer.p95,
            p99_ms: peer.peer.p99,
            ndcg: peer.peer.ndcg,
            ours_ndcg: peer.ours.ndcg,
            ours_p50_ms: peer.ours.p50,
            ours_p99_ms: peer.ours.p99,
            p99_ratio: peer.p99_ratio,
            ndcg_ratio: peer.ndcg_ratio,
            users: peer.users,
            k: peer.k,
          },
          insights,
          soak,
          model,
        };
        partial.seconds = Math.round((Date.now() - t0) / 100) / 10;
        return { ...partial, targets: targetsOf(partial) };
      } finally {
        await server.stop();
      }
    } finally {
      await neo.stop();
    }
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}
