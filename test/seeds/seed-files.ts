import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { coreVocabulary } from '../../server/graph/vocabulary.js';

/** What a check of one file found: rows read and the reasons rows would be rejected. */
export interface FileCheck {
  header: string[];
  rows: Record<string, string>[];
  errors: string[];
}

const relations = new Map(coreVocabulary.relations.map((r) => [r.name, r]));
const types = new Set(coreVocabulary.entityTypes);
const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function readUtf8(path: string): string {
  // fatal: invalid UTF-8 throws instead of turning into U+FFFD.
  return new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path));
}

/** Seconds since the epoch of a contract timestamp (ISO-8601 or Unix seconds), or null when malformed. */
export function timestampSeconds(value: string): number | null {
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  if (!isoTimestamp.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms / 1000 : null;
}

/**
 * Reads a triple CSV and checks every row the way the contract's loader must: the header, the
 * column count, non-empty ids, core entity types, a core relation with its endpoint types, a
 * finite weight, a well-formed timestamp (inside `window` when given, in Unix seconds), a source.
 */
export function checkTripleFile(path: string, window?: { from: number; to: number }): FileCheck {
  const text = readUtf8(path);
  const records = parse(text, { relax_column_count: true }) as string[][];
  const header = records[0] ?? [];
  const errors: string[] = [];
  const rows: Record<string, string>[] = [];
  for (let k = 1; k < records.length; k++) {
    const r = records[k]!;
    const line = k + 1;
    const bad = (why: string) => errors.push(`${path}:${line}: ${why}`);
    if (r.length !== header.length) {
      bad(`${r.length} columns, header has ${header.length}`);
      continue;
    }
    const row = Object.fromEntries(header.map((h, i) => [h, r[i]!]));
    rows.push(row);
    for (const f of ['subject', 'subject_type', 'relation', 'object', 'object_type']) if (!row[f]) bad(`missing ${f}`);
    if (!types.has(row.subject_type!)) bad(`unknown subject_type ${row.subject_type}`);
    if (!types.has(row.object_type!)) bad(`unknown object_type ${row.object_type}`);
    const rel = relations.get(row.relation!);
    if (!rel) bad(`unknown relation ${row.relation}`);
    else if (!rel.from.includes(row.subject_type!) || !rel.to.includes(row.object_type!)) {
      bad(`${row.relation} from ${row.subject_type} to ${row.object_type}`);
    }
    if (row.weight !== undefined && (row.weight === '' || !Number.isFinite(Number(row.weight)) || Number(row.weight) <= 0)) bad(`weight "${row.weight}"`);
    if (row.timestamp !== undefined) {
      const t = timestampSeconds(row.timestamp);
      if (t === null) bad(`timestamp "${row.timestamp}"`);
      else if (window && (t < window.from || t >= window.to)) bad(`timestamp ${row.timestamp} outside the window`);
    }
    if (row.source !== undefined && !row.source) bad('empty source');
  }
  return { header, rows, errors };
}

/** Reads an entity CSV and checks the header starts id,type,name and every row has a core type, an id and a name. */
export function checkEntityFile(path: string): FileCheck {
  const records = parse(readUtf8(path), { relax_column_count: true }) as string[][];
  const header = records[0] ?? [];
  const errors: string[] = [];
  const rows: Record<string, string>[] = [];
  if (header.slice(0, 3).join(',') !== 'id,type,name') errors.push(`${path}: header ${header.join(',')}`);
  for (let k = 1; k < records.length; k++) {
    const r = records[k]!;
    if (r.length !== header.length) {
      errors.push(`${path}:${k + 1}: ${r.length} columns`);
      continue;
    }
    const row = Object.fromEntries(header.map((h, i) => [h, r[i]!]));
    rows.push(row);
    if (!row.id) errors.push(`${path}:${k + 1}: missing id`);
    if (!types.has(row.type!)) errors.push(`${path}:${k + 1}: unknown type ${row.type}`);
    if (!row.name) errors.push(`${path}:${k + 1}: missing name`);
  }
  return { header, rows, errors };
}

/** The graph a triple file describes, indexed for ground-truth checks (consumers by raw id). */
export interface SeedGraph {
  consumerInterests: Map<string, Set<string>>;
  /** PURCHASED or VIEWED. */
  consumerProducts: Map<string, Set<string>>;
  consumerPurchases: Map<string, Set<string>>;
  productInterests: Map<string, Set<string>>;
  /** Interest id → timestamps (seconds) of its INTERESTED_IN rows. */
  interestTimes: Map<string, number[]>;
  byRelation: Record<string, number>;
  consumers: Set<string>;
}

/** Indexes the rows of a checked triple file. */
export function indexGraph(rows: Record<string, string>[]): SeedGraph {
  const g: SeedGraph = {
    consumerInterests: new Map(),
    consumerProducts: new Map(),
    consumerPurchases: new Map(),
    productInterests: new Map(),
    interestTimes: new Map(),
    byRelation: {},
    consumers: new Set(),
  };
  const add = (m: Map<string, Set<string>>, k: string, v: string) => {
    const s = m.get(k) ?? new Set<string>();
    s.add(v);
    m.set(k, s);
  };
  for (const r of rows) {
    g.byRelation[r.relation!] = (g.byRelation[r.relation!] ?? 0) + 1;
    if (r.subject_type === 'Consumer') g.consumers.add(r.subject!);
    if (r.object_type === 'Consumer') g.consumers.add(r.object!);
    switch (r.relation) {
      case 'INTERESTED_IN': {
        add(g.consumerInterests, r.subject!, r.object!);
        const times = g.interestTimes.get(r.object!) ?? [];
        times.push(timestampSeconds(r.timestamp!)!);
        g.interestTimes.set(r.object!, times);
        break;
      }
      case 'PURCHASED':
        add(g.consumerPurchases, r.subject!, r.object!);
        add(g.consumerProducts, r.subject!, r.object!);
        break;
      case 'VIEWED':
        add(g.consumerProducts, r.subject!, r.object!);
        break;
      case 'RELATES_TO':
        add(g.productInterests, r.subject!, r.object!);
        break;
    }
  }
  return g;
}
