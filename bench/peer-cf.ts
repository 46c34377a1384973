import { peerCollaborativeFilter } from './queries.js';
import type { Database } from '../server/db/neo4j.js';
import { ndcgAt } from '../server/eval/metrics.js';
import type { Vocabulary } from '../server/graph/vocabulary.js';
import { graphqlPost } from './graphql-post.js';
import { summarize, type LatencySummary } from './percentiles.js';

export interface HeldOutConsumer {
  /** Raw id, as in the files (the API takes it). */
  raw: string;
  /** Stored id (pseudonym), as the peer's Cypher needs it. */
  stored: string;
  heldOut: Set<string>;
}

export interface PeerComparison {
  users: number;
  k: number;
  peer: LatencySummary & { ndcg: number };
  ours: LatencySummary & { ndcg: number };
  /** ours p99 / peer p99 (target ≤ 0.2). */
  p99_ratio: number;
  /** ours NDCG / peer NDCG (target ≥ 1). */
  ndcg_ratio: number;
}

export const RECOMMEND_QUERY = 'query($c: ID!, $k: Int, $x: Float) { recommendProducts(consumerId: $c, first: $k, exploration: $x) { entity { id } score } }';

/**
 * Ours against the peer collaborative filter, consumer by consumer on the same held-out split:
 * the peer's Cypher through Bolt, ours through HTTP GraphQL (exploration 0, as the evaluation
 * protocol ranks), both sequential and interleaved so machine noise hits both alike. Bounded
 * by `maxUsers` and `maxSeconds`.
 */
export async function comparePeer(o: {
  db: Database;
  vocabulary: Vocabulary;
  url: string;
  consumers: HeldOutConsumer[];
  k: number;
  maxUsers: number;
  maxSeconds: number;
}): Promise<PeerComparison> {
  const cypher = peerCollaborativeFilter(o.vocabulary);
  const peer = async (c: HeldOutConsumer) => {
    const t0 = performance.now();
    const rows = await o.db.read('bench-peer-cf', cypher, { consumerId: c.stored, k: o.k });
    return { ids: rows.map((r) => String(r.id)), ms: performance.now() - t0 };
  };
  const ours = async (c: HeldOutConsumer) => {
    const { data, ms } = await graphqlPost<{ recommendProducts: { entity: { id: string } }[] }>(o.url, RECOMMEND_QUERY, { c: c.raw, k: o.k, x: 0 });
    return { ids: data.recommendProducts.map((r) => r.entity.id), ms };
  };
  const users = o.consumers.slice(0, o.maxUsers);
  // Warm both paths (query plans, page cache) before timing.
  for (const c of users.slice(0, 5)) await Promise.all([peer(c), ours(c)]);
  const peerMs: number[] = [];
  const oursMs: number[] = [];
  let peerNdcg = 0;
  let oursNdcg = 0;
  const deadline = Date.now() + o.maxSeconds * 1000;
  for (const [i, c] of users.entries()) {
    if (Date.now() > deadline) break;
    const first = i % 2 === 0;
    const a = first ? await peer(c) : await ours(c);
    const b = first ? await ours(c) : await peer(c);
    const [p, q] = first ? [a, b] : [b, a];
    peerMs.push(p.ms);
    oursMs.push(q.ms);
    peerNdcg += ndcgAt(p.ids, c.heldOut, o.k);
    oursNdcg += ndcgAt(q.ids, c.heldOut, o.k);
  }
  const n = peerMs.length;
  const round = (x: number) => Math.round(x * 10000) / 10000;
  const peerSummary = { ...summarize(peerMs), ndcg: round(n ? peerNdcg / n : 0) };
  const oursSummary = { ...summarize(oursMs), ndcg: round(n ? oursNdcg / n : 0) };
  return {
    users: n,
    k: o.k,
    peer: peerSummary,
    ours: oursSummary,
    p99_ratio: peerSummary.p99 ? round(oursSummary.p99 / peerSummary.p99) : 0,
    ndcg_ratio: peerSummary.ndcg ? round(oursSummary.ndcg / peerSummary.ndcg) : 0,
  };
}
