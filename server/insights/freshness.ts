import { GET_INSIGHTS_META } from './queries.js';
import type { Database } from '../db/neo4j.js';
import { freshness, readStamps } from '../refresh/pipeline.js';

/** How fresh the derived values behind the insight answers are (epoch ms; null: never computed). */
export interface Freshness {
  /** `_consumers` (demand links' target counts): the degrees step's last full run or incremental update. */
  degrees: number | null;
  /** The stored interest sets (opportunities): the insights step's last full run or incremental update. */
  insights: number | null;
  /** Version of the segments (and of the stored interest sets): the full run that computed them. */
  segmentsVersion: number | null;
  /** When that full run ended; segments change only with it (schedule or `npm run refresh`). */
  segmentsAt: number | null;
}

/** Reads the step stamps and the insights metadata (two small reads). */
export async function readFreshness(db: Database): Promise<Freshness> {
  const [stamps, rows] = await Promise.all([readStamps(db), db.read('insights-meta', GET_INSIGHTS_META)]);
  const meta = rows[0]?.meta as { version?: number; computedAt?: number } | undefined;
  return {
    degrees: freshness(stamps.degrees),
    insights: freshness(stamps.insights),
    segmentsVersion: meta?.version ?? null,
    segmentsAt: meta?.computedAt ?? null,
  };
}

export const isoOrNull = (ms: number | null | undefined): string | null => (ms ? new Date(ms).toISOString() : null);
