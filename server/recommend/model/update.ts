import type { Database } from '../../db/neo4j.js';
import { toEntity } from '../../graph/entity.js';
import type { Vocabulary } from '../../graph/vocabulary.js';
import { roleParams } from '../settings.js';
import { newVersion } from './build.js';
import { learnSettings } from './learn-model.js';
import { withIndexes, type RecommendModel } from './model.js';
import { READ_TOUCHED_PRODUCTS } from './queries.js';
import { loadModel, servedVersion, storeModel } from './store.js';

/**
 * Bounds of a partial update (`updateModel`). Above `maxProducts` touched products the update
 * does nothing and says so: that is a bulk load, whose refresh relearns the whole model.
 */
export const updateSettings = {
  maxProducts: 500,
  /** Consumers of a touched product read, and products of each of them (RP3β's walk, bounded). */
  engagers: 500,
  perConsumer: 100,
};

export interface UpdateOutcome {
  /** The version published, or null when nothing was published (no model yet, nothing touched, too much touched). */
  version: string | null;
  products: number;
  added: number;
  reason?: string;
}

const damp = (w: unknown) => Math.log1p(Math.max(0, Number(w ?? 1) || 0));

interface Row {
  idx: number[];
  w: number[];
}

/**
 * Brings the served model up to date for the products a small write touched (a bounded
 * partial recompute, no graph-wide pass): each touched product's consumer count, interests
 * and learned neighbours are recomputed from its live neighbourhood (its consumers and their
 * other products: the RP3β walk of the full build, scaled to the model's typical row mass); a
 * product the model has never seen is added, and enters its neighbours' lists where it beats
 * their weakest entry. Existing neighbours of a product the model knows keep their learned
 * (EASE^R) weights, only new co-engagements are added: the closed form needs every product at
 * once, which is what the full relearn (`npm run model -- relearn`, every bulk load) is for.
 * The result is published as a new version, atomically and only if the served version is
 * still the one it started from (otherwise it starts again from the newer one, once).
 */
export async function updateModel(db: Database, vocabulary: Vocabulary, productIds: readonly string[], s = updateSettings): Promise<UpdateOutcome> {
  const ids = [...new Set(productIds)].sort();
  if (!ids.length) return { version: null, products: 0, added: 0, reason: 'no product was touched' };
  if (ids.length > s.maxProducts) return { version: null, products: ids.length, added: 0, reason: `more than ${s.maxProducts} products were touched: a full relearn follows bulk loads` };
  for (let attempt = 0; attempt < 2; attempt++) {
    const base = await servedVersion(db);
    if (!base) return { version: null, products: ids.length, added: 0, reason: 'no model has been built yet' };
    const m = await loadModel(db, base);
    if (!m) continue;
    const roles = roleParams(vocabulary);
    const rows = await db.read('model-update-read', READ_TOUCHED_PRODUCTS, {
      ids,
      engRels: roles.engRels,
      piRels: roles.piRels,
      engagers: s.engagers,
      perConsumer: s.perConsumer,
    });
    const next = patched(m, rows, roles.factors);
    const published = await storeModel(db, next.model, { base });
    if (published) return { version: next.model.version, products: rows.length, added: next.added };
  }
  return { version: null, products: ids.length, added: 0, reason: 'the served model changed twice while updating; the newer one is kept' };
}

/** The model with the touched products' rows recomputed (pure; exported for the unit test). */
export function patched(m: RecommendModel, rows: Record<string, unknown>[], factors: Record<string, number>): { model: RecommendModel; added: number } {
  const items = [...m.items];
  const names = [...m.names];
  const namesEn = [...m.namesEn];
  const props = [...m.props];
  const consumers = [...m.consumers];
  const itemIndex = new Map(m.itemIndex);
  const rowsOf = (lists: { ptr: Int32Array; nbr: Int32Array; w: Float32Array }, n: number): Row[] =>
    Array.from({ length: n }, (_, i) => ({ idx: [...lists.nbr.subarray(lists.ptr[i]!, lists.ptr[i + 1]!)], w: [...lists.w.subarray(lists.ptr[i]!, lists.ptr[i + 1]!)] }));
  const collab = rowsOf(m.collab, m.items.length);
  const itemInterests: number[][] = Array.from({ length: m.items.length }, (_, i) => [...m.itemInterests.idx.subarray(m.itemInterests.ptr[i]!, m.itemInterests.ptr[i + 1]!)]);
  const similar = Array.from({ length: m.items.length }, (_, i) => ({
    idx: [...m.similar.nbr.subarray(m.similar.ptr[i]!, m.similar.ptr[i + 1]!)],
    w: [...m.similar.w.subarray(m.similar.ptr[i]!, m.similar.ptr[i + 1]!)],
    rel: [...m.similar.rel.subarray(m.similar.ptr[i]!, m.similar.ptr[i + 1]!)],
  }));
  const interestRows = rowsOf(m.interestItems, m.interests.length);
  let added = 0;
  const indexOf = (id: string) => {
    let j = itemIndex.get(id);
    if (j === undefined) {
      j = items.length;
      itemIndex.set(id, j);
      items.push(id);
      names.push(id);
      namesEn.push('');
      props.push('');
      consumers.push(0);
      collab.push({ idx: [], w: [] });
      itemInterests.push([]);
      similar.push({ idx: [], w: [], rel: [] });
      added++;
    }
    return j;
  };
  // The model's typical neighbour-row mass: new walk rows are scaled to it, as the build scales RP3β to EASE^R's.
  const masses = collab.map((r) => r.w.reduce((a, b) => a + b, 0)).filter((x) => x > 0).sort((a, b) => a - b);
  const typicalMass = masses.length ? masses[Math.floor(masses.length / 2)]! : 1;
  const k = learnSettings.neighbours;
  const beta = learnSettings.rp3.beta;
  // Every touched product first (a new one may be another's neighbour); other unknown products are not added.
  const knownBefore = new Set(rows.map((r) => String(r.id)).filter((id) => itemIndex.has(id)));
  for (const r of rows) indexOf(String(r.id));
  const touched: number[] = [];
  for (const r of rows) {
    const id = String(r.id);
    const known = knownBefore.has(id);
    const i = itemIndex.get(id)!;
    touched.push(i);
    names[i] = r.name == null ? id : String(r.name);
    namesEn[i] = r.nameEn == null ? '' : String(r.nameEn);
    props[i] = toEntity(r.props as Record<string, unknown>, 'Product').properties ?? '';
    consumers[i] = Number(r.consumers);
    // RP3β's walk i → u → j over the live neighbourhood: P(i→u) · P(u→j) / deg(j)^β.
    const walk = new Map<number, number>();
    // One engager a person: its links to the product add up, as the build's interaction row does.
    const engagers = r.engagers as [string, [string, unknown][], [string, string, unknown][]][];
    const wOf = (rel: string, w: unknown) => (factors[rel] ?? 1) * damp(w) || 1e-6;
    const ownW = (links: [string, unknown][]) => links.reduce((t, [rel, w]) => t + wOf(rel, w), 0);
    const iTotal = engagers.reduce((t, e) => t + ownW(e[1]), 0) || 1;
    for (const [, links, products] of engagers) {
      const wi = ownW(links);
      const piu = wi / iTotal;
      const uTotal = products.reduce((t, x) => t + wOf(x[1], x[2]), 0) + wi;
      for (const [pj, relj, wj] of products) {
        const j = itemIndex.get(pj);
        if (pj === id || j === undefined) continue;
        const deg = Math.max(1, consumers[j]!);
        walk.set(j, (walk.get(j) ?? 0) + (piu * wOf(relj, wj)) / uTotal / deg ** beta);
      }
    }
    const walkMass = [...walk.values()].reduce((a, b) => a + b, 0);
    const scale = walkMass > 0 ? typicalMass / walkMass : 0;
    const row = new Map<number, number>();
    // A known product keeps its learned weights; only neighbours it did not have come from the walk.
    if (known) collab[i]!.idx.forEach((j, q) => row.set(j, collab[i]!.w[q]!));
    for (const [j, w] of walk) if (!row.has(j)) row.set(j, w * scale);
    const top = [...row].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k);
    collab[i] = { idx: top.map((x) => x[0]), w: top.map((x) => x[1]) };
    if (!known) {
      // A new product enters the lists of its neighbours where it beats their weakest.
      for (const [j, w] of top) {
        const other = collab[j]!;
        if (other.idx.includes(i)) continue;
        const pairs = other.idx.map((x, q) => [x, other.w[q]!] as [number, number]);
        pairs.push([i, w]);
        pairs.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
        const kept = pairs.slice(0, k);
        collab[j] = { idx: kept.map((x) => x[0]), w: kept.map((x) => x[1]) };
      }
    }
    // Interests: the product's live ones, and its place in each interest's list by weight share.
    const links = (r.interests as [string, unknown][]).map(([t, w]) => [m.interestIndex.get(String(t)), damp(w) || 1e-6] as const).filter((x): x is readonly [number, number] => x[0] !== undefined);
    itemInterests[i] = links.map((x) => x[0]);
    for (const [t, w] of links) {
      const list = interestRows[t]!;
      if (list.idx.includes(i)) continue;
      // Stored weights are shares of the interest's total weight, which is not kept: a new link takes the median share.
      void w;
      const sorted = [...list.w].sort((a, b) => a - b);
      const share = sorted.length ? sorted[Math.floor(sorted.length / 2)]! : 1;
      const pairs = list.idx.map((x, q) => [x, list.w[q]!] as [number, number]);
      pairs.push([i, share]);
      pairs.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      const kept = pairs.slice(0, learnSettings.interestTop);
      interestRows[t] = { idx: kept.map((x) => x[0]), w: kept.map((x) => x[1]) };
    }
  }
  const pack = (rs: Row[]) => {
    const ptr = new Int32Array(rs.length + 1);
    rs.forEach((r, i) => (ptr[i + 1] = ptr[i]! + r.idx.length));
    const nbr = new Int32Array(ptr[rs.length]!);
    const w = new Float32Array(ptr[rs.length]!);
    rs.forEach((r, i) => {
      nbr.set(r.idx, ptr[i]!);
      w.set(r.w, ptr[i]!);
    });
    return { ptr, nbr, w };
  };
  const sim = pack(similar);
  const simRel = new Int32Array(sim.nbr.length);
  similar.forEach((r, i) => simRel.set(r.rel, sim.ptr[i]!));
  const iPtr = new Int32Array(itemInterests.length + 1);
  itemInterests.forEach((l, i) => (iPtr[i + 1] = iPtr[i]! + l.length));
  const { itemIndex: _i, interestIndex: _t, ...rest } = m;
  const model = withIndexes({
    ...rest,
    version: newVersion(),
    builtAt: new Date().toISOString(),
    items,
    names,
    namesEn,
    props,
    consumers: Int32Array.from(consumers),
    // Added products have shown in nobody's pool yet (the next full build counts them).
    ...(m.poolExposure ? { poolExposure: Float32Array.from({ length: items.length }, (_, j) => m.poolExposure![j] ?? 0) } : {}),
    collab: pack(collab),
    itemInterests: { ptr: iPtr, idx: Int32Array.from(itemInterests.flat()) },
    interestItems: pack(interestRows),
    similar: { ...sim, rel: simRel },
    info: { ...m.info, updated_from: m.version, updated_products: touched.length, added_products: added, updated_at: new Date().toISOString() },
  });
  return { model, added };
}
