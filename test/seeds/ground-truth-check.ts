import type { GroundTruth } from '../../seeds/generator/ground-truth.js';
import { timestampSeconds, type SeedGraph } from './seed-files.js';

const close = (a: number, b: number, tol = 1e-3) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
const sec = (date: string) => Date.parse(date + 'T00:00:00Z') / 1000;

/**
 * Everything in which a ground-truth file disagrees with the graph its triple file describes
 * (empty when they agree): counts, opportunity consumers and supply, demand-link figures and
 * ranks, trend counts and direction, lookalike members and their signature.
 */
export function groundTruthProblems(gt: GroundTruth, g: SeedGraph): string[] {
  const problems: string[] = [];
  const fail = (msg: string) => problems.push(msg);
  const total = g.consumers.size;

  for (const [rel, n] of Object.entries(gt.counts.byRelation)) {
    if (g.byRelation[rel] !== n) fail(`counts.byRelation.${rel} = ${n}, files have ${g.byRelation[rel]}`);
  }
  // Consumer ids in the files; with multi-id persons, the planted figures below are over persons.
  if (gt.counts.entities.Consumer !== g.rawConsumers.size) fail(`counts.entities.Consumer = ${gt.counts.entities.Consumer}, files have ${g.rawConsumers.size}`);
  if (gt.persons && gt.persons.total !== total) fail(`persons.total = ${gt.persons.total}, the files link ${total}`);
  if (!gt.persons && total !== g.rawConsumers.size) fail(`${g.rawConsumers.size} consumer ids make ${total} persons, and the ground truth lists none`);

  const interestConsumers = new Map<string, number>();
  for (const set of g.consumerInterests.values()) for (const i of set) interestConsumers.set(i, (interestConsumers.get(i) ?? 0) + 1);
  const productConsumers = new Map<string, number>();
  for (const set of g.consumerProducts.values()) for (const p of set) productConsumers.set(p, (productConsumers.get(p) ?? 0) + 1);

  for (const o of gt.opportunities) {
    let together = 0;
    for (const set of g.consumerInterests.values()) if (o.interests.every((i) => set.has(i))) together++;
    if (together !== o.measured.consumers) fail(`${o.id}: ${together} consumers share ${o.interests}, ground truth says ${o.measured.consumers}`);
    if (together < o.plantedConsumers) fail(`${o.id}: only ${together} consumers share ${o.interests}, ${o.plantedConsumers} planted`);
    const expected = o.interests.reduce((acc, i) => acc * ((interestConsumers.get(i) ?? 0) / total), 1);
    if (!close(together / total / expected, o.measured.lift)) fail(`${o.id}: lift ${together / total / expected} ≠ ${o.measured.lift}`);
    const serving = [...g.productInterests].filter(([, set]) => o.interests.every((i) => set.has(i))).map(([p]) => p).sort();
    if (serving.join() !== [...o.measured.servingProducts].sort().join()) fail(`${o.id}: products serving it ${serving}, ground truth ${o.measured.servingProducts}`);
    if (!o.servingProducts.every((p) => serving.includes(p))) fail(`${o.id}: planted serving products ${o.servingProducts} do not relate to all of ${o.interests}`);
    if (serving.length > 1) fail(`${o.id}: ${serving.length} products serve it, an opportunity has at most one`);
  }

  for (const l of gt.demandLinks) {
    const sourceSet = (c: string) => (l.source.type === 'Interest' ? g.consumerInterests.get(c) : g.consumerProducts.get(c));
    const targetSet = (c: string) => (l.target.type === 'Interest' ? g.consumerInterests.get(c) : g.consumerProducts.get(c));
    const counts = new Map<string, number>();
    let sourceConsumers = 0;
    for (const c of g.consumers) {
      if (!sourceSet(c)?.has(l.source.id)) continue;
      sourceConsumers++;
      for (const t of targetSet(c) ?? []) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    const base = l.target.type === 'Interest' ? interestConsumers : productConsumers;
    const stat = (t: string) => {
      const support = counts.get(t) ?? 0;
      const confidence = support / sourceConsumers;
      return { support, confidence, lift: confidence / ((base.get(t) ?? 0) / total) };
    };
    const s = stat(l.target.id);
    const name = `${l.source.id} → ${l.target.id}`;
    if (s.support !== l.measured.support || sourceConsumers !== l.measured.sourceConsumers) fail(`${name}: support ${s.support}/${sourceConsumers} ≠ ground truth`);
    if (!close(s.confidence, l.measured.confidence) || !close(s.lift, l.measured.lift)) fail(`${name}: confidence/lift ${s.confidence}/${s.lift} ≠ ground truth`);
    const candidates = [...counts.keys()].filter((t) => counts.get(t)! >= 5 && !(t === l.source.id && l.source.type === l.target.type));
    const rank = (key: 'lift' | 'confidence') => 1 + candidates.filter((t) => stat(t)[key] > s[key]).length;
    if (rank('lift') !== l.measured.rankByLift || rank('confidence') !== l.measured.rankByConfidence) fail(`${name}: ranks ${rank('lift')}/${rank('confidence')} ≠ ground truth`);
    if (s.confidence < l.strength * 0.7) fail(`${name}: confidence ${s.confidence} far below the planted ${l.strength}`);
  }

  for (const t of gt.trends) {
    const times = g.interestTimes.get(t.interest) ?? [];
    const inPeriod = (p: { from: string; to: string }) => times.filter((x) => x >= sec(p.from) && x < sec(p.to)).length;
    const a = inPeriod(t.periodA);
    const b = inPeriod(t.periodB);
    if (a !== t.measured.countA || b !== t.measured.countB) fail(`trend ${t.interest}: ${a} → ${b} rows, ground truth ${t.measured.countA} → ${t.measured.countB}`);
    if (t.growth > 1 && !(b > a * 1.5)) fail(`trend ${t.interest}: planted rising ×${t.growth}, files show ${a} → ${b}`);
    if (t.growth < 1 && !(b < a * 0.75)) fail(`trend ${t.interest}: planted falling ×${t.growth}, files show ${a} → ${b}`);
  }

  for (const l of gt.lookalikeGroups) {
    for (const c of [...l.seeds, ...l.members]) {
      if (!g.consumers.has(c)) fail(`${l.id}: consumer ${c} is not in the files`);
      const bought = g.consumerPurchases.get(c) ?? new Set();
      const missing = l.signatureProducts.filter((p) => !bought.has(p));
      if (missing.length) fail(`${l.id}: ${c} did not purchase ${missing}`);
      const ints = g.consumerInterests.get(c) ?? new Set();
      if (!l.signatureInterests.every((i) => ints.has(i))) fail(`${l.id}: ${c} lacks the signature interests`);
    }
    if (new Set([...l.seeds, ...l.members]).size !== l.seeds.length + l.members.length) fail(`${l.id}: a seed is also listed as a member`);
  }
  return problems;
}

/** Timestamp bounds of a ground truth's window, in seconds. */
export function windowSeconds(gt: GroundTruth): { from: number; to: number } {
  return { from: timestampSeconds(gt.window.from + 'T00:00:00Z')!, to: timestampSeconds(gt.window.to + 'T00:00:00Z')! };
}
