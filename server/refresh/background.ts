import type { Database } from '../db/neo4j.js';
import type { Vocabulary } from '../graph/vocabulary.js';
import type { Refresh } from './pipeline.js';

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
