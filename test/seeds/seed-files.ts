import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { coreVocabulary } from '../../server/graph/vocabulary.js';

/** What a check of one file found: rows read and the reasons rows would be rejected. */
export interface FileCheck {
  header: string[];
  rows: Record<string, string>[];
  errors: string[];
}

const relations = new Map(coreVocabulary.relations.map((r) => [r.name, { from: r.from, to: r.to }]));
// Issue 18's identity link, for a core vocabulary that does not have it yet.
if (!relations.has('SAME_AS')) relations.set('SAME_AS', { from: ['Consumer'], to: ['Consumer'] });
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
  /** Consumers: raw ids, or persons (their representative raw id) when indexed with `personOf`. */
  consumers: Set<string>;
  /** Every raw consumer id in the rows. */
  rawConsumers: Set<string>;
}

/**
 * Indexes the rows of a checked triple file. With `personOf` (raw id → its person's
 * representative, see `stitchPersons`) a consumer's rows count for its person.
 */
export function indexGraph(rows: Record<string, string>[], personOf?: Map<string, string>): SeedGraph {
  const who = (id: string) => personOf?.get(id) ?? id;
  const g: SeedGraph = {
    consumerInterests: new Map(),
    consumerProducts: new Map(),
    consumerPurchases: new Map(),
    productInterests: new Map(),
    interestTimes: new Map(),
    byRelation: {},
    consumers: new Set(),
    rawConsumers: new Set(),
  };
  const add = (m: Map<string, Set<string>>, k: string, v: string) => {
    const s = m.get(k) ?? new Set<string>();
    s.add(v);
    m.set(k, s);
  };
  for (const r of rows) {
    g.byRelation[r.relation!] = (g.byRelation[r.relation!] ?? 0) + 1;
    for (const [id, type] of [[r.subject!, r.subject_type], [r.object!, r.object_type]] as const) {
      if (type !== 'Consumer') continue;
      g.rawConsumers.add(id);
      g.consumers.add(who(id));
    }
    const subject = r.subject_type === 'Consumer' ? who(r.subject!) : r.subject!;
    switch (r.relation) {
      case 'INTERESTED_IN': {
        add(g.consumerInterests, subject, r.object!);
        const times = g.interestTimes.get(r.object!) ?? [];
        times.push(timestampSeconds(r.timestamp!)!);
        g.interestTimes.set(r.object!, times);
        break;
      }
      case 'PURCHASED':
        add(g.consumerPurchases, subject, r.object!);
        add(g.consumerProducts, subject, r.object!);
        break;
      case 'VIEWED':
        add(g.consumerProducts, subject, r.object!);
        break;
      case 'RELATES_TO':
        add(g.productInterests, r.subject!, r.object!);
        break;
    }
  }
  return g;
}

/** An identifier value as issue 18 compares it: phone digits only, email trimmed and lower-cased, others trimmed. */
export function normaliseIdentifier(column: string, value: string): string {
  if (column === 'phone') return value.replace(/\D/g, '');
  if (column === 'email') return value.trim().toLowerCase();
  return value.trim();
}

/**
 * The persons the files themselves link, computed independently of the server: connected
 * components over SAME_AS rows (either direction) and over Consumer entity rows sharing a
 * normalised value of an identifier column. Returns raw id → representative (the smallest raw
 * id of its component) for every consumer the rows name, and the components of two or more ids.
 */
export function stitchPersons(
  tripleRows: Record<string, string>[],
  entityRows: Record<string, string>[],
  identifierColumns: readonly string[],
): { personOf: Map<string, string>; components: string[][] } {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    for (let y = x; y !== r; ) {
      const next = parent.get(y)!;
      parent.set(y, r);
      y = next;
    }
    return r;
  };
  const node = (x: string) => {
    if (!parent.has(x)) parent.set(x, x);
  };
  const union = (a: string, b: string) => {
    node(a);
    node(b);
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  };
  for (const r of tripleRows) {
    if (r.subject_type === 'Consumer') node(r.subject!);
    if (r.object_type === 'Consumer') node(r.object!);
    if (r.relation === 'SAME_AS') union(r.subject!, r.object!);
  }
  const holder = new Map<string, string>();
  for (const e of entityRows) {
    if (e.type !== 'Consumer') continue;
    node(e.id!);
    for (const column of identifierColumns) {
      const value = e[column] === undefined ? '' : normaliseIdentifier(column, e[column]!);
      if (!value) continue;
      const key = `${column}:${value}`;
      const first = holder.get(key);
      if (first === undefined) holder.set(key, e.id!);
      else union(first, e.id!);
    }
  }
  const personOf = new Map<string, string>();
  const members = new Map<string, string[]>();
  for (const id of parent.keys()) {
    const root = find(id);
    personOf.set(id, root);
    members.set(root, [...(members.get(root) ?? []), id]);
  }
  const components = [...members.values()].filter((m) => m.length > 1).map((m) => m.sort());
  return { personOf, components };
}
