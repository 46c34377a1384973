/**
 * Insight latency benchmark: builds a planted synthetic graph of about N triples (consumers in
 * interest communities, products, cross-community opportunity pairs without products, a rising
 * interest), runs the post-load refresh, then times demandLinks, paths, productOpportunities,
 * segments and trends through GraphQL and checks the planted structure is found.
 *
 *   npm run bench:insights -- [--triples 1000000] [--runs 30] [--keep] [--json]
 *
 * Uses NEO4J_URI/NEO4J_PASSWORD (your own throw-away database: it writes `bench-` ids and,
 * unless --keep, removes them afterwards).
 */
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { createApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { createDriver, Database } from '../server/db/neo4j.js';
import { applySchema } from '../server/graph/setup.js';
import { refreshDerived } from '../server/domains.js';
import { coreVocabulary } from '../server/graph/vocabulary.js';
import { summarize } from './percentiles.js';

const args = process.argv.slice(2);
const flag = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(args[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
};
if (args.includes('--help')) {
  console.log('usage: npm run bench:insights -- [--triples N] [--runs R] [--keep] [--skip-build] [--json]');
  process.exit(0);
}
const triples = flag('triples', 1_000_000);
const runs = flag('runs', 30);
const json = args.includes('--json');
const log = (...m: unknown[]) => (json ? console.error(...m) : console.log(...m));

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Shape: each consumer ~50 triples (10 interests, 15 purchases, 25 views).
const consumers = Math.max(200, Math.round(triples / 50));
const communities = 15;
const interestsPer = 20;
const interests = communities * interestsPer;
const products = Math.max(100, Math.round(consumers / 10));
const DAY = 86_400;
const END = 1_735_689_600; // 2025-01-01
const rand = rng(42);
const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
// Zipf-ish: low indexes popular.
const zipf = (n: number) => Math.min(n - 1, Math.floor(n * Math.pow(rand(), 2.2)));
const iKey = (c: number, j: number) => `bench-i${c}-${j}`;

/** Planted opportunities: pairs of interests in different communities shared by many, served by nothing. */
const planted = Array.from({ length: 5 }, (_, n) => ({ a: iKey(n, 15 + n % 5), b: iKey(n + 5, 16 + n % 4), consumers: 0 }));
const rising = iKey(12, 12);

async function build(db: Database) {
  log(`building ~${triples} triples: ${consumers} consumers, ${products} products, ${interests} interests`);
  const t0 = performance.now();
  const nodes: { type: string; id: string; name: string }[] = [];
  for (let c = 0; c < communities; c++) for (let j = 0; j < interestsPer; j++) nodes.push({ type: 'Interest', id: iKey(c, j), name: `interest ${c}.${j}` });
  for (let p = 0; p < products; p++) nodes.push({ type: 'Product', id: `bench-p${p}`, name: `product ${p}` });
  for (let c = 0; c < consumers; c++) nodes.push({ type: 'Consumer', id: `bench-c${c}`, name: `bench-c${c}` });
  for (const type of ['Interest', 'Product', 'Consumer']) {
    const rows = nodes.filter((n) => n.type === type);
    for (let i = 0; i < rows.length; i += 10_000) {
      await db.write('bench-nodes', `UNWIND $rows AS r CREATE (n:Entity:${type} {id: r.id, key: '${type}:' + r.id, name: r.name})`, { rows: rows.slice(i, i + 10_000) }, { timeoutMs: 600_000 });
    }
  }
  const rels = new Map<string, { s: string; o: string; w: number; ts: number }[]>();
  const add = (rel: string, s: string, o: string, w: number, ts: number) => {
    const list = rels.get(rel) ?? [];
    list.push({ s, o, w, ts });
    rels.set(rel, list);
  };
  // Taxonomy: member j>0 is a subtopic of member 0 of its community.
  for (let c = 0; c < communities; c++) for (let j = 1; j < interestsPer; j++) add('SUBTOPIC_OF', `Interest:${iKey(c, j)}`, `Interest:${iKey(c, 0)}`, 1, END);
  const productCommunity: number[] = [];
  const productsOf: number[][] = Array.from({ length: communities }, () => []);
  for (let p = 0; p < products; p++) {
    const c = p % communities;
    productCommunity.push(c);
    productsOf[c]!.push(p);
    const used = new Set<number>();
    for (let k = 0; k < 3; k++) {
      const j = 1 + zipf(interestsPer - 1);
      if (used.has(j)) continue;
      used.add(j);
      // Planted opportunity interests get no products relating to both members (they get none at all).
      if (planted.some((o) => o.a === iKey(c, j) || o.b === iKey(c, j))) continue;
      add('RELATES_TO', `Product:bench-p${p}`, `Interest:${iKey(c, j)}`, 1 + Math.floor(rand() * 3), END);
    }
  }
  for (let i = 0; i < consumers; i++) {
    const c = i % communities;
    const who = `Consumer:bench-c${i}`;
    const mine = new Set<string>();
    const ts = () => END - Math.floor(rand() * 730) * DAY;
    while (mine.size < 8) mine.add(iKey(c, 1 + zipf(interestsPer - 1)));
    while (mine.size < 10) mine.add(iKey(Math.floor(rand() * communities), 1 + zipf(interestsPer - 1)));
    // Planted demand: 4% of all consumers share each planted pair.
    planted.forEach((o, n) => {
      if ((i * 7 + n * 13) % 25 === 0) {
        mine.add(o.a);
        mine.add(o.b);
        o.consumers++;
      }
    });
    for (const k of mine) add('INTERESTED_IN', who, `Interest:${k}`, 1, k === rising ? END - Math.floor(rand() * 180) * DAY : ts());
    // Rising interest: extra consumers join it in the last six months.
    if (i % 9 === 0 && !mine.has(rising)) add('INTERESTED_IN', who, `Interest:${rising}`, 1, END - Math.floor(rand() * 180) * DAY);
    const bought = new Set<number>();
    for (let k = 0; k < 15; k++) bought.add(rand() < 0.85 ? pick(productsOf[c]!) : Math.floor(rand() * products));
    for (const p of bought) add('PURCHASED', who, `Product:bench-p${p}`, 1 + Math.floor(rand() * 5), ts());
    const seen = new Set<number>();
    for (let k = 0; k < 25; k++) seen.add(rand() < 0.7 ? productsOf[c]![zipf(productsOf[c]!.length)]! : Math.floor(rand() * products));
    for (const p of seen) add('VIEWED', who, `Product:bench-p${p}`, 1, ts());
  }
  let total = 0;
  for (const [rel, list] of rels) {
    for (let i = 0; i < list.length; i += 20_000) {
      await db.write(
        'bench-rels',
        `UNWIND $rows AS r MATCH (a:Entity {key: r.s}), (b:Entity {key: r.o})
         CREATE (a)-[x:${rel} {weight: toFloat(r.w), count: 1, firstTs: toFloat(r.ts), lastTs: toFloat(r.ts)}]->(b)`,
        { rows: list.slice(i, i + 20_000) },
        { timeoutMs: 600_000 },
      );
    }
    total += list.length;
    log(`  ${rel}: ${list.length}`);
  }
  log(`built ${total} triples in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return total;
}

/** Removes the bench data: relationships first in batches (hub nodes are too big for one transaction), then nodes. */
async function clean(db: Database) {
  await db.autoCommit('bench-clean-rels', "MATCH (n:Entity)-[r]->() WHERE n.id STARTS WITH 'bench-' CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS", {}, { timeoutMs: 900_000 });
  await db.autoCommit('bench-clean', "MATCH (n:Entity) WHERE n.id STARTS WITH 'bench-' CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS", {}, { timeoutMs: 900_000 });
}

async function main() {
  const config = loadConfig();
  if (!config.neo4j.uri || !config.neo4j.password) throw new Error('set NEO4J_URI and NEO4J_PASSWORD to a throw-away database');
  const db = new Database(createDriver({ ...config.neo4j, uri: config.neo4j.uri, password: config.neo4j.password }), config.neo4j.database, 600_000);
  await applySchema(db, coreVocabulary);
  let total = 0;
  if (!args.includes('--skip-build')) {
    await clean(db);
    total = await build(db);
    const t0 = performance.now();
    await refreshDerived(db, coreVocabulary);
    log(`refreshDerived (degrees, pairs, opportunities, segments): ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const app = createApp({ db, config: { ...config, logLevel: 'silent' }, logger: pino({ level: 'silent' }), vocabulary: coreVocabulary });
  const gql = async (query: string) => {
    const res = await app.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const body = (await res.json()) as { data?: any; errors?: { message: string }[] };
    if (body.errors) throw new Error(body.errors.map((e) => e.message).join('; '));
    return body.data;
  };
  const queries: Record<string, () => string> = {
    demandLinks: () => `{ demandLinks(id: "${iKey(Math.floor(rand() * communities), 1 + zipf(19))}", type: Interest, targetType: Interest) { entity { key } support lift zScore } }`,
    demandLinksToProducts: () => `{ demandLinks(id: "${iKey(Math.floor(rand() * communities), 1 + zipf(19))}", type: Interest, targetType: Product) { entity { key } support lift } }`,
    paths: () => `{ paths(from: "Product:bench-p${Math.floor(rand() * products)}", to: "${`Interest:${iKey(Math.floor(rand() * communities), 1 + zipf(19))}`}", maxLength: 4) { relations strength } }`,
    productOpportunities: () => `{ productOpportunities(first: 10) { interests { key } consumers lift gapScore closestProducts { key } adjacentInterests { key } segments { segmentId consumers } } }`,
    segments: () => '{ segments { id name consumers interests { key } } }',
    trend: () => `{ trend(id: "${iKey(Math.floor(rand() * communities), 1 + zipf(19))}", type: Interest) { growth before { sourceConsumers } after { sourceConsumers } } }`,
    risingInterests: () => '{ risingInterests(first: 10) { interests { entity { key } growth zScore } } }',
  };
  const latency: Record<string, { p50: number; p95: number; max: number }> = {};
  for (const [name, q] of Object.entries(queries)) {
    await gql(q()); // warm-up: plan cache
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await gql(q());
      times.push(performance.now() - t);
    }
    const s = summarize(times);
    latency[name] = { p50: s.p50, p95: s.p95, max: s.max };
    log(`${name.padEnd(24)} p50 ${latency[name]!.p50.toFixed(1)} ms  p95 ${latency[name]!.p95.toFixed(1)} ms`);
  }
  // Planted structure.
  const top = await gql('{ productOpportunities(first: 10) { interests { key } } }');
  const found = top.productOpportunities.map((o: any) => o.interests.map((i: any) => i.key.replace('Interest:', '')).sort().join('|'));
  const plantedIds = planted.map((o) => [o.a, o.b].sort().join('|'));
  const hits = plantedIds.filter((p) => found.some((f: string) => f === p || f.split('|').length > 2 && p.split('|').every((x) => f.includes(x))));
  const rise = await gql('{ risingInterests(first: 5) { interests { entity { key } } } }');
  const risingFound = rise.risingInterests.interests.some((i: any) => i.entity.key === `Interest:${rising}`);
  const links = await Promise.all(planted.map((o) => gql(`{ demandLinks(id: "${o.a}", type: Interest, targetType: Interest, first: 5) { entity { key } } }`)));
  const linkHits = links.filter((d, n) => d.demandLinks.some((l: any) => l.entity.key === `Interest:${planted[n]!.b}`)).length;
  const result = {
    triples: total || undefined,
    consumers,
    latency_ms: latency,
    opportunities: { planted: plantedIds.length, recall_at_10: hits.length / plantedIds.length, precision_at_10: hits.length / Math.max(1, found.length) },
    demand_links_top5_recall: linkHits / planted.length,
    rising_interest_in_top5: risingFound,
  };
  if (json) console.log(JSON.stringify(result));
  else console.log(JSON.stringify(result, null, 2));
  if (!args.includes('--keep')) {
    await clean(db);
    await refreshDerived(db, coreVocabulary);
  }
  await db.close();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
