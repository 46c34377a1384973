/** Stamps when the last full refresh of derived values finished. */
export const STAMP_DERIVED = "MERGE (m:KgMeta {key: 'derived'}) SET m.refreshedAt = datetime().epochMillis";
