import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadResult } from './http-load.js';
import { latencyChartSvg } from './latency-chart.js';
import type { BenchResult } from './suite.js';

/** Plain-text table (aligned columns) for the terminal. */
export function textTable(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** A Markdown table; numbers are printed as they are. */
export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

type Table = (header: string[], rows: (string | number)[][]) => string;

/** Every section of the result as tables, in the given table style (text or Markdown). */
function sections(r: BenchResult, table: Table): { title: string; body: string }[] {
  const out = [
    {
      title: `Ingest (${r.ingest.rows} training triples, same file)`,
      body: table(
        ['loader', 'triples/s', 'seconds', 'peak RSS MB (writing / with refresh)', 'retries (deadlocks)'],
        [
          ['ours (npm run load)', r.ingest.ours_tps, r.ingest.ours_seconds, `${r.ingest.loader_write_peak_rss_mb} / ${r.ingest.loader_peak_rss_mb}`, `${r.ingest.retries} (${r.ingest.deadlock_retries})`],
          ['LOAD CSV … CALL { } IN TRANSACTIONS', r.ingest.load_csv_tps, r.ingest.load_csv_seconds, '-', '-'],
          ['ratio ours / LOAD CSV', r.ingest.ratio, '', '', ''],
          ...(r.bulk ? [['bulk (npm run load -- --bulk)', r.bulk.bulk_tps, r.bulk.bulk_seconds, `${r.bulk.loader_peak_rss_mb}`, '-'], ['ratio bulk / LOAD CSV', r.bulk.ratio, '', '', '']] : []),
        ],
      ),
    },
    {
      title: 'recommendProducts over HTTP GraphQL (closed loop)',
      body: table(
        ['concurrency', 'p50 ms', 'p95 ms', 'p99 ms', 'req/s', 'requests', 'errors'],
        r.recommend.map((x) => [x.concurrency, x.p50_ms, x.p95_ms, x.p99_ms, x.rps, x.requests, x.errors]),
      ),
    },
    ...(r.recommend_compare
      ? [
          {
            title: `A/B: the same loads on ${r.recommend_compare.root} against the same Neo4j, each level on both back to back (ours first at the 1st, 3rd… level, the other first at the 2nd, 4th…)`,
            body: table(
              ['concurrency', 'p50 ms (ours / other)', 'p99 ms (ours / other)', 'req/s (ours / other)', 'errors (ours / other)'],
              r.recommend_compare.rows.map((b) => {
                const a = r.recommend.find((x) => x.concurrency === b.concurrency)!;
                return [b.concurrency, `${a.p50_ms} / ${b.p50_ms}`, `${a.p99_ms} / ${b.p99_ms}`, `${a.rps} / ${b.rps}`, `${a.errors} / ${b.errors}`];
              }),
            ),
          },
        ]
      : []),
    {
      title: `Peer: plain Cypher collaborative filter, ${r.peer_cf.users} held-out consumers, sequential, k=${r.peer_cf.k}`,
      body: table(
        ['', 'p50 ms', 'p95 ms', 'p99 ms', 'NDCG@10'],
        [
          ['peer CF (Bolt)', r.peer_cf.p50_ms, r.peer_cf.p95_ms, r.peer_cf.p99_ms, r.peer_cf.ndcg],
          ['ours (HTTP, exploration 0)', r.peer_cf.ours_p50_ms, '', r.peer_cf.ours_p99_ms, r.peer_cf.ours_ndcg],
          ['ratio ours / peer', '', '', r.peer_cf.p99_ratio, r.peer_cf.ndcg_ratio],
        ],
      ),
    },
    {
      title: 'Insights and browsing over HTTP GraphQL (concurrency 1)',
      body: table(
        ['field', 'p50 ms', 'p95 ms', 'p99 ms', 'req/s', 'requests', 'errors'],
        r.insights.map((x) => [x.field, x.p50_ms, x.p95_ms, x.p99_ms, x.rps, x.requests, x.errors]),
      ),
    },
  ];
  if (r.model) {
    const m = r.model;
    out.push({
      title: `Recommendation model ${String(m.version)}: learned in ${String(m.build_seconds)} s (+ read ${String(m.read_seconds)} s${m.pool_seconds === undefined ? '' : `, pool exposure ${String(m.pool_seconds)} s`}${m.store_seconds === undefined ? '' : `, store ${String(m.store_seconds)} s`}), ${String(m.memory_mb)} MB in the API process; ${String(m.products)} products, ${String(m.ease_products)} in EASE, λ ${String(m.lambda)}, γ ${String(m.gamma)}`,
      body: '',
    });
  }
  if (r.soak) {
    out.push({
      title: `Soak: ${r.soak.seconds} s at ${r.soak.target_rps} req/s — ${r.soak.requests} requests, ${r.soak.errors} errors, p99 drift ×${r.soak.p99_drift}, server RSS ${r.soak.rss_start_mb} → ${r.soak.rss_end_mb} MB (max ${r.soak.rss_max_mb}, ${r.soak.rss_slope_mb_per_min} MB/min)`,
      body: table(
        ['at s', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'server RSS MB'],
        r.soak.windows.map((w) => [w.at_s, w.rps, w.p50_ms, w.p99_ms, w.errors, w.server_rss_mb]),
      ),
    });
  }
  out.push({
    title: 'Targets',
    body: table(
      ['target', 'goal', 'this run', 'met'],
      r.targets.map((t) => [t.name, t.target, t.actual, t.met ? 'yes' : 'NO']),
    ),
  });
  return out;
}

const machineLine = (r: BenchResult) =>
  `${r.machine.cpus} × ${r.machine.cpu_model}, ${r.machine.mem_gb} GB RAM (${r.machine.free_mem_gb} GB free), ${r.machine.platform}, Node ${r.machine.node}; ` +
  `load average ${r.machine.loadavg_start.join(' / ')} at start, ${r.machine.loadavg_end.join(' / ')} at end`;

/** The terminal report. */
export function terminalReport(r: BenchResult): string {
  const head = `npm run bench: ${r.triples} triples requested (${r.generated_triples} generated, ${r.train_triples} in training) in ${r.seconds} s\n${machineLine(r)}`;
  return [head, ...sections(r, textTable).map((s) => `\n${s.title}\n${s.body}`)].join('\n');
}

const asLoad = (x: BenchResult['recommend'][number]): LoadResult => ({
  concurrency: x.concurrency,
  p50: x.p50_ms,
  p95: x.p95_ms,
  p99: x.p99_ms,
  rps: x.rps,
  errors: x.errors,
  count: x.requests,
  max: 0,
  mean: 0,
  badResponses: 0,
  seconds: 0,
});

/** The Markdown report (links the chart file next to it). */
export function markdownReport(r: BenchResult, chartFile: string): string {
  return [
    `# Benchmark: ${r.triples} triples, ${r.started_at}`,
    '',
    `Machine: ${machineLine(r)}. Run time ${r.seconds} s.`,
    '',
    `![recommendProducts latency and throughput per concurrency](${chartFile})`,
    ...sections(r, markdownTable).flatMap((s) => ['', `## ${s.title}`, '', s.body]),
    '',
  ].join('\n');
}

/** Writes report.md, the SVG chart and result.json to `dir` (bench/results/<stamp>/); returns the folder. */
export function writeResults(r: BenchResult, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const chart = 'recommend-latency.svg';
  writeFileSync(join(dir, chart), latencyChartSvg(`recommendProducts, ${r.triples} triples`, r.recommend.map(asLoad)));
  writeFileSync(join(dir, 'report.md'), markdownReport(r, chart));
  writeFileSync(join(dir, 'result.json'), JSON.stringify(r, null, 2) + '\n');
  return dir;
}
