import {
  demandLinkCandidatesFromEntity,
  demandLinkCandidatesFromSegment,
} from './queries.js';
import { COUNT_PERSONS } from '../graph/queries.js';
import type { Database } from '../db/neo4j.js';
import type { EntityShape } from '../graph/entity.js';
import type { Vocabulary } from '../graph/vocabulary.js';
import { entitiesByKeys, resolveEntity } from '../graph/entity.js';
import { compareLinks, linkMetrics, type DemandLinkSort, type LinkMetrics } from './metrics.js';
import { consumerLinkRelations } from '../graph/roles.js';
import { badInput } from '../core/errors.js';
import { checkInteger, domainLimits } from '../core/limits.js';

export interface DemandLinkOptions {
  id: string;
  type?: string | null;
  targetType?: string | null;
  first?: number;
  sortBy?: DemandLinkSort;
  /** Minimum support to report; never below k. */
  minSupport?: number;
  kAnonymity: number;
  pseudonymSecret: string;
}

export interface DemandLinkResult extends LinkMetrics {
  entity: EntityShape;
  targetConsumers: number;
}

export interface DemandLinkReport {
  /** The source entity, or null when the source is a segment. */
  source: EntityShape | null;
  /** The source segment id, when the source is a segment. */
  segment: number | null;
  targetType: string;
  /** Consumers linked to the source; null when that group itself is below k. */
  sourceConsumers: number | null;
  sourceSuppressed: boolean;
  allConsumers: number;
  links: DemandLinkResult[];
  /** Linked targets left out because fewer than k consumers support them. */
  suppressed: number;
  kAnonymity: number;
}

const segmentId = /^Segment:(\d+)$/;

/**
 * The entities of `targetType` most linked to a source (an entity, or a consumer segment named
 * "Segment:<n>") through consumers, with support, share, confidence, lift, PMI, z-score and
 * p-value. Groups below k consumers are suppressed and counted, never shown.
 */
export async function demandLinks(db: Database, vocabulary: Vocabulary, o: DemandLinkOptions): Promise<DemandLinkReport> {
  const first = o.first ?? 10;
  checkInteger('first', first, 1, domainLimits.demandLinksFirst);
  const k = Math.max(1, o.kAnonymity);
  const minSupport = Math.max(k, o.minSupport ?? 0);
  const segMatch = !o.type ? segmentId.exec(o.id) : null;
  const source = segMatch ? null : await resolveEntity({ db, vocabulary, pseudonymSecret: o.pseudonymSecret }, o.id, o.type);
  const targetType = o.targetType ?? (source && source.type !== 'Consumer' ? source.type : 'Interest');
  if (!vocabulary.entityTypes.includes(targetType)) throw badInput(`unknown targetType "${targetType}"`);
  const targetRels = consumerLinkRelations(vocabulary, targetType);
  if (targetType === 'Consumer' || targetRels.length === 0) {
    throw badInput(`targetType ${targetType} is not linked to consumers; use an interest or product type`);
  }
  let rows;
  if (source) {
    const sourceRels = consumerLinkRelations(vocabulary, source.type);
    if (sourceRels.length === 0) throw badInput(`entities of type ${source.type} are not linked to consumers`);
    rows = await db.read('insights-demand-links', demandLinkCandidatesFromEntity(sourceRels, targetRels, targetType, vocabulary), { key: source.key });
  } else {
    rows = await db.read('insights-demand-links-segment', demandLinkCandidatesFromSegment(targetRels, targetType, vocabulary), {
      segment: Number(segMatch![1]),
    });
  }
  const [{ n: allConsumers }] = (await db.read('insights-persons', COUNT_PERSONS)) as [{ n: number }];
  const nS = Number(rows[0]?.nS ?? 0);
  const candidates = (rows[0]?.candidates ?? []) as { key: string; support: number; nT: number }[];
  const base = {
    source,
    segment: segMatch ? Number(segMatch[1]) : null,
    targetType,
    allConsumers,
    kAnonymity: k,
  };
  if (nS < k) {
    // The source group itself is too small to describe: say so, report nothing about it.
    return { ...base, sourceConsumers: null, sourceSuppressed: true, links: [], suppressed: candidates.length };
  }
  const reportable = candidates.filter((c) => c.support >= minSupport);
  const suppressed = candidates.filter((c) => c.support < k).length;
  const scored = reportable
    .map((c) => ({
      key: c.key,
      targetConsumers: c.nT,
      ...linkMetrics({ support: c.support, sourceConsumers: nS, targetConsumers: c.nT, allConsumers }),
    }))
    .sort(compareLinks(o.sortBy ?? 'SIGNIFICANCE'))
    .slice(0, first);
  const entities = await entitiesByKeys(db, vocabulary, scored.map((s) => s.key));
  const links = scored.flatMap(({ key, ...m }) => {
    const entity = entities.get(key);
    return entity ? [{ entity, ...m }] : [];
  });
  return { ...base, sourceConsumers: nS, sourceSuppressed: false, links, suppressed };
}
