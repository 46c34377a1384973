import { badInput } from './errors.js';

/**
 * Every cap in one place. Two tiers: the API caps below are enforced centrally for every root
 * field (server/graphql/guard.ts), so a field added later is covered too; `domainLimits` are
 * the largest requests the domain functions themselves compute, for direct callers (eval,
 * bench, tests) and as a second fence behind the API caps. Chosen so one request stays a
 * bounded amount of Neo4j work: the Subgraph stays drawable, lists stay readable, ingest
 * batches stay one transaction.
 */
export interface Range {
  min: number;
  max: number;
}

/** Caps of the domain functions (see the note at the top). */
export const domainLimits = {
  /** recommendProducts, related, lookalikes: results. */
  recommendFirst: 100,
  demandLinksFirst: 500,
  pathsFirst: 50,
  pathsMaxLength: 6,
  opportunitiesFirst: 200,
  /** Interests an opportunity filter may name (`involving`). */
  opportunitiesInvolving: 1_000,
  risingInterestsFirst: 200,
  segmentsFirst: 1_000,
  /** Longest search query, in characters. */
  searchQueryLength: 200,
  /** Most edges a Subgraph carries; the strongest are kept. */
  subgraphEdges: 5_000,
  /** Rows (triples plus entities) one `ingestTriples` call accepts. */
  ingestRows: 10_000,
  /** Errors listed in one ingest report; the count in `rejected` is always complete. */
  ingestErrors: 200,
  /** audience: members listed (each with up to three reasons); audienceReport: the audience size measured. */
  audienceSize: 5_000,
  audienceReportSize: 1_000_000,
} as const;

/**
 * What one loaded row may hold, so that no row can fail its batch in Neo4j or poison a
 * derived figure (issue 17, finding 3). Ids become the `key` property under a uniqueness
 * constraint, and a range index key must stay under Neo4j's limit of 8 167 bytes ("Property
 * value is too large to index"); 1 024 UTF-8 bytes leave room for the "Type:" prefix and are
 * far beyond any real id. Timestamps are Unix seconds from 1900 to 2100: a 13-digit epoch is
 * milliseconds, which read as seconds lands in the year 50 000 and broke every trend. Weights
 * are at most 1e12 in size, so the sum of even a billion rows stays a finite double.
 */
export const rowLimits = {
  idBytes: 1_024,
  /** Any other stored text (name, entity property, source). */
  valueBytes: 4_096,
  /** 1900-01-01T00:00:00Z. */
  minTimestamp: -2_208_988_800,
  /** 2100-01-01T00:00:00Z. */
  maxTimestamp: 4_102_444_800,
  maxAbsWeight: 1e12,
} as const;

/** The reason a timestamp in Unix seconds is outside `rowLimits`, or null. */
export function timestampProblem(ts: number): string | null {
  if (ts >= rowLimits.minTimestamp && ts < rowLimits.maxTimestamp) return null;
  const asMs = ts / 1000;
  if (asMs >= rowLimits.minTimestamp && asMs < rowLimits.maxTimestamp) return 'looks like milliseconds: give Unix seconds (or ISO-8601)';
  return 'outside 1900..2100';
}

/**
 * Saved scenes (server/scenes): a name as the explorer's name field takes it; 1 MB of JSON
 * holds about 3,300 nodes with positions and two relations a node (300 bytes a node, measured
 * on the benchmark's scenes; bigger scenes travel as exported files); the node cap is the
 * explorer's 10,000; 200 scenes bound what one key can store (at most 200 MB).
 */
export const sceneLimits = {
  nameChars: 80,
  sceneBytes: 1_000_000,
  sceneNodes: 10_000,
  scenesPerKey: 200,
} as const;

/** Numeric arguments by name, any root field. */
export const argumentRanges: Record<string, Range> = {
  first: { min: 1, max: 100 },
  limit: { min: 0, max: 500 },
  depth: { min: 0, max: 3 },
  maxLength: { min: 1, max: domainLimits.pathsMaxLength },
  exploration: { min: 0, max: 1 },
  minConsumers: { min: 1, max: 1_000_000_000 },
};

/** Narrower ranges for one field's argument: "field.argument". */
export const fieldArgumentRanges: Record<string, Range> = {
  'search.first': { min: 1, max: 50 },
  'audience.size': { min: 1, max: domainLimits.audienceSize },
  'audienceReport.size': { min: 1, max: domainLimits.audienceReportSize },
};

/** Longest list in any argument, unless the field's own cap below says otherwise. */
export const MAX_LIST_INPUT = 50;
/** Per-field list caps: "field.argument". */
export const fieldListCaps: Record<string, number> = {
  'ingestTriples.triples': domainLimits.ingestRows,
  'ingestTriples.entities': domainLimits.ingestRows,
  // The explorer colours the nodes on canvas by asking for their segments 500 keys at a time.
  'segmentOf.keys': 5_000,
};
/** Longest string anywhere in the arguments. */
export const MAX_STRING_INPUT = 2_000;
/** Per-field string caps, "field.argument", in characters (the field checks its bytes itself). */
export const fieldStringCaps: Record<string, number> = {
  'saveScene.scene': sceneLimits.sceneBytes,
};

/** Throws BAD_USER_INPUT unless `value` is an integer from `min` to `max`. */
export function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badInput(`${name} must be an integer from ${min} to ${max}, got ${value}`, { argument: name, min, max });
  }
}

function checkValue(path: string, value: unknown, listCap: number, stringCap = MAX_STRING_INPUT): void {
  if (typeof value === 'string' && value.length > stringCap) {
    throw badInput(`${path} is longer than ${stringCap} characters.`, { argument: path, max: stringCap });
  }
  if (Array.isArray(value)) {
    if (value.length > listCap) {
      throw badInput(`${path} has ${value.length} items; at most ${listCap} are allowed.`, { argument: path, max: listCap });
    }
    value.forEach((v, i) => checkValue(`${path}[${i}]`, v, MAX_LIST_INPUT));
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) checkValue(`${path}.${k}`, v, MAX_LIST_INPUT);
  }
}

/**
 * Throws BAD_USER_INPUT (naming the argument and its bounds) when an argument of root field
 * `field` is out of range, a list is too long or a string too large.
 */
export function checkArguments(field: string, args: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(args)) {
    const range = fieldArgumentRanges[`${field}.${name}`] ?? argumentRanges[name];
    if (range && typeof value === 'number' && (value < range.min || value > range.max || Number.isNaN(value))) {
      throw badInput(`${name} must be between ${range.min} and ${range.max}; got ${value}.`, {
        argument: name,
        min: range.min,
        max: range.max,
      });
    }
    checkValue(name, value, fieldListCaps[`${field}.${name}`] ?? MAX_LIST_INPUT, fieldStringCaps[`${field}.${name}`]);
  }
}

/**
 * The database cost of one root-field call, in units of a cheap indexed read, and the budget
 * of one request (issue 17, finding 9: ten aliases of productOpportunities, paths(maxLength: 6)
 * or neighborhood(depth: 3, limit: 500) took 9–14 s of Neo4j in one request). Armor's cost
 * counts the shape of the answer; this counts the work behind each field: live windows,
 * deep neighbourhoods and long paths grow fast with their arguments.
 */
export const requestCostBudget = 16;

/** The cost of calling root field `field` with `args` (see requestCostBudget). */
export function fieldCost(field: string, args: Record<string, unknown>): number {
  const n = (name: string, fallback: number) => (typeof args[name] === 'number' ? (args[name] as number) : fallback);
  switch (field) {
    case 'productOpportunities':
    case 'opportunityReport':
      return args.since || args.until ? 10 : 2;
    case 'paths':
      return 2 ** Math.max(1, n('maxLength', 4) - 3);
    case 'neighborhood': {
      const depth = n('depth', 1);
      return (depth <= 1 ? 1 : depth === 2 ? 3 : 8) * (n('limit', 100) > 100 ? 2 : 1);
    }
    case 'recommendProducts':
    case 'related':
    case 'lookalikes':
    case 'demandLinks':
    case 'demandLinkReport':
    case 'trend':
    case 'risingInterests':
      return 2;
    // Every person scored in memory (the persons are read once per model version).
    case 'audience':
    case 'audienceReport':
      return 4;
    default:
      return 1;
  }
}
