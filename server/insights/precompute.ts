import {
  assignConsumerSegmentsQuery,
  assignProductSegmentsQuery,
  CLEAR_SEGMENTS,
  DELETE_OLD_INTEREST_SETS,
  driverSegmentsQuery,
  firstTsIndexStatements,
  INTEREST_SET_INDEXES,
  maxFirstTsQuery,
  SEGMENT_CONSUMER_COUNTS,
  SET_INSIGHTS_META,
  SET_INTEREST_SEGMENTS,
  WRITE_INTEREST_SETS,
} from './queries.js';
import type { Database } from '../db/neo4j.js';
import { computeInterestSets } from './interest-sets.js';
import { consumerInterestRelations, consumerLinkRelations, relationsWithRole } from '../graph/roles.js';
import { interestClusters } from './segments.js';
import { precomputePeriodCache } from './trends.js';
import type { Vocabulary } from '../graph/vocabulary.js';

/** Minimum consumers of a pair to be kept; below any sensible k, so k-anonymity is applied at query time. */
const STORED_MIN_SUPPORT = 3;
/** Opportunities (by gap score) whose driving segments are precomputed. */
const DRIVERS_FOR_TOP = 500;

/**
 * The insights' precomputation, rerun after every load: interest pairs/triples with lift and
 * supply gap (`:KgInterestSet` nodes, versioned so readers never see a half-written set),
 * interest clusters by Louvain and consumer/product segments (`_segment`), and the metadata
 * (`KgMeta {key: 'insights'}`: version, population, latest timestamp, segment summary).
 */
export async function refreshInsights(db: Database, vocabulary: Vocabulary): Promise<void> {
  const long = { timeoutMs: 600_000 };
  const interestRels = consumerInterestRelations(vocabulary);
  const linkRels = consumerLinkRelations(vocabulary);
  for (const statement of [...INTEREST_SET_INDEXES, ...firstTsIndexStatements(linkRels, vocabulary)]) {
    await db.autoCommit('insights-indexes', statement);
  }

  const { sets, allConsumers } = await computeInterestSets(db, vocabulary, { minSupport: STORED_MIN_SUPPORT });
  const consumersOf = new Map<string, number>();
  for (const s of sets) s.members.forEach((k, i) => consumersOf.set(k, s.memberConsumers[i]!));

  // Segments: interest clusters, then every consumer and product joins its interests' cluster.
  const clusters = interestClusters(sets, consumersOf, 5);
  await db.autoCommit('insights-clear-segments', CLEAR_SEGMENTS, {}, long);
  const rows = clusters.flatMap((c) => c.interests.map((key) => ({ key, segment: c.id })));
  for (let i = 0; i < rows.length; i += 5000) {
    await db.write('insights-interest-segments', SET_INTEREST_SEGMENTS, { rows: rows.slice(i, i + 5000) }, long);
  }
  if (interestRels.length > 0) await db.autoCommit('insights-consumer-segments', assignConsumerSegmentsQuery(interestRels, vocabulary), {}, long);
  const productInterestRels = relationsWithRole(vocabulary, 'product-interest');
  if (productInterestRels.length > 0) {
    await db.autoCommit('insights-product-segments', assignProductSegmentsQuery(productInterestRels, vocabulary), {}, long);
  }
  const segmentConsumers = new Map<number, number>();
  for (const r of await db.read('insights-segment-sizes', SEGMENT_CONSUMER_COUNTS, {}, long)) segmentConsumers.set(Number(r.segment), Number(r.n));
  const segments = clusters.map((c) => ({ id: c.id, interests: c.interests, consumers: segmentConsumers.get(c.id) ?? 0 }));

  // Driving segments of the strongest opportunities, so the query does not enumerate their consumers.
  const drivers = new Map<string, { segment: number; n: number }[]>();
  const strongest = sets.filter((s) => s.gapScore > 0 && !s.subsumed).sort((x, y) => y.gapScore - x.gapScore).slice(0, DRIVERS_FOR_TOP);
  for (let i = 0; i < strongest.length && interestRels.length > 0; i += 100) {
    const batch = strongest.slice(i, i + 100).map((s) => ({ id: s.id, members: s.members }));
    for (const r of await db.read('insights-driver-segments', driverSegmentsQuery(interestRels, vocabulary), { sets: batch }, long)) {
      drivers.set(String(r.id), r.segments as { segment: number; n: number }[]);
    }
  }

  const version = Date.now();
  const stored = sets.map(({ serving, ...s }) => {
    const d = (drivers.get(s.id) ?? []).sort((x, y) => y.n - x.n || x.segment - y.segment);
    return {
      ...s,
      serving: serving ?? [],
      servingCount: serving?.length ?? 0,
      evaluated: serving !== null,
      driversKnown: drivers.has(s.id),
      driverSegments: d.map((x) => x.segment),
      driverCounts: d.map((x) => x.n),
    };
  });
  for (let i = 0; i < stored.length; i += 2000) {
    await db.write('insights-write-sets', WRITE_INTEREST_SETS, { rows: stored.slice(i, i + 2000), version }, long);
  }
  const maxTs = linkRels.length
    ? Math.max(...(await db.read('insights-max-ts', maxFirstTsQuery(linkRels, vocabulary), {}, long)).map((r) => Number(r.ts ?? Number.NaN)).filter(Number.isFinite))
    : null;
  const latest = maxTs !== null && Number.isFinite(maxTs) ? maxTs : null;
  await db.write('insights-meta', SET_INSIGHTS_META, {
    version,
    allConsumers,
    maxTs: latest,
    segments: JSON.stringify(segments),
    periodCache: await precomputePeriodCache(db, vocabulary, latest),
  });
  await db.autoCommit('insights-drop-old-sets', DELETE_OLD_INTEREST_SETS, {}, long);
}
