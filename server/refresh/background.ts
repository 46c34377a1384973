import type { Database } from '../db/neo4j.js';
import type { Vocabulary } from '../graph/vocabulary.js';
import type { Logger } from 'pino';
import { mergeTouched, staleSteps, type PrecomputeStep, type Refresh, type Touched, type Update } from './pipeline.js';
import { graphIsEmpty } from '../graph/entity.js';

/** The next piece of work for one database: a full refresh, or incremental updates merged. */
interface Job {
  refresh?: Refresh;
  update?: Update;
  touched: Touched[];
  vocabulary: Vocabulary;
  waiters: (() => void)[];
  onError: (error: unknown) => void;
}

interface RefreshState {
  running: boolean;
  /** Work asked for while a job ran: runs once when it ends (requests coalesce into it). */
  next: Job | null;
}

const states = new WeakMap<Database, RefreshState>();

function stateOf(db: Database): RefreshState {
  let state = states.get(db);
  if (!state) {
    state = { running: false, next: null };
    states.set(db, state);
  }
  return state;
}

/** Adds a request to the pending job and starts the loop if idle; resolves when a job covering it ends. */
function enqueue(db: Database, vocabulary: Vocabulary, request: { refresh?: Refresh; update?: Update; touched?: Touched }, onError: (error: unknown) => void): Promise<void> {
  const s = stateOf(db);
  const job = (s.next ??= { touched: [], vocabulary, waiters: [], onError });
  job.vocabulary = vocabulary;
  job.onError = onError;
  // A full refresh recomputes everything, so touched keys merged into it are covered too.
  if (request.refresh) job.refresh = request.refresh;
  if (request.update && request.touched) {
    job.update = request.update;
    job.touched.push(request.touched);
  }
  const done = new Promise<void>((resolve) => job.waiters.push(resolve));
  if (!s.running) void drain(db, s);
  return done;
}

async function drain(db: Database, s: RefreshState): Promise<void> {
  s.running = true;
  while (s.next) {
    const job = s.next;
    s.next = null;
    try {
      if (job.refresh) await job.refresh(db, job.vocabulary);
      else if (job.update) await job.update(db, job.vocabulary, mergeTouched(...job.touched));
    } catch (error) {
      job.onError(error);
    }
    for (const resolve of job.waiters) resolve();
  }
  s.running = false;
}

/**
 * Schedules `refresh` without making the caller wait: a file load or a large `ingestTriples`
 * call answers once its rows are committed, and a full refresh (seconds to minutes on a large
 * graph) follows. Requests during a running job coalesce into one more run, so a burst costs
 * at most two refreshes. Jobs for one database never overlap (an incremental update never
 * races a full refresh). Returns the promise of the run that includes this request (tests await it).
 */
export function scheduleRefresh(db: Database, vocabulary: Vocabulary, refresh: Refresh, onError: (error: unknown) => void): Promise<void> {
  return enqueue(db, vocabulary, { refresh }, onError);
}

/**
 * Schedules the incremental update of what a small write touched, in the same queue: updates
 * asked for while a job runs merge into one, and one pending full refresh absorbs them.
 */
export function scheduleUpdate(db: Database, vocabulary: Vocabulary, update: Update, touched: Touched, onError: (error: unknown) => void): Promise<void> {
  return enqueue(db, vocabulary, { update, touched }, onError);
}

/**
 * The periodic full refresh (segments and the other global structures that no incremental
 * update maintains): every `intervalMs`, through the same queue. Returns a stop function.
 */
export function startRefreshSchedule(db: Database, vocabulary: () => Vocabulary, refresh: Refresh, intervalMs: number, onError: (error: unknown) => void): () => void {
  if (!(intervalMs > 0)) return () => undefined;
  const timer = setInterval(() => void scheduleRefresh(db, vocabulary(), refresh, onError), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
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
