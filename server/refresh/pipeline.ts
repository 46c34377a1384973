import type { Database } from '../db/neo4j.js';
import type { Vocabulary } from '../graph/vocabulary.js';
import { READ_DERIVED_STAMPS, STAMP_DERIVED, STAMP_DERIVED_STEPS, STAMP_DERIVED_UPDATES } from './queries.js';

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
   * graph-wide pass; a step without it is rerun in full (or on its schedule). It may return
   * further keys its update changed (the identity step: consumers whose person changed), which
   * the later steps see as touched too.
   */
  update?: (db: Database, vocabulary: Vocabulary, touched: Touched) => Promise<void | Touched>;
  /**
   * The step's values hold entities' own properties (names shown in answers), so a write that
   * only described entities (`Touched.described`) updates it too; other steps skip such writes.
   */
  holdsProperties?: boolean;
}

/** What a small write (an `ingestTriples` call, a small load) touched: stored keys only. */
export interface Touched {
  /** Pseudonymised keys of the consumers whose links changed. */
  consumers: string[];
  /** Non-consumer entities at the other end of those links. */
  entities: { type: string; key: string }[];
  /**
   * Entities whose own properties an entity row wrote, links unchanged: counts and pairs do
   * not depend on them, only steps that hold names do (`PrecomputeStep.holdsProperties`).
   */
  described?: { type: string; key: string }[];
}

/**
 * Default timeout of a step's queries unless the step sets its own: at least 10 min, since
 * graph-wide counts on a loaded machine outlast the API's request timeout (15 s by default).
 */
export const STEP_QUERY_TIMEOUT_MS = 600_000;

function forSteps(db: Database): Database {
  return db.withDefaultTimeout(Math.max(db.defaultTimeoutMs, STEP_QUERY_TIMEOUT_MS));
}

/** What a loader runs after it commits; the composition root builds it from the domains' steps. */
export type Refresh = (db: Database, vocabulary: Vocabulary) => Promise<void>;

/** What a small write runs instead: each step's incremental `update` for what it touched. */
export type Update = (db: Database, vocabulary: Vocabulary, touched: Touched) => Promise<void>;

/** One step's stamp: its format, when its last full run ended (`at`) and its last incremental update. */
export interface StepStamp {
  format: number;
  at: number;
  /** Epoch ms of the last incremental update after `at`; absent until one ran. */
  updatedAt?: number;
}

/** How fresh a step's values are: the later of its full run and its last incremental update. */
export function freshness(stamp: StepStamp | undefined): number | null {
  if (!stamp) return null;
  return Math.max(stamp.at ?? 0, stamp.updatedAt ?? 0) || null;
}

/** A Touched with no duplicate keys (a batch of rows names the same consumer many times). */
export function mergeTouched(...parts: Touched[]): Touched {
  const consumers = new Set<string>();
  const entities = new Map<string, { type: string; key: string }>();
  const described = new Map<string, { type: string; key: string }>();
  for (const t of parts) {
    for (const c of t.consumers) consumers.add(c);
    for (const e of t.entities) entities.set(e.key, e);
    for (const e of t.described ?? []) described.set(e.key, e);
  }
  return { consumers: [...consumers], entities: [...entities.values()], described: [...described.values()] };
}

/**
 * A refresh that runs `steps` in order, stamping each one's format and finish time and the
 * whole run's time on `KgMeta {key: 'derived'}`, so derived values are never older than the
 * last load and a stale or missing step can be found later (`staleSteps`).
 */
export function refreshWith(steps: readonly PrecomputeStep[]): Refresh {
  return async (apiDb, vocabulary) => {
    const db = forSteps(apiDb);
    const stamps = await readStamps(db);
    for (const step of steps) {
      await step.run(db, vocabulary);
      stamps[step.name] = { format: step.format, at: Date.now() };
    }
    await db.write('derived-stamp', STAMP_DERIVED, { steps: JSON.stringify(stamps) });
  };
}

/**
 * Runs some steps in full (`npm run refresh -- --step NAME`): stamps theirs, but not the whole
 * run's `refreshedAt`, which says when every step last ran together.
 */
export async function runSteps(apiDb: Database, vocabulary: Vocabulary, steps: readonly PrecomputeStep[]): Promise<void> {
  const db = forSteps(apiDb);
  for (const step of steps) {
    await step.run(db, vocabulary);
    const stamps = await readStamps(db);
    stamps[step.name] = { format: step.format, at: Date.now() };
    await db.write('derived-step-stamp', STAMP_DERIVED_STEPS, { steps: JSON.stringify(stamps) });
  }
}

/**
 * The incremental path: runs the `update` of each step that has one, in order, and stamps its
 * `updatedAt` (the full run's `at` and `KgMeta.refreshedAt` stay as they are). Steps without
 * an update keep their values until the next full refresh, on the schedule or on demand.
 * When a step was never fully run or in another format (a first load, an older graph) there
 * is nothing to update: the full refresh runs instead.
 */
export function updateWith(steps: readonly PrecomputeStep[]): Update {
  const full = refreshWith(steps);
  return async (apiDb, vocabulary, touched) => {
    const db = forSteps(apiDb);
    const linksChanged = touched.consumers.length > 0 || touched.entities.length > 0;
    if (!linksChanged && !touched.described?.length) return;
    const stamps = await readStamps(db);
    if (steps.some((step) => stamps[step.name]?.format !== step.format)) return full(db, vocabulary);
    let ran = false;
    let seen = touched;
    for (const step of steps) {
      const stamp = stamps[step.name]!;
      if (!step.update || (!linksChanged && !step.holdsProperties)) continue;
      const more = await step.update(db, vocabulary, seen);
      if (more && (more.consumers.length > 0 || more.entities.length > 0 || more.described?.length)) seen = mergeTouched(seen, more);
      stamp.updatedAt = Date.now();
      ran = true;
    }
    if (ran) await db.write('derived-update-stamp', STAMP_DERIVED_UPDATES, { steps: JSON.stringify(stamps) });
  };
}

/** Every step's stamp, from `KgMeta {key: 'derived'}` (empty before the first full refresh). */
export async function readStamps(db: Database): Promise<Record<string, StepStamp>> {
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
