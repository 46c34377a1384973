import {
  ALL_INTEREST_SETS,
  consumersOfInterestsQuery,
  DELETE_INTEREST_SETS,
  GET_INSIGHTS_META,
  SET_INSIGHTS_UPDATED,
  setSupportQuery,
  touchedInterestPairsQuery,
  TOUCHED_INTEREST_SETS,
  UPDATE_INTEREST_SETS,
  assignConsumerSegmentsQueries,
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
import { COUNT_PERSONS } from '../graph/queries.js';
import type { Database } from '../db/neo4j.js';
import { computeInterestSets, evaluateSupply, newSet, pairSet, supplyRelations, taxonomyAncestors, type InterestSet } from './interest-sets.js';
import type { Touched } from '../refresh/pipeline.js';
import { consumerInterestRelations, consumerLinkRelations, interestType, relationsWithRole } from '../graph/roles.js';
import { interestClusters } from './segments.js';
import { identityTouchedEntities } from '../graph/degrees.js';
import { precomputePeriodCache } from './trends.js';
import type { Vocabulary } from '../graph/vocabulary.js';

/** Minimum consumers of a pair to be kept; below any sensible k, so k-anonymity is applied at query time. */
const STORED_MIN_SUPPORT = 3;
/** Strongest interests per consumer that form pairs (computeInterestSets' default). */
const PER_CONSUMER = 60;
/** Opportunities (by gap score) whose driving segments are precomputed. */
const DRIVERS_FOR_TOP = 500;

/**
 * The insights' precomputation, rerun after every load, counting persons
 * (`coalesce(c.person, c.id)`) wherever it counts consumers: interest pairs/triples with lift and
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

  const { sets, allConsumers } = await computeInterestSets(db, vocabulary, { minSupport: STORED_MIN_SUPPORT, perConsumer: PER_CONSUMER });
  const consumersOf = new Map<string, number>();
  for (const s of sets) s.members.forEach((k, i) => consumersOf.set(k, s.memberConsumers[i]!));

  // Segments: interest clusters, then every consumer and product joins its interests' cluster.
  const clusters = interestClusters(sets, consumersOf, 5);
  await db.autoCommit('insights-clear-segments', CLEAR_SEGMENTS, {}, long);
  const rows = clusters.flatMap((c) => c.interests.map((key) => ({ key, segment: c.id })));
  for (let i = 0; i < rows.length; i += 5000) {
    await db.write('insights-interest-segments', SET_INTEREST_SEGMENTS, { rows: rows.slice(i, i + 5000) }, long);
  }
  if (interestRels.length > 0) {
    for (const statement of assignConsumerSegmentsQueries(interestRels, vocabulary)) await db.autoCommit('insights-consumer-segments', statement, {}, long);
  }
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

/** A stored interest set as read back (`serving` always a list; the refresh's extra fields). */
type StoredSet = Omit<InterestSet, 'serving'> & { serving: string[]; servingCount: number; evaluated: boolean; version?: number };

/**
 * The incremental update after a small write, on the current version of the interest sets in
 * place (all counts are of persons; an interest or product linked to a person whose ids
 * changed counts as touched, `identityTouchedEntities`): exact for the pairs with a touched interest (support over each consumer's strongest
 * interests as the full run counts it, consumers per member, lift and the other figures), for
 * the supply of every set with a touched member or serving product (serving products, the
 * share of its consumers who bought one, gap, gap score), and, when the population changed,
 * for every stored set's population-dependent figures. Pairs that newly pass the thresholds
 * are added, those that no longer do are removed. Left to the full refresh (schedule or
 * `npm run refresh`): segments and driving segments, which triples are formed and which set
 * subsumes which, the supply-candidate and set-count cut-offs, the trend period cache.
 */
export async function updateInsights(db: Database, vocabulary: Vocabulary, touched: Touched): Promise<void> {
  const meta = (await db.read('insights-meta', GET_INSIGHTS_META))[0]?.meta as { version?: number; allConsumers?: number } | undefined;
  if (!meta?.version) return;
  const version = meta.version;
  const interest = interestType(vocabulary);
  const rels = supplyRelations(vocabulary);
  const linkRels = consumerLinkRelations(vocabulary);
  // A person whose ids changed moves the figures of everything its ids are linked to.
  const entities = [...touched.entities, ...(await identityTouchedEntities(db, vocabulary, touched))];
  const interests = [...new Set(entities.filter((e) => e.type === interest).map((e) => e.key))];
  const products = [...new Set(entities.filter((e) => e.type !== interest).map((e) => e.key))];
  const allConsumers = Number((await db.read('insights-persons', COUNT_PERSONS))[0]?.n ?? 0);
  const population = allConsumers !== Number(meta.allConsumers ?? 0);

  const stored = new Map<string, StoredSet>();
  const readSets = async (cypher: string, params: Record<string, unknown>) => {
    for (const r of await db.read('insights-update-sets', cypher, { version, ...params })) {
      const set = r.set as StoredSet;
      stored.set(set.id, set);
    }
  };
  await readSets(TOUCHED_INTEREST_SETS, { interests, products });
  const touchedIds = new Set(stored.keys());
  if (population) await readSets(ALL_INTEREST_SETS, {});

  // Pairs with a touched interest: recounted exactly, new ones added, vanished ones removed.
  const changed = new Map<string, StoredSet>();
  const created: InterestSet[] = [];
  const removed = new Set<string>();
  const consumersOf = new Map<string, number>();
  if (interests.length > 0 && rels.interestRels.length > 0) {
    const pairRows = await db.read('insights-update-pairs', touchedInterestPairsQuery(rels.interestRels, interest, vocabulary), {
      keys: interests,
      perConsumer: PER_CONSUMER,
      minSupport: STORED_MIN_SUPPORT,
    });
    const members = new Set<string>(interests);
    for (const r of pairRows) members.add(String(r.a)).add(String(r.b));
    for (const s of stored.values()) for (const m of s.members) members.add(m);
    for (const r of await db.read('insights-update-interest-consumers', consumersOfInterestsQuery(rels.interestRels, vocabulary), { keys: [...members] })) {
      consumersOf.set(String(r.key), Number(r.n));
    }
    const ancestors = await taxonomyAncestors(db, vocabulary, relationsWithRole(vocabulary, 'taxonomy'));
    const related = (a: string, b: string) => ancestors.get(a)?.has(b) || ancestors.get(b)?.has(a);
    const seen = new Set<string>();
    for (const r of pairRows) {
      const a = String(r.a);
      const b = String(r.b);
      if (related(a, b)) continue;
      const fresh = pairSet(a, b, Number(r.support), consumersOf.get(a) ?? 0, consumersOf.get(b) ?? 0, allConsumers);
      if (!fresh) continue;
      seen.add(fresh.id);
      const old = stored.get(fresh.id);
      if (old) changed.set(old.id, { ...old, ...figures(fresh) });
      else created.push(fresh);
    }
    for (const s of stored.values()) {
      if (s.size === 2 && s.members.some((m) => interests.includes(m)) && !seen.has(s.id)) removed.add(s.id);
    }
    // Larger sets with a touched member: their support is the consumers linked to every member.
    const larger = [...stored.values()].filter((s) => s.size > 2 && s.members.some((m) => interests.includes(m)));
    if (larger.length > 0) {
      const rows = await db.read('insights-update-set-support', setSupportQuery(rels.interestRels, vocabulary), {
        sets: larger.map((s) => ({ id: s.id, members: s.members })),
      });
      const support = new Map(rows.map((r) => [String(r.id), Number(r.support)]));
      for (const s of larger) {
        const fresh = newSet(s.members, support.get(s.id) ?? 0, s.members.map((m) => consumersOf.get(m) ?? 0), allConsumers, null);
        changed.set(s.id, { ...s, ...figures(fresh) });
      }
    }
  }
  // A new population size moves every stored set's expected count, lift and the rest.
  if (population) {
    for (const s of stored.values()) {
      if (changed.has(s.id) || removed.has(s.id)) continue;
      const fresh =
        s.size === 2
          ? pairSet(s.a, s.b, s.support, s.memberConsumers[0]!, s.memberConsumers[1]!, allConsumers)
          : newSet(s.members, s.support, s.memberConsumers, allConsumers, null);
      if (!fresh || fresh.lift <= 1) removed.add(s.id);
      else changed.set(s.id, { ...s, ...figures(fresh) });
    }
  }
  // Supply of every touched set that the full run had evaluated, and of the new sets.
  const resupply = [...touchedIds].filter((id) => !removed.has(id) && stored.get(id)!.evaluated).map((id) => changed.get(id) ?? stored.get(id)!);
  const evaluate: InterestSet[] = [...created, ...resupply.map((s) => ({ ...s, serving: s.serving as string[] | null }))];
  await evaluateSupply(db, vocabulary, evaluate, { ...rels, window: { since: null, until: null } });
  for (const s of evaluate.slice(created.length)) {
    changed.set(s.id, { ...(changed.get(s.id) ?? stored.get(s.id)!), serving: s.serving ?? [], servingCount: s.serving?.length ?? 0, coverage: s.coverage, gap: s.gap, gapScore: s.gapScore });
  }
  for (const s of changed.values()) s.gapScore = s.demand * s.gap;

  const long = { timeoutMs: 600_000 };
  const updates = [...changed.values()].filter((s) => !removed.has(s.id)).map(({ version: _v, ...s }) => s);
  for (let i = 0; i < updates.length; i += 2000) {
    await db.write('insights-update-write-sets', UPDATE_INTEREST_SETS, { rows: updates.slice(i, i + 2000), version }, long);
  }
  const rows = created.map(({ serving, ...s }) => ({ ...s, serving: serving ?? [], servingCount: serving?.length ?? 0, evaluated: serving !== null, driversKnown: false, driverSegments: [], driverCounts: [] }));
  for (let i = 0; i < rows.length; i += 2000) {
    await db.write('insights-update-new-sets', WRITE_INTEREST_SETS, { rows: rows.slice(i, i + 2000), version }, long);
  }
  if (removed.size > 0) await db.write('insights-update-drop-sets', DELETE_INTEREST_SETS, { ids: [...removed], version });
  const maxTs = linkRels.length
    ? Math.max(...(await db.read('insights-max-ts', maxFirstTsQuery(linkRels, vocabulary))).map((r) => Number(r.ts ?? Number.NaN)).filter(Number.isFinite))
    : null;
  await db.write('insights-update-meta', SET_INSIGHTS_UPDATED, { version, allConsumers, maxTs: maxTs !== null && Number.isFinite(maxTs) ? maxTs : null });
}

/** The figures of a set that follow from its support, member counts and the population (not its supply). */
function figures(s: InterestSet): Partial<StoredSet> {
  const { support, memberConsumers, allConsumers, lift, pmi, zScore, expected, excess, demand } = s;
  return { support, memberConsumers, allConsumers, lift, pmi, zScore, expected, excess, demand };
}
