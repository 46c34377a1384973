import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/neo4j.js';
import type { Vocabulary } from '../../graph/vocabulary.js';
import { roleParams } from '../settings.js';
import { toEntity } from '../../graph/entity.js';
import { learnModel, learnSettings, type LearnSettings } from './learn-model.js';
import { modelBytes, type RecommendModel } from './model.js';
import { READ_ENGAGEMENTS, READ_INTERESTS, READ_PRODUCT_INTERESTS, READ_PRODUCT_LINKS, READ_PRODUCTS, READ_REVISIT, READ_TAXONOMY } from './queries.js';
import { storeModel } from './store.js';

const long = { timeoutMs: 1_800_000 };
const damp = (w: unknown) => Math.log1p(Math.max(0, Number(w ?? 1) || 0));

/** A new, sortable, unique model version: build time in base 36 plus random bits. */
export const newVersion = () => `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;

/**
 * Reads what the model learns from (engagements, products, interests and their affinities),
 * learns it (learn-model.ts) and stores it as a new published version (store.ts). Weights
 * are damped with log1p (play counts run to 350,000) and multiplied by the role factor
 * (purchase 1, view 0.3), as the walk engine did.
 */
export async function buildModel(
  db: Database,
  vocabulary: Vocabulary,
  s: LearnSettings = learnSettings,
  log: (line: string) => void = () => {},
  /** Runs on the learned model before it is stored (the recommend step's pool exposure), so the stored version is whole. */
  complete?: (m: RecommendModel) => Promise<void>,
): Promise<RecommendModel> {
  const t0 = performance.now();
  const roles = roleParams(vocabulary);
  const strongRels = new Set(roles.strongRels);
  const engagements: { user: string; item: string; w: number }[] = [];
  const strong = new Set<string>();
  for (const r of await db.read('model-read-engagements', READ_ENGAGEMENTS, { engRels: roles.engRels }, long)) {
    const user = String(r.consumer);
    const item = String(r.product);
    const rel = String(r.rel);
    engagements.push({ user, item, w: (roles.factors[rel] ?? 1) * damp(r.weight) || 1e-6 });
    if (strongRels.has(rel)) strong.add(`${user}\u0000${item}`);
  }
  const products = (await db.read('model-read-products', READ_PRODUCTS, {}, long)).map((r) => ({
    id: String(r.id),
    name: r.name == null ? String(r.id) : String(r.name),
    nameEn: r.nameEn == null ? '' : String(r.nameEn),
    // The Entity's `properties`, shaped once here so serving needs no read for it.
    props: toEntity(r.props as Record<string, unknown>, 'Product').properties ?? '',
  }));
  const interests = (await db.read('model-read-interests', READ_INTERESTS, {}, long)).map((r) => ({
    id: String(r.id),
    name: r.name == null ? String(r.id) : String(r.name),
    nameEn: r.nameEn == null ? '' : String(r.nameEn),
  }));
  const taxonomy = (await db.read('model-read-taxonomy', READ_TAXONOMY, { taxRels: roles.taxRels }, long)).map((r) => ({
    narrower: String(r.narrower),
    broader: String(r.broader),
    rel: String(r.rel),
  }));
  const productLinks = (await db.read('model-read-product-links', READ_PRODUCT_LINKS, { ppRels: roles.ppRels }, long)).map((r) => ({
    a: String(r.a),
    b: String(r.b),
    rel: String(r.rel),
    w: damp(r.weight),
  }));
  const productInterests = (await db.read('model-read-product-interests', READ_PRODUCT_INTERESTS, { piRels: roles.piRels }, long)).map((r) => ({
    product: String(r.product),
    interest: String(r.interest),
    w: damp(r.weight) || 1e-6,
  }));
  const meta = await db.read('model-read-revisit', READ_REVISIT);
  const readSeconds = (performance.now() - t0) / 1000;
  log(`model: read ${engagements.length} engagements, ${products.length} products, ${interests.length} interests, ${taxonomy.length} taxonomy and ${productLinks.length} product links in ${readSeconds.toFixed(1)} s; learning…`);
  const model = learnModel({ engagements, strong, products, interests, productInterests, taxonomy, productLinks, revisitViewed: Boolean(meta[0]?.revisitViewed) }, newVersion(), s, log);
  model.info.read_seconds = Number(readSeconds.toFixed(1));
  if (complete) await complete(model);
  model.info.memory_mb = Number((modelBytes(model) / 2 ** 20).toFixed(1));
  const t1 = performance.now();
  log(`model ${model.version}: learned in ${model.info.build_seconds} s; storing…`);
  await storeModel(db, model, { log });
  model.info.store_seconds = Number(((performance.now() - t1) / 1000).toFixed(1));
  log(`model ${model.version}: ${JSON.stringify(model.info)}`);
  return model;
}
