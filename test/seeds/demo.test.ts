import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../seeds/generator/demo.js';
import { ENTITY_HEADER, TRIPLE_HEADER } from '../../seeds/generator/generate.js';
import type { GroundTruth } from '../../seeds/generator/ground-truth.js';
import { groundTruthProblems, windowSeconds } from './ground-truth-check.js';
import { checkEntityFile, checkTripleFile, indexGraph } from './seed-files.js';

const demo = join(process.cwd(), 'seeds', 'demo');
const gt = JSON.parse(readFileSync(join(demo, 'ground-truth.json'), 'utf8')) as GroundTruth;
const triples = checkTripleFile(join(demo, 'triples.csv'), windowSeconds(gt));
const entities = checkEntityFile(join(demo, 'entities.csv'));
const graph = indexGraph(triples.rows);
const tmp = mkdtempSync(join(tmpdir(), 'kg-seeds-demo-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('demo seeds (seeds/demo)', () => {
  it('are exactly what npm run seed:demo generates', () => {
    generateDemo(tmp);
    for (const f of ['entities.csv', 'triples.csv', 'ground-truth.json']) {
      expect(readFileSync(join(tmp, f)).equals(readFileSync(join(demo, f))), `${f} differs: run npm run seed:demo`).toBe(true);
    }
  });

  it('are valid files of the demo size, with every core relation', () => {
    expect(triples.header).toEqual([...TRIPLE_HEADER]);
    expect(entities.header).toEqual([...ENTITY_HEADER]);
    expect(triples.errors).toEqual([]);
    expect(entities.errors).toEqual([]);
    expect(triples.rows.length).toBeGreaterThanOrEqual(60_000);
    expect(graph.consumers.size).toBe(2000);
    expect(entities.rows.filter((e) => e.type === 'Product')).toHaveLength(300);
    expect(entities.rows.filter((e) => e.type === 'Interest')).toHaveLength(150);
    for (const rel of ['PURCHASED', 'VIEWED', 'INTERESTED_IN', 'RELATES_TO', 'SUBTOPIC_OF', 'FOLLOWS', 'SIMILAR_TO']) {
      expect(graph.byRelation[rel], rel).toBeGreaterThan(50);
    }
    const ids = entities.rows.map((e) => `${e.type}:${e.id}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('name products and interests in Chinese with English names', () => {
    const han = /\p{Script=Han}/u;
    for (const e of entities.rows) {
      expect(e.name_en, e.id).toMatch(/^[\x20-\x7e’×·é]+$/);
    }
    expect(entities.rows.filter((e) => han.test(e.name!)).length).toBeGreaterThan(entities.rows.length * 0.9);
    const byId = new Map(entities.rows.map((e) => [e.id, e]));
    expect(byId.get('camping')?.name).toBe('露营');
    expect(byId.get('suv')?.name_en).toBe('SUVs');
  });

  it('have an interest taxonomy: every interest but the twelve sector roots has a parent', () => {
    const parents = new Map(triples.rows.filter((t) => t.relation === 'SUBTOPIC_OF').map((t) => [t.subject!, t.object!]));
    expect(parents.size).toBe(150 - 12);
    expect(parents.get('glamping')).toBe('camping');
    expect(parents.get('camping')).toBe('outdoor');
  });

  it('plant the stories of the README, and the ground truth agrees with the files', () => {
    expect(groundTruthProblems(gt, graph)).toEqual([]);
    const link = (s: string, t: string) => gt.demandLinks.find((l) => l.source.id === s && l.target.id === t);
    // SUV ↔ camping ↔ coffee: the strongest cross-category links of their sources.
    for (const [s, t] of [['suv', 'camping'], ['camping', 'pour-over'], ['camping', 'coffee-15'], ['cat', 'robot-vacuum']] as const) {
      const m = link(s, t)!.measured;
      expect(Math.min(m.crossClusterRankByLift, m.crossClusterRankByConfidence), `${s} → ${t}`).toBe(1);
      expect(Math.max(m.crossClusterRankByLift, m.crossClusterRankByConfidence), `${s} → ${t}`).toBeLessThanOrEqual(3);
    }
    expect(gt.opportunities.map((o) => o.interests.join('+'))).toEqual(['dog+camping', 'pregnancy+sensitive-skin', 'cat+cafe-hopping+reading']);
    for (const o of gt.opportunities) expect(o.measured.consumers).toBeGreaterThanOrEqual(60);
    const glamping = gt.trends.find((t) => t.interest === 'glamping')!;
    expect(glamping.periodB).toEqual({ from: '2026-05-01', to: '2026-11-01' });
    expect(glamping.measured.growth).toBeGreaterThan(2);
    expect(gt.lookalikeGroups.map((l) => l.seeds.length)).toEqual([3, 3]);
  });
});
