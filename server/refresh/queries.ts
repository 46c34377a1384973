/** Stamps when the last full refresh finished and, per step, its format and finish time (JSON). */
export const STAMP_DERIVED = "MERGE (m:KgMeta {key: 'derived'}) SET m.refreshedAt = datetime().epochMillis, m.steps = $steps";

/** The per-step stamps of the last refreshes. */
export const READ_DERIVED_STAMPS = "MATCH (m:KgMeta {key: 'derived'}) RETURN m.steps AS steps";

/** Stamps an incremental update: the per-step stamps (with `updatedAt`), never the full run's `refreshedAt`. */
export const STAMP_DERIVED_UPDATES = "MERGE (m:KgMeta {key: 'derived'}) SET m.updatedAt = datetime().epochMillis, m.steps = $steps";

/** Stamps steps run on their own (their `at`), not the whole run's `refreshedAt`. */
export const STAMP_DERIVED_STEPS = "MERGE (m:KgMeta {key: 'derived'}) SET m.steps = $steps";
