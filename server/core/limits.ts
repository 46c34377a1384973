import { badInput } from './errors.js';

/**
 * Caps on arguments, enforced centrally for every root field (server/graphql/guard.ts), so a
 * field added later is covered too. Chosen so one request stays a bounded amount of Neo4j
 * work: the Subgraph stays drawable, lists stay readable, ingest batches stay one transaction.
 */
export interface Range {
  min: number;
  max: number;
}

/** Numeric arguments by name, any root field. */
export const argumentRanges: Record<string, Range> = {
  first: { min: 1, max: 100 },
  limit: { min: 0, max: 500 },
  depth: { min: 0, max: 3 },
  maxLength: { min: 1, max: 6 },
  exploration: { min: 0, max: 1 },
  minConsumers: { min: 1, max: 1_000_000_000 },
};

/** Narrower ranges for one field's argument: "field.argument". */
export const fieldArgumentRanges: Record<string, Range> = {
  'search.first': { min: 1, max: 50 },
};

/** Longest list in any argument, unless the field's own cap below says otherwise. */
export const MAX_LIST_INPUT = 50;
/** Per-field list caps: "field.argument". */
export const fieldListCaps: Record<string, number> = {
  'ingestTriples.triples': 10_000,
  'ingestTriples.entities': 10_000,
};
/** Longest string anywhere in the arguments. */
export const MAX_STRING_INPUT = 2_000;

function checkValue(path: string, value: unknown, listCap: number): void {
  if (typeof value === 'string' && value.length > MAX_STRING_INPUT) {
    throw badInput(`${path} is longer than ${MAX_STRING_INPUT} characters.`, { argument: path, max: MAX_STRING_INPUT });
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
    checkValue(name, value, fieldListCaps[`${field}.${name}`] ?? MAX_LIST_INPUT);
  }
}
