import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ENTITY_HEADER, TRIPLE_HEADER } from '../../seeds/generator/generate.js';
import type { GroundTruth } from '../../seeds/generator/ground-truth.js';
import { generateGeneric } from '../../seeds/generator/run-generic.js';
import { sizesForTriples } from '../../seeds/generator/synthetic.js';
import { groundTruthProblems, windowSeconds } from './ground-truth-check.js';
import { checkEntityFile, checkTripleFile, indexGraph } from './seed-files.js';

const root = mkdtempSync(join(tmpdir(), 'kg-seeds-gen-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const dir = (name: string) => join(root, name);
const bytes = (d: string, f: string) => readFileSync(join(d, f));

function runCli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'seeds/generator/cli.ts', ...args], { encoding: 'utf8', cwd: process.cwd() });
}

describe('seed generator', () => {
  it('writes the same bytes for the same seed and different ones for another seed', () => {
    const sizes = { consumers: 600, products: 80, interests: 60 };
    generateGeneric({ ...sizes, seed: 7, outDir: dir('a') });
    generateGeneric({ ...sizes, seed: 7, outDir: dir('b') });
    generateGeneric({ ...sizes, seed: 8, outDir: dir('c') });
    for (const f of ['entities.csv', 'triples.csv', 'ground-truth.json']) {
      expect(bytes(dir('a'), f).equals(bytes(dir('b'), f)), f).toBe(true);
    }
    expect(bytes(dir('a'), 'triples.csv').equals(bytes(dir('c'), 'triples.csv'))).toBe(false);
  });

  it('writes valid files of the sizes asked, with ground truth that agrees with them', () => {
    const out = dir('sized');
    const r = generateGeneric({ consumers: 2500, products: 240, interests: 96, seed: 42, outDir: out });
    const gt = JSON.parse(readFileSync(join(out, 'ground-truth.json'), 'utf8')) as GroundTruth;
    const triples = checkTripleFile(join(out, 'triples.csv'), windowSeconds(gt));
    const entities = checkEntityFile(join(out, 'entities.csv'));
    expect(triples.header).toEqual([...TRIPLE_HEADER]);
    expect(entities.header).toEqual([...ENTITY_HEADER]);
    expect(triples.errors).toEqual([]);
    expect(entities.errors).toEqual([]);
    expect(triples.rows.length).toBe(r.triples);
    expect(gt.counts.triples).toBe(r.triples);

    const g = indexGraph(triples.rows);
    expect(g.consumers.size).toBe(2500);
    expect(g.consumers.has('u000001')).toBe(true);
    expect(entities.rows.filter((e) => e.type === 'Product')).toHaveLength(240);
    expect(entities.rows.filter((e) => e.type === 'Interest')).toHaveLength(96);
    // Every product and interest of the triples is named in the entity file.
    const named = new Set(entities.rows.map((e) => `${e.type}:${e.id}`));
    const unnamed = triples.rows.flatMap((t) =>
      [[t.subject_type, t.subject], [t.object_type, t.object]].filter(([ty, id]) => ty !== 'Consumer' && !named.has(`${ty}:${id}`)),
    );
    expect(unnamed).toEqual([]);
    // One row per (subject, relation, object).
    expect(new Set(triples.rows.map((t) => `${t.subject}|${t.relation}|${t.object}`)).size).toBe(triples.rows.length);

    expect(gt.opportunities.length).toBeGreaterThanOrEqual(4);
    expect(gt.demandLinks.length).toBeGreaterThanOrEqual(3);
    expect(gt.trends.length).toBeGreaterThanOrEqual(3);
    expect(gt.lookalikeGroups.length).toBeGreaterThanOrEqual(2);
    expect(groundTruthProblems(gt, g)).toEqual([]);
    // The planted stories stand out: strong cross-cluster links, opportunities above chance.
    for (const l of gt.demandLinks) expect(l.measured.crossClusterRankByLift, l.label).toBeLessThanOrEqual(3);
    for (const o of gt.opportunities) expect(o.measured.lift, o.label).toBeGreaterThan(3);
    for (const l of gt.lookalikeGroups) expect(l.measured.recallAtSize, l.label).toBeGreaterThan(0.6);
  });

  it('has power-law product popularity', () => {
    const g = indexGraph(checkTripleFile(join(dir('sized'), 'triples.csv')).rows);
    const counts = new Map<string, number>();
    for (const set of g.consumerProducts.values()) for (const p of set) counts.set(p, (counts.get(p) ?? 0) + 1);
    const sorted = [...counts.values()].sort((a, b) => b - a);
    const top = sorted.slice(0, Math.ceil(sorted.length / 10)).reduce((a, b) => a + b, 0);
    const all = sorted.reduce((a, b) => a + b, 0);
    // A heavy head and a long tail: the top tenth of products draws three times its share of
    // the engagement (more on larger graphs), the top product ten times the median.
    expect(top / all).toBeGreaterThan(0.3);
    expect(sorted[0]!).toBeGreaterThan(10 * sorted[Math.floor(sorted.length / 2)]!);
  });

  it('hits roughly the number of triples asked for with --triples', () => {
    const r = runCli(['--triples', '40000', '--seed', '3', '--out', dir('cli'), '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    const lines = readFileSync(join(dir('cli'), 'triples.csv'), 'utf8').trimEnd().split('\n').length - 1;
    expect(lines).toBeGreaterThan(40000 * 0.85);
    expect(lines).toBeLessThan(40000 * 1.15);
    expect(sizesForTriples(1_000_000).consumers).toBe(40000);
  });

  it('prints usage on --help and rejects bad arguments with a clear message', () => {
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run seed:generate/);
    const cases: Array<[string[], RegExp]> = [
      [['--consumers', '100'], /--out DIR is required/],
      [['--out', dir('x'), '--consumers', 'ten'], /--consumers must be a positive integer, got "ten"/],
      [['--out', dir('x'), '--consumers', '10'], /--consumers must be an integer ≥ 200/],
      [['--out', dir('x'), '--seed', '1.5'], /--seed must be an integer/],
      [['--out', dir('x'), '--colour', 'red'], /Unknown option '--colour'/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(args);
      expect(r.status, args.join(' ')).not.toBe(0);
      expect(r.stderr).toMatch(message);
    }
  });
});
