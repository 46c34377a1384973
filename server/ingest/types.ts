/** What the readers produce and the loader reports. */

/** Where a record came from: a file and its line (or record number for RDF and the API). */
export interface Origin {
  file: string;
  line: number;
}

/** One record as read, before validation: column/key name → text value. */
export interface RawRecord extends Origin {
  kind: 'triple' | 'entity';
  fields: Record<string, string | undefined>;
  /** The source a row without a `source` field belongs to (the file's identity, or 'api'). */
  defaultSource: string;
  /**
   * Set for file rows: a `source` column names a source within this file's scope
   * (`crm@demo/triples.csv`), so two data sets with the same source names never replace each other.
   */
  scope?: string;
}

/** A rejected record or file. */
export interface Reject extends Origin {
  field: string;
  reason: string;
}

/** A validated triple, ids already pseudonymised where the type is Consumer. */
export interface TripleRow {
  /** Where it was read (for a reject if Neo4j refuses it); never sent to Neo4j. */
  origin?: Origin;
  s: string;
  sType: string;
  rel: string;
  o: string;
  oType: string;
  weight: number;
  /** Unix seconds, or null without a timestamp. */
  ts: number | null;
  source: string;
  /**
   * Set on an identifier link (`HAS_IDENTIFIER` from consumer `s` to the identifier key `o`,
   * made from a Consumer row's identifier column): the column's name.
   */
  kind?: string;
}

/** A validated entity row. */
export interface EntityRow {
  /** Where it was read (for a reject if Neo4j refuses it); never sent to Neo4j. */
  origin?: Origin;
  id: string;
  type: string;
  name: string;
  props: Record<string, string>;
  /** Properties of a Consumer row left out (not on the allow-list, or its name). */
  droppedProperties?: number;
  /** A Consumer row's identifier columns, hashed (the raw values are gone): column and key. */
  identifiers?: { kind: string; key: string }[];
  /** The row's source (its `source` column in its file's scope, else the file): its identifier links' share. */
  source?: string;
}

/** What a reader yields: a record to validate or a reject. */
export type ReadItem = { record: RawRecord } | { reject: Reject };

/** Figures of one load, printed by the CLI and returned by the mutation. */
export interface LoadSummary {
  read: number;
  loaded: number;
  rejected: number;
  /** Consumer properties dropped by the allow-list (personal data never stored). */
  propertiesDropped: number;
  entitiesCreated: number;
  entitiesUpdated: number;
  relationshipsCreated: number;
  relationshipsUpdated: number;
  /** Relationships deleted at the end of the load: no source share left. */
  relationshipsDeleted: number;
  /** Earlier source shares dropped because the new delivery no longer has them. */
  sharesDropped: number;
  /** Stale shares left in place because the deletion was not confirmed (`--yes`). */
  sharesKept: number;
  /** Reading, validating and writing (the derived refresh is counted apart). */
  seconds: number;
  rowsPerSecond: number;
  /** The derived-value refresh after the writes. */
  derivedSeconds: number;
  /** Write transactions retried on a transient error, and of them after a deadlock (0 in a normal load). */
  retries: number;
  deadlockRetries: number;
  /** Average write transactions running at once while any ran (1 … lanes). */
  laneOverlap?: number;
  /** The loader's peak RSS up to the end of the writes (MB). */
  writePeakRssMb: number;
  files: number;
  dryRun: boolean;
  /** Where rejects were written (empty when there were none). */
  rejectsFiles: string[];
  /** Paths given that do not exist. */
  missing: string[];
}
