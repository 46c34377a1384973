import { DROP_CO_ENGAGED_RELATIONSHIPS, READ_CONSUMER_WALKS, READ_PRODUCT_POPULARITY, readProductStepsQuery, WRITE_CO_ENGAGEMENT } from './queries.js';
import type { Database } from '../db/neo4j.js';
import { affinitySettings, roleParams } from './settings.js';
import type { Vocabulary } from '../graph/vocabulary.js';

interface Walk {
  total: number;
  ids: string[];
  ps: number[];
}

export interface Neighbour {
  id: string;
  co: number;
  shared: number;
}

type Settings = Pick<typeof affinitySettings, 'neighbours' | 'consumerCap' | 'beta'>;

/**
 * The two-step walk product → consumer → product for one product: co = Σ P(i→u)·P(u→j) over
 * its `consumerCap` strongest consumers (P(i→u) relative to the consumer's activity, so
 * specific tastes count most), keeping the `neighbours` best by co / (consumers_j + 1)^β
 * among the 3 × `neighbours` with the highest co.
 */
export function neighboursOf(
  product: string,
  steps: readonly { consumer: string; p: number }[],
  walks: ReadonlyMap<string, Walk>,
  consumersOf: ReadonlyMap<string, number>,
  s: Settings,
): Neighbour[] {
  const strongest = steps
    .map((x) => ({ walk: walks.get(x.consumer)!, p: x.p }))
    .filter((x) => x.walk)
    .sort((a, b) => b.p / b.walk.total - a.p / a.walk.total)
    .slice(0, s.consumerCap);
  const co = new Map<string, { co: number; shared: number }>();
  for (const { walk, p } of strongest) {
    for (let k = 0; k < walk.ids.length; k++) {
      const j = walk.ids[k]!;
      if (j === product) continue;
      const cur = co.get(j);
      if (cur) {
        cur.co += p * walk.ps[k]!;
        cur.shared++;
      } else co.set(j, { co: p * walk.ps[k]!, shared: 1 });
    }
  }
  const discounted = (n: Neighbour) => n.co / (((consumersOf.get(n.id) ?? 0) + 1) ** s.beta);
  return [...co]
    .map(([id, v]) => ({ id, ...v }))
    .sort((a, b) => b.co - a.co)
    .slice(0, s.neighbours * 3)
    .sort((a, b) => discounted(b) - discounted(a))
    .slice(0, s.neighbours);
}

/**
 * Rebuilds every product's co-engagement neighbours (`_coIds`/`_coW`/`_coN`). The walk lists and first steps are read
 * from Neo4j and multiplied here: a sparse product the database's interpreted runtime took
 * minutes for (MovieLens: 160 s) takes seconds in memory; writing is batched by product.
 */
export async function refreshCoEngagement(db: Database, vocabulary: Vocabulary, s: Settings = affinitySettings): Promise<void> {
  const long = { timeoutMs: 1_800_000 };
  const walks = new Map<string, Walk>();
  for (const r of await db.read('derived-co-walks', READ_CONSUMER_WALKS, {}, long)) {
    walks.set(String(r.id), { total: Number(r.total), ids: r.ids as string[], ps: r.ps as number[] });
  }
  const steps = new Map<string, { consumer: string; p: number }[]>();
  for (const r of await db.read('derived-co-steps', readProductStepsQuery(vocabulary), { factors: roleParams(vocabulary).factors }, long)) {
    const product = String(r.product);
    let list = steps.get(product);
    if (!list) steps.set(product, (list = []));
    list.push({ consumer: String(r.consumer), p: Number(r.p) });
  }
  const consumersOf = new Map<string, number>();
  for (const r of await db.read('derived-co-popularity', READ_PRODUCT_POPULARITY, {}, long)) consumersOf.set(String(r.id), Number(r.consumers));

  const batch: { id: string; ids: string[]; co: number[]; shared: number[] }[] = [];
  let size = 0;
  const flush = async () => {
    if (!batch.length) return;
    await db.write('derived-co-write', WRITE_CO_ENGAGEMENT, { products: batch }, long);
    batch.length = 0;
    size = 0;
  };
  // Every product, so one that lost all its consumers also loses its old neighbours.
  for (const product of consumersOf.keys()) {
    const ns = neighboursOf(product, steps.get(product) ?? [], walks, consumersOf, s);
    batch.push({ id: product, ids: ns.map((n) => n.id), co: ns.map((n) => n.co), shared: ns.map((n) => n.shared) });
    size += ns.length + 1;
    if (size >= 50_000) await flush();
  }
  await flush();
  await db.autoCommit('derived-co-drop-relationships', DROP_CO_ENGAGED_RELATIONSHIPS, {}, long);
}
