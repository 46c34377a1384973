import type { Database } from '../db/neo4j.js';
import type { Vocabulary } from '../graph/vocabulary.js';
import type { Logger } from 'pino';
import { staleSteps, type PrecomputeStep, type Refresh } from './pipeline.js';
import { graphIsEmpty } from '../graph/entity.js';

interface RefreshState {
  running: Promise<void> | null;
  /** Another refresh was asked for while one ran: run once more when it ends. */
  again: boolean;
}

const states = new WeakMap<Database, RefreshState>();

/**
 * Schedules `refresh` without making the caller wait: the `ingestTriples` mutation answers
 * once its rows are committed, and a full refresh (seconds to minutes on a large graph)
 * follows. Requests during a running refresh coalesce into one more run, so a burst of small
 * mutations costs at most two refreshes. Returns the promise of the refresh that will include
 * this request (tests await it).
 */
export function scheduleRefresh(db: Database, vocabulary: Vocabulary, refresh: Refresh, onError: (error: unknown) => void): Promise<void> {
  let state = states.get(db);
  if (!state) {
    state = { running: null, again: false };
    states.set(db, state);
  }
  const s = state;
  if (s.running) {
    s.again = true;
    return s.running.then(() => s.running ?? undefined);
  }
  const run = async (): Promise<void> => {
    do {
      s.again = false;
      try {
        await refresh(db, vocabulary);
      } catch (error) {
        onError(error);
      }
    } while (s.again);
    s.running = null;
  };
  s.running = run();
  return s.running;
}

/**
 * At start: when the graph has entities but a step's derived values are missing or were
 * written in another format (a graph loaded by an earlier version), schedules the full refresh
 * in the background and returns the stale steps and the refresh's promise; until it ends,
 * answers use what is there. Returns no steps when all is current.
 */
export async function refreshIfStale(
  db: Database,
  vocabulary: Vocabulary,
  steps: readonly PrecomputeStep[],
  refresh: Refresh,
  logger: Pick<Logger, 'info' | 'warn' | 'error'>,
): Promise<{ stale: string[]; done: Promise<void> }> {
  if (await graphIsEmpty(db)) return { stale: [], done: Promise.resolve() };
  const stale = await staleSteps(db, steps);
  if (stale.length === 0) return { stale, done: Promise.resolve() };
  logger.warn({ steps: stale }, 'derived values are missing or from an older version: refreshing them in the background');
  const t0 = Date.now();
  const done = scheduleRefresh(db, vocabulary, refresh, (error) => logger.error({ err: error }, 'background refresh at start failed')).then(() =>
    logger.info({ seconds: (Date.now() - t0) / 1000 }, 'derived values refreshed'),
  );
  return { stale, done };
}
