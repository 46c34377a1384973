import { rowLimits, timestampProblem } from '../core/limits.js';
import { identifierKey } from '../privacy/identifier.js';
import { storedEntityId } from '../privacy/pseudonym.js';
import { defaultConsumerProperties, isSafeIdentifier, type Vocabulary } from '../graph/vocabulary.js';
import type { EntityRow, RawRecord, Reject, TripleRow } from './types.js';

/** Columns of a triple file; the first five are required. */
export const TRIPLE_COLUMNS = ['subject', 'subject_type', 'relation', 'object', 'object_type', 'weight', 'timestamp', 'source'];
export const TRIPLE_REQUIRED = TRIPLE_COLUMNS.slice(0, 5);
/** Columns of an entity file; further columns become properties. */
export const ENTITY_REQUIRED = ['id', 'type'];
/** Entity properties the loader owns; input columns with these names are not copied. */
const RESERVED_PROPS = new Set(['id', 'type', 'name', 'key']);

/** Classifies a header (or a JSON object's keys) as triples, entities or neither. */
export function classify(keys: readonly string[]): 'triple' | 'entity' | null {
  if (TRIPLE_REQUIRED.every((k) => keys.includes(k))) return 'triple';
  if (ENTITY_REQUIRED.every((k) => keys.includes(k))) return 'entity';
  return null;
}

/** Decoding replaces invalid UTF-8 byte sequences with U+FFFD; its presence marks the bad field. */
const REPLACEMENT = '\uFFFD';

const isoPattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const unixPattern = /^-?\d+(?:\.\d+)?$/;

/** Parses an ISO-8601 date/time (UTC when no zone is given) or Unix seconds; null if neither. */
export function parseTimestamp(text: string): number | null {
  if (unixPattern.test(text)) return Number(text);
  const m = isoPattern.exec(text);
  if (!m) return null;
  let iso = text.replace(' ', 'T');
  if (m[4] === undefined) iso += 'T00:00:00Z';
  else if (m[7] === undefined) iso += 'Z';
  else if (/^[+-]\d{2}$/.test(m[7])) iso += ':00';
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return null;
  // Date.parse rolls 2024-02-31 over to March; a real date must read back the same day.
  const d = new Date(ms + (m[7] && m[7] !== 'Z' ? zoneOffsetMs(m[7]) : 0));
  if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() + 1 !== Number(m[2]) || d.getUTCDate() !== Number(m[3])) return null;
  return ms / 1000;
}

function zoneOffsetMs(zone: string): number {
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * 60_000;
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** The reason a field's text is over its byte limit, or null. */
function sizeProblem(text: string, limit: number): string | null {
  const n = bytes(text);
  return n > limit ? `too long: ${n} bytes (at most ${limit})` : null;
}

/** Raw consumer ids whose pseudonyms a validator remembers (about 150 bytes each). */
const PSEUDONYM_MEMO = 1_000_000;

/** Validates records against a vocabulary and pseudonymises consumer ids. */
export class RowValidator {
  private readonly types: Set<string>;
  private readonly relations: Map<string, { from: string[]; to: string[] }>;
  private readonly consumerProperties: Set<string>;
  /** Identifier columns of a Consumer row: hashed into links, never kept as properties. */
  private readonly identifierColumns: Set<string>;
  /**
   * Raw consumer id → pseudonym: a file names each consumer many times, and the keyed hash is
   * the dearest step of a row. Bounded (cleared when full); kept in this process only.
   */
  private readonly pseudonyms = new Map<string, string>();

  constructor(
    private readonly vocabulary: Vocabulary,
    private readonly pseudonymSecret: string,
  ) {
    this.types = new Set(vocabulary.entityTypes);
    this.relations = new Map(vocabulary.relations.map((r) => [r.name, r]));
    this.consumerProperties = new Set(vocabulary.consumerProperties ?? defaultConsumerProperties);
    this.identifierColumns = new Set(vocabulary.consumerIdentifiers ?? []);
  }

  private storedId(type: string, id: string): string {
    if (type !== 'Consumer') return id;
    let stored = this.pseudonyms.get(id);
    if (stored === undefined) {
      if (this.pseudonyms.size >= PSEUDONYM_MEMO) this.pseudonyms.clear();
      stored = storedEntityId(this.pseudonymSecret, type, id);
      this.pseudonyms.set(id, stored);
    }
    return stored;
  }

  /** A triple row, or the first problem found in the record. */
  triple(rec: RawRecord): TripleRow | Reject {
    const f = rec.fields;
    const bad = (field: string, reason: string): Reject => ({ file: rec.file, line: rec.line, field, reason });
    for (const [key, value] of Object.entries(f)) {
      if (value !== undefined && value.includes(REPLACEMENT)) return bad(key, 'invalid UTF-8');
    }
    for (const key of TRIPLE_REQUIRED) {
      if (!f[key]?.trim()) return bad(key, 'missing value');
    }
    const sType = f.subject_type!.trim();
    const oType = f.object_type!.trim();
    const rel = f.relation!.trim();
    if (!this.types.has(sType)) return bad('subject_type', `unknown entity type '${sType}'`);
    if (!this.types.has(oType)) return bad('object_type', `unknown entity type '${oType}'`);
    const def = this.relations.get(rel);
    if (!def) return bad('relation', `relation '${rel}' is not in the schema`);
    if (!def.from.includes(sType) || !def.to.includes(oType)) {
      return bad('relation', `${rel} goes ${def.from.join('|')} → ${def.to.join('|')}, not ${sType} → ${oType}`);
    }
    for (const key of ['subject', 'object'] as const) {
      const problem = sizeProblem(f[key]!.trim(), rowLimits.idBytes);
      if (problem) return bad(key, problem);
    }
    let weight = 1;
    const w = f.weight?.trim();
    if (w) {
      weight = Number(w);
      if (!Number.isFinite(weight)) return bad('weight', `not a finite number: '${w.slice(0, 40)}'`);
      if (Math.abs(weight) > rowLimits.maxAbsWeight) return bad('weight', `larger than ${rowLimits.maxAbsWeight} in size: '${w.slice(0, 40)}' (sums must stay finite)`);
    }
    let ts: number | null = null;
    const t = f.timestamp?.trim();
    if (t) {
      ts = parseTimestamp(t);
      if (ts === null) return bad('timestamp', `not ISO-8601 or Unix seconds: '${t.slice(0, 40)}'`);
      const problem = timestampProblem(ts);
      if (problem) return bad('timestamp', `${problem}: '${t.slice(0, 40)}'`);
    }
    const column = f.source?.trim();
    const source = column ? (rec.scope ? `${column}@${rec.scope}` : column) : rec.defaultSource;
    const sourceProblem = sizeProblem(source, rowLimits.valueBytes);
    if (sourceProblem) return bad('source', sourceProblem);
    return {
      s: this.storedId(sType, f.subject!.trim()),
      sType,
      rel,
      o: this.storedId(oType, f.object!.trim()),
      oType,
      weight,
      ts,
      source,
    };
  }

  /** An entity row, or the first problem found in the record. */
  entity(rec: RawRecord): EntityRow | Reject {
    const f = rec.fields;
    const bad = (field: string, reason: string): Reject => ({ file: rec.file, line: rec.line, field, reason });
    for (const [key, value] of Object.entries(f)) {
      if (value !== undefined && value.includes(REPLACEMENT)) return bad(key, 'invalid UTF-8');
    }
    for (const key of ENTITY_REQUIRED) {
      if (!f[key]?.trim()) return bad(key, 'missing value');
    }
    const type = f.type!.trim();
    if (!this.types.has(type)) return bad('type', `unknown entity type '${type}'`);
    const idProblem = sizeProblem(f.id!.trim(), rowLimits.idBytes);
    if (idProblem) return bad('id', idProblem);
    for (const [key, value] of Object.entries(f)) {
      const problem = key !== 'id' && value !== undefined ? sizeProblem(value, rowLimits.valueBytes) : null;
      if (problem) return bad(key, problem);
    }
    const id = this.storedId(type, f.id!.trim());
    // Consumers are stored by pseudonym only: a name column could carry the real name.
    const name = type === 'Consumer' ? id : f.name || id;
    const props: Record<string, string> = {};
    let dropped = 0;
    const identifiers: { kind: string; key: string }[] = [];
    for (const [key, value] of Object.entries(f)) {
      if (value === undefined || value === '' || RESERVED_PROPS.has(key) || key === 'source') continue;
      if (type === 'Consumer' && this.identifierColumns.has(key)) {
        // Only the keyed hash goes on; the raw value ends here (never a property, reject or log line).
        const k = identifierKey(this.pseudonymSecret, key, value);
        if (k !== null && !identifiers.some((x) => x.key === k)) identifiers.push({ kind: key, key: k });
        continue;
      }
      if (!isSafeIdentifier(key)) continue; // also drops `_`-prefixed bookkeeping names
      // A consumer keeps only allow-listed properties: a deny-list would let a new column through.
      if (type === 'Consumer' && !this.consumerProperties.has(key)) {
        dropped++;
        continue;
      }
      props[key] = value;
    }
    const row: EntityRow = dropped ? { id, type, name, props, droppedProperties: dropped } : { id, type, name, props };
    if (identifiers.length > 0) {
      const column = f.source?.trim();
      const source = column ? (rec.scope ? `${column}@${rec.scope}` : column) : rec.defaultSource;
      const sourceProblem = sizeProblem(source, rowLimits.valueBytes);
      if (sourceProblem) return bad('source', sourceProblem);
      row.identifiers = identifiers;
      row.source = source;
    }
    return row;
  }
}

/** True when a validation result is a reject. */
export function isReject(x: object): x is Reject {
  return 'reason' in x;
}
