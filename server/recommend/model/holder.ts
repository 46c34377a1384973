import type { Database } from '../../db/neo4j.js';
import type { RecommendModel } from './model.js';
import { loadModel, servedVersion } from './store.js';

/** Defaults of the model holder: how often each process asks Neo4j which version to serve. */
export const holderDefaults = {
  /** Seconds between two checks of `KgMeta {key: 'recommend'}.model` (one tiny read). */
  pollSeconds: 3,
};

/**
 * The model one API process serves. `current` is swapped whole when the published version
 * changes, so a request that took the old object keeps scoring with it and the next one gets
 * the new one; nothing is ever half-loaded. Every process polls Neo4j on its own, so several
 * replicas against one database converge within a poll interval plus a load.
 */
export interface ModelHolder {
  /** The loaded model, or null before the first build (or while the first load runs). */
  current(): RecommendModel | null;
  /** Checks the published version now and loads it if it is new (tests and `start` use it). */
  sync(): Promise<RecommendModel | null>;
  /**
   * Settles when the first check since `start` (or the first `sync`) is done: a request that
   * arrives while the process is still loading its first model waits for it rather than
   * getting the no-model answer.
   */
  ready(): Promise<void>;
  /** Starts polling (the first check runs at once); returns when that first check is done. */
  start(): Promise<void>;
  stop(): void;
}

/** A holder that loads the published model from `db` and polls every `pollSeconds`. */
export function createModelHolder(db: Database, { pollSeconds = holderDefaults.pollSeconds, onError = (_: unknown) => {} } = {}): ModelHolder {
  let model: RecommendModel | null = null;
  let timer: NodeJS.Timeout | null = null;
  let syncing: Promise<RecommendModel | null> | null = null;
  const check = async () => {
    const version = await servedVersion(db);
    if (!version || version === model?.version) return model;
    // A version deleted between the two reads (two relearns in a row) is skipped: the next check finds the newer one.
    const loaded = await loadModel(db, version);
    if (loaded) model = loaded;
    return model;
  };
  let first: Promise<void> | null = null;
  const sync = () => {
    const run = (syncing ??= check().finally(() => (syncing = null)));
    first ??= run.then(() => undefined, () => undefined);
    return run;
  };
  return {
    current: () => model,
    sync,
    ready: () => first ?? Promise.resolve(),
    async start() {
      if (timer) return;
      timer = setInterval(() => void sync().catch(onError), pollSeconds * 1000);
      // Polling must not keep a process (a test, a CLI) alive on its own.
      timer.unref();
      await sync().catch(onError);
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

/** A holder over a fixed model (or none): for pure tests and one-shot tools. */
export function fixedModel(m: RecommendModel | null): ModelHolder {
  return { current: () => m, sync: async () => m, ready: async () => {}, start: async () => {}, stop: () => {} };
}
