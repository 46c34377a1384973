import { GET_INSIGHTS_META, SEGMENTS_OF_KEYS } from './queries.js';
import type { Database } from '../db/neo4j.js';
import { entitiesByKeys, type EntityShape } from '../graph/entity.js';
import type { Vocabulary } from '../graph/vocabulary.js';

export interface SegmentSummary {
  id: number;
  /** Interests of the cluster, most consumers first. */
  interests: EntityShape[];
  interestCount: number;
  /** Consumers assigned to the segment; null when fewer than k. */
  consumers: number | null;
  share: number | null;
  suppressed: boolean;
  /** A readable name: its three largest interests. */
  name: string;
}

interface StoredSegment {
  id: number;
  interests: string[];
  consumers: number;
}

/** The segments of the last refresh (interest clusters with their consumer segments). */
export async function listSegments(db: Database, vocabulary: Vocabulary, o: { kAnonymity: number; first?: number; ids?: number[]; topInterests?: number }): Promise<SegmentSummary[]> {
  const meta = (await db.read('insights-meta', GET_INSIGHTS_META))[0]?.meta as { segments?: string; allConsumers?: number } | undefined;
  let stored = JSON.parse(meta?.segments ?? '[]') as StoredSegment[];
  if (o.ids) stored = stored.filter((s) => o.ids!.includes(s.id));
  stored = stored.slice(0, o.first ?? 100);
  const top = o.topInterests ?? 8;
  const entities = await entitiesByKeys(db, vocabulary, stored.flatMap((s) => s.interests.slice(0, top)));
  const all = meta?.allConsumers ?? 0;
  const k = Math.max(1, o.kAnonymity);
  return stored.map((s) => {
    const interests = s.interests.slice(0, top).flatMap((key) => entities.get(key) ?? []);
    const small = s.consumers < k;
    return {
      id: s.id,
      interests,
      interestCount: s.interests.length,
      consumers: small ? null : s.consumers,
      share: small || all === 0 ? null : s.consumers / all,
      suppressed: small,
      name: interests.slice(0, 3).map((e) => e.name).join(' · ') || `Segment ${s.id}`,
    };
  });
}

/** `_segment` of each entity key (null when it has none), for colouring a graph by segment. */
export async function segmentsOfKeys(db: Database, keys: readonly string[]): Promise<(number | null)[]> {
  const rows = await db.read('insights-segments-of', SEGMENTS_OF_KEYS, { keys: [...new Set(keys)] });
  const map = new Map(rows.map((r) => [String(r.key), r.segment == null ? null : Number(r.segment)]));
  return keys.map((k) => map.get(k) ?? null);
}
