/** Stamps when the last full refresh finished and, per step, its format and finish time (JSON). */
export const STAMP_DERIVED = "MERGE (m:KgMeta {key: 'derived'}) SET m.refreshedAt = datetime().epochMillis, m.steps = $steps";

/** The per-step stamps of the last refreshes. */
export const READ_DERIVED_STAMPS = "MATCH (m:KgMeta {key: 'derived'}) RETURN m.steps AS steps";
