import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../seeds/generator/demo.js';
import { ENTITY_HEADER, TRIPLE_HEADER } from '../../seeds/generator/generate.js';
import type { GroundTruth } from '../../seeds/generator/ground-truth.js';
import { groundTruthProblems, windowSeconds } from './ground-truth-check.js';
import { checkEntityFile, checkTripleFile, indexGraph, normaliseIdentifier, stitchPersons } from './seed-files.js';

const demo = join(process.cwd(), 'seeds', 'demo');
const gt = JSON.parse(readFileSync(join(demo, 'ground-truth.json'), 'utf8')) as GroundTruth;
const triples = checkTripleFile(join(demo, 'triples.csv'), windowSeconds(gt));
const entities = checkEntityFile(join(demo, 'entities.csv'));
const consumers = checkEntityFile(join(demo, 'consumers.csv'));
const schema = JSON.parse(readFileSync(join(demo, 'schema.json'), 'utf8')) as { consumerIdentifiers: string[] };
const stitched = stitchPersons(triples.rows, consumers.rows, schema.consumerIdentifiers);
// The planted figures are over persons: one person's rows across its ids count once.
const graph = indexGraph(triples.rows, stitched.personOf);
const rawGraph = indexGraph(triples.rows);
const tmp = mkdtempSync(join(tmpdir(), 'kg-seeds-demo-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('demo seeds (seeds/demo)', () => {
  it('are exactly what npm run seed:demo generates', () => {
    generateDemo(tmp);
    for (const f of ['entities.csv', 'triples.csv', 'consumers.csv', 'schema.json', 'ground-truth.json']) {
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
    expect(graph.rawConsumers.size).toBe(2800);
    expect(consumers.header).toEqual(['id', 'type', 'name', 'phone']);
    expect(consumers.errors).toEqual([]);
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

  it('link 400 persons under three ids each, and the files’ own links form exactly the ground-truth persons', () => {
    const persons = gt.persons!;
    expect(schema).toEqual({ consumerIdentifiers: ['phone'] });
    expect(persons.identifierColumns).toEqual(['phone']);
    expect(persons.total).toBe(2000);
    expect(persons.multiId).toHaveLength(400);
    expect(persons.linkedBy).toEqual({ 'same-as': 200, phone: 100, both: 100 });
    expect(persons.multiId.filter((p) => p.linkedBy === 'same-as')).toHaveLength(200);
    for (const p of persons.multiId) {
      expect(p.ids, p.id).toHaveLength(3);
      expect(p.ids[0], p.id).toMatch(/^u\d{6}$/);
      expect(p.ids[1], p.id).toMatch(/^wx_[0-9A-Za-z]{16}$/);
      expect(p.ids[2], p.id).toMatch(/^vip\d{10}$/);
    }
    const key = (ids: string[]) => [...ids].sort().join(' ');
    const truth = persons.multiId.map((p) => key(p.ids)).sort();
    const found = stitched.components.map(key).sort();
    expect(found).toEqual(truth);
    // Every other consumer is a person of its own: 2,800 ids, 2,000 persons.
    expect(new Set(stitched.personOf.values()).size).toBe(2000);
  });

  it('link each kind of person only as the ground truth says (neither link alone joins a "both" person)', () => {
    const sameAsOnly = stitchPersons(triples.rows, [], []).components.map((c) => c.join(' '));
    const phoneOnly = stitchPersons(triples.rows.filter((r) => r.relation !== 'SAME_AS'), consumers.rows, ['phone']).components.map((c) => c.join(' '));
    for (const p of gt.persons!.multiId) {
      const all = [...p.ids].sort().join(' ');
      expect(sameAsOnly.includes(all), `${p.id} by SAME_AS alone`).toBe(p.linkedBy === 'same-as');
      expect(phoneOnly.includes(all), `${p.id} by phone alone`).toBe(p.linkedBy === 'phone');
    }
    // The "both" persons: SAME_AS joins CRM and social, the phone social and loyalty.
    const both = gt.persons!.multiId.find((p) => p.linkedBy === 'both')!;
    expect(sameAsOnly).toContain([both.ids[0]!, both.ids[1]!].sort().join(' '));
    expect(phoneOnly).toContain([both.ids[1]!, both.ids[2]!].sort().join(' '));
  });

  it('give every id of a person some of its rows, and phones that are made up and written several ways', () => {
    const rowsBy = new Map<string, number>();
    for (const t of triples.rows) if (t.subject_type === 'Consumer' && t.relation !== 'SAME_AS') rowsBy.set(t.subject!, (rowsBy.get(t.subject!) ?? 0) + 1);
    for (const p of gt.persons!.multiId) for (const id of p.ids) expect(rowsBy.get(id) ?? 0, `${p.id} ${id}`).toBeGreaterThan(0);
    const digits = consumers.rows.map((r) => normaliseIdentifier('phone', r.phone!));
    // 11 digits starting 12: no Chinese mobile number does.
    for (const d of digits) expect(d).toMatch(/^12\d{9}$/);
    expect(new Set(consumers.rows.map((r) => r.phone)).size).toBeGreaterThan(new Set(digits).size);
    // The split moved rows, it added none: the person-level counts are the generator's.
    expect(rawGraph.byRelation).toEqual(graph.byRelation);
  });

  it('show weaker stories over raw ids than over persons (so stitching is what recovers them)', () => {
    const raw = groundTruthProblems(gt, rawGraph);
    expect(raw.some((m) => /support .* ≠ ground truth/.test(m))).toBe(true);
  });
});
