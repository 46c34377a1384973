import type { Database } from '../db/neo4j.js';
import type { Vocabulary } from '../graph/vocabulary.js';
import { READ_DERIVED_STAMPS, STAMP_DERIVED } from './queries.js';

/** One precomputation over the whole graph (a domain's derived values), rerun after every load. */
export interface PrecomputeStep {
  /** Stable name, the key of its stamp in `KgMeta {key: 'derived'}`. */
  name: string;
  /**
   * Version of what the step writes: raise it when its output changes shape, so a graph
   * refreshed by an older version is recognised as stale at start.
   */
  format: number;
  run: (db: Database, vocabulary: Vocabulary) => Promise<void>;
  /**
   * Brings the step's derived values up to date for what a small write touched, without a
   * graph-wide pass; a step without it is rerun in full (or on its schedule).
   */
  update?: (db: Database, vocabulary: Vocabulary, touched: Touched) => Promise<void>;
}

/** What a small write (an `ingestTriples` call, a small load) touched: stored keys only. */
export interface Touched {
  /** Pseudonymised keys of the consumers whose links changed. */
  consumers: string[];
  /** Non-consumer entities at the other end of those links. */
  entities: { type: string; key: string }[];
}

/** What a loader runs after it commits; the composition root builds it from the domains' steps. */
export type Refresh = (db: Database, vocabulary: Vocabulary) => Promise<void>;

interface StepStamp {
  format: number;
  at: number;
}

/**
 * A refresh that runs `steps` in order, stamping each one's format and finish time and the
 * whole run's time on `KgMeta {key: 'derived'}`, so derived values are never older than the
 * last load and a stale or missing step can be found later (`staleSteps`).
 */
export function refreshWith(steps: readonly PrecomputeStep[]): Refresh {
  return async (db, vocabulary) => {
    const stamps = await readStamps(db);
    for (const step of steps) {
      await step.run(db, vocabulary);
      stamps[step.name] = { format: step.format, at: Date.now() };
    }
    await db.write('derived-stamp', STAMP_DERIVED, { steps: JSON.stringify(stamps) });
  };
}

async function readStamps(db: Database): Promise<Record<string, StepStamp>> {
  const [row] = await db.read('derived-stamps', READ_DERIVED_STAMPS);
  if (typeof row?.steps !== 'string') return {};
  try {
    return JSON.parse(row.steps) as Record<string, StepStamp>;
  } catch {
    return {};
  }
}

/**
 * Names of the steps whose derived values are missing or were written in another format
 * (a graph loaded by an earlier version, or a refresh that died half-way).
 */
export async function staleSteps(db: Database, steps: readonly PrecomputeStep[]): Promise<string[]> {
  const stamps = await readStamps(db);
  return steps.filter((s) => stamps[s.name]?.format !== s.format).map((s) => s.name);
}
