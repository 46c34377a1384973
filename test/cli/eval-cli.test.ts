import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateGeneric } from '../../seeds/generator/run-generic.js';
import { repoRoot } from '../../server/config.js';
import { splitTriples } from '../../server/eval/split.js';
import { readDataFiles } from '../../server/eval/triples.js';

// `npm run eval` end to end on a small generated graph: its own throw-away Neo4j, the real
// loader (the code `npm run load` runs) on the written training file, the API's engine.
const tsx = join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const dir = mkdtempSync(join(tmpdir(), 'kg-eval-cli-'));

function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsx, join(repoRoot, 'server', 'cli', 'eval.ts'), ...args], { env: { ...process.env, NEO4J_URI: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

type Figures = { recall: number; ndcg: number; precision: number; coverage: number; novelty: number };
type Lifts = { top1: { lift: number | null }; top10: { lift: number | null } };
type AudienceRow = { kind: string; population: number; converters: number; baseRate: number; model: { top1: { size: number; conversion: number; lift: number } } };
type Run = Figures & { exploration: number; users: number; latency_ms: { p50: number; p95: number; p99: number } };
let result: { status: number | null; stdout: string; stderr: string };
let report: Run & {
  k: number;
  baselines: { popular: Figures; itemknn: Figures };
  explorations: Run[];
  audience: { model: Lifts; mostActive: Lifts; products: number; measurable: number; targets: AudienceRow[] };
};
let expectedUsers = 0;
let trainRows = 0;

beforeAll(async () => {
  generateGeneric({ consumers: 240, products: 40, interests: 24, seed: 11, outDir: dir });
  const data = readDataFiles([dir]);
  const split = splitTriples(data.triples, ['PURCHASED'], 0.2, 42);
  expectedUsers = split.test.size;
  trainRows = split.train.length;
  result = await run([dir, '--exploration', '0,1', '--audience', '--audience-products', '5', '--json']);
  if (result.status === 0) report = JSON.parse(result.stdout);
}, 600_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run eval on a generated graph', () => {
  it('loads the training split with the real loader, rejecting nothing', () => {
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/loader: \d+ rows loaded, 0 rejected/);
    expect(result.stderr).toContain(`loaded ${trainRows} training rows (0 skipped)`);
  });

  it("prints one JSON document with the contract's keys, the first exploration at the top level", () => {
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    for (const key of ['k', 'users', 'recall', 'ndcg', 'precision', 'coverage', 'novelty']) expect(typeof (report as Record<string, unknown>)[key], key).toBe('number');
    for (const p of ['p50', 'p95', 'p99'] as const) expect(report.latency_ms[p]).toBeGreaterThan(0);
    for (const b of [report.baselines.popular, report.baselines.itemknn]) for (const key of ['recall', 'ndcg', 'coverage'] as const) expect(typeof b[key]).toBe('number');
    expect(report.k).toBe(10);
    expect(report.users).toBe(expectedUsers);
    expect(report.explorations.map((r) => r.exploration)).toEqual([0, 1]);
    expect(report.ndcg).toBe(report.explorations[0]!.ndcg);
    expect(report.coverage).toBe(report.explorations[0]!.coverage);
  });

  it('finds held-out purchases, and exploration 1 is more novel and keeps a saturated coverage', () => {
    const [safe, bold] = report.explorations as [Run, Run];
    // Most-popular is not asserted against: on a 40-product generated catalogue it is strong
    // (the generator plants global bestsellers); MovieLens figures are in the report.
    for (const r of [safe, bold, report.baselines.popular, report.baselines.itemknn]) {
      expect(r.ndcg).toBeGreaterThan(0);
      expect(r.ndcg).toBeLessThanOrEqual(1);
      expect(r.recall).toBeGreaterThan(0);
    }
    expect(bold.novelty).toBeGreaterThan(safe.novelty);
    // Exploration 0 already recommends (nearly) all 40 products here, so coverage cannot grow,
    // and at 1 every consumer leaves their own top 10, so the picks crowd into the rest of a small
    // catalogue; it must still spread over most of it (MovieLens: 2.8× coverage, BENCHMARKS).
    expect(bold.coverage).toBeGreaterThanOrEqual(0.6 * safe.coverage);
    // Each run against exploration 0's: the NDCG it keeps and its coverage multiple.
    const against = bold as Run & { ndcg_kept: number; coverage_ratio: number };
    expect(against.ndcg_kept).toBeCloseTo(bold.ndcg / safe.ndcg, 12);
    expect(against.coverage_ratio).toBeCloseTo(bold.coverage / safe.coverage, 12);
  });

  it("with --audience, the contract's audience block: median lifts of the model's and the most active's audiences", () => {
    const a = report.audience;
    for (const who of [a.model, a.mostActive]) for (const top of [who.top1, who.top10]) expect(typeof top.lift).toBe('number');
    expect(a.products).toBeGreaterThan(0);
    expect(a.products).toBeLessThanOrEqual(5);
    expect(a.measurable).toBe(expectedUsers);
    const products = a.targets.filter((t) => t.kind === 'product');
    expect(products).toHaveLength(a.products);
    for (const t of a.targets) {
      expect(t.baseRate).toBeCloseTo(t.converters / t.population, 12);
      expect(t.model.top1.size).toBe(Math.max(1, Math.round(0.01 * t.population)));
      expect(t.model.top1.lift).toBeCloseTo(t.model.top1.conversion / t.baseRate, 9);
    }
    // The generator plants taste groups: the model's top 10 % converts above a random control.
    expect(a.model.top10.lift!).toBeGreaterThan(1);
  });

  it('refuses --audience-products without --audience, before starting anything', async () => {
    const bad = await run([dir, '--audience-products', '5']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--audience-products needs --audience/);
  });

  it('refuses a bad exploration list with the usage', async () => {
    const bad = await run([dir, '--exploration', '0,1.5']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--exploration must be a number from 0 to 1, got "1.5"/);
    expect(bad.stderr).toMatch(/usage: npm run eval/);
  });
});
